"""Document metadata: golden values for every bundled document, synthetic cases, properties."""
from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.metadata import extract_metadata
from ingest.readers import read_path
from ingest.text import squash

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLDEN = json.loads((ROOT / "tests" / "golden" / "metadata.json").read_text(encoding="utf-8"))
_TEXTS: dict[str, str] = {}


def _text(name: str) -> str:
    if name not in _TEXTS:
        _TEXTS[name] = read_path(CORPUS / name).text
    return _TEXTS[name]


def _quote(text: str, meta, field: str) -> str | None:
    """The evidence text of a field, as an answer would quote it (markdown stars dropped)."""
    span = dict(meta.spans).get(field)
    return None if span is None else squash(text[span[0]:span[1]].replace("*", ""))


def test_golden_covers_every_corpus_file():
    assert sorted(GOLDEN) == sorted(p.name for p in CORPUS.iterdir() if p.is_file())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_metadata(name):
    want, meta = GOLDEN[name], extract_metadata(_text(name))
    got = {
        "doc_type": meta.doc_type, "number": meta.number, "issuer": meta.issuer,
        "place": meta.place, "date": meta.date.isoformat() if meta.date else None,
        "signer": meta.signer, "signer_title": meta.signer_title, "effective": meta.effective,
        "recipients": len(meta.recipients),
        "relations": [[r.kind, r.target] for r in meta.relations],
    }
    for key, value in got.items():
        assert value == want[key], f"{name}: {key}"
    for key, field in (("title_prefix", "title"), ("plan_title_prefix", "plan_title")):
        value = getattr(meta, field)
        if want[key] is None:
            assert value is None, f"{name}: {field}"
        else:
            assert value is not None and value.startswith(want[key]), f"{name}: {field}"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_spans_quote_the_values(name):
    text = _text(name)
    meta = extract_metadata(text)
    spans = dict(meta.spans)
    for field in ("number", "signer", "title", "signer_title", "plan_title"):
        value = getattr(meta, field)
        assert (field in spans) == (value is not None), f"{name}: {field}"
        if value is not None and field != "signer_title":
            assert _quote(text, meta, field) == value, f"{name}: {field}"
    if meta.date is not None:
        assert str(meta.date.year) in _quote(text, meta, "date")
    if meta.effective is not None:
        assert "hiệu lực" in _quote(text, meta, "effective")
    for rel in meta.relations:
        assert rel.target in text[rel.quote_span[0]:rel.quote_span[1]].replace("\n", "")


def test_recipients_of_seed_002():
    meta = extract_metadata(_text("002_02d2d76f79c78d93.txt"))
    assert meta.recipients[1] == "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"


def test_plan_titles_are_whole():
    meta = extract_metadata(_text("001_ace935a932359564.txt"))
    assert meta.plan_title == ("Kế hoạch hoạt động 4 tháng cuối năm 2023 của Tổ công tác cải cách "
                               "thủ tục hành chính của Thủ tướng Chính phủ")
    assert extract_metadata(_text("qd-78-2025-ubnd-bacninh.md")).plan_title.endswith("tỉnh Bắc Ninh")


# --- synthetic documents: the rules generalise beyond the corpus -------------------------

_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "Độc lập - Tự do - Hạnh phúc\n\nSố: {num}\n\nHà Giang, ngày 05 tháng 3 năm 2024\n\n")


def test_cited_numbers_are_not_the_documents_own():
    text = _HEAD.format(num="  /QĐ-UBND") + (
        "QUYẾT ĐỊNH\nVề việc ban hành Quy chế làm việc\n\n"
        "Căn cứ Quyết định số 17/2020/QĐ-UBND ngày 1 tháng 2 năm 2020 bãi bỏ Quyết định số 3/QĐ-X;\n"
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Ủy ban.\n"
        "Điều 2. Quyết định này có hiệu lực thi hành từ ngày 01/7/2024 và thay thế "
        "Quyết định số 9/2019/QĐ-UBND ngày 2 tháng 3 năm 2019.\n"
        "Các văn bản trước đây đã thay thế Quyết định số 8/QĐ-Y cũng được rà soát.\n")
    meta = extract_metadata(text)
    assert meta.number is None  # blank in the source: never guessed from cited documents
    assert (meta.doc_type, meta.issuer, meta.place) == ("Quyết định", "Ủy ban nhân dân tỉnh Hà Giang", "Hà Giang")
    assert meta.date == date(2024, 3, 5) and meta.effective == "2024-07-01"
    assert meta.title == "Về việc ban hành Quy chế làm việc"
    assert meta.plan_title == "Quy chế làm việc của Ủy ban"
    assert [(r.kind, r.target) for r in meta.relations] == [("replaces", "9/2019/QĐ-UBND")]


def test_amending_decision_and_attached_plan():
    amend = _HEAD.format(num="12/2024/QĐ-UBND") + (
        "QUYẾT ĐỊNH\nSửa đổi một số điều\n\n"
        "Điều 1. Sửa đổi, bổ sung một số điều của Quy chế ban hành kèm theo Quyết định số 4/2021/QĐ-UBND.\n"
        "Điều 2. Bãi bỏ Quyết định số 5/2022/QĐ-UBND.\n")
    meta = extract_metadata(amend)
    assert meta.number == "12/2024/QĐ-UBND"
    assert [(r.kind, r.target) for r in meta.relations] == [
        ("amends", "4/2021/QĐ-UBND"), ("repeals", "5/2022/QĐ-UBND")]
    plan = ("KẾ HOẠCH\nTriển khai chuyển đổi số năm 2024\n(Ban hành kèm theo Quyết định số 77/QĐ-UBND "
            "ngày 2 tháng 1 năm 2024 của UBND tỉnh Hà Giang)\n\nI. MỤC ĐÍCH\n")
    meta = extract_metadata(plan)
    assert (meta.doc_type, meta.number, meta.title) == ("Kế hoạch", None, "Triển khai chuyển đổi số năm 2024")
    assert [(r.kind, r.target) for r in meta.relations] == [("issued_by", "77/QĐ-UBND")]


def test_cong_van_signature_and_inline_recipient():
    text = ("SỞ TƯ PHÁP\nSố: 45/STP-VP\nV/v góp ý dự thảo\nKính gửi: Ủy ban nhân dân huyện Mèo Vạc.\n\n"
            "Nội dung.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLò Văn Páo\n")
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.number, meta.title) == ("Công văn", "45/STP-VP", "góp ý dự thảo")
    assert meta.recipients == ("Ủy ban nhân dân huyện Mèo Vạc",)
    assert (meta.signer, meta.signer_title) == ("Lò Văn Páo", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")


def test_a_signature_without_distribution_list_or_role_line():
    text = ("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 21/2025/TT-BGDĐT\n\nTHÔNG TƯ\nQuy định chế độ trả tiền lương dạy thêm giờ\n\n"
            "Điều 1. Phạm vi điều chỉnh\n\nCHỦ TỊCH nước không ký văn bản này.\n\n|\nTHỨ TRƯỞNG THƯỜNG TRỰC\n(Đã ký)\n"
            "Phạm Ngọc Thưởng |\n")
    meta = extract_metadata(text)
    assert (meta.signer, meta.signer_title) == ("Phạm Ngọc Thưởng", "THỨ TRƯỞNG THƯỜNG TRỰC")


def test_website_fields_are_a_fallback():
    text = ("**Số hiệu:**\n|\n15/2025/TT-BTC\n|\n**Người ký:**\n|\nNguyễn Văn An\n|\n"
            "**Ngày ban hành:**\n|\n03/04/2025\n|\n**Tình trạng:**\n|\nĐã biết\n|\nNội dung văn bản.\n")
    meta = extract_metadata(text)
    assert (meta.number, meta.signer, meta.date) == ("15/2025/TT-BTC", "Nguyễn Văn An", date(2025, 4, 3))
    assert meta.doc_type == "Thông tư"  # from the number's code


def test_news_page_reports_the_issued_document():
    text = ("Thứ hai, 02/05/2022\nTỉnh ban hành kế hoạch chuyển đổi số\n\nNgày 20/4/2022, "
            "UBND tỉnh đã ban hành Kế hoạch số 88/KH-UBND về chuyển đổi số.\n")
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.number, meta.date) == ("Tin tức", "88/KH-UBND", date(2022, 4, 20))
    assert meta.title == "Tỉnh ban hành kế hoạch chuyển đổi số" and meta.issuer == "UBND tỉnh"


# --- properties --------------------------------------------------------------------------

_WORDS = st.sampled_from([
    "Số: ", "12/QĐ-UBND", "QUYẾT ĐỊNH", "KẾ HOẠCH", "Nơi nhận:", "- Lưu: VT;", "Kính gửi:",
    "Hà Nội, ngày 1 tháng 2 năm 2020", "ngày 31 tháng 2 năm 2021", "có hiệu lực kể từ ngày ký",
    "Quyết định này có hiệu lực từ ngày 40/13/2020", "bãi bỏ Quyết định số 3/QĐ-A", "**", "|", " / ",
    "(Kèm theo Quyết định số 5/QĐ-B ngày 1 tháng 1 năm 2020 của C)", "TM. ỦY BAN", "Trần Văn An",
    "Ngày 11/3/2020, X đã ban hành Quyết định số 1/QĐ-X", "Số hiệu:", "\n", "\u0301", "İ", "\r\n",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=40).map(" ".join))
def test_never_raises_and_spans_stay_inside(text):
    meta = extract_metadata(text)
    for _, (a, b) in meta.spans:
        assert 0 <= a <= b <= len(text)
    for rel in meta.relations:
        assert 0 <= rel.quote_span[0] <= rel.quote_span[1] <= len(text)
    assert meta.doc_type is not None


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 9999), st.dates(date(1990, 1, 1), date(2039, 12, 31)),
       st.sampled_from(["Hà Nội", "Lào Cai", "Bắc Ninh", "Thành phố Hồ Chí Minh"]),
       st.sampled_from([("QUYẾT ĐỊNH", "QĐ", "Quyết định"), ("KẾ HOẠCH", "KH", "Kế hoạch"),
                        ("CHỈ THỊ", "CT", "Chỉ thị")]),
       st.booleans())
def test_header_fields_are_recovered(n, day, place, kind, bold):
    star = "**" if bold else ""
    number = f"{n}/{kind[1]}-UBND"
    text = (f"{star}ỦY BAN NHÂN DÂN{star}\nTỈNH LÀO CAI\n{star}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM{star}\n"
            f"Số: {number}\n*{place}, ngày {day.day:02d}\ntháng {day.month} năm {day.year}*\n\n"
            f"{star}{kind[0]}{star}\nVề việc thí điểm\n\nCăn cứ Quyết định số 9/QĐ-TTg;\n")
    meta = extract_metadata(text)
    assert (meta.number, meta.date, meta.place, meta.doc_type) == (number, day, place, kind[2])
    assert meta.issuer == "Ủy ban nhân dân tỉnh Lào Cai" and meta.title == "Về việc thí điểm"


@pytest.mark.parametrize("text", [
    "\n" * 200_000, "sửa đổi, bổ sung " * 10_000, "Ngày 1/1/2020, " * 10_000, "Hà Nội, ngày " * 10_000,
    "Nơi nhận:" + " / - a" * 50_000, "Kính gửi:\n" + "- a\n" * 50_000, ("a" * 100 + ". ") * 10_000,
])
def test_pathological_inputs_stay_linear(text):
    start = time.perf_counter()
    extract_metadata(text)
    assert time.perf_counter() - start < 5  # each was quadratic (minutes) before being bounded
