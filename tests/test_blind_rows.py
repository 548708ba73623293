"""The blind golden task rows (bench/blind/golden*, written before the parser saw their documents)
as a regression floor: the parser may get better on them, never worse. The documents are copied
from the wild corpus into tests/data/blind_wild/ so the test runs in a fresh clone."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "data" / "blind_wild"
# Measured when the rows became tests (first runs: bench/blind/golden*/FIRST_RUN.md).
FLOORS = {
    "golden": {"number_found": 0.84, "lead": 0.82, "coordinate": 0.84, "deadline": 0.86},
    "golden2": {"number_found": 0.84, "lead": 0.80, "coordinate": 0.76, "deadline": 0.80},
}


def _scorer():
    spec = importlib.util.spec_from_file_location("score_rows", ROOT / "bench" / "blind" / "score_rows.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_golden_rows_hold_their_level(name):
    scorer = _scorer()
    golden = scorer.load_golden(ROOT / "bench" / "blind" / name)
    result = scorer.summary(scorer.score(golden, DOCS, verbose=False))
    assert result["duplicate_numbers"] == 0
    for field, floor in FLOORS[name].items():
        assert result[field] >= floor - 1e-9, (field, result[field])
