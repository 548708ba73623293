#!/usr/bin/env python3
"""Score the task parser against blind golden rows (bench/blind/golden/*.jsonl).

Each golden row names a document of ../shared/corpus/wild/, a task number, the lead, the
coordinators, the deadline as written and the first words of the task. A golden row is
*found* when the parser returns a row of that document whose number names the same task and
whose text starts alike; the fields are then compared as written (case, diacritics and
punctuation aside):

- number: as score.py compares them (a qualifier in front, "PL.3"/"II.3" for "3", and a
  lettered or bracketed sub-item after it, "5.a(1)" for "5", are the same task), both ways;
- lead / coordinate: the same set of names, a name counting as matched when one contains
  the other ("Sở Tài chính" and "Sở Tài chính tỉnh");
- deadline: the same text, or one containing the other; none and none agree.

    .venv/bin/python bench/blind/score_rows.py [--golden DIR] [--wild DIR] [-v] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ingest.pipeline import parse_document  # noqa: E402
from ingest.readers import read_path  # noqa: E402
from ingest.text import key  # noqa: E402
from ingest.types import Task  # noqa: E402

WILD = ROOT.parent / "shared" / "corpus" / "wild"
_ARTICLE = re.compile(r"^điều\s+", re.I)


def number_key(number: str) -> str:
    return " ".join(_ARTICLE.sub("", number).casefold().split()).strip(" .")


def qualified(got: str, want: str) -> bool:
    """score.py's rule: ``got`` is ``want`` with a qualifier in front and/or a sub-item after."""
    pattern = r"(?:.*[^\d.\s]\.)?" + re.escape(want) + r"(?:[.\s]?[a-zđ(].*)?"
    return bool(got) and re.fullmatch(pattern, got) is not None


def same_number(got: str, want: str) -> bool:
    got, want = number_key(got), number_key(want)
    return qualified(got, want) or qualified(want, got)


def starts_alike(task: Task, text_start: str) -> bool:
    """The golden row's first words are (mostly) among the first words of the parsed row."""
    want = key(text_start).split()[:8]
    have = set(key(task.description).split()[:40])
    return bool(want) and sum(w in have for w in want) >= 0.8 * len(want)


def names_match(got: tuple[str, ...], want: list[str]) -> bool:
    g, w = [key(x) for x in got if key(x)], [key(x) for x in want if key(x)]

    def covered(a: str, pool: list[str]) -> bool:
        return any(a == b or a in b or b in a for b in pool)

    return all(covered(a, g) for a in w) and all(covered(a, w) for a in g)


def deadline_match(task: Task, want: str | None) -> bool:
    got = key(task.deadline.text) if task.deadline else ""
    want = key(want or "")
    if not got or not want:
        return got == want
    return got == want or got in want or want in got


def find_row(rows: tuple[Task, ...], golden: dict) -> tuple[Task | None, bool]:
    """(row, number_ok): the parsed row for a golden row, by number and text, else by text alone."""
    by_number = [t for t in rows if same_number(t.number, golden["number"])]
    for t in by_number:
        if starts_alike(t, golden.get("text_start", "")):
            return t, True
    by_text = [t for t in rows if starts_alike(t, golden.get("text_start", ""))]
    return (by_text[0], False) if by_text else (None, False)


def parse(path: Path) -> tuple[Task, ...]:
    return parse_document(read_path(path), path.name).tasks


def load_golden(folder: Path) -> list[dict]:
    rows = []
    for f in sorted(folder.glob("*.jsonl")):
        rows += [json.loads(line) for line in f.read_text("utf-8").splitlines() if line.strip()]
    return rows


def score(golden: list[dict], wild: Path, verbose: bool) -> dict:
    parsed: dict[str, tuple[Task, ...]] = {}
    per_doc: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    misses = []
    for g in golden:
        src = g["source"]
        if src not in parsed:
            parsed[src] = parse(wild / src)
        d = per_doc[src]
        if g.get("no_tasks"):
            d["no_tasks"] = 1
            continue
        row, number_ok = find_row(parsed[src], g)
        d["rows"] += 1
        d["found"] += row is not None and number_ok
        d["text_found"] += row is not None
        checks = {"lead": row is not None and names_match(row.lead, g["lead"]),
                  "coordinate": row is not None and names_match(row.coordinate, g["coordinate"]),
                  "deadline": row is not None and deadline_match(row, g["deadline"])}
        for name, ok in checks.items():
            d[name] += ok
        if verbose and (not number_ok or not all(checks.values())):
            misses.append((src, g, row, number_ok, checks))
    for src, tasks in parsed.items():
        per_doc[src]["parsed"] = len(tasks)
        numbers = [t.number for t in tasks]
        per_doc[src]["duplicate_numbers"] = len(numbers) - len(set(numbers))
    for src, g, row, number_ok, checks in misses:
        bad = [k for k, ok in checks.items() if not ok] + ([] if number_ok else ["number"])
        got = (f"{row.number} | lead={list(row.lead)} | coord={list(row.coordinate)} | "
               f"deadline={row.deadline.text if row.deadline else None}") if row else "no row"
        print(f"MISS {src} {g['number']} {bad}\n  want lead={g['lead']} coord={g['coordinate']} "
              f"deadline={g['deadline']}\n  got  {got}", file=sys.stderr)
    return {src: dict(v) for src, v in per_doc.items()}


def summary(per_doc: dict) -> dict:
    total = defaultdict(int)
    for d in per_doc.values():
        for k, v in d.items():
            total[k] += v
    n = max(total["rows"], 1)
    found = max(total["text_found"], 1)
    return {
        "documents": len(per_doc), "golden_rows": total["rows"], "parsed_rows": total["parsed"],
        "number_found": total["found"] / n, "row_found": total["text_found"] / n,
        **{f"{k}": total[k] / n for k in ("lead", "coordinate", "deadline")},
        **{f"{k}_of_found": total[k] / found for k in ("lead", "coordinate", "deadline")},
        "duplicate_numbers": total["duplicate_numbers"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--golden", type=Path, default=Path(__file__).resolve().parent / "golden")
    ap.add_argument("--wild", type=Path, default=WILD)
    ap.add_argument("--json", type=Path, help="write per-document counts here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each row that misses")
    args = ap.parse_args()
    per_doc = score(load_golden(args.golden), args.wild, args.verbose)
    print(f"{'document':<22}{'golden':>7}{'parsed':>7}{'found':>7}{'lead':>6}{'coord':>6}{'dline':>6}{'dups':>5}")
    for src, d in sorted(per_doc.items()):
        print(f"{src:<22}{d.get('rows', 0):>7}{d.get('parsed', 0):>7}{d.get('found', 0):>7}{d.get('lead', 0):>6}"
              f"{d.get('coordinate', 0):>6}{d.get('deadline', 0):>6}{d.get('duplicate_numbers', 0):>5}")
    s = summary(per_doc)
    print("score: " + " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in s.items()))
    if args.json:
        args.json.write_text(json.dumps({"documents": per_doc, "summary": s}, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
