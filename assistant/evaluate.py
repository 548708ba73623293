"""`cchc eval`: run a question set through the same Answerer the API uses, score it with eval/score.py."""
from __future__ import annotations

import importlib.util
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

SCORER = Path(__file__).resolve().parents[1] / "eval" / "score.py"
KEYS = ["hit1", "hit5", "answer_ok", "wrong", "list_recall", "list_clean", "abstain_ok", "false_abstain"]


def _scorer():
    spec = importlib.util.spec_from_file_location("cchc_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_questions(answerer, questions: list[dict]) -> tuple[list[dict], list[float]]:
    score = _scorer()
    results, latencies = [], []
    for q in questions:
        conv, payload = None, {}
        for turn in q.get("turns") or [q["q"]]:
            started = time.perf_counter()
            payload = answerer.answer(turn, conv).to_json()
            latencies.append((time.perf_counter() - started) * 1000)
            conv = payload["conversation_id"]
        r = score.score_one(q, payload)
        r["_payload"] = payload
        results.append(r)
    return results, latencies


def summarise(results: list[dict], latencies: list[float]) -> dict:
    out = {}
    for k in KEYS:
        vals = [float(r[k]) for r in results if k in r]
        if vals:
            out[k] = sum(vals) / len(vals)
    lat = sorted(latencies)
    out["p50_ms"] = statistics.median(lat) if lat else 0.0
    out["p95_ms"] = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else 0.0
    out["n"] = len(results)
    return out


def run_eval(answerer, path: Path, verbose: bool = False) -> int:
    questions = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if hasattr(answerer, "warm_up"):
        answerer.warm_up()  # as the server does at start-up: latency is per question, not loading
    results, latencies = run_questions(answerer, questions)
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r["kind"]].append(r)
        if verbose and _missed(r):
            p = r["_payload"]
            cites = [(c["source"], c["task_number"], (c["section"] or "")[:40]) for c in p["citations"][:3]]
            print(f"MISS {r['id']}: {p['status']} {p['answer'][:200]!r}\n   cites={cites} "
                  f"{ {k: v for k, v in r.items() if not k.startswith('_')} }")
    summary = summarise(results, latencies)
    print("score: " + " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in summary.items()))
    return 0


def _missed(r: dict) -> bool:
    return bool(r.get("false_abstain") or r.get("wrong") or r.get("list_recall", 1) < 1
                or not all(r.get(k, True) for k in ("hit1", "answer_ok", "list_clean", "abstain_ok")))
