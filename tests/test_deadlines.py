"""Deadline parsing: golden cells (spec examples and the corpus) and properties."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.deadlines import find_deadlines, fold_with_map, overlaps, parse_deadline, parse_period
from ingest.types import Deadline

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
D = date

# (cell as written, doc_year, kind, start, end)
GOLDEN = [
    ("Quý II/2023", None, "range", D(2023, 4, 1), D(2023, 6, 30)),
    ("Quý IV năm 2023", None, "range", D(2023, 10, 1), D(2023, 12, 31)),
    ("Quý I năm  2023", None, "range", D(2023, 1, 1), D(2023, 3, 31)),
    ("Quý II\nnăm 2023", None, "range", D(2023, 4, 1), D(2023, 6, 30)),
    ("Quy IV/2023", None, "range", D(2023, 10, 1), D(2023, 12, 31)),
    ("Quý III-IV/2023", None, "range", D(2023, 7, 1), D(2023, 12, 31)),
    ("Tháng 6/2023", None, "range", D(2023, 6, 1), D(2023, 6, 30)),
    ("Tháng 6 năm 2023", None, "range", D(2023, 6, 1), D(2023, 6, 30)),
    ("tháng 11 năm 2025", None, "range", D(2025, 11, 1), D(2025, 11, 30)),
    ("Tháng 02/2026", None, "range", D(2026, 2, 1), D(2026, 2, 28)),
    ("Tháng\n12/2025.", None, "range", D(2025, 12, 1), D(2025, 12, 31)),
    ("Trước ngày 30/9/2023", None, "range", None, D(2023, 9, 30)),
    ("Trước 30 tháng 9 năm 2023", None, "range", None, D(2023, 9, 30)),
    ("Trước tháng 6 năm 2023", None, "range", None, D(2023, 5, 31)),
    ("Trước ngày 15/12/2023", None, "range", None, D(2023, 12, 15)),
    ("Trình UBTVQH xem xét, thông qua trước ngày 10/01/2025", None, "range", None, D(2025, 1, 10)),
    ("01 tháng 06 năm 2023", None, "date", D(2023, 6, 1), D(2023, 6, 1)),
    ("ngày 15/12/2023", None, "date", D(2023, 12, 15), D(2023, 12, 15)),
    ("Năm 2023", None, "range", D(2023, 1, 1), D(2023, 12, 31)),
    ("Năm  2023", None, "range", D(2023, 1, 1), D(2023, 12, 31)),
    ("Năm 2023 và theo tiến độ được phê duyệt", None, "range", D(2023, 1, 1), D(2023, 12, 31)),
    ("Năm 2025-2030", None, "range", D(2025, 1, 1), D(2030, 12, 31)),
    ("Giai đoạn 2026-2030", None, "range", D(2026, 1, 1), D(2030, 12, 31)),
    ("Giai\nđoạn 2026-2030 và những năm tiếp theo.", None, "range", D(2026, 1, 1), D(2030, 12, 31)),
    ("2025-2026", None, "range", D(2025, 1, 1), D(2026, 12, 31)),
    ("6 tháng đầu năm", 2024, "range", D(2024, 1, 1), D(2024, 6, 30)),
    ("6 tháng cuối năm", 2024, "range", D(2024, 7, 1), D(2024, 12, 31)),
    ("4 tháng cuối năm 2023", None, "range", D(2023, 9, 1), D(2023, 12, 31)),
    ("Thường xuyên", None, "ongoing", None, None),
    ("Thường\nxuyên.", None, "ongoing", None, None),
    ("Thường xuyên, theo yêu cầu nhiệm vụ", None, "ongoing", None, None),
    ("Hằng năm", None, "recurring", None, None),
    ("Hàng năm", None, "recurring", None, None),
    ("hằng tháng", None, "recurring", None, None),
    ("định kỳ", None, "recurring", None, None),
    ("Tháng 9-12/2023", None, "range", D(2023, 9, 1), D(2023, 12, 31)),
    ("Tháng 9 và tháng 12/2023", None, "range", D(2023, 9, 1), D(2023, 12, 31)),
    ("Tháng 9/2023 và tháng 12/2023", None, "range", D(2023, 9, 1), D(2023, 12, 31)),
    ("Từ 01/7/2025", None, "range", D(2025, 7, 1), None),
    ("Từ tháng 7 đến tháng 12/2025", None, "range", D(2025, 7, 1), D(2025, 12, 31)),
    ("đến hết ngày 28/02/2027", None, "range", None, D(2027, 2, 28)),
    ("Theo kế hoạch công tác tư pháp hàng năm.", None, "unknown", None, None),
    ("Theo Kế hoạch bồi dưỡng công chức, viên chức hàng năm.", None, "unknown", None, None),
    ("Tháng 6", 2023, "range", D(2023, 6, 1), D(2023, 6, 30)),
    ("Quý III", 2023, "range", D(2023, 7, 1), D(2023, 9, 30)),
    ("Quý II", None, "unknown", None, None),  # no year anywhere: not guessed
    ("trước ngày 30/9", 2023, "range", None, D(2023, 9, 30)),
    ("Bộ Nội vụ", 2023, "unknown", None, None),
    ("", None, "unknown", None, None),
    ("Tháng 13/2023", None, "unknown", None, None),
    ("- Trình UBTVQH cho ý kiến tại Phiên họp thứ 44 (tháng 4/2025); - Trình Quốc hội xem xét, "
     "thông qua tại Kỳ họp thứ 9 (tháng 5/2025)", None, "range", D(2025, 4, 1), D(2025, 5, 31)),
]


@pytest.mark.parametrize("cell, doc_year, kind, start, end", GOLDEN)
def test_parse_deadline_golden(cell, doc_year, kind, start, end):
    got = parse_deadline(cell, doc_year)
    assert (got.kind, got.start, got.end) == (kind, start, end)
    assert got.text == " ".join(cell.split())


def _tab_cells(name: str) -> list[str]:
    """Deadline-looking lines of a tab-indented seed plan (one cell per line)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    cells = (c.strip() for line in text.splitlines() for c in line.split("\t"))
    return [c for c in cells if re.match(r"(Năm|Quý|Tháng|Trước|Thường xuyên)\b", c) and len(c) < 60]


def test_seed_plan_deadline_cells_all_parse():
    cells = _tab_cells("000_708ce065672b0925.txt") + _tab_cells("001_ace935a932359564.txt")
    assert len(cells) >= 45
    parsed = [parse_deadline(c, 2023) for c in cells]
    assert all(p.kind != "unknown" for p in parsed), [p.text for p in parsed if p.kind == "unknown"]
    dated = [p for p in parsed if p.kind in ("range", "date")]
    assert all(p.end is not None and p.end.year == 2023 for p in dated)
    texts = {p.text: p for p in parsed}
    assert texts["Quý IV/2023"].start == D(2023, 10, 1)
    assert texts["Tháng 9/2023 và tháng 12/2023"].end == D(2023, 12, 31)


def test_decision_2629_deadline_column():
    text = (CORPUS / "qd-2629-2025-ttg.md").read_text(encoding="utf-8")
    cells = [squashed for c in text.split("|")
             if re.fullmatch(r"(Năm|Tháng) [0-9/-]+", squashed := " ".join(c.split()))]
    assert len(cells) >= 60
    for cell in cells:
        got = parse_deadline(cell)
        assert got.kind == "range" and 2025 <= got.start.year <= got.end.year <= 2030, cell


def test_find_deadlines_in_dispatch_220():
    text = (CORPUS / "cd-220-2025-ttg.md").read_text(encoding="utf-8")
    found = find_deadlines(text, 2025)
    november = [d for _, d in found if (d.start, d.end) == (D(2025, 11, 1), D(2025, 11, 30))]
    assert len(november) >= 3
    assert all(d.text.lower().startswith("trong") for d in november)
    monthly = [d for _, d in found if d.text.startswith("trước ngày 20 hằng")]
    assert monthly and monthly[0].kind == "recurring"
    # Issue dates of cited documents ("Nghị quyết số … ngày 26 tháng 3 năm 2025") are not deadlines.
    assert not any(d.text.lower().startswith("ngày") for _, d in found)


def test_find_deadlines_labels_and_triggers_in_plan_141():
    text = (CORPUS / "kh-141-2025-ubnd-bacninh.md").read_text(encoding="utf-8")
    by_text = {" ".join(d.text.split()): d for _, d in find_deadlines(text, 2025)}
    assert by_text["Tháng 12/2025"].end == D(2025, 12, 31)  # after "Thời gian thực hiện:"
    assert by_text["Từ 01/7/2025"] == Deadline("Từ\n01/7/2025", D(2025, 7, 1), None, "range")
    assert by_text["trong tháng 12/2025"].start == D(2025, 12, 1)
    assert by_text["Thường xuyên"].kind == "ongoing"
    assert by_text["Hằng năm"].kind == "recurring"
    assert not any(t.upper().startswith("TU") for t in by_text)  # "14-KH/TU ngày …" is a doc number


@pytest.mark.parametrize("prose, span_text, start, end", [
    ("hoàn thành trong tháng 11 năm 2025", "trong tháng 11 năm 2025", D(2025, 11, 1), D(2025, 11, 30)),
    ("trình Thủ tướng Chính phủ phê duyệt trong tháng 11 năm 2025.", "trong tháng 11 năm 2025",
     D(2025, 11, 1), D(2025, 11, 30)),
    ("báo cáo trong năm 2025", "trong năm 2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("gửi Bộ Tư pháp trước ngày 30/9/2024.", "trước ngày 30/9/2024", None, D(2024, 9, 30)),
    ("đơn vị xong trong tháng 12/2025.", "trong tháng 12/2025", D(2025, 12, 1), D(2025, 12, 31)),
    ("thực hiện từ ngày 01/7/2025", "từ ngày 01/7/2025", D(2025, 7, 1), None),
])
def test_find_deadlines_golden(prose, span_text, start, end):
    [(span, deadline)] = find_deadlines(prose, 2025)
    assert prose[span[0]:span[1]] == span_text == deadline.text
    assert (deadline.start, deadline.end) == (start, end)


def test_find_deadlines_skips_false_triggers():
    assert find_deadlines("Chính phủ điện tử giai đoạn 2019 - 2020", 2025) == []
    assert find_deadlines("Kế hoạch cải cách hành chính năm 2022 của Bộ Nội vụ", 2025) == []
    assert find_deadlines("vốn đầu tư năm 2025", 2025) == []
    assert find_deadlines("Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ", 2025) == []


TODAY = D(2025, 11, 23)


@pytest.mark.parametrize("question, period", [
    ("Những nhiệm vụ nào phải làm trong quý III/2023?", (D(2023, 7, 1), D(2023, 9, 30))),
    ("việc của quý 4 năm 2023", (D(2023, 10, 1), D(2023, 12, 31))),
    ("phải hoàn thành trong tháng 11 năm 2025?", (D(2025, 11, 1), D(2025, 11, 30))),
    ("Theo QĐ 2629, những nhiệm vụ nào phải xong trong tháng 12/2025?", (D(2025, 12, 1), D(2025, 12, 31))),
    ("việc gì hạn trước 30/9", (D(1, 1, 1), D(2025, 9, 30))),
    ("tháng này có việc gì", (D(2025, 11, 1), D(2025, 11, 30))),
    ("tháng sau có việc gì", (D(2025, 12, 1), D(2025, 12, 31))),
    ("quý này", (D(2025, 10, 1), D(2025, 12, 31))),
    ("quý sau", (D(2026, 1, 1), D(2026, 3, 31))),
    ("năm nay phải làm gì", (D(2025, 1, 1), D(2025, 12, 31))),
    ("nhiệm vụ năm 2023", (D(2023, 1, 1), D(2023, 12, 31))),
    ("nhung viec quy III/2023", (D(2023, 7, 1), D(2023, 9, 30))),
    ("hoan thanh trong thang 11 nam 2025", (D(2025, 11, 1), D(2025, 11, 30))),
    ("bao cao truoc 30/9", (D(1, 1, 1), D(2025, 9, 30))),
    ("Ai chủ trì xây dựng Luật An ninh dữ liệu?", None),
    ("Theo NĐ 26/2026/NĐ-CP, BCA chủ trì xây dựng hệ thống gì?", None),
    ("Công điện 220/CĐ-TTg giao ai?", None),
])
def test_parse_period(question, period):
    assert parse_period(question, TODAY) == period


def test_overlaps_rule():
    q4 = (D(2023, 10, 1), D(2023, 12, 31))
    assert overlaps(parse_deadline("Quý IV/2023"), *q4)
    assert overlaps(parse_deadline("Tháng 9/2023 và tháng 12/2023"), *q4)  # ends inside
    assert overlaps(parse_deadline("Trước ngày 15/12/2023"), *q4)
    assert overlaps(parse_deadline("Năm 2023"), *q4)  # a year-long task ends in Q4
    assert not overlaps(parse_deadline("Quý II/2023"), *q4)
    assert not overlaps(parse_deadline("Năm 2025-2030"), D(2025, 12, 1), D(2025, 12, 31))
    assert overlaps(parse_deadline("Từ 01/7/2025"), D(2025, 7, 1), D(2025, 7, 31))  # starts inside
    assert not overlaps(parse_deadline("Thường xuyên"), D(1, 1, 1), D.max)
    assert not overlaps(parse_deadline("Hằng năm"), D(1, 1, 1), D.max)
    assert overlaps(parse_deadline("01 tháng 06 năm 2023"), D(2023, 6, 1), D(2023, 6, 1))


# --- properties -------------------------------------------------------------------

_PIECES = st.sampled_from([
    "Quý", "quý", "II", "IV", "tháng", "Tháng", "năm", "ngày", "trước", "Trước", "từ", "đến", "hết",
    "trong", "hằng", "định kỳ", "Thường xuyên", "và", "-", "/", ",", "2023", "2025", "1900", "30", "9",
    "12", "0", "13", "31", "6 tháng đầu năm", "Giai đoạn", "\n", "  ", "**", "TƯ", "Bộ Nội vụ", "Theo",
])
_TEXT = st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=14).map(" ".join))
_YEARS = st.one_of(st.none(), st.integers(min_value=-5, max_value=10005))


@settings(max_examples=200, deadline=None)
@given(_TEXT, _YEARS)
def test_parse_deadline_never_raises_and_is_ordered(text, doc_year):
    got = parse_deadline(text, doc_year)
    assert got.kind in ("date", "range", "ongoing", "recurring", "unknown")
    if got.start and got.end:
        assert got.start <= got.end
    if got.kind in ("ongoing", "recurring", "unknown"):
        assert got.start is None and got.end is None


@settings(max_examples=200, deadline=None)
@given(_TEXT, _YEARS)
def test_find_deadlines_spans_are_exact(text, doc_year):
    last_end = 0
    for (a, b), deadline in find_deadlines(text, doc_year):
        assert last_end <= a < b <= len(text)
        assert text[a:b] == deadline.text
        if deadline.start and deadline.end:
            assert deadline.start <= deadline.end
        last_end = b


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.dates())
def test_parse_period_never_raises(text, today):
    period = parse_period(text, today)
    assert period is None or period[0] <= period[1]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fold_with_map_points_back(text):
    folded, idx = fold_with_map(text)
    assert len(idx) == len(folded) + 1 and idx[-1] == len(text)
    assert all(0 <= i < len(text) for i in idx[:-1]) and list(idx) == sorted(idx)
