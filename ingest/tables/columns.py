"""Column roles of a task table, from its header cells, and cell classifiers.

A header cell is mapped to a role by accent-insensitive keywords (``fold``), so
"Cơ quan chủ trì", "CHỦ TRÌ THỰC HIỆN" and "Đơn vị chủ trì" all become ``lead``.
The order of the checks matters: "Phối hợp thực hiện" is a coordinator, not a
lead, and "Thời gian thực hiện" is a deadline, although both contain "thực hiện".
"""
from __future__ import annotations

import re

from ingest.text import fold, squash

NUMBER, DESCRIPTION, LEAD, COORDINATE, DEADLINE, PRODUCT, OTHER = (
    "number", "description", "lead", "coordinate", "deadline", "product", "other",
)

_NUMBER_EXACT = {"tt", "stt", "so tt", "so thu tu", "thu tu", "buoc", "cac buoc", "thu tu cac buoc"}
_COORDINATE = ("phoi hop",)
_DEADLINE = ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc thoi gian", "thoi diem")
_LEAD = ("chu tri", "soan thao", "co quan thuc hien", "don vi thuc hien", "ca nhan thuc hien",
         "nguoi thuc hien", "bo phan thuc hien", "trach nhiem thuc hien")
_PRODUCT = ("san pham", "ket qua", "ho so")
_DESCRIPTION = ("nhiem vu", "noi dung", "ten van ban", "cong viec", "giai phap", "ten de an",
                "ten du an", "hoat dong", "ten chuong trinh")

# Markdown emphasis, Word bookmarks and footnote marks: layout, not content.
_MARKUP = re.compile(r"\[bookmark:[^\]]*\]|\*+|\\(?=[\[\]*_.-])")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")

# A cell holding only an item number: "1", "1.", "2.1", "Bước 3", "Bước 3:".
_NUMBER_CELL = re.compile(r"^(?:bước|buoc|bươc|step)?\s*(\d{1,3}(?:\.\d{1,3})*)\s*[.:)]?$", re.I)
# A proper Roman numeral 1-49 (I..XLIX); a lone "C"/"L" is more likely a letter heading.
ROMAN = r"(?:XL|X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_FULL = re.compile(rf"^(?=[IVXL]){ROMAN}$")
# A section label: Roman "III", letter "A", or a Roman sub-group "III.1", "III.1.1".
_SECTION_LABEL = re.compile(rf"^(?:(?=[IVXL]){ROMAN}|[A-ZĐ])(?:\.\d{{1,3}})*\.?$")
_SECTION_LINE = re.compile(rf"^((?=[IVXL]){ROMAN}|[A-ZĐ])(\.\d{{1,3}})*[.)]\s+\S")


# A year, a date or a decimal: data, never a header cell.
_DATA = re.compile(r"\b(?:1[89]|20)\d\d\b|\d+/\d+|\d+[.,]\d+")


def clean(text: str) -> str:
    """Cell text as it reads: markup removed, whitespace squashed."""
    return squash(_MARKUP.sub("", text or ""))


def clean_agency(text: str) -> str:
    """An agency cell without footnote marks ("Ủy ban Đối ngoại [3]").

    Readers join a Word cell's paragraphs with " / ": before a bullet it separates
    agencies ("- Lãnh đạo UBND tỉnh; / - Lãnh đạo Văn phòng UBND tỉnh"), elsewhere it
    is a line wrapped inside one name ("Văn thư / Văn phòng / UBND tỉnh").
    """
    text = _FOOTNOTE.sub("", _MARKUP.sub("", text or ""))
    text = re.sub(r"\s+/\s+(?=[-–+•]\s)", "\n", text)
    text = re.sub(r"\s+/\s+", " ", text)
    return "\n".join(squash(line) for line in text.split("\n") if line.strip())


def column_role(header: str) -> str:
    """The role of one header cell ("" -> other)."""
    h = " ".join(re.findall(r"\w+", fold(clean(header))))
    if not h:
        return OTHER
    if h in _NUMBER_EXACT or h.startswith(("stt ", "so thu tu", "thu tu cac buoc")):
        return NUMBER
    if any(k in h for k in _COORDINATE):
        return COORDINATE
    if any(k in h for k in _DEADLINE):
        return DEADLINE
    if any(k in h for k in _LEAD):
        return LEAD
    if any(h == k or h.startswith(k + " ") for k in _PRODUCT):
        return PRODUCT
    if any(k in h for k in _DESCRIPTION):
        return DESCRIPTION
    return OTHER


def header_roles(cells: list[str]) -> list[str] | None:
    """Roles of a header row, or None when the row is not a task-table header.

    A task table needs a description column and a lead, coordinator or deadline
    column, or at least a number column with a "nhiệm vụ"/"công việc" description
    (an appendix of delegated tasks has neither lead nor time columns). Header
    cells are short; a row with a long cell is data, not a header.
    """
    texts = [clean(c) for c in cells]
    filled = [t for t in texts if t]
    if len(filled) < 2 or any(len(t) > 90 or _DATA.search(t) for t in filled):
        return None
    if any(number_of(t) is not None for t in filled):
        return None
    roles = unique_roles([column_role(t) for t in texts])
    if DESCRIPTION not in roles:
        return None
    desc = fold(texts[roles.index(DESCRIPTION)])
    if {LEAD, COORDINATE, DEADLINE} & set(roles):
        return roles
    if NUMBER in roles and ("nhiem vu" in desc or "cong viec" in desc):
        return roles
    return None


def unique_roles(roles: list[str]) -> list[str]:
    """Only the first column of each main role keeps it; later ones are "other"."""
    seen: set[str] = set()
    out = []
    for role in roles:
        if role != OTHER and role in seen:
            out.append(OTHER)
            continue
        seen.add(role)
        out.append(role)
    return out


def number_of(cell: str) -> str | None:
    """The item number a number cell holds ("Bước 3" -> "3", "12." -> "12"), else None."""
    m = _NUMBER_CELL.match(clean(cell))
    return m.group(1) if m else None


def is_section_label(cell: str) -> bool:
    """"I", "II.", "A.", "III.1", "*III.1.1*": a label of a section row."""
    return bool(_SECTION_LABEL.match(clean(cell)))


def is_section_line(cell: str) -> bool:
    """A heading written in one cell: "I. NHÓM NHIỆM VỤ CHUNG", "A. CÔNG TÁC …"."""
    return bool(_SECTION_LINE.match(clean(cell)))


def roman_label(heading: str) -> str | None:
    """The Roman numeral a section heading starts with, never a sub-group ("III.1")."""
    m = re.match(r"^([IVXL]+)(?![\w.]*\d)(?=$|[\s.):])", clean(heading))
    if m and _ROMAN_FULL.match(m.group(1)):
        return m.group(1)
    return None


def section_level(label_or_heading: str) -> int:
    """0 for a letter section (A.), 1 for Roman (II.), 2+ for sub-groups (III.1, III.1.1)."""
    t = clean(label_or_heading)
    m = re.match(r"^([IVXLA-ZĐ]+)((?:\.\d+)*)", t)
    if not m:
        return 1
    depth = m.group(2).count(".")
    if depth:
        return 1 + depth
    return 1 if _ROMAN_FULL.match(m.group(1)) else 0


_AGENCY_START = re.compile(
    r"^(?:-\s*)?(?:các |từng |ủy ban|uỷ ban|ubnd|bộ |sở |ban |văn phòng|cơ quan|tổng |công an|"
    r"hội đồng|trung tâm|phòng |thanh tra|đồng chí|tổ |lãnh đạo|công chức|chi cục|cục |viện |"
    r"tòa|kho bạc|đài |thông tấn|đoàn |hội |ngân hàng|bảo hiểm|quân |bộ phận|văn thư|chuyên viên)",
    re.I,
)
_DATE_LIKE = re.compile(
    r"\b(?:năm|tháng|quý|ngày|giờ|thường xuyên|hằng|hàng năm|định kỳ|trước|kỳ họp|phiên họp|"
    r"\d{1,2}/\d{4}|\d{4}\s*-\s*\d{4}|20\d\d)\b",
    re.I,
)


def looks_like_agency(cell: str) -> bool:
    return bool(_AGENCY_START.match(clean(cell)))


def looks_like_date(cell: str) -> bool:
    return bool(_DATE_LIKE.search(clean(cell)))


_STOP = {"co", "quan", "don", "vi", "thuc", "hien", "chu", "tri", "phoi", "hop", "va", "cac", "ten", "so"}


def header_words(header: str) -> set[str]:
    """Salient folded words of a header ("Cơ quan thẩm tra" -> {"tham", "tra"})."""
    return {w for w in re.findall(r"\w+", fold(clean(header))) if w not in _STOP and len(w) > 1}
