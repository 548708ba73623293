"""Reading an answer from a passage, on short texts written for the test."""
from __future__ import annotations

from assistant.evidence import Doc
from assistant.passages import khoan_doer, list_items, passage_result
from assistant.understand import parse_question
from ingest.boilerplate import body_span
from ingest.types import DocumentMeta

ARTICLE = ("Điều 18. Trách nhiệm của các sở\n\n1. Sở Tài chính:\n\na) Chủ trì thẩm định nguồn kinh phí đầu tư cho "
           "phòng cháy, chữa cháy rừng;\n\nb) Bố trí vốn theo khả năng ngân sách của tỉnh.\n\n3.\nBộ Chỉ huy quân sự tỉnh\n\n"
           "a)\nTổ chức trực tổng đài 112 cả ngày đêm, tiếp nhận và tổng hợp tin báo cháy rừng.\n\n"
           "4. Chính phủ quy định chi tiết Điều này.\n")


def _doc(text: str) -> Doc:
    return Doc("d1", "test.md", DocumentMeta(doc_type="Quyết định", number="96/2025/QĐ-UBND"), text)


def _exact_quote(answer, text: str) -> str:
    """The first citation's quote, checked to be the exact span it claims."""
    quote = answer.citations[0]
    assert text[quote.start:quote.end] == quote.quote
    return quote.quote


def test_a_point_is_read_with_the_doer_its_khoan_names():
    assert khoan_doer(ARTICLE, ARTICLE.find("b) Bố trí"), 0) == "Sở Tài chính"
    assert khoan_doer(ARTICLE, ARTICLE.find("Tổ chức trực"), 0) == "Bộ Chỉ huy quân sự tỉnh"
    assert khoan_doer(ARTICLE, ARTICLE.find("4. Chính phủ"), 0) is None  # a sentence, not a heading
    answer = passage_result(parse_question("Đơn vị nào tổ chức trực tổng đài 112 cả ngày đêm?"), _doc(ARTICLE),
                            (0, len(ARTICLE)), "Điều 18. Trách nhiệm của các sở")
    assert answer.status == "answered" and "Bộ Chỉ huy quân sự tỉnh: " in answer.answer


def test_a_value_asked_outright_must_be_in_the_answering_sentence():
    q = parse_question("Sở Tài chính phải thẩm định nguồn kinh phí trước ngày nào?")
    assert q.asks_value and q.value_kind == "date"
    answer = passage_result(q, _doc(ARTICLE), (0, len(ARTICLE)), "Điều 18")
    assert answer.status == "not_found" and answer.reason == "value_missing"
    hinted = parse_question("Lệ phí đã nộp có được hoàn lại không?")
    assert hinted.value_kind == "money" and not hinted.asks_value


def test_a_sentence_opening_a_list_is_read_with_its_items():
    text = ("Tổ chức, cá nhân phải cung cấp dữ liệu trong các trường hợp sau đây:\na) Tình trạng khẩn cấp;\n"
            "b) Thảm họa;\nc) Bạo loạn, khủng bố.\n\nĐiều 19. Khác")
    assert list_items(text, text.find(":") + 1, len(text)) == "a) Tình trạng khẩn cấp; b) Thảm họa; c) Bạo loạn, khủng bố."


def test_a_crawled_pages_site_text_is_outside_the_document():
    page = ("Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.\nĐang tải văn bản...\n**QUYẾT ĐỊNH**\n"
            "Điều 1. Nội dung chính của quyết định.\nNơi nhận:\n"
            "Quyết định 12/2025/QĐ-UBND năm 2025 về nội dung chính do Ủy ban nhân dân tỉnh ban hành\n"
            "Văn bản này chưa cập nhật nội dung Tiếng Anh\n## Văn bản liên quan\n")
    start, end = body_span(page)
    assert page[start:end].strip().startswith("**QUYẾT ĐỊNH**") and page[start:end].strip().endswith("Nơi nhận:")
    assert body_span("Điều 1. Không có trang web.") == (0, len("Điều 1. Không có trang web."))


def test_a_value_in_a_table_is_read_with_its_row_and_header():
    from assistant.table_rows import table_rows

    text = ("Điều 2. Mức học phí\n\n1. Mức học phí như sau:\n|\n**STT**\n|\n**Cấp học**\n|\n**Khu vực nông thôn (xã)**\n|\n"
            "**Khu vực thành thị (phường)**\n|\n|\n1\n|\nGiáo dục mầm non\n|\n80\n|\n120\n|\n|\n|\nTrung học phổ thông\n|\n"
            "130\n|\n200\n|\n\n2. Học trực tuyến bằng 75% mức học phí.\n")
    rows = table_rows(text, 0, len(text))
    last = rows[-1]
    assert last.text == "Cấp học: Trung học phổ thông; Khu vực nông thôn (xã): 130; Khu vực thành thị (phường): 200"
    assert text[last.start:last.end].startswith("Trung học phổ thông") and text[last.start:last.end].endswith("200")
    q = parse_question("Học phí trung học phổ thông ở khu vực nông thôn (xã) là bao nhiêu?")
    answer = passage_result(q, _doc(text), (0, len(text)), "Điều 2. Mức học phí")
    assert answer.status == "answered" and "130" in answer.answer
    assert answer.citations[0].quote == text[last.start:last.end]


def test_a_khoan_heading_wrapped_by_the_crawl_is_read_whole():
    text = "Điều 12. Trách nhiệm\n\n3. Sở Văn hóa, Thể thao và \nDu lịch\n\na. Chủ trì, chỉ đạo các cơ quan báo chí tuyên truyền.\n"
    assert khoan_doer(text, text.find("a. Chủ trì"), 0) == "Sở Văn hóa, Thể thao và Du lịch"
    closed = "Điều 12. Trách nhiệm\n\n3. Sở Tài chính:\nDu lịch\n\na. Chủ trì thẩm định kinh phí hằng năm.\n"
    assert khoan_doer(closed, closed.find("a. Chủ trì"), 0) == "Sở Tài chính"


def test_the_value_after_a_colon_on_the_same_line_completes_the_answer():
    text = ("Điều 4. Tên miền\n\nCổng thông tin điện tử của Ủy ban nhân dân xã, phường sử dụng tên miền cấp 4 theo dạng: "
            "tenxa.tinh.gov.vn, trong đó tenxa là tên của xã.\n\nĐiều 5. Khác\n")
    answer = passage_result(parse_question("Cổng thông tin điện tử của xã, phường dùng tên miền theo dạng nào?"),
                            _doc(text), (0, len(text)), "Điều 4. Tên miền")
    assert answer.status == "answered" and "tenxa.tinh.gov.vn" in answer.answer
    assert _exact_quote(answer, text).endswith("tên của xã.")


def test_the_legal_grounds_answer_only_a_question_about_grounds():
    text = ("QUYẾT ĐỊNH\n\n*Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;*\n\n"
            "*Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 12/TTr-SKHCN;*\n\n"
            "Điều 1. Ban hành danh mục dịch vụ công trực tuyến toàn trình của tỉnh.\n")
    content = passage_result(parse_question("Luật Tổ chức chính quyền địa phương ban hành ngày nào?"),
                             _doc(text), (0, len(text)), None)
    assert content.status == "not_found" or "Căn cứ" not in content.answer
    grounds = passage_result(parse_question("Quyết định này căn cứ Luật nào?"), _doc(text), (0, len(text)), None)
    assert grounds.status == "answered" and "Luật Tổ chức chính quyền địa phương" in grounds.answer


def test_a_count_asked_in_a_measure_needs_that_measure_after_a_number():
    from assistant.sentences import holds_value

    q = parse_question("Trạm BTS phải cách trường học tối thiểu bao nhiêu mét?")
    assert q.unit == "met" and q.asks_value
    assert holds_value("cách nhau tối thiểu 120 m trong khu vực đô thị", "number", q.unit)
    assert not holds_value("dùng chung tối thiểu cho 02 doanh nghiệp viễn thông", "number", q.unit)
    assert parse_question("Tỉnh có bao nhiêu xã?").unit is None


def test_an_attached_texts_caption_is_no_answer():
    text = ("QUY ĐỊNH\n\n(Kèm theo Quyết định số 87/2025/QĐ-UBND ngày 19 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh)\n\n"
            "Điều 8. Tổ chức lễ tang\n\nKhông cử nhạc tang trước 06 giờ sáng và sau 22 giờ đêm.\n")
    answer = passage_result(parse_question("Nhạc tang không được cử vào khung giờ nào theo Quyết định 87/2025/QĐ-UBND?"),
                            _doc(text), (0, len(text)), None)
    assert answer.status == "answered" and "22 giờ đêm" in answer.answer and "Kèm theo" not in answer.answer


def test_a_who_question_reads_a_clause_with_the_start_of_its_sentence():
    text = ("Điều 3. Tổ chức thực hiện\n\nVăn phòng Ủy ban nhân dân tỉnh có trách nhiệm cập nhật cơ sở dữ liệu.\n"
            "Sở Khoa học và Công nghệ có trách nhiệm chủ trì, phối hợp các cơ quan liên quan triển khai cập nhật các nội dung; "
            "cấu hình quy trình điện tử trên Hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh.\n")
    answer = passage_result(parse_question("Sở nào chủ trì cấu hình quy trình điện tử trên Hệ thống thông tin giải quyết thủ tục hành chính?"),
                            _doc(text), (0, len(text)), "Điều 3. Tổ chức thực hiện")
    assert answer.status == "answered" and "Sở Khoa học và Công nghệ" in answer.answer
    assert _exact_quote(answer, text).startswith("Sở Khoa học và Công nghệ")


def test_a_row_setting_several_deadlines_answers_with_the_clause_asked():
    from assistant.passages import row_answer
    from ingest.types import Deadline, Task

    text = ("V. TỔ CHỨC THỰC HIỆN\n\n1. Các sở, ngành báo cáo kết quả thực hiện về Sở Công Thương định kỳ hằng tháng "
            "(trước ngày 16 hằng tháng), 6 tháng (trước ngày 16/6), tổng kết năm (trước ngày 20/11).\n")
    task = Task(number="V.1", description=text[22:], lead=("Các sở, ngành",), coordinate=(),
                deadline=Deadline(text="trước ngày 20/11", start=None, end=None), product=None,
                span=(22, len(text)), section=("V. TỔ CHỨC THỰC HIỆN",))
    answer = row_answer(parse_question("Các sở, ngành gửi báo cáo 6 tháng cho Sở Công Thương trước ngày nào?"), (_doc(text), task))
    assert answer.status == "answered" and "6 tháng (trước ngày 16/6)" in answer.answer  # not the field alone


FUND = ("Điều 29. Quỹ phát triển dữ liệu quốc gia\n\n1. Quỹ phát triển dữ liệu quốc gia là quỹ tài chính nhà nước "
        "ngoài ngân sách, do Chính phủ thành lập.\n\n2. Quỹ hoạt động không vì mục đích lợi nhuận và bảo toàn vốn "
        "điều lệ theo quy định.\n\n3. Quỹ được hình thành từ các nguồn tài chính sau đây: hỗ trợ từ ngân sách nhà "
        "nước; nguồn đóng góp tự nguyện của tổ chức, cá nhân.\n")


def test_a_question_asking_two_things_is_answered_by_the_sentence_of_each():
    q = parse_question("Quỹ phát triển dữ liệu quốc gia là loại quỹ gì và được hình thành từ những nguồn tài chính nào?")
    assert [a.text.split()[-1] for a in q.asks] == ["gì", "nào?"]
    answer = passage_result(q, _doc(FUND), (0, len(FUND)), "Điều 29. Quỹ phát triển dữ liệu quốc gia")
    assert "ngoài ngân sách" in answer.answer and "đóng góp tự nguyện" in answer.answer
    for quote in answer.citations:  # each sentence quoted as the exact span it claims
        assert FUND[quote.start:quote.end] == quote.quote
    assert len({c.start for c in answer.citations}) == 2


def test_one_ask_is_not_split_at_a_comma_or_and():
    for text in ("Sở Lao động, Thương binh và Xã hội chủ trì nhiệm vụ nào?",
                 "Chi phí lập hồ sơ và kinh phí quản lý là bao nhiêu?",
                 "Thông tư có hiệu lực từ ngày nào và bãi bỏ thông tư nào?"):  # document fields have their own list
        assert parse_question(text).asks == ()
