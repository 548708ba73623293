#!/usr/bin/env python3
"""Draw the documents of the blind sets from ../shared/corpus/wild/INDEX.tsv, at random with a fixed seed.

Three disjoint draws, so that no set is written about documents another set has already tuned the
code to:
- golden: task-bearing documents for the blind golden task rows (at least 3 thông báo or chỉ thị);
- round1, round2: documents for two blind question rounds, each with task-bearing documents and
  others (laws, decrees, circulars, decisions);
- golden2: task-bearing documents for a second set of golden rows;
- round3: a third question round, drawn after rounds 1 and 2 were used for fixes;
- round4: a fourth round, drawn after round 3 was used for fixes. By then every task-bearing document
  is drawn, so round 4 is made of legal texts and decisions; its task questions (round4t) are written
  on the golden documents, whose rows had tuned the parser but about which no question was ever asked,
  and are reported apart.
Each new set is drawn after the others, so the draws above stay as they were.

A document bears tasks when it is a plan, a thông báo or a chỉ thị, or says "chủ trì" three times or
more and is not a code of many articles (the crawler's type column is often wrong: a thông báo may be
typed LUẬT; a law of hundreds of articles says "chủ trì" without assigning work). Usage: python3 bench/blind/pick_documents.py [--seed N] > bench/blind/documents.tsv
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

WILD = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "wild"
NOTICES = {"THÔNG BÁO", "CHỈ THỊ"}
PLANS = {"KẾ HOẠCH"} | NOTICES
MANY_ARTICLES = 40


def read_index(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def draw(pool: list[dict], n: int, rng: random.Random, taken: set[str]) -> list[dict]:
    free = [r for r in pool if r["name"] not in taken]
    picked = rng.sample(free, min(n, len(free)))
    taken.update(r["name"] for r in picked)
    return picked


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--index", type=Path, default=WILD / "INDEX.tsv")
    args = ap.parse_args()
    rows = sorted(read_index(args.index), key=lambda r: r["name"])
    rng, taken = random.Random(args.seed), set()
    notices = [r for r in rows if r["type"] in NOTICES]
    bearing = [r for r in rows if r["type"] in PLANS
               or (int(r["chu_tri"]) >= 3 and int(r["articles"]) < MANY_ARTICLES)]
    sets: list[tuple[str, list[dict]]] = []
    golden = draw(notices, 3, rng, taken) + draw(bearing, 9, rng, taken)
    sets.append(("golden", golden))
    for name in ("round1", "round2"):
        picked = draw(notices, 2, rng, taken) + draw(bearing, 10, rng, taken)
        picked += draw(rows, 22, rng, taken)
        sets.append((name, picked))
    # Drawn after the parser was fixed on the first golden set: its second measure.
    sets.append(("golden2", draw(notices, 3, rng, taken) + draw(bearing, 10, rng, taken)))
    # Drawn after rounds 1 and 2 had been used to find classes of failure: the next measure.
    picked = draw(notices, 2, rng, taken) + draw(bearing, 10, rng, taken)
    sets.append(("round3", picked + draw(rows, 22, rng, taken)))
    # Drawn after round 3 had been used to find classes of failure: the next measure.
    sets.append(("round4", draw(rows, 30, rng, taken)))
    print("set\tname\ttype\tbytes\tchu_tri\tarticles")
    for name, picked in sets:
        for r in picked:
            print(f"{name}\t{r['name']}\t{r['type']}\t{r['bytes']}\t{r['chu_tri']}\t{r['articles']}")


if __name__ == "__main__":
    main()
