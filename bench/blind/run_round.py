#!/usr/bin/env python3
"""Run a blind round against a server with the wild corpus loaded beside the bundled one.

    .venv/bin/python bench/blind/run_round.py bench/blind/round1 --data DIR [--ingest] [--out FILE]

--ingest first ingests corpus/ and ../shared/corpus/wild/ into DIR (about 10 minutes with the
real model; unchanged files are skipped on a second run). The round's questions (every *.jsonl
of the folder, joined) go through eval/score.py; the report adds the no-diacritics pairs: each
question typed without accents against its accented twin ("twin": id).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from run import CCHC, run, start_server, stop  # noqa: E402

WILD = ROOT.parent / "shared" / "corpus" / "wild"


def joined_questions(folder: Path) -> Path:
    lines = [line for f in sorted(folder.glob("questions*.jsonl"))
             for line in f.read_text("utf-8").splitlines() if line.strip()]
    out = Path(tempfile.mkdtemp(prefix="cchc-round-")) / f"{folder.name}.jsonl"
    out.write_text("\n".join(lines) + "\n", "utf-8")
    return out


def twin_pairs(questions: Path, report: list[dict]) -> dict:
    """answer_ok / abstain_ok of the no-diacritics questions against their accented twins."""
    by_id = {r["id"]: r for r in report}
    pairs = []
    for line in questions.read_text("utf-8").splitlines():
        q = json.loads(line)
        twin = q.get("twin")
        if twin and q["id"] in by_id and twin in by_id:
            pairs.append((_ok(by_id[q["id"]]), _ok(by_id[twin])))
    n = len(pairs)
    return {"pairs": n, "plain_ok": sum(p for p, _ in pairs) / n if n else None,
            "accented_ok": sum(a for _, a in pairs) / n if n else None}


def _ok(result: dict) -> bool:
    return bool(result.get("answer_ok", result.get("abstain_ok", False)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("round", type=Path, help="folder of the round's questions*.jsonl")
    ap.add_argument("--data", required=True, help="CCHC_DATA_DIR with (or to receive) corpus/ and the wild corpus")
    ap.add_argument("--ingest", action="store_true", help="ingest corpus/ and the wild corpus into --data first")
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--out", type=Path, help="write score.py's table and the twin figures here")
    args = ap.parse_args()
    env = {**os.environ, "CCHC_DATA_DIR": args.data, "CCHC_RATE_LIMIT_PER_MIN": "1000000"}
    if args.ingest:
        seconds = run([str(CCHC), "ingest", "--quiet", str(ROOT / "corpus"), str(WILD)], env)
        print(f"ingest corpus/ + wild: {seconds:.0f} s")
    questions = joined_questions(args.round)
    report_file = questions.with_suffix(".report.json")
    server = start_server(env, args.port)
    try:
        scored = subprocess.run(
            [sys.executable, str(ROOT / "eval" / "score.py"), "--url", f"http://127.0.0.1:{args.port}",
             str(questions), "--report", str(report_file), "-v"], capture_output=True, text=True)
    finally:
        stop(server)
    twins = twin_pairs(questions, json.loads(report_file.read_text("utf-8")))
    text = scored.stdout + f"no-diacritics pairs: {json.dumps(twins)}\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text + "\n# misses\n" + scored.stderr, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
