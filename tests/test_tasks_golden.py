"""Golden tests on the bundled real documents: every task of the two seed plans,
the layouts of the samples (pipe-line appendix, broken markdown, docx step
tables, pdf appendix), and every task id the example question sets use."""
from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.readers import read_path
from ingest.tasks import parse_tasks
from ingest.text import key

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"


@lru_cache(maxsize=None)
def _parsed(name: str):
    read = read_path(CORPUS / name)
    return read.text, parse_tasks(read.text, read.tables, None)


def _tasks(name: str) -> dict:
    """number -> the first task with that number; a repeated number's rows carry an ordinal
    ("III.7(2)") and the first of them answers for the number as written too."""
    out: dict = {}
    for t in _parsed(name)[1]:
        number = t.number
        while number:  # "II.2.b(1)" answers for "II.2.b" and "II.2" as the scorer reads them
            out.setdefault(number, t)
            shorter = re.sub(r"(?:\(\w+\)|\.[a-zđ])$", "", number)
            number = shorter if shorter != number else ""
    return out


# ---------------------------------------------------------------- seeds, every task


@pytest.mark.parametrize("golden", ["tasks_000.json", "tasks_001.json"])
def test_seed_plans_every_task(golden):
    expected = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    got = [t for t in _parsed(expected["source"])[1] if "." not in t.number]
    assert [t.number for t in got] == [e["number"] for e in expected["tasks"]]
    for task, exp in zip(got, expected["tasks"]):
        assert list(task.lead) == exp["lead"], task.number
        assert list(task.coordinate) == exp["coordinate"], task.number
        assert (task.deadline.text if task.deadline else None) == exp["deadline"], task.number
        assert task.description.startswith(exp["description_start"]), task.number


def test_seed_000_named_cases():
    tasks = _tasks("000_708ce065672b0925.txt")
    assert tasks["35"].lead == ("Các bộ, ngành, địa phương",)
    assert tasks["35"].coordinate == ("Văn phòng Chính phủ",)
    assert tasks["35"].deadline.text == "01 tháng 06 năm 2023"
    assert tasks["39"].lead == ("Bộ Công an", "Văn phòng Chính phủ")
    assert tasks["28"].deadline.text == "Năm 2023" and tasks["28"].lead == ("Các bộ, ngành",)
    assert tasks["46"].section == (
        "B. XÂY DỰNG THỂ CHẾ, CHÍNH SÁCH VÀ TỔ CHỨC TRIỂN KHAI THỰC HIỆN",
        "VI. VỀ XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ",
    )
    assert tasks["28"].section[-1] == "V. VỀ CẢI CÁCH TÀI CHÍNH CÔNG"  # "[bookmark: _GoBack]" gone
    assert tasks["1"].section == ("A. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",)


def test_seed_001_page_break_continuations():
    tasks = _tasks("001_ace935a932359564.txt")
    assert tasks["5"].coordinate[-1] == "Cơ quan thường trực Tổ công tác"
    assert tasks["5"].description.endswith("tại các bộ, địa phương được phân công theo dõi chỉ đạo, đôn đốc.")
    assert tasks["3"].product.endswith("Báo cáo tổng hợp tình hình, kết quả tiếp nhận.")
    assert tasks["12"].product == "Kế hoạch hoạt động năm 2024 của Tổ công tác."


# ---------------------------------------------------------------- samples and formats


def test_qd_2629_appendix_ii():
    text, all_tasks = _parsed("qd-2629-2025-ttg.md")
    table = [t for t in all_tasks if t.section and t.section[0][:1] in "IVX"]
    per_section = Counter(t.number.split(".")[0] for t in table)
    assert per_section == {"I": 14, "II": 4, "III": 32, "IV": 7, "V": 4, "VI": 7,
                           "VII": 3, "VIII": 2, "IX": 2}
    tasks = _tasks("qd-2629-2025-ttg.md")
    assert tasks["I.3"].lead == ("Bộ Công an",)
    assert tasks["I.2"].coordinate[:2] == ("Bộ Công an", "Bộ Quốc phòng")
    assert tasks["I.10"].deadline.text == "Tháng 3/2026"
    assert tasks["IV.6"].lead == ("Ban Cơ yếu Chính phủ",)
    assert "Cổng dữ liệu quốc gia" in tasks["III.14"].description
    assert tasks["III.14"].deadline.text == "Năm 2025-2026"
    assert "blockchain" in tasks["III.18"].description and tasks["III.18"].lead == ("Bộ Công an",)
    assert tasks["III.14"].section[0] == "III. Phát triển các ứng dụng, nền tảng số cho Chính phủ số"
    assert tasks["IX.2"].deadline.text == "Năm 2025-2030"  # not the web page after the table
    assert not any("%" == (t.product or "") for t in all_tasks)  # PHỤ LỤC I is not a task table


NQ_1339_DRAFTERS = [
    ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Quốc hội", "Ban soạn thảo do UBTVQH thành lập"),
    ("Nghị quyết số 71/2022/QH15", "Ban soạn thảo do UBTVQH thành lập"),
    ("giải thể Viện Nghiên cứu lập pháp", "Ban Công tác đại biểu"),
    ("Nghị quyết số 1156/2016/UBTVQH13", "Ban Dân nguyện"),
    ("Nghị quyết số 22/2022/UBTVQH15", "Văn phòng Quốc hội"),
    ("Nghị quyết số 32/2023/UBTVQH15", "Tổng Thư ký Quốc hội"),
    ("Nghị quyết số 29/2022/QH15", "Tổng Thư ký Quốc hội"),
    ("Nghị quyết số 283/2021/NQ-UBTVQH15", "Ban Công tác đại biểu"),
    ("Nghị quyết số 730/2004/NQ-UBTVQH11", "Ban Công tác đại biểu"),
    ("Nghị quyết số 44/2024/UBTVQH15", "Ban Công tác đại biểu"),
    ("Quy chế hoạt động đối ngoại của Quốc hội", "Ủy ban Đối ngoại"),
]


def test_nq_1339_each_document_has_its_drafter():
    tasks = [t for t in _parsed("nq-1339-2024-ubtvqh15.md")[1] if t.extra]
    assert len(tasks) == len(NQ_1339_DRAFTERS)
    for task, (title, drafter) in zip(tasks, NQ_1339_DRAFTERS):
        assert title in task.description
        assert task.lead and task.lead[0].startswith(drafter), (title, task.lead)
    by_title = {t.description[:60]: t for t in tasks}
    assert [t.number for t in tasks] == [str(i) for i in range(1, 12)]
    thi_dua = next(t for t in by_title.values() if "44/2024" in t.description)
    assert thi_dua.coordinate == ("Văn phòng Quốc hội",)
    law = tasks[0]
    assert "Kỳ họp bất thường lần thứ 9" in law.deadline.text
    assert dict(law.extra)["Cơ quan trình"] == "Ủy ban Thường vụ Quốc hội"


def test_docx_step_tables():
    tasks = _tasks("qt-tthc-hhnh-2026-ubnd-laocai.docx")
    expected = {f"{s}.{n}" for s in ("I", "II", "III") for n in range(1, 12)}
    assert expected <= set(tasks)
    assert tasks["I.3"].deadline.text == "2 ngày" and tasks["I.1"].deadline.text == "1 giờ"
    assert "Lãnh đạo UBND tỉnh" in tasks["I.7"].lead
    assert "Chuyên viên UBND tỉnh" in tasks["I.7"].lead
    assert "Công chức phòng QLCN" in tasks["III.9"].lead
    assert tasks["III.9"].deadline.text == "0,5 giờ"
    assert tasks["II.1"].section == ("II. TTHC CÓ CÙNG THỜI GIAN GIẢI QUYẾT 03 NGÀY LÀM VIỆC",)
    assert not any("Tổng thời gian" in t.description for t in tasks.values())


def test_pdf_appendix_rows_with_merged_cells():
    tasks = _tasks("qd-1696-2026-ubnd-laocai.pdf")
    one, two = dict(tasks["I.1"].extra), dict(tasks["II.1"].extra)
    assert one["MÃ TTHC"] == "1.014967; 1.014968; 1.014969"
    assert "15/2026/TT-BCT" in one["CĂN CỨ PHÁP LÝ"]
    assert two["MÃ TTHC"] == "2.000140; 2.000066"
    assert two["TÊN TTHC"] == "Cấp chứng chỉ kiểm định viên; Cấp lại chứng chỉ kiểm định viên"


# ---------------------------------------------------------------- ids the question sets use

TABLE_IDS = {
    "000_708ce065672b0925.txt": ["2", "3", "5", "9", "17", "20", "23", "25", "26", "27", "31", "32",
                                 "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44"],
    "001_ace935a932359564.txt": ["2", "3", "5", "7", "8", "9", "10", "11", "12", "13"],
    "qd-2629-2025-ttg.md": ["I.1", "I.2", "I.3", "I.10", "III.3", "III.5", "III.6", "III.7",
                            "III.11", "III.12", "III.14", "III.18", "IV.6"],
    "qt-tthc-hhnh-2026-ubnd-laocai.docx": ["I.1", "I.3", "I.7", "III.9"],
    "qd-1696-2026-ubnd-laocai.pdf": ["I.1", "II.1"],
}
PROSE_IDS = {
    "kh-141-2025-ubnd-bacninh.md": ["III.4", "III.6", "III.7", "III.8", "III.9"],
    "cd-220-2025-ttg.md": ["I.2", "I.3", "II.1", "II.2", "II.3", "III.1", "III.2"],
    "kh-bmnn-2024-ubnd-bimson.pdf": ["II.2.1", "II.2.4"],
}


@pytest.mark.parametrize("name", sorted(TABLE_IDS))
def test_question_task_ids_exist_in_table_documents(name):
    assert set(TABLE_IDS[name]) <= set(_tasks(name))


@pytest.mark.skipif(importlib.util.find_spec("ingest.prose_tasks") is None,
                    reason="ingest.prose_tasks not written yet")
@pytest.mark.parametrize("name", sorted(PROSE_IDS))
def test_question_task_ids_exist_in_prose_documents(name):
    assert set(PROSE_IDS[name]) <= set(_tasks(name))


# ---------------------------------------------------------------- every task of every document


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()))
def test_every_task_is_well_formed(name):
    text, tasks = _parsed(name)
    for t in tasks:
        assert 0 <= t.span[0] < t.span[1] <= len(text), t.number
        assert all(a.strip() for a in t.lead + t.coordinate), t.number
        assert t.number and t.description


@pytest.mark.parametrize("name", sorted(TABLE_IDS) + ["nq-1339-2024-ubtvqh15.md"])
def test_table_task_spans_show_their_row(name):
    # Prose sub-tasks share their item's description but span only their bullet,
    # so this holds for table rows (a row's span covers all its cells).
    text, tasks = _parsed(name)
    for t in tasks:
        if t.extra or t.deadline is not None or t.lead:
            assert key(t.description)[:30] in key(text[t.span[0]:t.span[1]]), t.number


@pytest.mark.parametrize("name", ["000_708ce065672b0925.txt", "001_ace935a932359564.txt",
                                  "qd-2629-2025-ttg.md", "qt-tthc-hhnh-2026-ubnd-laocai.docx",
                                  "qd-1696-2026-ubnd-laocai.pdf", "nq-1339-2024-ubtvqh15.md"])
def test_table_task_ids_are_unique(name):
    numbers = [t.number for t in _parsed(name)[1]]
    assert len(numbers) == len(set(numbers)), Counter(numbers).most_common(3)
