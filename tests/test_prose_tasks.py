"""Prose task parser: golden values checked by hand against the bundled documents."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.prose_tasks import parse_prose_tasks
from ingest.readers import read_path
from ingest.types import Task

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@lru_cache(maxsize=None)
def _doc(name: str, year: int) -> tuple[str, tuple[Task, ...]]:
    text = read_path(CORPUS / name).text
    return text, parse_prose_tasks(text, year)


def _under(tasks: tuple[Task, ...], roman: str) -> list[Task]:
    return [t for t in tasks if t.section and t.section[0].startswith(roman + ". ")]


def _numbers(tasks: list[Task]) -> list[str]:
    return list(dict.fromkeys(t.number for t in sorted(tasks, key=lambda t: t.span)))  # in document order


def _leads(tasks: list[Task], number: str) -> list[tuple[str, ...]]:
    return [t.lead for t in tasks if t.number == number]


# ---------------------------------------------------------------- kh-141 (labelled items)

KH141 = "kh-141-2025-ubnd-bacninh.md"


def test_kh141_items_of_section_iii_and_iv():
    _, tasks = _doc(KH141, 2025)
    iii, iv = _under(tasks, "III"), _under(tasks, "IV")
    assert _numbers(iii) == [str(n) for n in range(1, 10)]
    assert all(t.section == ("III. NHIỆM VỤ, GIẢI PHÁP",) for t in iii)
    assert _numbers(iv) == [str(n) for n in range(1, 7)]
    # MỤC ĐÍCH, YÊU CẦU and MỤC TIÊU CHỦ YẾU are objectives, not tasks.
    assert len(tasks) == len(iii) + len(iv)
    # Item 4 has three bulleted sub-tasks, each with its own labels; item 7 has four.
    assert len([t for t in iii if t.number == "4"]) == 3
    assert len([t for t in iii if t.number == "7"]) == 4


def test_kh141_item6_labels():
    _, tasks = _doc(KH141, 2025)
    (item6,) = [t for t in _under(tasks, "III") if t.number == "6"]
    assert item6.lead == ("Các cơ quan, đơn vị theo quy định",)
    assert item6.coordinate == ("Sở Tài chính", "Sở Tư pháp")
    assert item6.deadline is not None and item6.deadline.text.startswith("Từ 01/7/2025")
    assert item6.description.startswith("Thực hiện chính sách đặc thù, vượt trội")
    assert "Nghị quyết số 197/2025/QH15" in item6.description


def test_kh141_item4_subtasks_have_their_own_leads():
    _, tasks = _doc(KH141, 2025)
    subtasks = [t for t in _under(tasks, "III") if t.number == "4"]
    assert "UBND cấp xã" in " ".join(subtasks[0].lead)
    assert subtasks[1].lead == ("Sở Tư pháp",)
    assert subtasks[2].lead == ("Sở Nội vụ",)
    assert subtasks[2].deadline.text == "Theo Kế hoạch bồi dưỡng công chức, viên chức hàng năm"
    # Every sub-task keeps the item heading in its description.
    assert all(t.description.startswith("Nâng cao phẩm chất, năng lực") for t in subtasks)
    assert "Tổ chức tập huấn" in subtasks[1].description
    assert "Tổ chức tập huấn" not in subtasks[2].description


def test_kh141_leads_by_item():
    _, tasks = _doc(KH141, 2025)
    iii = _under(tasks, "III")
    assert ("Sở Khoa học và Công nghệ",) in _leads(iii, "7")
    (item8,) = [t for t in iii if t.number == "8"]
    assert item8.lead == ("Sở Tư pháp",) and item8.deadline.text == "Hằng năm"
    for number in ("4", "7", "8", "9"):
        assert any("Sở Tư pháp" in lead for lead in _leads(iii, number)), number
    for number in ("1", "2", "3", "6"):
        assert not any("Sở Tư pháp" in lead for lead in _leads(iii, number)), number
    ra_mat = next(t for t in iii if "Ra mắt AI pháp luật" in t.description)
    assert ra_mat.lead == ("Sở Khoa học và Công nghệ",) and ra_mat.deadline.text == "Tháng 12/2025"


def test_kh141_section_iv_agency_headed():
    _, tasks = _doc(KH141, 2025)
    iv = {t.number: t for t in _under(tasks, "IV")}
    assert iv["2"].lead == ("Sở Tài chính",)
    assert "UBND cấp xã" in iv["2"].coordinate
    assert iv["3"].lead == ("Sở Nội vụ",)
    assert iv["5"].lead == ("UBND các xã, phường",)
    assert iv["6"].lead == ("Sở Tư pháp",)  # "Giao Sở Tư pháp theo dõi, đôn đốc …"
    assert "tháng 12/2025" in iv["1"].deadline.text


def test_kh141_spans_cover_items():
    text, tasks = _doc(KH141, 2025)
    first = [t for t in _under(tasks, "III") if t.number == "7"][0]
    quoted = text[first.span[0]:first.span[1]]
    assert "7. Đẩy mạnh" in quoted and "Sở Khoa học và Công nghệ" in quoted
    later = [t for t in _under(tasks, "III") if t.number == "7"][1]
    assert text[later.span[0]:later.span[1]].startswith("- Ra mắt AI pháp luật")
    assert "Nơi nhận" not in text[_under(tasks, "IV")[-1].span[0]:_under(tasks, "IV")[-1].span[1]]


# ---------------------------------------------------------------- cd-220 (agency-headed)

CD220 = "cd-220-2025-ttg.md"
CHAIRS = "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố"


def test_cd220_numbering():
    _, tasks = _doc(CD220, 2025)
    assert _numbers(_under(tasks, "I")) == ["1", "2", "3"]
    # II.2 assigns work agency by agency: a) to the ministers, b) to four ministries in (1)–(4).
    assert _numbers(_under(tasks, "II")) == ["1", "2.a", "2.b(1)", "2.b(2)", "2.b(3)", "2.b(4)", "3"]
    assert _numbers(_under(tasks, "III")) == ["1", "2"]
    assert len(tasks) == 12  # nothing from the appendices, footnotes or the page footer


def test_cd220_leads_and_deadlines():
    _, tasks = _doc(CD220, 2025)
    by = {(t.section[0].split(".")[0], t.number): t for t in tasks}
    assert "tháng 11 năm 2025" in by["I", "3"].deadline.text
    assert by["I", "3"].lead == ("Bộ trưởng Bộ Công Thương",)
    assert by["III", "2"].lead == ("Văn phòng Chính phủ",)
    assert "20 hằng tháng" in by["III", "2"].deadline.text
    for key in (("I", "2"), ("II", "1"), ("II", "3"), ("III", "1")):
        assert CHAIRS in " ".join(by[key].lead), key
    for key in (("I", "1"), ("I", "3"), ("II", "2.a"), ("III", "2")):
        assert CHAIRS not in " ".join(by[key].lead), key
    # Of several deadlines in II.1 (b: trong năm 2025, c: trong tháng 11 năm 2025), the narrowest.
    assert "tháng 11 năm 2025" in by["II", "1"].deadline.text
    # A bracketed part takes its doer from its own text and the deadline of its lettered point.
    assert by["II", "2.b(2)"].lead == ("Bộ Y tế",) and "tháng 11 năm 2025" in by["II", "2.b(2)"].deadline.text
    assert by["II", "2.a"].lead == ("Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ",)
    assert by["I", "2"].deadline.text == "trong năm 2025"


def test_cd220_points_belong_to_their_item():
    text, tasks = _doc(CD220, 2025)
    parts = [t for t in _under(tasks, "II") if t.number.startswith("2.")]
    assert "03 vấn đề tồn đọng" in parts[1].description and parts[-1].description.startswith("(4) Bộ Nội vụ")
    assert "[10]" not in next(t for t in _under(tasks, "I") if t.number == "1").description
    assert text[parts[0].span[0]:parts[0].span[1]].startswith("2. Bộ trưởng các Bộ")  # the first part holds the heading
    assert text[parts[-1].span[0]:parts[-1].span[1]].endswith("TTHC cấp bộ, cấp tỉnh.")
    assert all(p.section[-1].startswith("2. Bộ trưởng các Bộ") for p in parts)
    iii2 = next(t for t in _under(tasks, "III") if t.number == "2")
    assert "Đây là nhiệm vụ rất quan trọng" not in iii2.description  # the closing paragraph


# ---------------------------------------------------------------- kh-bmnn (PDF, N.M items)

BMNN = "kh-bmnn-2024-ubnd-bimson.pdf"


def test_bmnn_sub_items():
    _, tasks = _doc(BMNN, 2024)
    sub = [t for t in tasks if "." in t.number]
    assert [t.number for t in sub] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert all(t.section == ("II. NỘI DUNG KHẮC PHỤC",
                             "2. Nội dung hạn chế, biện pháp khắc phục và thời gian thực hiện") for t in sub)
    by = {t.number: t for t in sub}
    assert "Văn phòng HĐND&UBND thị xã" in by["2.1"].lead
    assert by["2.1"].deadline.text == "Đã khắc phục xong từ tháng 6/2024"
    # "Giao phòng có cá nhân vi phạm (cụ thể phòng Nội vụ, Thanh tra thị xã) chủ trì, …
    #  đồng thời phối hợp với Công an thị xã": both named offices lead, Công an coordinates.
    assert "phòng Nội vụ" in by["2.4"].lead and "Thanh tra thị xã" in by["2.4"].lead
    assert by["2.4"].coordinate == ("Công an thị xã",)
    assert "phòng Nội vụ UBND thị xã" in " ".join(by["2.6"].lead)
    # The page number "5" printed inside 2.4 does not cut the item.
    assert "Tham mưu, đề xuất nguồn kinh phí" in by["2.4"].description


def test_bmnn_section_iii_duplicate_numbers():
    text, tasks = _doc(BMNN, 2024)
    iii = _under(tasks, "III")
    assert [t.number for t in iii] == ["1", "2", "2"]
    assert iii[1].lead == ("phòng Tài chính – Kế hoạch",)
    assert iii[2].lead == ("Văn phòng HĐND&UBND thị xã",)
    assert iii[2].deadline.text == "trước 30/9/2024"
    assert not _under(tasks, "I")  # MỤC ĐÍCH, YÊU CẦU


# ---------------------------------------------------------------- seeds (plain text)


def test_seed_cong_van_numbered_paragraphs():
    name = next(p.name for p in CORPUS.glob("002_*.txt"))
    text, tasks = _doc(name, 2023)
    assert [t.number for t in tasks] == ["1", "2", "3", "4", "5"]
    by = {t.number: t for t in tasks}
    assert by["3"].lead == ("Các bộ, ngành, địa phương", "các thành viên Ban Chỉ đạo")
    assert by["4"].lead == ("Các bộ, ngành, địa phương",)
    # Item 1 names no doer: it inherits the addressees of "… đề nghị X thực hiện … sau đây:".
    assert "các thành viên Ban Chỉ đạo" in by["1"].lead
    assert "Bộ Nội vụ đề nghị" not in by["5"].description  # closing paragraph left out
    assert text[by["1"].span[0]:].startswith("1. Tiếp tục đẩy mạnh")


def test_seed_plan_organisation_section():
    name = next(p.name for p in CORPUS.glob("000_*.txt"))
    text, tasks = _doc(name, 2023)
    iii = [t for t in tasks if t.section == ("III. TỔ CHỨC THỰC HIỆN",)]
    assert [t.number for t in iii] == ["1", "2"]
    assert iii[0].lead == ("Bộ Nội vụ",) and iii[0].coordinate == ("Bộ Tài chính",)
    assert "Đôn đốc các thành viên Ban Chỉ đạo" in iii[0].description
    assert iii[1].lead == ("Các thành viên Ban Chỉ đạo",)


def test_skip_spans_are_respected():
    name = next(p.name for p in CORPUS.glob("000_*.txt"))
    text = read_path(CORPUS / name).text
    table_start, table_end = text.index("II. NỘI DUNG TRIỂN KHAI"), text.index("III. TỔ CHỨC THỰC HIỆN")
    tasks = parse_prose_tasks(text, 2023, skip=((table_start, table_end),))
    assert [t.number for t in tasks] == ["1", "2"]
    assert all(not (table_start <= t.span[0] < table_end) for t in tasks)


# ---------------------------------------------------------------- small synthetic layouts


def test_plain_labels_and_legal_articles():
    text = (
        "II. NHIỆM VỤ\n1. Xây dựng cơ sở dữ liệu\n- Chủ trì: Sở Tư pháp\n- Phối hợp: Công an tỉnh\n"
        "- Thời hạn: Quý II/2026\n- Sản phẩm: Cơ sở dữ liệu\n"
        "Điều 2. Quyết định này có hiệu lực\n1. Sở Nội vụ chủ trì thực hiện.\n"
    )
    (task,) = parse_prose_tasks(text, 2026)
    assert (task.number, task.lead, task.coordinate) == ("1", ("Sở Tư pháp",), ("Công an tỉnh",))
    assert task.deadline.text == "Quý II/2026" and task.product == "Cơ sở dữ liệu"


def test_sub_items_inherit_the_parent_doer():
    text = (
        "III. NHIỆM VỤ\n1. Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ:\n"
        "1.1. Rà soát văn bản quy phạm pháp luật.\n1.2. Tổ chức tập huấn trong quý III/2026.\n"
        "2. Mục tiêu cụ thể\n2.1. Bộ Tư pháp hoàn thành.\n"
    )
    tasks = parse_prose_tasks(text, 2026)
    assert [t.number for t in tasks] == ["1.1", "1.2"]
    assert all(t.lead == ("Sở Tư pháp",) for t in tasks)
    assert tasks[0].section == ("III. NHIỆM VỤ", "1. Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ")
    assert tasks[1].deadline.text == "trong quý III/2026" and tasks[1].deadline.end.month == 9


def test_objectives_and_preamble_are_not_tasks():
    text = "I. MỤC TIÊU\n1. Sở Tư pháp hoàn thành.\nII. QUAN ĐIỂM\n1. Bộ Tư pháp chủ trì.\n"
    assert parse_prose_tasks(text) == ()


# ---------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(list("12.3)a- *\n\t|:;,IVXđĐơ") + [
    "1. ", "2.1. ", "\n- ", "Giao ", "Sở Tư pháp ", "chủ trì", "phối hợp với ", "Đơn vị chủ trì: ",
    "Thời gian thực hiện: ", "trong tháng 11 năm 2025", "III. NHIỆM VỤ\n", "Nơi nhận:", "**", "(cụ thể ",
])
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.integers(0, 300), st.integers(0, 80)), max_size=3))
def test_never_raises_and_spans_are_sane(text, raw_skip):
    skip = tuple((a, a + n) for a, n in raw_skip)
    tasks = parse_prose_tasks(text, 2025, skip)
    for task in tasks:
        a, b = task.span
        assert 0 <= a < b <= len(text)
        assert not any(s <= a < e for s, e in skip)
        assert task.number and task.number[0].isdigit()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode(text):
    for task in parse_prose_tasks(text):
        assert 0 <= task.span[0] < task.span[1] <= len(text)


@pytest.mark.parametrize("name", [KH141, CD220])
def test_spans_quote_the_first_words(name):
    text, tasks = _doc(name, 2025)
    firsts = {}
    for task in tasks:
        firsts.setdefault((task.section, task.number), task)
    for task in firsts.values():
        head = task.description.split()[0].strip(",.")
        assert head in text[task.span[0]:task.span[1]]
