"""Readers: real corpus files, encodings, bad inputs, table spans, offsets."""
from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ingest.errors import CchcError, IngestError
from ingest.readers import SUPPORTED, read_bytes, read_path
from ingest.text import fold, normalize, squash

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QT_DOCX = "qt-tthc-hhnh-2026-ubnd-laocai.docx"
ND_DOCX = "nd-26-2026-cp.docx"
QD_PDF = "qd-1696-2026-ubnd-laocai.pdf"
KH_PDF = "kh-bmnn-2024-ubnd-bimson.pdf"

VIET = (
    "Điều 3. Trách nhiệm thi hành\n"
    "Ủy ban nhân dân tỉnh chủ trì, phối hợp với Sở Nội vụ; thời hạn: trước ngày 30/9/2024.\n"
    "Hòa bình, thủy lợi, khuyến khích, nguyễn, quý, Đường ĐỒNG THÁP — ỹ ữ ợ ặ ẫ."
)


@pytest.fixture(scope="module")
def corpus() -> dict[str, object]:
    """Every corpus file read once for the whole module (the PDFs take ~1.5 s)."""
    return {p.name: read_path(p) for p in sorted(CORPUS.iterdir()) if p.suffix in SUPPORTED}


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _line_at(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1:].split("\n", 1)[0]


def _contains(text: str, needle: str) -> bool:
    """The comparison the evaluation uses: NFC, case folding, whitespace collapsing."""
    return squash(normalize(needle)).casefold() in squash(text).casefold()


# ---------------------------------------------------------------- corpus


def test_every_corpus_file_reads(corpus):
    assert len(corpus) == 15
    for name, rt in corpus.items():
        assert rt.text.strip(), name
        assert rt.fmt == Path(name).suffix[1:]
        assert len(rt.offsets) == len(rt.text) + 1
        assert unicodedata.is_normalized("NFC", rt.text)


def test_plain_text_is_the_file_normalised(corpus):
    raw = (CORPUS / "cd-220-2025-ttg.md").read_text(encoding="utf-8")
    rt = corpus["cd-220-2025-ttg.md"]
    assert rt.original == raw
    assert rt.text == normalize(raw)
    assert rt.tables == ()


def test_qt_docx_three_tables_13_by_4(corpus):
    rt = corpus[QT_DOCX]
    assert len(rt.tables) == 3
    for table in rt.tables:
        assert len(table.rows) == 13
        assert all(len(row) == 4 for row in table.rows)
        assert table.rows[0][0].text.startswith("Thứ tự các bước")
        assert [row[0].text for row in table.rows[2:]] == [f"Bước {i}" for i in range(1, 12)]
    totals = [t.rows[1][3].text for t in rt.tables]
    assert totals == ["5 ngày", "03 ngày", "02 ngày"]


def test_qt_docx_merged_row_once_per_line(corpus):
    rt = corpus[QT_DOCX]
    merged = ["Tổng thời gian giải quyết thủ tục hành chính (TTHC)",
              "- Thời gian giải quyết TTHC:", "- Thời gian giải quyết TTHC:"]
    lines = _lines(rt.text)
    for table, label, total in zip(rt.tables, merged, ["5 ngày", "03 ngày", "02 ngày"]):
        row = table.rows[1]
        assert row[0].text == label
        assert row[1].text == "" and row[2].text == ""  # covered grid columns, not printed
        assert _line_at(rt.text, row[0].span[0]) == f"{label} | {total}"  # the merged text once, then the time
    assert sum(ln.count(merged[0]) for ln in lines) == 1


def test_qt_docx_step_lines(corpus):
    lines = _lines(corpus[QT_DOCX].text)
    step3 = [ln for ln in lines if ln.startswith("Bước 3 | ")]
    assert len(step3) == 3
    assert step3[0].endswith("| Công chức phòng QLCN | 2 ngày")
    step7 = next(ln for ln in lines if ln.startswith("Bước 7 | "))
    # a cell's paragraphs are joined by " / " on the row's single line
    assert "- Lãnh đạo UBND tỉnh; / - Lãnh đạo Văn phòng UBND tỉnh; / - Chuyên viên UBND tỉnh" in step7
    # the section heading comes before its table: body order is kept
    text = corpus[QT_DOCX].text
    assert text.index("I. TTHC CÓ THỜI GIAN GIẢI QUYẾT 05 NGÀY") < text.index("Bước 1 |")
    assert "I. TTHC CÓ THỜI GIAN GIẢI QUYẾT 05 NGÀY LÀM VIỆC" in lines  # indentation stripped


def test_nd26_docx_text(corpus):
    rt = corpus[ND_DOCX]
    lines = _lines(rt.text)
    assert "Số: 26/2026/NĐ-CP | Hà Nội, ngày 17 tháng 01 năm 2026" in lines
    assert any(ln.startswith("Điều 31.") for ln in lines)
    articles = [ln for ln in lines if re.match(r"Điều \d+\.", ln)]
    assert len(articles) == 31
    assert [ln for ln in lines if re.fullmatch(r"Chương [IVX]+", ln)] == [
        "Chương I", "Chương II", "Chương III", "Chương IV", "Chương V"]
    assert [len(t.rows) for t in rt.tables] == [2, 1]
    assert rt.tables[0].rows[1][0].text == "Số: 26/2026/NĐ-CP"
    # the header table is the first thing in the body, the signature table the last
    assert rt.text.startswith("CHÍNH PHỦ")
    assert rt.text.rstrip().endswith("Bùi Thanh Sơn")
    for needle in ("01 tháng 7 năm 2026", "10 kg", "truy xuất nguồn gốc", "31 tháng 12 năm 2027"):
        assert _contains(rt.text, needle), needle


def test_qd1696_pdf_one_real_table(corpus):
    rt = corpus[QD_PDF]
    assert len(rt.tables) == 1
    rows = rt.tables[0].rows
    assert len(rows) == 9 and all(len(r) == 7 for r in rows)
    codes = [r[5].text for r in rows]
    assert {"1.014967", "1.014968", "1.014969", "2.000140", "2.000066"} <= set(codes)
    assert [r[0].text for r in rows if r[0].text] == ["STT", "I.", "1", "II", "1"]
    assert rows[2][1].text == "Lĩnh vực Vận chuyển hàng hóa nguy hiểm"
    # vertically merged cells below row "1" come back empty, columns kept
    code_row = next(r for r in rows if r[5].text == "1.014968")
    assert code_row[0].text == "" and code_row[3].text.startswith("Cấp điều chỉnh Giấy phép")


def test_qd1696_pdf_text_order(corpus):
    text = corpus[QD_PDF].text
    lines = _lines(text)
    assert [ln[:7] for ln in lines if re.match(r"Điều \d\.", ln)] == [
        "Điều 1.", "Điều 2.", "Điều 3.", "Điều 4."]
    # the appendix caption stays above the table, the table rows replace the fragments
    assert text.index("PHỤ LỤC") < text.index("STT | NỘI DUNG NHIỆM VỤ ỦY QUYỀN")
    assert any(ln.startswith("I. | Lĩnh vực Vận chuyển hàng hóa nguy hiểm") for ln in lines)
    assert any(ln.startswith("II | Lĩnh vực An toàn vệ sinh lao động") for ln in lines)
    assert "1.014968 |" in text and "1.014969 |" in text
    assert "Nguyễn Tuấn Anh" in text
    assert "2" not in lines  # lone page number dropped
    for needle in ("28 tháng 02 năm 2027", "2.000066", "15/2026/TT-BCT"):
        assert _contains(text, needle), needle


def test_kh_bmnn_pdf_no_spurious_tables(corpus):
    rt = corpus[KH_PDF]
    assert rt.tables == ()
    lines = _lines(rt.text)
    assert any(ln.startswith("2.1.") for ln in lines)
    assert [ln[:4] for ln in lines if re.match(r"2\.[1-6]\.", ln)] == [
        "2.1.", "2.2.", "2.3.", "2.4.", "2.5.", "2.6."]
    assert "Thời gian thực hiện" in rt.text
    assert not [ln for ln in lines if ln.strip() in {"2", "3", "4", "5", "6"}]
    for needle in ("Văn phòng HĐND&UBND thị xã", "30/9/2024", "Thanh tra thị xã"):
        assert _contains(rt.text, needle), needle


def test_table_cell_spans_point_at_cell_text(corpus):
    checked = 0
    for name, rt in corpus.items():
        for table in rt.tables:
            start, end = table.span
            assert 0 <= start <= end <= len(rt.text)
            for row in table.rows:
                for cell in row:
                    s, e = cell.span
                    assert start <= s <= e <= end, name
                    assert squash(rt.text[s:e]) == squash(cell.text), name
                    checked += 1
    assert checked > 3 * 13 * 4 + 9 * 7


def test_offsets_locate_quotes_in_original(corpus):
    rt = corpus[QD_PDF]
    i = rt.text.index("Nguyễn Tuấn Anh")
    j = i + len("Nguyễn Tuấn Anh")
    assert rt.original[rt.offsets[i]:rt.offsets[j]] == "Nguyễn Tuấn Anh"


# ---------------------------------------------------------------- encodings


def _cp1258(text: str) -> bytes:
    """Windows-1258 the way legacy Vietnamese software writes it: base letter + tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-sig": lambda s: s.encode("utf-8-sig"),
    "utf-16": lambda s: s.encode("utf-16"),
    "utf-16-be-bom": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    "utf-16-le-nobom": lambda s: s.encode("utf-16-le"),
    "utf-16-be-nobom": lambda s: s.encode("utf-16-be"),
    "cp1258": _cp1258,
    "utf-8-crlf": lambda s: s.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("ext", [".txt", ".md"])
def test_encodings_round_trip(encoding, ext):
    data = ENCODINGS[encoding](VIET)
    rt = read_bytes(data, "van-ban" + ext)
    assert rt.text == normalize(VIET)
    assert rt.fmt == ext[1:]


def test_cp1258_really_uses_combining_tones():
    data = _cp1258("Nguyễn")
    assert data != "Nguyễn".encode("cp1258", errors="replace")
    assert read_bytes(data, "a.txt").text == "Nguyễn"


def test_html_reader():
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<nav>Trang chủ | Tin tức</nav><script>var x = 1;</script>"
        "<h1>Kế hoạch số 12/KH-UBND</h1><p>Điều 1. Giao <b>Sở Nội vụ</b> chủ trì.<br>Dòng 2</p>"
        "<table><tr><th>TT</th><th>Nhiệm vụ</th><th>Chủ trì</th></tr>"
        "<tr><td rowspan='2'>1</td><td>Rà soát<p>thủ tục</p></td><td>Sở Tư pháp</td></tr>"
        "<tr><td colspan='2'>Cả hai cột</td></tr></table><div>Hết</div></body></html>"
    )
    rt = read_bytes(html.encode("utf-8"), "tin.html")
    assert rt.fmt == "html"
    assert _lines(rt.text) == [
        "Kế hoạch số 12/KH-UBND", "Điều 1. Giao Sở Nội vụ chủ trì.", "Dòng 2",
        "TT | Nhiệm vụ | Chủ trì", "1 | Rà soát / thủ tục | Sở Tư pháp", " | Cả hai cột", "Hết",
    ]
    (table,) = rt.tables
    assert [[c.text for c in row] for row in table.rows] == [
        ["TT", "Nhiệm vụ", "Chủ trì"], ["1", "Rà soát / thủ tục", "Sở Tư pháp"],
        ["", "Cả hai cột", ""]]
    for row in table.rows:
        for cell in row:
            assert rt.text[cell.span[0]:cell.span[1]] == cell.text


def test_htm_cp1258_decodes():
    html = "<p>Thời hạn: quý IV/2025</p>"
    assert read_bytes(_cp1258(html), "a.htm").text == "Thời hạn: quý IV/2025"


# ---------------------------------------------------------------- bad inputs


def _blank_page_pdf() -> bytes:
    """A minimal valid one-page PDF with no text at all (what a scan looks like to us)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _garbage(n: int = 4096) -> bytes:
    rng = random.Random(1258)
    return bytes(rng.randrange(256) for _ in range(n))


BAD = [
    ("empty.txt", lambda: b"", "empty_file"),
    ("blank.md", lambda: b" \n\t\r\n  ", "empty_file"),
    ("blank16.txt", lambda: "   \n ".encode("utf-16"), "empty_file"),
    ("empty.docx", lambda: b"", "empty_file"),
    ("garbage.txt", _garbage, "binary_file"),
    ("controls.txt", lambda: bytes(range(1, 32)) * 20 + b"abc", "binary_file"),
    ("garbage.html", _garbage, "binary_file"),
    ("truncated.docx", lambda: (CORPUS / ND_DOCX).read_bytes()[:16000], "corrupt_docx"),
    ("notzip.docx", lambda: "Đây không phải tệp Word".encode(), "corrupt_docx"),
    ("truncated.pdf", lambda: (CORPUS / QD_PDF).read_bytes()[:3000], "corrupt_pdf"),
    ("notpdf.pdf", lambda: b"hello, not a pdf at all", "corrupt_pdf"),
    ("scan.pdf", _blank_page_pdf, "scanned_pdf"),
    ("table.xyz", lambda: b"plain", "unsupported_extension"),
    ("noext", lambda: b"plain", "unsupported_extension"),
]


@pytest.mark.parametrize("name,make,code", BAD, ids=[b[0] for b in BAD])
def test_bad_input_codes(name, make, code, tmp_path):
    with pytest.raises(IngestError) as info:
        read_bytes(make(), name)
    err = info.value
    assert err.code == code
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    assert " / " in message and err.message_vi and err.message_en
    # the same file from disk fails the same way
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(IngestError) as again:
        read_path(path)
    assert again.value.code == code


def test_messages_say_what_to_do():
    def message(make, name, **kw):
        with pytest.raises(IngestError) as info:
            read_bytes(make(), name, **kw)
        return info.value

    assert "OCR" in str(message(_blank_page_pdf, "scan.pdf"))
    unsupported = str(message(lambda: b"x", "a.xyz"))
    assert all(ext in unsupported for ext in SUPPORTED)
    big = message(lambda: VIET.encode(), "big.txt", max_bytes=10)
    assert big.code == "file_too_large"
    assert "CCHC_MAX_FILE_MB" in str(big) and "MB" in big.message_vi
    assert isinstance(big, CchcError)


def test_too_large_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "lon.txt"
    path.write_bytes(VIET.encode() * 10)

    def boom(self):  # read_path must refuse on the size alone
        raise AssertionError("file was read")

    monkeypatch.setattr(Path, "read_bytes", boom)
    with pytest.raises(IngestError) as info:
        read_path(path, max_bytes=100)
    assert info.value.code == "file_too_large"
    assert str(info.value).startswith("lon.txt: ")


def test_file_name_with_newline_stays_one_line():
    with pytest.raises(IngestError) as info:
        read_bytes(b"", "bad\nname.txt")
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------- properties

_ALPHABET = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from(list("\n\t \r\u00a0\u200b\u0300\u0301\u0303\u0309\u0323oaOAuyđĐ")),
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=200))
def test_offsets_property(raw):
    assume(raw.strip() and normalize(raw).strip())
    rt = read_bytes(raw.encode("utf-8"), "p.txt")
    assert rt.original == raw
    assert len(rt.offsets) == len(rt.text) + 1
    assert all(a <= b for a, b in zip(rt.offsets, rt.offsets[1:]))
    assert all(0 <= o <= len(rt.original) for o in rt.offsets)
    assert rt.offsets[-1] == len(rt.original)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="ab cđ\nế|", max_size=8), min_size=3, max_size=3),
                min_size=1, max_size=4))
def test_html_table_spans_property(rows):
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    assume(any(c.strip() for row in rows for c in row))
    rt = read_bytes(f"<p>x</p><table>{body}</table>".encode(), "t.html")
    (table,) = rt.tables
    kept = [row for row in rows if any(c.strip() for c in row)]
    assert len(table.rows) == len(kept)
    for row, cells in zip(kept, table.rows):
        for raw, cell in zip(row, cells):
            # whitespace inside a cell collapses as in a browser; so do newlines
            assert cell.text == normalize(squash(raw))
            assert rt.text[cell.span[0]:cell.span[1]] == cell.text
