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
