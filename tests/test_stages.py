"""The answer stages one by one, on short texts written for the test (no corpus)."""
from __future__ import annotations

from assistant.calibration import E5_SMALL, calibration_for
from assistant.understand import parse_question


def test_calibration_is_keyed_by_the_embedder_it_was_measured_with():
    assert calibration_for("data/models/multilingual-e5-small") == E5_SMALL
    assert calibration_for("multilingual-e5-small-int8").embedder == "multilingual-e5-small"
    assert not calibration_for("fake-384").measured
    other = calibration_for("some/other-model")
    assert not other.measured and other.embedder == "other-model" and other.dense_min == E5_SMALL.dense_min


def test_question_reads_every_thing_asked():
    q = parse_question("Nhiệm vụ số 12 của Kế hoạch 157/KH-UBND năm 2025 do ai chủ trì?")
    assert (q.intent, q.task_number, q.years, q.plain) == ("lead", "12", ("2025",), False)
    assert parse_question("nhiem vu III.2 thoi han khi nao").task_number == "III.2"
    assert parse_question("nhiem vu iii.2 thoi han khi nao").plain
    assert parse_question("Theo Điều 5 Nghị định 172, ai có trách nhiệm?").article == "5"
    both = parse_question("QĐ 2629 ban hành ngày nào, ai ký?")
    assert both.intent == "doc" and set(both.doc_fields) == {"signer", "date"}
    assert parse_question("Tỷ lệ hồ sơ số hóa là bao nhiêu?").value_kind == "percent"
    assert parse_question("Phải hoàn thành trong bao lâu?").value_kind == "duration"
    assert parse_question("Ai phối hợp và ai chủ trì?").roles == ("lead", "coordinate")


def test_an_empty_index_says_how_to_ingest(tmp_path):
    from assistant.services import Services
    from assistant.settings import Settings

    services = Services(Settings(data_dir=tmp_path, embedder="fake"))
    answer = services.answerer.answer("Ai chủ trì nhiệm vụ số hóa hồ sơ?")
    assert answer.status == "not_found" and answer.reason == "empty_index"
    assert "cchc ingest" in answer.answer
    assert services.answerer.answer("   ").reason == "empty_question"


def test_a_refusal_carries_its_reason(fake_services):
    answer = fake_services.answerer.answer("Giá vé máy bay từ Hà Nội đi Đà Nẵng tháng 12 là bao nhiêu?")
    assert answer.status == "not_found" and answer.reason in {"weak_evidence", "off_topic", "value_missing"}
    assert answer.to_json()["reason"] == answer.reason
    assert fake_services.answerer.answer("Ai chủ trì nhiệm vụ số hóa hồ sơ?").reason is None


def test_a_row_answers_for_a_number_with_a_qualifier_in_front_or_a_part_after():
    from assistant.matching import item_of, names_task

    assert names_task("III.2", "2") and names_task("PL.2", "2") and names_task("5.a", "5")
    assert names_task("III.4(2)", "III.4") and names_task("12", "12")
    assert not names_task("12", "2") and not names_task("1.2", "2") and not names_task("III.2", "3")
    assert item_of("III.4(2)", "4") == "iii.4" and item_of("5.b", "5") == "5"


def test_a_task_number_the_named_document_does_not_hold_is_not_answered(fake_services):
    answer = fake_services.answerer.answer("Nhiệm vụ 99 của QĐ 62/QĐ-TCTCCTTHC do ai chủ trì?")
    assert answer.status == "not_found" and answer.reason == "task_number_absent"
    found = fake_services.answerer.answer("Nhiệm vụ 3 của QĐ 62/QĐ-TCTCCTTHC do ai chủ trì?")
    assert found.status == "answered" and found.citations[0].task_number == "3"


def test_a_number_that_names_two_items_is_not_decided_but_named(fake_services):
    answer = fake_services.answerer.answer("Nhiệm vụ 4 của Kế hoạch 141/KH-UBND do ai chủ trì?")
    assert answer.status == "not_found" and answer.reason == "ambiguous"
    assert "III.4" in answer.answer and "IV.4" in answer.answer and not answer.citations


def test_accents_are_put_back_from_the_passages_keyword_search_finds():
    from assistant.restore import restore

    passages = ["Cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                "Văn phòng Chính phủ báo cáo Thủ tướng Chính phủ trước ngày 20 hằng tháng; số hóa hồ sơ."]
    assert restore("co quan nao chu tri so hoa ho so?", passages) == "cơ quan nào chủ trì số hóa hồ sơ?"
    assert restore("VPCP bao cao gio nay", passages) == "VPCP báo cáo gio nay"  # unknown words stay as typed
    assert restore("Số hóa ho so", passages) == "Số hóa hồ sơ"  # words typed with accents are kept
    assert restore("so hoa", []) == "so hoa"


def test_a_follow_up_after_a_miss_keeps_the_document_the_question_named(fake_services):
    answerer = fake_services.answerer
    first = answerer.answer("Quyết định 62/QĐ-TCTCCTTHC quy định mức phạt là bao nhiêu tiền?")
    assert first.status == "not_found"
    follow = answerer.answer("còn nhiệm vụ 3 thì ai chủ trì?", first.conversation_id)
    assert follow.status == "answered" and follow.citations[0].source == "001_ace935a932359564.txt"
    assert follow.citations[0].task_number == "3"


def test_a_follow_up_carries_what_was_asked_not_the_agency_asked_about():
    from assistant.answerer import _intent_words

    words = _intent_words(parse_question("QĐ 74 giao Sở Công thương trách nhiệm gì trong quản lý chất thải?"))
    assert "trách" in words and "nhiệm" in words and "Sở" not in words and "thương" not in words


def test_within_one_document_its_titles_words_do_not_rank_its_passages():
    from assistant.search_answer import beyond_title

    title = "Quy định thực hiện nếp sống văn minh trong việc cưới, việc tang và lễ hội Ủy ban nhân dân tỉnh Lai Châu"
    rest = beyond_title("Theo quy định nếp sống văn minh việc tang của Lai Châu, nên dùng gì thay cho ban nhạc lễ?", title)
    assert rest is not None and "nhạc" in rest and "Châu" not in rest and "tang" not in rest
    assert beyond_title("Quy định nếp sống văn minh việc cưới ở Lai Châu", title) is None  # about the whole document


def test_a_document_named_by_a_full_number_that_is_not_loaded_is_not_answered_by_a_neighbour(fake_services):
    answer = fake_services.answerer.answer("Kế hoạch 142/KH-UBND của Bắc Ninh giao Sở Tư pháp chủ trì việc gì về tập huấn?")
    assert answer.status == "not_found" and answer.reason == "document_absent"
    held = fake_services.answerer.answer("Kế hoạch 141/KH-UBND của Bắc Ninh giao ai chủ trì tổ chức tập huấn, bồi dưỡng kiến thức?")
    assert held.status == "answered"


def test_a_field_of_a_document_named_by_number_is_read_from_it_whatever_describes_it(fake_services):
    answer = fake_services.answerer.answer(
        "Ai ký Quyết định 2629/QĐ-TTg phê duyệt chương trình phát triển Chính phủ số, chính quyền số có nhiều nội dung về dữ liệu mở?")
    assert answer.status == "answered" and "Nguyễn Chí Dũng" in answer.answer


def test_a_follow_up_that_only_points_back_asks_the_same_row(fake_services):
    first = fake_services.answerer.answer(
        "Trong Kế hoạch 141/KH-UBND của Bắc Ninh, ai chủ trì tổ chức tập huấn, bồi dưỡng kiến thức, kỹ năng xây dựng pháp luật?")
    assert first.status == "answered" and first.citations[0].task_number
    then = fake_services.answerer.answer("còn thời hạn thì sao?", first.conversation_id)
    assert then.status == "answered" and then.citations[0].task_number == first.citations[0].task_number
    assert "thời hạn" in then.answer
