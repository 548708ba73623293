"""Question understanding: what kind of value is asked (amounts, years) and which agencies."""
from __future__ import annotations

import pytest

from assistant.understand import parse_question


@pytest.mark.parametrize("question", [
    "NĐ 26: mức phạt tiền khi không khai báo hóa chất là bao nhiêu?",
    "KH 141 bố trí bao nhiêu tỷ đồng cho nhiệm vụ này?",
    "Lệ phí cấp giấy phép vận chuyển hàng nguy hiểm là bao nhiêu?",
    "le phi cap phep karaoke bao nhieu tien",
    "Kinh phí thực hiện kế hoạch là bao nhiêu?",
])
def test_amounts_asked(question):
    assert parse_question(question).wants_money


@pytest.mark.parametrize("question", [
    "Hàng phi thương mại nhập khẩu dưới bao nhiêu kg thì được miễn khai báo?",
    "Có bao nhiêu nhiệm vụ trong kế hoạch?",
    "Lệ phí được nộp trong bao nhiêu ngày?",
    "Cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?",
])
def test_no_amount_asked(question):
    assert not parse_question(question).wants_money


def test_a_year_the_evidence_and_document_do_not_hold_is_missing():
    from types import SimpleNamespace

    from assistant.matching import years_missing

    doc = SimpleNamespace(meta=SimpleNamespace(number="62/QĐ-TCTCCTTHC", title="Kế hoạch hoạt động năm 2023", date=None))
    asked = parse_question("Tổ công tác tổ chức hội nghị tổng kết năm 2024 vào ngày nào?")
    assert years_missing(asked, "Tổ chức hội nghị tổng kết vào tháng 12.", doc)
    assert not years_missing(asked, "Hội nghị tổng kết năm 2024 tổ chức ngày 20/12/2024.", doc)
    assert not years_missing(parse_question("Hội nghị năm 2023 họp khi nào?"), "Họp vào tháng 12.", doc)
    assert not years_missing(parse_question("Hội nghị tổng kết họp khi nào?"), "Họp vào tháng 12.", doc)


def test_metadata_of_a_document_not_indexed_is_not_answered_from_another(fake_services):
    answer = fake_services.answerer.answer("luat dat dai 2024 co hieu luc tu ngay nao")
    assert answer.status == "not_found"
    answer = fake_services.answerer.answer("Luật Đất đai năm 2024 có hiệu lực từ ngày nào?")
    assert answer.status == "not_found"


def test_a_header_field_the_document_does_not_state_is_said_to_be_missing(fake_services):
    docs = fake_services.answerer.docs
    docs.refresh()
    unsigned = [d for d in docs.docs.values() if d.meta.number == "1339/NQ-UBTVQH15"]
    assert unsigned and not unsigned[0].meta.signer  # the bundled copy carries no signature block
    answer = fake_services.answerer.answer("NQ 1339 do ai ký?")
    assert answer.status == "not_found" and "không ghi người ký" in answer.answer and not answer.citations


def test_agencies_typed_short_on_a_phone_are_searched_under_their_full_names():
    assert parse_question("nd 26 bo gddt quan ly hoa chat o dau").search_text.endswith("(Bộ Giáo dục và Đào tạo)")
    assert "(Văn phòng Chính phủ)" in parse_question("vpcp chu tri nhiem vu nao").search_text
    # Capitals are how documents write them too: the question is left as typed.
    assert "(" not in parse_question("UBND tỉnh ký kết quả").search_text
    assert "(" not in parse_question("Văn phòng Chính phủ chủ trì nhiệm vụ nào").search_text
