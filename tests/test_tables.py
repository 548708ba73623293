"""Task-table parsing: column roles, each text layout, reader tables, ragged rows,
number qualification, and a property test that parse_tasks never fails."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.tables import columns as C
from ingest.tables import table_drafts
from ingest.tables.align import align
from ingest.tables.grid import Column
from ingest.tasks import parse_tasks, roman_of
from ingest.text import key
from ingest.types import Cell, Table, Task

# ---------------------------------------------------------------- column roles


def test_column_roles_generalise_over_header_wordings():
    cases = {
        "TT": C.NUMBER, "STT": C.NUMBER, "Stt": C.NUMBER, "Số TT": C.NUMBER,
        "Thứ tự các bước": C.NUMBER,
        "Nhiệm vụ": C.DESCRIPTION, "Nội dung công việc": C.DESCRIPTION,
        "Tên văn bản": C.DESCRIPTION, "**Nhiệm vụ, giải\npháp**": C.DESCRIPTION,
        "NỘI DUNG NHIỆM VỤ ỦY QUYỀN": C.DESCRIPTION,
        "Cơ quan chủ trì": C.LEAD, "Chủ trì thực hiện": C.LEAD, "Cơ quan thực hiện": C.LEAD,
        "Đơn vị chủ trì": C.LEAD, "Cơ quan soạn thảo": C.LEAD, "Đơn vị/cá nhân thực hiện": C.LEAD,
        "Cơ quan\nphối hợp": C.COORDINATE, "Phối hợp thực hiện": C.COORDINATE,
        "Thời gian": C.DEADLINE, "Thời hạn": C.DEADLINE, "Tiến độ": C.DEADLINE,
        "Thời gian thực hiện / (tính theo ngày, giờ làm việc)": C.DEADLINE,
        "Thời gian hoàn thành": C.DEADLINE,
        "Sản phẩm": C.PRODUCT, "Kết quả": C.PRODUCT, "Hồ sơ": C.PRODUCT,
        "Cơ quan trình": C.OTHER, "Căn cứ pháp lý": C.OTHER, "Mã TTHC": C.OTHER, "": C.OTHER,
    }
    for header, role in cases.items():
        assert C.column_role(header) == role, header


def test_statistics_and_target_tables_are_not_task_tables():
    assert C.header_roles(["STT", "Bộ, ngành", "Số TTHC", "Tỷ lệ (%)"]) is None
    assert C.header_roles(["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi"]) is None
    # A data row is never a header, even when its cells contain header words.
    assert C.header_roles(["1", "Nội dung nhiệm vụ", "Bộ Nội vụ", "Năm 2023"]) is None
    assert C.header_roles(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]) == [
        C.NUMBER, C.DESCRIPTION, C.LEAD, C.DEADLINE]


def test_numbers_and_section_labels():
    assert C.number_of("12. ") == "12" and C.number_of("Bước 3") == "3"
    assert C.number_of("  Bước 6") == "6" and C.number_of("2.1.") == "2.1"
    assert C.number_of("Năm 2023") is None and C.number_of("2023") is None
    assert C.roman_label("III. NHIỆM VỤ, GIẢI PHÁP") == "III"
    assert C.roman_label("**IV**") == "IV" and C.roman_label("I Hoàn thiện thể chế") == "I"
    assert C.roman_label("III.1. Nhóm ứng dụng") is None
    assert C.roman_label("VIỆC TRIỂN KHAI") is None and C.roman_label("C. Nhiệm vụ") is None
    assert roman_of(("B. XÂY DỰNG", "VI. VỀ CHÍNH PHỦ SỐ")) == "VI"
    assert roman_of(("III. Phát triển", "III.1. Nhóm", "III.1.1. Nhóm con")) == "III"
    assert [C.section_level(x) for x in ("A.", "II", "III.1", "III.1.1")] == [0, 1, 2, 3]


def test_agency_cells_lose_footnotes_and_reader_paragraph_joins():
    assert C.clean_agency("Ủy ban Đối ngoại [3]") == "Ủy ban Đối ngoại"
    assert C.clean_agency("Văn thư / Văn phòng / UBND tỉnh") == "Văn thư Văn phòng UBND tỉnh"
    assert C.clean_agency("- Lãnh đạo UBND tỉnh; / - Chuyên viên") == "- Lãnh đạo UBND tỉnh;\n- Chuyên viên"


def test_ragged_row_skips_the_column_its_content_does_not_fit():
    cols = [Column(n, C.column_role(n)) for n in (
        "TT", "Tên văn bản", "Cơ quan trình", "Cơ quan soạn thảo",
        "Cơ quan thẩm tra/chuẩn bị ý kiến", "Tiến độ", "Hồ sơ")]
    cells = ["Nghị quyết về việc giải thể Viện Nghiên cứu lập pháp", "Ban Công tác đại biểu",
             "Ban Công tác đại biểu (Viện phối hợp)", "Trình UBTVQH trước ngày 10/01/2025", "- Hồ sơ"]
    assert align(cells, cols) == {0: 1, 1: 2, 2: 3, 3: 5, 4: 6}


# ---------------------------------------------------------------- text layouts


def _by_number(tasks) -> dict[str, Task]:
    return {t.number: t for t in tasks}


CELL_LINES = (
    "II. NỘI DUNG\n\n\tTT\n\tNhiệm vụ\n\tThời gian\n\tCơ quan thực hiện\n\tCơ quan\nphối hợp\n\n"
    "\t[bookmark: _GoBack]A. CÔNG TÁC CHỈ ĐẠO\n\n\t1. \n\tTriển khai kế hoạch A.\n\tQuý II\nnăm 2023\n"
    "\tBộ Công an, \nVăn phòng Chính phủ\n\n\tCác bộ, ngành\n\n"
    "\tI. NHÓM CHUNG\n\n\t2. \n\tRà soát văn bản B.\n\tNăm 2023\n\n\tBộ Tư pháp\n\tBộ Nội vụ\n\n\n"
    "III. TỔ CHỨC THỰC HIỆN\nBộ Nội vụ theo dõi.\n"
)


def test_one_cell_per_tab_line_layout():
    tasks = _by_number(parse_tasks(CELL_LINES))
    one, two = tasks["1"], tasks["2"]
    assert one.lead == ("Bộ Công an", "Văn phòng Chính phủ")
    assert one.deadline.text == "Quý II năm 2023" and one.coordinate == ("Các bộ, ngành",)
    assert one.section == ("A. CÔNG TÁC CHỈ ĐẠO",)
    assert two.section == ("A. CÔNG TÁC CHỈ ĐẠO", "I. NHÓM CHUNG")
    assert two.lead == ("Bộ Tư pháp",) and two.coordinate == ("Bộ Nội vụ",)


TSV = (
    "Stt\tNhiệm vụ\tChủ trì thực hiện\tPhối hợp thực hiện\tThời gian thực hiện\tSản phẩm\n"
    "1.\tChỉ đạo việc triển khai dịch vụ công\tTừng thành viên Tổ công tác\t"
    "Các bộ, ngành, địa phương; Cơ quan thường\tQuý IV/2023\t- Dịch vụ công được cung cấp.\n\n"
    "Stt\tNhiệm vụ\tChủ trì thực hiện\tPhối hợp thực hiện\tThời gian thực hiện\tSản phẩm\n"
    "\ttại các bộ, địa phương.\t\ttrực Tổ công tác\t\t- Các buổi làm việc.\n"
    "2.\tXây dựng Kế hoạch năm 2024.\tCơ quan thường trực Tổ công tác\tCác bộ\tTháng 12/2023\tKế hoạch.\n"
)


def test_tsv_rows_continue_after_a_repeated_header():
    tasks = parse_tasks(TSV)
    assert [t.number for t in tasks] == ["1", "2"]
    first = tasks[0]
    assert first.coordinate[-1] == "Cơ quan thường trực Tổ công tác"
    assert first.description.endswith("dịch vụ công tại các bộ, địa phương.")
    assert first.product == "- Dịch vụ công được cung cấp. - Các buổi làm việc."
    assert TSV[first.span[0]:first.span[1]].endswith("- Các buổi làm việc.")


PIPE_LINES = (
    "**PHỤ LỤC II**\nDANH MỤC NHIỆM VỤ\n|\n**TT**\n|\n**Nhiệm vụ, giải\npháp**\n|\n"
    "**Cơ quan chủ trì**\n|\n**Cơ quan phối hợp**\n|\n**Kết quả**\n|\n**Thời gian thực\nhiện**\n|\n|\n"
    "**I**\n|\n**Hoàn thiện thể chế**\n|\n|\n1\n|\nXây dựng Luật A.\n|\nBộ Công an\n|\n"
    "Bộ Khoa học và\nCông nghệ\n|\nTrình Quốc hội\n|\nTháng 12/2026\n|\n|\n"
    "**II**\n|\n**Hạ tầng**\n|\n|\n**II.1**\n|\n**Nhóm con**\n|\n|\n*II.1.1*\n|\n*Nhóm cháu*\n|\n|\n"
    "1\n|\nXây dựng Nền tảng B.\n|\nBan Cơ yếu Chính phủ\n|\nCác bộ\n|\nHoàn thành\n|\nNăm 2025-2026\n|\n"
    "Trang web: nội dung khác\n|\n|\n"
)


def test_pipe_line_layout_with_sections_and_subgroups():
    tasks = _by_number(parse_tasks(PIPE_LINES))
    assert set(tasks) == {"I.1", "II.1"}
    assert tasks["I.1"].lead == ("Bộ Công an",)
    assert tasks["I.1"].coordinate == ("Bộ Khoa học và Công nghệ",)
    assert tasks["I.1"].product == "Trình Quốc hội"
    assert tasks["II.1"].section == ("II. Hạ tầng", "II.1. Nhóm con", "II.1.1. Nhóm cháu")
    assert tasks["II.1"].deadline.text == "Năm 2025-2026"  # the trailing junk cell is dropped
    assert "Trang web" not in PIPE_LINES[slice(*tasks["II.1"].span)]


BROKEN_MARKDOWN = (
    "| TT | Tên văn bản | Cơ quan trình | Cơ quan soạn thảo | Cơ quan thẩm tra | Tiến độ | Hồ sơ | |\n"
    "|\n| I. Văn bản của Quốc hội |\n| |||||\n"
    "| | Luật sửa đổi Luật A | Ủy ban Thường vụ Quốc hội | Ban soạn thảo do UBTVQH thành lập\n"
    "| - Ủy ban Pháp luật chủ trì thẩm tra.\n| - Trình Quốc hội tại Kỳ họp thứ 9. | - Hồ sơ gồm tờ trình. | |\n"
    "| Nghị quyết về việc giải thể Viện B | Ban Công tác đại biểu |\n"
    "Ban Công tác đại biểu (Viện B phối hợp chuẩn bị dự thảo) |\n"
    "| Trình UBTVQH trước ngày 10/01/2025 | - Hồ sơ gồm dự thảo. | |\n"
)


def test_broken_markdown_rows_are_recovered_by_content():
    tasks = parse_tasks(BROKEN_MARKDOWN)
    assert [t.number for t in tasks] == ["1", "2"]  # no TT: position in the table
    law, resolution = tasks
    assert law.lead[0].startswith("Ban soạn thảo do UBTVQH")
    assert ("Cơ quan trình", "Ủy ban Thường vụ Quốc hội") in law.extra
    assert law.deadline.text == "- Trình Quốc hội tại Kỳ họp thứ 9."
    assert resolution.lead == ("Ban Công tác đại biểu",)
    assert resolution.coordinate == ("Viện B",)
    assert resolution.deadline.text.startswith("Trình UBTVQH trước ngày 10/01/2025")
    assert all(k != "Cơ quan thẩm tra" for k, _ in resolution.extra)


GFM = (
    "### Kế hoạch\n\n| STT | Nội dung công việc | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n"
    "| 1 | Ban hành quy chế | Sở Tư pháp | 30/6/2025 |\n| 2 | Tập huấn | Sở Nội vụ | Quý III/2025 |\n\nHết.\n"
)


def test_well_formed_markdown_table():
    tasks = parse_tasks(GFM)
    assert [(t.number, t.lead, t.deadline.text) for t in tasks] == [
        ("1", ("Sở Tư pháp",), "30/6/2025"), ("2", ("Sở Nội vụ",), "Quý III/2025")]


# ---------------------------------------------------------------- reader tables


def _table(text: str, rows: list[list[str]], start: int) -> Table:
    """A reader-style table: rows printed as " | " lines at ``start`` of ``text``."""
    out, pos = [], start
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i:
                pos += 3
            cells.append(Cell(cell, (pos, pos + len(cell))))
            pos += len(cell)
        out.append(tuple(cells))
        pos += 1
    return Table(tuple(out), (start, pos - 1))


def _render(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(r) for r in rows)


def test_reader_tables_two_row_header_and_vertically_merged_rows():
    rows = [
        ["STT", "NỘI DUNG NHIỆM VỤ ỦY QUYỀN", "CĂN CỨ PHÁP LÝ", "DANH MỤC TTHC", "", ""],
        ["", "", "", "TÊN TTHC", "LĨNH VỰC", "MÃ TTHC"],
        ["I.", "Lĩnh vực Hóa chất", "", "", "", ""],
        ["1", "Cấp giấy phép X", "Điều 3 Thông tư 15/2026/TT-BCT", "Cấp giấy phép X", "Hóa chất", "1.01"],
        ["", "", "", "Cấp lại giấy phép X", "Hóa chất", "1.02"],
        ["II", "Lĩnh vực An toàn", "", "", "", ""],
        ["1", "Cấp chứng chỉ Y", "Điều 27 Nghị định 146", "Cấp chứng chỉ Y", "An toàn", "2.01"],
    ]
    head = "PHỤ LỤC\n"
    text = head + _render(rows)
    tasks = _by_number(parse_tasks(text, (_table(text, rows, len(head)),)))
    assert set(tasks) == {"I.1", "II.1"}
    extra = dict(tasks["I.1"].extra)
    assert extra["MÃ TTHC"] == "1.01; 1.02" and extra["TÊN TTHC"].startswith("Cấp giấy phép X; ")
    assert tasks["I.1"].deadline is None and tasks["I.1"].lead == ()
    assert text[slice(*tasks["I.1"].span)].endswith("1.02")


def test_step_tables_under_roman_headings_are_prefixed_per_table():
    rows = [["Thứ tự các bước", "Nội dung công việc", "Đơn vị/cá nhân thực hiện", "Thời gian thực hiện"],
            ["Tổng thời gian giải quyết", "Tổng thời gian giải quyết", "Tổng thời gian giải quyết", "5 ngày"],
            ["Bước 1", "Tiếp nhận hồ sơ", "Công chức trực", "1 giờ"],
            ["  Bước 2", "Thẩm định hồ sơ", "Công chức phòng QLCN", "2 ngày"]]
    tables, text = [], ""
    for heading in ("I. TTHC 05 NGÀY", "II. TTHC 03 NGÀY"):
        text += heading + "\n"
        start = len(text)
        text += _render(rows) + "\n"
        tables.append(_table(text, rows, start))
    tasks = parse_tasks(text, tuple(tables))
    assert [t.number for t in tasks] == ["I.1", "I.2", "II.1", "II.2"]
    assert tasks[1].deadline.text == "2 ngày" and tasks[3].section == ("II. TTHC 03 NGÀY",)
    assert not any("Tổng thời gian" in t.description for t in tasks)


def test_table_drafts_skip_reader_rendering_in_text():
    rows = [["TT", "Nhiệm vụ", "Cơ quan chủ trì"], ["1", "Việc A", "Sở A"]]
    text = _render(rows)
    assert len(table_drafts(text, (_table(text, rows, 0),))) == 1
    assert len(table_drafts(text)) == 1  # without the reader table, the text layout is read


# ---------------------------------------------------------------- properties

_TOKENS = st.sampled_from([
    "|", "||", "| |", "\t", "\n", "\n\n", " ", "1.", "2.", "12", "I.", "II", "III.1", "*III.1.1*",
    "**I**", "A. ", "Bước 3", "TT", "STT", "Nhiệm vụ", "Nội dung", "Cơ quan chủ trì", "Chủ trì",
    "Cơ quan phối hợp", "Thời gian", "Tiến độ", "Sản phẩm", "Hồ sơ", "Bộ Công an", "Các bộ, ngành",
    "Năm 2023", "Quý II năm 2023", "(Văn phòng phối hợp)", "[bookmark: _GoBack]", "-", ";", "---",
    "Giao Sở Tư pháp chủ trì", "Đơn vị chủ trì: Sở Nội vụ", "[3]",
])


def _assert_valid(text: str, tasks: tuple[Task, ...]) -> None:
    for t in tasks:
        assert isinstance(t, Task) and t.number
        assert 0 <= t.span[0] <= t.span[1] <= len(text)
        assert all(isinstance(a, str) and a.strip() for a in t.lead + t.coordinate)
        assert all(isinstance(s, str) for s in t.section)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKENS, max_size=80).map("".join))
def test_parse_tasks_never_raises_on_table_like_noise(text):
    _assert_valid(text, parse_tasks(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parse_tasks_never_raises_on_arbitrary_text(text):
    _assert_valid(text, parse_tasks(text))


def test_every_table_task_span_shows_its_description():
    for text in (CELL_LINES, TSV, PIPE_LINES, BROKEN_MARKDOWN, GFM):
        tasks = parse_tasks(text)
        assert tasks
        for t in tasks:
            assert key(t.description)[:30] in key(text[slice(*t.span)])


def test_pdf_table_continued_on_next_page_without_header():
    page1 = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
             ["1", "Rà soát quy định", "Sở Tư pháp", "Quý I/2025"],
             ["2", "Xây dựng cơ sở dữ liệu", "Sở Khoa học và", "Quý II/2025"]]
    page2 = [["", "về văn bản", "Công nghệ", ""],
             ["3", "Tập huấn", "Sở Nội vụ", "Năm 2025"]]
    text = _render(page1) + "\n2\n"
    t1 = _table(text, page1, 0)
    start = len(text)
    text += _render(page2)
    tasks = parse_tasks(text, (t1, _table(text, page2, start)))
    assert [t.number for t in tasks] == ["1", "2", "3"]
    assert tasks[1].lead == ("Sở Khoa học và Công nghệ",)
    assert tasks[1].description == "Xây dựng cơ sở dữ liệu về văn bản"
    assert tasks[2].lead == ("Sở Nội vụ",)


def test_first_row_without_number_is_data_not_a_sub_header():
    rows = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
            ["", "Tập huấn nghiệp vụ", "Sở Nội vụ", "Quý II"],
            ["", "Kiểm tra", "Sở Tư pháp", "Quý IV"]]
    text = _render(rows)
    tasks = parse_tasks(text, (_table(text, rows, 0),))
    assert [(t.number, t.lead) for t in tasks] == [("1", ("Sở Nội vụ",)), ("2", ("Sở Tư pháp",))]
