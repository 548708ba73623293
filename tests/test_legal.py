"""Legal-text structure: articles, khoản/điểm, parts, time limits, responsibilities."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.legal import parse_articles, responsibilities, time_limits
from ingest.readers import read_path
from ingest.text import squash

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
LEGAL_DOCS = (
    "nd-297-2025-cp.md",
    "qd-78-2025-ubnd-bacninh.md",
    "nd-26-2026-cp.docx",
    "qd-1696-2026-ubnd-laocai.pdf",
    "nq-1339-2024-ubtvqh15.md",
    "001_ace935a932359564.txt",
    "qd-2629-2025-ttg.md",
)


@lru_cache(maxsize=None)
def _text(name: str) -> str:
    return read_path(CORPUS / name).text


@lru_cache(maxsize=None)
def _articles(name: str):
    return parse_articles(_text(name))


def _by_number(name: str, number: str, part: str | None = None):
    hits = [a for a in _articles(name) if a.number == number and (part is None or a.part == part)]
    assert len(hits) == 1, (name, number, part, hits)
    return hits[0]


def _outline(clauses) -> str:
    return "; ".join(c.label + (": " + " ".join(d.label for d in c.children) if c.children else "") for c in clauses)


def _summary(name: str) -> dict:
    chapters: list[str] = []
    for article in _articles(name):
        chapters += [p for p in article.path if p.startswith("Chương") and p not in chapters]
    return {
        "source": name,
        "chapters": chapters,
        "articles": [
            {"part": a.part, "number": a.number, "title": a.title, "path": list(a.path), "clauses": _outline(a.clauses)}
            for a in _articles(name)
        ],
    }


# --- golden structure --------------------------------------------------------------


@pytest.mark.parametrize(
    "golden, source",
    [("nd297", "nd-297-2025-cp.md"), ("qd78", "qd-78-2025-ubnd-bacninh.md"), ("nd26", "nd-26-2026-cp.docx")],
)
def test_golden_structure(golden: str, source: str) -> None:
    expected = json.loads((GOLDEN / f"legal_{golden}.json").read_text(encoding="utf-8"))
    assert _summary(source) == expected


def test_nd297_articles_and_appendix() -> None:
    name = "nd-297-2025-cp.md"
    text = _text(name)
    arts = _articles(name)
    assert [a.number for a in arts] == [str(n) for n in range(1, 17)]
    assert all(a.part is None and not a.path[0].startswith(("Quy", "Nghị")) for a in arts)
    titles = {a.number: a.title for a in arts}
    assert titles["10"] == "Trách nhiệm của Bộ Công an"
    assert titles["13"] == "Trách nhiệm của Bộ Văn hóa, Thể thao và Du lịch"
    assert titles["15"] == "Hiệu lực thi hành"
    last = text[slice(*_by_number(name, "16").span)]
    assert "Mẫu số 01" not in last and "Nơi nhận" not in last and "PHỤ LỤC" not in last
    assert last.rstrip().endswith("chịu trách nhiệm thi hành Nghị định này.")
    assert _by_number(name, "16").clauses == ()  # the form's "1." items are not its khoản
    assert _by_number(name, "14").path[0] == "Chương III. TRÁCH NHIỆM THỰC HIỆN LIÊN THÔNG ĐIỆN TỬ NHÓM THỦ TỤC HÀNH CHÍNH"


def test_nd297_khoan_and_diem_spans() -> None:
    name = "nd-297-2025-cp.md"
    text = _text(name)
    art14 = _by_number(name, "14")
    assert _outline(art14.clauses) == "1: a b c d đ; 2: a b"
    k1 = art14.clauses[0]
    assert text[slice(*k1.span)].startswith("1. Trách nhiệm của Ủy ban\nnhân dân cấp tỉnh")
    assert text[slice(*k1.children[-1].span)].startswith("đ) Tổ chức thanh")
    assert text[slice(*k1.span)].endswith("theo thẩm quyền.")


def test_qd78_two_numbering_sequences() -> None:
    name = "qd-78-2025-ubnd-bacninh.md"
    arts = _articles(name)
    assert [(a.part, a.number) for a in arts] == [("Quyết định", str(n)) for n in (1, 2, 3)] + [
        ("Quy chế", str(n)) for n in range(1, 21)
    ]
    art12 = _by_number(name, "12", "Quy chế")
    assert art12.path == ("Quy chế", "Chương III. TỔ CHỨC THỰC HIỆN", "Điều 12. Trách nhiệm của Sở Khoa học và Công nghệ")
    assert _by_number(name, "2", "Quyết định").path == ("Quyết định", "Điều 2")
    decision3 = _text(name)[slice(*_by_number(name, "3", "Quyết định").span)]
    assert decision3.endswith("thi hành Quyết định này./.") and "Nơi nhận" not in decision3
    assert "Quy chế" not in decision3 and "QUY CHẾ" not in decision3


def test_qd78_page_break_paragraph_stays_in_its_khoan() -> None:
    name = "qd-78-2025-ubnd-bacninh.md"
    text = _text(name)
    khoan1 = _by_number(name, "15", "Quy chế").clauses[0]
    assert "tình hình xử lý phản\n\nánh kiến nghị cho thủ trưởng" in text[slice(*khoan1.span)]
    assert text[slice(*khoan1.span)].endswith("kịp thời của doanh nghiệp.")
    # "1*. *Phản ánh hiện trường": markdown inside the number is still khoản 1.
    assert _outline(_by_number(name, "3", "Quy chế").clauses) == "1; 2; 3; 4; 5; 6; 7"


def test_pdf_decision_with_appendix() -> None:
    name = "qd-1696-2026-ubnd-laocai.pdf"
    text = _text(name)
    arts = _articles(name)
    assert [a.path[-1] for a in arts] == [
        "Điều 1. Nội dung, phạm vi ủy quyền",
        "Điều 2. Thời hạn ủy quyền",
        "Điều 3. Tổ chức thực hiện",
        "Điều 4",
    ]
    assert _outline(arts[2].clauses) == "1; 2: a b c d đ"
    last = text[slice(*arts[3].span)]
    assert "PHỤ LỤC" not in last and "Nơi nhận" not in last and "Điều 27" not in last


def test_resolution_and_plan_decision() -> None:
    nq = _articles("nq-1339-2024-ubtvqh15.md")
    assert [a.path for a in nq] == [("Điều 1",), ("Điều 2",), ("Điều 3",)]
    assert _outline(nq[1].clauses) == "1; 2; 3; 4"
    third = _text("nq-1339-2024-ubtvqh15.md")[slice(*nq[2].span)]
    assert "KẾ HOẠCH" not in third and "---" not in third
    seed = _articles("001_ace935a932359564.txt")
    assert [a.number for a in seed] == ["1", "2", "3"]
    assert "Nơi nhận" not in _text("001_ace935a932359564.txt")[slice(*seed[2].span)]
    assert seed[2].clauses == ()


@pytest.mark.parametrize(
    "name",
    ["000_708ce065672b0925.txt", "002_02d2d76f79c78d93.txt", "cd-220-2025-ttg.md", "kh-141-2025-ubnd-bacninh.md",
     "kh-bmnn-2024-ubnd-bimson.pdf", "qt-tthc-hhnh-2026-ubnd-laocai.docx"],
)
def test_plans_have_no_articles(name: str) -> None:
    assert parse_articles(_text(name)) == ()


@pytest.mark.parametrize("name", LEGAL_DOCS)
def test_spans_are_well_formed(name: str) -> None:
    text = _text(name)
    arts = _articles(name)
    assert arts
    previous_end = 0
    for article in arts:
        start, end = article.span
        assert previous_end <= start < end <= len(text)
        previous_end = end
        body = text[start:end]
        assert re.match(r"(\*\*)?Điều", body), body[:40]
        assert article.title in squash(body.replace("*", ""))
        assert article.path[-1].startswith(f"Điều {article.number}")
        _check_clauses(article.clauses, (start, end))


def _check_clauses(clauses, outer) -> None:
    reach = outer[0]
    for clause in clauses:
        assert reach <= clause.span[0] < clause.span[1] <= outer[1]
        reach = clause.span[1]
        _check_clauses(clause.children, clause.span)


# --- references are not headings ---------------------------------------------------


def test_reference_at_line_start_never_opens_an_article() -> None:
    text = (
        "**Điều 1. Phạm vi**\n\n1. Nội dung theo quy định tại khoản 8\n"
        "Điều 40 Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025.\n\n"
        "2. Xem khoản 2\nĐiều 7. của Luật này.\n\n"
        "**Điều 2. Hiệu lực**\n\nCó hiệu lực từ ngày ký."
    )
    arts = parse_articles(text)
    assert [(a.number, a.title) for a in arts] == [("1", "Phạm vi"), ("2", "Hiệu lực")]
    assert "Điều 40 Nghị định" in text[slice(*arts[0].span)]
    assert _outline(arts[0].clauses) == "1; 2"


def test_split_headings_are_joined() -> None:
    text = (
        "**Chương\nI**\n\n**QUY ĐỊNH\nCHUNG**\n\n**Điều\n1. Trách nhiệm của …\nSở Nội vụ**\n\nNội dung.\n\n"
        "**Điều 2. **Ban hành kèm theo.\n\nChương II. TỔ CHỨC\n\nĐiều 3. Hiệu lực thi hành\nCó hiệu lực."
    )
    arts = parse_articles(text)
    assert [a.path for a in arts] == [
        ("Chương I. QUY ĐỊNH CHUNG", "Điều 1. Trách nhiệm của … Sở Nội vụ"),
        ("Chương I. QUY ĐỊNH CHUNG", "Điều 2"),
        ("Chương II. TỔ CHỨC", "Điều 3. Hiệu lực thi hành"),
    ]


_PIECES = st.sampled_from(
    ["Điều 3.", "Điều 1. Tên", "**Điều", "Chương II", "Chương", "I**", "Mục 1.", "1.", "2. Nội dung", "a)", "đ) x",
     "**", "\n", "\n\n", " ", "QUY CHẾ", "Nơi nhận:", "PHỤ LỤC", "Mẫu số 01", "trong thời hạn 03 ngày", "x", "|"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_parse_never_raises_and_spans_nest(text: str) -> None:
    arts = parse_articles(text)
    reach = 0
    for article in arts:
        assert reach <= article.span[0] < article.span[1] <= len(text)
        reach = article.span[1]
        _check_clauses(article.clauses, article.span)
    for (start, end), quote in time_limits(text):
        assert 0 <= start < end <= len(text) and text[start:end] == quote


# --- time limits -------------------------------------------------------------------


def test_time_limits_in_decree() -> None:
    text = _text("nd-297-2025-cp.md")
    quotes = [q for _, q in time_limits(text)]
    assert "không quá 03 ngày làm việc" in quotes
    assert "Trong thời hạn 04 ngày làm việc\nkể từ ngày thành lập" in quotes
    assert any(q.startswith("không quá 16 ngày làm việc kể từ khi") for q in quotes)
    assert any(q.startswith("không muộn hơn 08 giờ làm việc") for q in quotes)
    assert not any("17 giờ" in q for q in quotes)  # a clock time is not a time limit
    for (start, end), quote in time_limits(text):
        assert text[start:end] == quote


def test_time_limit_forms() -> None:
    text = "chậm nhất 05 ngày; trước ngày 15/12/2025; 08 giờ làm việc; không quá 07 ngày; 24/24 giờ; 7 ngày/tuần"
    assert [q for _, q in time_limits(text)] == [
        "chậm nhất 05 ngày", "trước ngày 15/12/2025", "08 giờ làm việc", "không quá 07 ngày",
    ]
    qd78 = [q for _, q in time_limits(_text("qd-78-2025-ubnd-bacninh.md"))]
    assert qd78 == ["07 ngày kể từ ngày tiếp nhận trên Ứng dụng", "trong thời hạn 60 ngày kể từ ngày\nQuy chế này được ban hành"]
    assert [q for _, q in time_limits(_text("qd-1696-2026-ubnd-laocai.pdf"))] == ["đến hết\nngày 28 tháng 02 năm 2027"]


# --- responsibilities --------------------------------------------------------------


@pytest.fixture(scope="module")
def alias_table():
    agencies = pytest.importorskip("ingest.agencies")
    return agencies.load_aliases()


def test_responsibility_articles_of_decree(alias_table) -> None:
    name = "nd-297-2025-cp.md"
    text = _text(name)
    duties = responsibilities(_articles(name), text, alias_table)
    by_article: dict[str, set[str]] = {}
    for agency, label, span in duties:
        by_article.setdefault(label.split(" > ")[-1].split(".")[0], set()).add(agency)
        assert 0 <= span[0] < span[1] <= len(text)
    canon = alias_table.canonical
    assert by_article["Điều 10"] == {canon("Bộ Công an")}
    assert by_article["Điều 11"] == {canon("Văn phòng Chính phủ")}
    assert by_article["Điều 12"] == {canon("Bộ Tài chính")}
    assert by_article["Điều 13"] == {canon("Bộ Văn hóa, Thể thao và Du lịch")}
    assert "Điều 16" not in by_article  # "chịu trách nhiệm thi hành" boilerplate
    k1 = next(span for agency, label, span in duties if label.endswith("Điều 10. Trách nhiệm của Bộ Công an"))
    assert text[slice(*k1)].startswith("1. Chủ trì, phối hợp với Văn\nphòng Chính phủ")


def test_responsibilities_of_regulation(alias_table) -> None:
    name = "qd-78-2025-ubnd-bacninh.md"
    text = _text(name)
    duties = responsibilities(_articles(name), text, alias_table)
    canon = alias_table.canonical
    sokhcn = [span for agency, label, span in duties if agency == canon("Sở Khoa học và Công nghệ")]
    assert len(sokhcn) == 2  # Điều 12 khoản 1 and 2
    assert all(label.startswith("Quy chế > Chương III") for _, label, _ in duties)
    assert {label.split(" > ")[-1].split(".")[0] for _, label, _ in duties} >= {"Điều 12", "Điều 13", "Điều 14", "Điều 15"}
    assert not any("Nơi nhận" in text[slice(*span)] for _, _, span in duties)


def test_decree_sub_agencies_and_state_management(alias_table) -> None:
    canon = alias_table.canonical
    text = _text("nd-297-2025-cp.md")
    art14 = [(a, s) for a, label, s in responsibilities(_articles("nd-297-2025-cp.md"), text, alias_table)
             if label.endswith("Điều 14. Trách nhiệm của Ủy ban nhân dân các cấp")]
    # "1. Trách nhiệm của Ủy ban nhân dân cấp tỉnh" names its own subject.
    assert [a for a, _ in art14] == [canon("Ủy ban nhân dân cấp tỉnh"), canon("Ủy ban nhân dân cấp xã")]
    nd26 = _text("nd-26-2026-cp.docx")
    art3 = [a for a, label, _ in responsibilities(_articles("nd-26-2026-cp.docx"), nd26, alias_table)
            if label.endswith("Điều 3. Trách nhiệm quản lý nhà nước về hóa chất")]
    assert art3[:2] == [canon("Bộ Công Thương"), canon("Bộ Khoa học và Công nghệ")]
    assert canon("Bộ Y tế") in art3 and len(art3) == 11  # khoản 1-11 each open with a ministry / UBND


def test_subject_must_lead_the_sentence(alias_table) -> None:
    text = (
        "Điều 5. Bộ Công an\n\n1. Chủ trì xây dựng phần mềm.\n\n2. Bảo đảm an ninh.\n\n"
        "Điều 6. Quy định chung\n\n1. Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ triển khai thực hiện.\n\n"
        "2. Hồ sơ gửi Sở Tài chính để thẩm định.\n\n3. Định kỳ, Sở Xây dựng báo cáo.\n\n"
        "Điều 7. Trách nhiệm thi hành\n\nGiám đốc Sở Nội vụ chịu trách nhiệm thi hành Quyết định này."
    )
    duties = responsibilities(parse_articles(text), text, alias_table)
    assert [(a, label, text[slice(*span)][:3]) for a, label, span in duties] == [
        (alias_table.canonical("Bộ Công an"), "Điều 5. Bộ Công an", "1. "),
        (alias_table.canonical("Bộ Công an"), "Điều 5. Bộ Công an", "2. "),
        (alias_table.canonical("Sở Tư pháp"), "Điều 6. Quy định chung", "1. "),
    ]


def test_titles_bold_plain_and_sentences() -> None:
    text = (
        "**Điều 5.** **Hiệu lực thi hành**\n\nNội dung.\n\n"
        "Điều 6. Ban hành kèm theo Quyết định này Kế hoạch hoạt động 4 tháng cuối năm\n2023 của Tổ công tác.\n\n"
        "Điều 7. Hồ sơ, trình tự, thủ tục cấp Giấy chứng nhận đủ điều kiện sản xuất, kinh\ndoanh hóa chất\n"
        "1. Hồ sơ gồm:\na) Đơn;\nb) Bản sao.\n\n"
        "Điều 8. Thời hạn ủy quyền: Từ ngày ký đến hết\nngày 28 tháng 02 năm 2027.\n\n"
        "|\n**CHỦ TỊCH**\n**Nguyễn Văn A**\n|"
    )
    arts = parse_articles(text)
    assert [a.title for a in arts] == [
        "Hiệu lực thi hành",
        "",  # a sentence is not a title
        "Hồ sơ, trình tự, thủ tục cấp Giấy chứng nhận đủ điều kiện sản xuất, kinh doanh hóa chất",
        "Thời hạn ủy quyền",
    ]
    assert _outline(arts[2].clauses) == "1: a b"
    assert text[slice(*arts[3].span)].endswith("năm 2027.")  # the signer's title ends the article
