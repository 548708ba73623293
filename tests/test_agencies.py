"""Agency aliases: canonical names, cell splitting, mentions in text, and properties."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.agencies import (
    AliasTable, build_table, clean_name, find_agencies, load_aliases, mentions, parse_table,
    same_agency, split_agencies,
)
from ingest.text import fold, key

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TABLE = load_aliases()


def test_table_is_versioned_and_generous():
    assert TABLE.version == "1" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", TABLE.date)
    assert len(TABLE.agencies) >= 60
    for agency in TABLE.agencies:  # every canonical name indexes to itself; parents exist
        assert TABLE.canonical(agency.name) == agency.name
        assert agency.parent is None or agency.parent in TABLE.by_name


def test_conflicting_alias_is_rejected():
    with pytest.raises(ValueError):
        parse_table('[[agency]]\nname = "Bộ A"\naliases = ["BA"]\n[[agency]]\nname = "Bộ B"\naliases = ["ba"]\n')


@pytest.mark.parametrize("spelling, canonical", [
    ("VPCP", "Văn phòng Chính phủ"), ("VP Chính phủ", "Văn phòng Chính phủ"),
    ("van phong chinh phu", "Văn phòng Chính phủ"), ("BNV", "Bộ Nội vụ"), ("BCA", "Bộ Công an"),
    ("bo cong an", "Bộ Công an"), ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
    ("BTTTT", "Bộ Thông tin và Truyền thông"), ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
    ("BKHCN", "Bộ Khoa học và Công nghệ"), ("Bộ Khoa học và\ncông nghệ", "Bộ Khoa học và Công nghệ"),
    ("BKHĐT", "Bộ Kế hoạch và Đầu tư"), ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư"),
    ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"), ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("Bộ Văn hoá, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),  # old tone placement
    ("NHNN", "Ngân hàng Nhà nước Việt Nam"), ("Ngân hàng Nhà nước", "Ngân hàng Nhà nước Việt Nam"),
    ("TTg", "Thủ tướng Chính phủ"), ("Thủ tướng", "Thủ tướng Chính phủ"), ("CP", "Chính phủ"),
    ("UBND", "Ủy ban nhân dân"), ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("HĐND", "Hội đồng nhân dân"), ("TTXVN", "Thông tấn xã Việt Nam"),
    ("Thông tấn xã Việt  Nam", "Thông tấn xã Việt Nam"), ("VTV", "Đài Truyền hình Việt Nam"),
    ("VOV", "Đài Tiếng nói Việt Nam"), ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"), ("UBTVQH", "Ủy ban Thường vụ Quốc hội"),
    ("các bộ, ngành và địa phương", "Các bộ, ngành, địa phương"),
    ("bộ, ngành, địa phương", "Các bộ, ngành, địa phương"),
    ("Các bộ, ngành, địa phương khác có liên quan", "Các bộ, ngành, địa phương"),
    ("Bộ, ngành có liên quan", "Các bộ, ngành"),
    ("Bộ Công an;", "Bộ Công an"),
    ("Sở Du lịch tỉnh X.", "Sở Du lịch tỉnh X"),  # unknown: cleaned, kept as written
])
def test_canonical(spelling, canonical):
    assert TABLE.canonical(spelling) == canonical


CELLS = [
    ("Các bộ, ngành, địa phương", ["Các bộ, ngành, địa phương"]),
    ("Các bộ, ngành và địa phương", ["Các bộ, ngành và địa phương"]),
    ("Văn phòng Chính phủ, Bộ Tài chính, Bộ Thông tin và Truyền thông",
     ["Văn phòng Chính phủ", "Bộ Tài chính", "Bộ Thông tin và Truyền thông"]),
    ("Bộ Thông tin và Truyền thông", ["Bộ Thông tin và Truyền thông"]),
    ("Bộ Văn hóa, Thể thao và Du lịch", ["Bộ Văn hóa, Thể thao và Du lịch"]),
    ("Bộ Khoa học và Công nghệ", ["Bộ Khoa học và Công nghệ"]),
    ("Bộ Công an, \nVăn phòng Chính phủ", ["Bộ Công an", "Văn phòng Chính phủ"]),
    ("Bộ Công an, Bộ Tài chính, Bộ Nội vụ và các bộ, ngành, địa phương khác có liên quan",
     ["Bộ Công an", "Bộ Tài chính", "Bộ Nội vụ", "các bộ, ngành, địa phương khác có liên quan"]),
    ("Các Bộ: Tài chính, Y tế, Tư pháp, Nội vụ", ["Bộ Tài chính", "Bộ Y tế", "Bộ Tư pháp", "Bộ Nội vụ"]),
    ("Các Bộ: Văn hóa, Thể thao và Du lịch, Y tế", ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Y tế"]),
    ("Cơ quan thường trực Tổ công tác - Văn phòng Chính phủ",
     ["Cơ quan thường trực Tổ công tác - Văn phòng Chính phủ"]),
    # Real cells of qd-2629 wrap lines mid-name.
    ("Bộ Công an, Bộ Quốc\nphòng và các bộ, ngành, địa phương khác có liên quan",
     ["Bộ Công an", "Bộ Quốc phòng", "các bộ, ngành, địa phương khác có liên quan"]),
    ("Bộ Khoa học và\nCông nghệ, Bộ Công an, Bộ Giáo dục và Đào tạo",
     ["Bộ Khoa học và Công nghệ", "Bộ Công an", "Bộ Giáo dục và Đào tạo"]),
    ("Bộ Công an, Văn\nphòng Chính phủ", ["Bộ Công an", "Văn phòng Chính phủ"]),
    ("Bộ Nội vụ và các         cơ quan     liên quan", ["Bộ Nội vụ", "các cơ quan liên quan"]),
    ("Thông tấn xã Việt  Nam, Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam",
     ["Thông tấn xã Việt Nam", "Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam"]),
    ("Văn phòng Chính phủ; Bộ Kế hoạch và Đầu tư", ["Văn phòng Chính phủ", "Bộ Kế hoạch và Đầu tư"]),
    ("Các bộ, ngành, địa phương; Hội đồng tư vấn cải cách thủ tục hành chính; cá nhân, tổ chức liên quan",
     ["Các bộ, ngành, địa phương", "Hội đồng tư vấn cải cách thủ tục hành chính",
      "cá nhân, tổ chức liên quan"]),
    ("Ban Công tác đại biểu (Văn phòng Quốc hội phối hợp)", ["Ban Công tác đại biểu (Văn phòng Quốc hội phối hợp)"]),
    ("Ủy ban Tài chính, Ngân sách chủ trì thẩm tra [1]", ["Ủy ban Tài chính, Ngân sách chủ trì thẩm tra [1]"]),
    ("- Sở Tư pháp\n- Sở Nội vụ", ["Sở Tư pháp", "Sở Nội vụ"]),
    ("Các thành viên Ban Chỉ đạo; các bộ, ngành và địa phương",
     ["Các thành viên Ban Chỉ đạo", "các bộ, ngành và địa phương"]),
]


@pytest.mark.parametrize("cell, parts", CELLS)
def test_split_agencies(cell, parts):
    assert list(split_agencies(cell, TABLE)) == parts


def _lead_cells_2629() -> list[str]:
    text = (CORPUS / "qd-2629-2025-ttg.md").read_text(encoding="utf-8")
    cells = (c.strip() for c in text.split("|"))
    return [c for c in cells if re.match(r"(Bộ [A-ZĐ]|Văn phòng|Các bộ|Ban Cơ)", c) and len(c) < 120]


def test_split_real_cells_of_2629_gives_known_agencies():
    cells = _lead_cells_2629()
    assert len(cells) >= 80
    parts = [p for c in cells for p in split_agencies(c, TABLE)]
    unknown = {p for p in parts if TABLE.agency(p) is None}
    # Everything but descriptive tails ("… với các tiêu chuẩn …") and product cells is known.
    assert len(unknown) <= 6, unknown
    assert all("\n" not in p for p in parts)


@pytest.mark.parametrize("text, expected", [
    ("VPCP có trách nhiệm gì?", [("VPCP", "Văn phòng Chính phủ")]),
    ("BCA chủ trì xác thực đồng bộ dữ liệu dân cư đúng không?", [("BCA", "Bộ Công an")]),
    ("ai phoi hop, bo cong an hay van phong chinh phu", [("bo cong an", "Bộ Công an"),
                                                        ("van phong chinh phu", "Văn phòng Chính phủ")]),
    ("Văn phòng UBND tỉnh trình UBND tỉnh", [("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
                                             ("UBND tỉnh", "Ủy ban nhân dân tỉnh")]),
    ("Bộ KH&CN phối hợp với những bộ nào?", [("Bộ KH&CN", "Bộ Khoa học và Công nghệ")]),
    ("Nghị quyết số 76/NQ-CP của Chính phủ về Chính phủ điện tử", [("Chính phủ", "Chính phủ")]),
    ("Quyết định 2629/QĐ-TTg", []),
    # Unknown names: a capitalised word plus at most one lower-case syllable per chunk.
    ("Bộ Lao động mới và Sở Du lịch phối hợp", [("Bộ Lao động", "Bộ Lao động"), ("Sở Du lịch", "Sở Du lịch")]),
    ("Bộ Công Thương chủ trì", [("Bộ Công Thương", "Bộ Công Thương")]),
    ("Bộ chỉ số được ban hành", []),
])
def test_find_agencies(text, expected):
    assert [(text[a:b], c) for (a, b), c in find_agencies(text, TABLE)] == expected


def test_same_agency_and_mentions():
    assert same_agency("BKHCN", "bộ khoa học và công nghệ", TABLE)
    assert not same_agency("Bộ Tư pháp", "Sở Tư pháp", TABLE)
    cell = split_agencies("Bộ Nội vụ và các cơ quan liên quan", TABLE)
    assert mentions("Bộ Nội vụ", cell, TABLE)
    assert mentions("BNV", ("Bộ Nội vụ và các cơ quan liên quan",), TABLE)  # unsplit cell too
    assert not mentions("Bộ Nội vụ", ("các bộ, ngành, địa phương",), TABLE)
    assert mentions("các bộ, ngành và địa phương", ("Các bộ, ngành, địa phương",), TABLE)
    assert mentions("BCA", ("Bộ Công an (Trung tâm Dữ liệu quốc gia)",), TABLE)
    assert mentions("VPCP", ("Cơ quan thường trực Tổ công tác - Văn phòng Chính phủ",), TABLE)
    assert mentions("UBND", ("UBND tỉnh",), TABLE)  # the parent covers its sub-bodies
    assert not mentions("UBND tỉnh", ("UBND",), TABLE)
    assert not mentions("Bộ Tư pháp", ("Sở Tư pháp",), TABLE)
    assert mentions("Trung tâm X", ("Trung tâm X tỉnh Y",), TABLE)  # unknown name inside a part


# --- properties -------------------------------------------------------------------

_SPELLINGS = sorted({s for a in TABLE.agencies for s in (a.name, *a.aliases)})
_SPECIFIC = sorted({a.name for a in TABLE.agencies if a.kind != "group"})


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.sampled_from(_SPELLINGS)))
def test_canonical_is_idempotent(name):
    once = TABLE.canonical(name)
    assert TABLE.canonical(once) == once


def test_every_alias_without_diacritics_has_the_same_canonical():
    for spelling in _SPELLINGS:
        assert TABLE.canonical(fold(spelling)) == TABLE.canonical(spelling), spelling
        assert TABLE.canonical(spelling.upper()) == TABLE.canonical(spelling), spelling


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SPECIFIC), min_size=1, max_size=5), st.sampled_from([", ", "; ", ",\n"]))
def test_split_recovers_known_names(names, sep):
    parts = split_agencies(sep.join(names), TABLE)
    assert list(parts) == names


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_SPELLINGS), st.text(max_size=12)), max_size=5),
       st.sampled_from([", ", "; ", " và ", "\n", "\n- "]))
def test_split_never_empty_and_loses_no_letters(pieces, sep):
    cell = sep.join(pieces)
    parts = split_agencies(cell, TABLE)
    assert all(p and p == clean_name(p) for p in parts)
    joined = key(" ".join(parts))
    for piece in pieces:  # letters of every known name survive, in one part
        if piece in _SPELLINGS:
            assert key(piece) in joined


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_SPELLINGS + ["và", ", ", "QĐ-", "/"]),
                                                max_size=6).map(" ".join)))
def test_find_agencies_spans(text):
    last = 0
    for (a, b), canonical in find_agencies(text, TABLE):
        assert last <= a < b <= len(text) and canonical
        last = b


def test_build_table_accepts_minimal_data():
    table = build_table({"version": "9", "agency": [{"name": "Bộ A", "aliases": ["BA"]}]})
    assert isinstance(table, AliasTable) and table.canonical("ba") == "Bộ A"


@pytest.mark.parametrize("text", [
    "phấn đấu 10% cán bộ xây dựng chính sách từ nguồn thu hút",
    "công khai toàn bộ tài chính của đơn vị",
])
def test_a_head_word_inside_a_common_word_is_no_agency(text):
    assert find_agencies(text, TABLE) == []


def test_the_ministry_is_still_found_after_other_words():
    assert [c for _, c in find_agencies("giao Bộ Xây dựng chủ trì", TABLE)] == ["Bộ Xây dựng"]
    assert [c for _, c in find_agencies("cán bộ của Bộ Xây dựng", TABLE)] == ["Bộ Xây dựng"]
