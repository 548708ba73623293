"""Task rows from layouts met in the wild, each on a short text written for the test."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.readers import read_path
from ingest.tasks import parse_tasks

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _rows(text: str) -> dict:
    return {t.number: t for t in parse_tasks(text)}


def test_work_assigned_agency_by_agency_in_lettered_points():
    text = ("II. NHIỆM VỤ, GIẢI PHÁP\n\n1. Về hỗ trợ lương thực\n\n"
            "a) Ủy ban nhân dân các tỉnh tiếp tục rà soát, cứu trợ lương thực cho các hộ thiếu đói.\n\n"
            "b) Bộ Tài chính xuất cấp hàng dự trữ quốc gia, hoàn thành trước ngày 15/12/2025.\n\n"
            "c) Khuyến khích các địa phương hỗ trợ các tỉnh bị ảnh hưởng.\n")
    rows = _rows(text)
    assert set(rows) == {"1.a", "1.b", "1.c"}
    assert rows["1.a"].lead == ("Ủy ban nhân dân các tỉnh",)
    assert rows["1.b"].lead == ("Bộ Tài chính",) and rows["1.b"].deadline.text == "trước ngày 15/12/2025"
    assert rows["1.c"].lead == ("các địa phương",)
    assert rows["1.b"].description.startswith("b) Bộ Tài chính")
    assert rows["1.a"].section == ("II. NHIỆM VỤ, GIẢI PHÁP", "1. Về hỗ trợ lương thực")


def test_the_doer_follows_the_topic_of_a_conclusion():
    text = ("III. VỀ MỘT SỐ KIẾN NGHỊ\n\n1. Về dự án nạo vét luồng tàu: Bộ Xây dựng khẩn trương rà soát, "
            "bàn giao dự án, báo cáo Thủ tướng Chính phủ trước ngày 31 tháng 12 năm 2025.\n\n"
            "2. Về cấp phó: giao Bộ Nội vụ chủ trì, phối hợp với các cơ quan liên quan nghiên cứu, "
            "báo cáo Chính phủ trước ngày 30 tháng 11 năm 2025.\n")
    rows = _rows(text)
    assert rows["1"].lead == ("Bộ Xây dựng",) and rows["1"].deadline.text == "trước ngày 31 tháng 12 năm 2025"
    assert rows["2"].lead == ("Bộ Nội vụ",) and rows["2"].coordinate == ("các cơ quan liên quan",)


def test_the_addressees_of_a_list_introduction_lead_its_items_with_its_time():
    text = ("II. NHIỆM VỤ TRỌNG TÂM\n\nĐề nghị Thường trực Tỉnh ủy tập trung lãnh đạo, chỉ đạo thực hiện "
            "trong tháng 12 năm 2025 một số nội dung trọng tâm sau:\n\n"
            "1. Đổi mới tư duy, tầm nhìn phát triển.\n\n2. Đẩy mạnh cải cách thủ tục hành chính.\n")
    rows = _rows(text)
    assert rows["1"].lead == rows["2"].lead == ("Thường trực Tỉnh ủy",)
    assert rows["2"].deadline is not None and "tháng 12 năm 2025" in rows["2"].deadline.text


def test_a_lead_label_written_as_a_sentence_and_points_numbered():
    text = ("III. NỘI DUNG HOẠT ĐỘNG\n\n**1. Nâng cao nhận thức**\n\na) Hoạt động 1\n\n"
            "- Nội dung: Triển khai Tháng hành động.\n\n"
            "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành và các đơn vị có liên quan.\n\n"
            "b) Hoạt động 2\n\n- Nội dung: Tuyên truyền trên báo, đài.\n\n"
            "- Cơ quan thực hiện: Sở Văn hóa và Thể thao chủ trì.\n")
    rows = _rows(text)
    assert rows["1.a"].lead == ("Sở Nội vụ",)
    assert "các đơn vị có liên quan" in rows["1.a"].coordinate
    assert rows["1.b"].lead == ("Sở Văn hóa và Thể thao",)


def test_a_bold_heading_cut_after_its_label():
    text = ("**IV.\nPHÂN CÔNG NHIỆM VỤ**\n\n**1.\nSở Công Thương:**\n\n"
            "- Chủ trì điều phối nguồn hàng hỗ trợ.\n\n- Phối hợp Công an tỉnh tổ chức vận chuyển hàng.\n\n"
            "**2.\nSở Y tế:**\n\n- Bố trí các đội y tế lưu động.\n")
    rows = _rows(text)
    assert rows["1"].lead == ("Sở Công Thương",) and rows["2"].lead == ("Sở Y tế",)
    assert rows["1"].section == ("IV. PHÂN CÔNG NHIỆM VỤ",)


def test_a_table_whose_header_has_no_number_column():
    text = ("| **Nội dung** | **Đơn vị thực hiện** | **Đơn vị phối hợp** | **Thời gian thực hiện** |\n"
            "| 1.1 | Xây dựng kế hoạch chuyển đổi số | Sở Nông nghiệp và Môi trường | Các sở, ban, ngành | 2026 - 2030 |\n"
            "| 1.2 | Triển khai nền tảng dữ liệu số | Sở Y tế | UBND các xã | 2026 |\n")
    rows = _rows(text)
    assert set(rows) == {"1.1", "1.2"}
    assert rows["1.1"].lead == ("Sở Nông nghiệp và Môi trường",) and rows["1.2"].deadline.text == "2026"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()))
def test_task_numbers_are_unique_in_each_bundled_document(name):
    read = read_path(CORPUS / name)
    counts = Counter(t.number for t in parse_tasks(read.text, read.tables))
    assert not [n for n, c in counts.items() if c > 1]


def test_bracketed_parts_of_a_lettered_point_are_rows_with_its_deadline():
    text = ("II. DỊCH VỤ CÔNG\n\n2. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ\n"
            "a) Khẩn trương rà soát, chuẩn hóa kết quả giải quyết thủ tục hành chính.\n"
            "b) Các Bộ: Tài chính, Y tế khẩn trương khắc phục các bất cập, hoàn thành trong tháng 11 năm 2025, cụ thể:\n"
            "(1) Bộ Tài chính giải quyết 03 vấn đề tồn đọng về thanh toán trực tuyến;\n"
            "(2) Bộ Y tế hoàn thành nâng cấp Hệ thống cấp phép hành nghề.\n")
    rows = _rows(text)
    assert list(rows) == ["2.a", "2.b(1)", "2.b(2)"]
    assert rows["2.a"].lead == ("Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ",)
    assert rows["2.b(2)"].lead == ("Bộ Y tế",) and rows["2.b(2)"].deadline.text == "trong tháng 11 năm 2025"


def test_assignments_in_bracketed_points_of_a_conclusion():
    text = ("3. Trong thời gian tới, yêu cầu các bộ, ngành thực hiện một số nhiệm vụ sau:\n"
            "(1) Giao Bộ Nông nghiệp và Môi trường chủ trì, phối hợp với Bộ Tài chính hoàn thiện hồ sơ.\n"
            "(2) Giao Bộ Dân tộc và Tôn giáo hướng dẫn tổ chức thực hiện trước ngày 15/12/2025.\n")
    rows = _rows(text)
    assert rows["3(1)"].lead == ("Bộ Nông nghiệp và Môi trường",) and rows["3(1)"].coordinate == ("Bộ Tài chính",)
    assert rows["3(2)"].lead == ("Bộ Dân tộc và Tôn giáo",) and rows["3(2)"].deadline.text == "trước ngày 15/12/2025"


def test_lower_case_roman_brackets_under_a_lettered_point_are_one_row_each():
    text = ("1. Về Dự án Nhà máy điện\n"
            "a) Đánh giá cao nỗ lực của Chủ đầu tư dự án đã hoàn thành xây dựng dự án.\n"
            "b) Để làm tốt các nhiệm vụ sắp tới, đề nghị:\n"
            "(i) Tập đoàn Điện lực Việt Nam báo cáo Thủ tướng Chính phủ xem xét thời gian khánh thành.\n"
            "(ii) Ủy ban nhân dân tỉnh Đồng Nai chỉ đạo hoàn thành bàn giao mặt bằng\n"
            "trong tháng 11 năm 2025.\n"
            "(iii) Giao Bộ Công Thương nghiên cứu các đề xuất, kiến nghị.\n")
    rows = _rows(text)
    assert ["1.b(i)", "1.b(ii)", "1.b(iii)"] == [n for n in rows if "(" in n]
    assert rows["1.b(ii)"].lead == ("Ủy ban nhân dân tỉnh Đồng Nai",)
    assert rows["1.b(ii)"].deadline.text == "trong tháng 11 năm 2025"
    assert rows["1.b(iii)"].lead == ("Bộ Công Thương",)


def test_an_items_fields_written_as_lettered_points_make_one_row():
    text = ("II. NHIỆM VỤ\n\n**2. Về các nền tảng số**\n\na) Nhiệm vụ:\n\n- Tổ chức triển khai, sử dụng thống nhất các nền tảng số.\n\n"
            "b) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Các Sở, ban, ngành Thành phố.\n\n"
            "- Đơn vị phối hợp: Sở Khoa học và Công nghệ.\n\nc) Thời gian thực hiện: Hoàn thành trong năm 2025.\n\n"
            "**3. Về đảm bảo an toàn thông tin**\n\na) Nhiệm vụ: Triển khai các phương án bảo đảm an toàn thông tin.\n\n"
            "b) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Công an Thành phố.\n\nc) Thời gian thực hiện: Thực hiện thường xuyên.\n")
    rows = _rows(text)
    assert sorted(rows) == ["2", "3"]
    assert rows["2"].lead == ("Các Sở, ban, ngành Thành phố",) and rows["2"].coordinate == ("Sở Khoa học và Công nghệ",)
    assert rows["2"].deadline.text == "Hoàn thành trong năm 2025" and rows["3"].lead == ("Công an Thành phố",)


def test_a_crawled_pages_own_tables_hold_no_task():
    from ingest.pipeline import parse_document
    from ingest.types import ReadText

    page = ("**KẾ HOẠCH**\n\n1. Sở Tài chính chủ trì thẩm định kinh phí, hoàn thành trước ngày 30/6/2026.\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
            "Kế hoạch 12/KH-UBND năm 2025 về kinh phí do Ủy ban nhân dân tỉnh ban hành\n"
            "Văn bản này chưa cập nhật nội dung Tiếng Anh\n## Văn bản liên quan\n\n"
            "| STT | Nội dung | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n"
            "| 1 | Tổ chức tiêm chủng mở rộng | Sở Y tế | Trước ngày 01/01/2027 |\n")
    doc = parse_document(ReadText(text=page, original=page, offsets=tuple(range(len(page) + 1))), "page.md")
    assert [t.number for t in doc.tasks] == ["1"] and doc.tasks[0].lead == ("Sở Tài chính",)
