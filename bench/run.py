"""Reproduce the figures of the closing note: ingest time, re-ingest time, /v1/ask latency
(sequential and 8 concurrent clients on loopback), server memory, and eval scores.

    .venv/bin/python bench/run.py [--data DIR] [--rounds N] [--skip-ingest] [--backend onnx|torch] [--extra SET.jsonl ...]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CCHC = Path(sys.executable).with_name("cchc")


def run(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def ask(url: str, question: str) -> float:
    req = urllib.request.Request(url + "/v1/ask", data=json.dumps({"question": question}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as resp:
        resp.read()
    return (time.perf_counter() - started) * 1000


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(env: dict, port: int) -> subprocess.Popen:
    started = time.perf_counter()
    server = subprocess.Popen([str(CCHC), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(480):  # /readyz turns 200 once the model, index and documents are loaded
        try:
            if urllib.request.urlopen(url + "/readyz", timeout=1).status == 200:
                print(f"start to ready: {time.perf_counter() - started:.1f} s")
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not become ready")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=60)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=tempfile.mkdtemp(prefix="cchc-bench-"))
    ap.add_argument("--rounds", type=int, default=1, help="passes over the questions by 8 clients")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--skip-ingest", action="store_true", help="reuse the index already in --data")
    ap.add_argument("--backend", choices=["onnx", "torch"], help="CCHC_EMBED_BACKEND (default: the setting's)")
    ap.add_argument("--extra", type=Path, nargs="*", default=[], help="further question sets to score")
    args = ap.parse_args()
    # The per-client rate limit would turn a benchmark's burst from one address into 429s.
    env = {**os.environ, "CCHC_DATA_DIR": args.data, "CCHC_RATE_LIMIT_PER_MIN": "1000000"}
    if args.backend:
        env["CCHC_EMBED_BACKEND"] = args.backend
    run([str(CCHC), "model", "build"], env)
    if not args.skip_ingest:
        print(f"ingest (cold, with embeddings): {run([str(CCHC), 'ingest', '--quiet', str(ROOT / 'corpus')], env):.1f} s")
        print(f"re-ingest (unchanged): {run([str(CCHC), 'ingest', '--quiet', str(ROOT / 'corpus')], env):.1f} s")
    url = f"http://127.0.0.1:{args.port}"
    questions = [json.loads(line).get("q") for f in sorted((ROOT / "eval").glob("*.jsonl"))
                 for line in f.read_text("utf-8").splitlines() if line.strip()]
    questions = [q for q in questions if q]
    # A fresh server for each phase: the query-embedding cache must not serve repeated questions.
    server = start_server(env, args.port)
    try:
        sequential = [ask(url, q) for q in questions]
        print(f"sequential /v1/ask: n={len(sequential)} p50={statistics.median(sequential):.0f} ms "
              f"p95={pct(sequential, .95):.0f} ms")
    finally:
        stop(server)
    server = start_server(env, args.port)
    try:
        with ThreadPoolExecutor(8) as pool:
            concurrent = list(pool.map(lambda q: ask(url, q), questions * args.rounds))
        print(f"8 concurrent clients: n={len(concurrent)} p50={statistics.median(concurrent):.0f} ms "
              f"p95={pct(concurrent, .95):.0f} ms")
        print(f"server RSS: {rss_mb(server.pid):.0f} MB")
        for f in sorted((ROOT / "eval").glob("*.jsonl")) + [ROOT / "bench" / "probe_questions.jsonl"] + args.extra:
            out = subprocess.run([sys.executable, str(ROOT / "eval" / "score.py"), "--url", url, str(f)],
                                 capture_output=True, text=True).stdout.strip().splitlines()
            print(f"{f.name}: {out[-1] if out else '?'}")
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
