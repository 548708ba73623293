"""Doers named in prose: who opens an item ("Sở Nội vụ chủ trì …"), who is assigned
("Giao X …", "đề nghị X …") and who coordinates ("phối hợp với X …").

A phrase counts as a doer when it opens with a known agency name or with a word that
opens the name of one (``_HEADS``; the short ``_SHORT_HEADS`` only before a capital or "các").
"""
from __future__ import annotations

import re

from ingest.agencies import AliasTable, find_agencies, split_agencies
from ingest.text import normalize, squash

# Verbs (and verb-like openers) that end the doer phrase: "Sở Tài chính | chủ trì, …".
_VERBS = (
    "chủ trì|có trách nhiệm|chịu trách nhiệm|theo dõi|tập trung|khẩn trương|hoàn thành|thực hiện|"
    "triển khai|tổ chức|xây dựng|chỉ đạo|rà soát|kiện toàn|tăng cường|bố trí|phối hợp|tham mưu|"
    "chủ động|nghiên cứu|căn cứ|đôn đốc|báo cáo|giải quyết|khắc phục|kịp thời|nghiêm túc|tiếp tục|"
    "quán triệt|ban hành|hướng dẫn|là cơ quan|là đầu mối|theo chức năng|kiểm tra|cần|phải|quan tâm|"
    "đẩy mạnh|nâng cao|loại bỏ|bảo đảm|đảm bảo|ưu tiên|cập nhật|cung cấp|xử lý|duy trì|đề xuất|"
    "phân công|bàn giao|trình|sớm|tích cực|thường xuyên|trực tiếp|tham gia|làm việc|"
    "hỗ trợ|xuất cấp|cứu trợ|huy động|vận động|tuyên truyền|phổ biến|tổng hợp|đánh giá|tiếp nhận|chuẩn bị|"
    "xem xét|điều chỉnh|giám sát|thống kê|tổng kết|sơ kết|tập huấn|sửa đổi|bổ sung|làm rõ|phát động|"
    "hoàn thiện|nâng cấp|kết nối|tích hợp|số hóa|công bố|công khai|vận hành|thẩm định|phê duyệt|thành lập"
).split("|")
VERB_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(v) for v in sorted(_VERBS, key=len, reverse=True)) + r")(?!\w)"
)
# "tổ chức" is also a noun in a list of doers ("các cơ quan, tổ chức"); "trình" ends "chương trình".
_NOUN_BEFORE = re.compile(r"(?:,|các|và|chương|quy|tờ|lộ|công)\s*$", re.I)
_TRIGGER = re.compile(r"(?<![\w])(?<!được )(?<!bàn )(?<!chuyển )(?:[Gg]iao|[Đđ]ề nghị|[Yy]êu cầu)\s+")
_COORD = re.compile(r"(?<!\w)phối hợp\s+(?:với|cùng)\s+", re.I)
_STOP_PHRASE = re.compile(r"[.;:]|\s(?:để|nhằm|trong|theo|về|tại)\s")
# "phòng có cá nhân vi phạm (cụ thể phòng Nội vụ, …)": the doers are inside; but in "Sở Nội vụ
# (Cơ quan thường trực Ban …)" the parenthesis only describes the doer before it.
_INNER = re.compile(r"\((?:cụ thể|gồm|như|là)\s*:?\s*([^()]{3,200})\)")
_LEAD_PREFIX = re.compile(r"^(?:giao|đề nghị|yêu cầu|khuyến khích)\s+", re.I)
_COMMA = re.compile(r",\s+(?=\S)")
_ADVERBIAL = re.compile(r"^(?:căn cứ|trên cơ sở|để|nhằm|theo|thực hiện)(?!\w)", re.I)
_TRAIL = re.compile(r"(?:[\s,;:.–-]|(?<!\w)(?:được|và|cần|phải|để|đã|sẽ|có))+$")
# Words that open the name of a doer; the short ambiguous ones need a capital or "các" after.
_HEADS = (
    "bộ trưởng|thủ trưởng|chủ tịch|giám đốc|chánh văn phòng|người đứng đầu|ủy ban|ubnd|hđnd|"
    "văn phòng|cơ quan|công an|thanh tra|trung tâm|hội đồng|tổng cục|chi cục|ngân hàng|kho bạc|"
    "đơn vị|địa phương|tỉnh ủy|thành ủy|huyện ủy|đảng ủy|cấp ủy|mặt trận|viện|trưởng|thành viên|"
    "bộ phận|cán bộ|công chức|bảo hiểm|bộ chỉ huy|tòa án|kiểm toán|tập đoàn|tổng công ty|chính phủ|"
    "thủ tướng|bí thư|doanh nghiệp|lãnh đạo|chi nhánh|cá nhân|tổ chức|phòng ban|phòng, ban|thường trực"
).split("|")
_SHORT_HEADS = ("bộ", "sở", "ban", "phòng", "cục", "đài", "báo", "hội", "đoàn", "tổ", "trường", "ngành")
_NOT_DOERS = ("phòng, chống", "phòng chống", "bộ máy", "bộ thủ tục", "bộ chỉ số", "bộ tiêu chí")


def _doer_like(phrase: str, table: AliasTable) -> bool:
    """Does the phrase name a doer (an agency, an office holder, "các Sở, ngành" …)?"""
    words = normalize(phrase).split()
    if not words or len(words) > 40:
        return False
    # A known name must open the phrase: "Việc … của Bộ Công an" names no doer.
    if any(phrase[:a].strip().lower() in ("", "các", "những") for (a, _), _ in find_agencies(phrase, table)):
        return True
    while words and words[0].lower() in ("các", "những", "toàn", "thể"):
        words = words[1:]
    low = " ".join(words).lower()
    if not low or low.startswith(_NOT_DOERS):
        return False
    if any(low == h or low.startswith((h + " ", h + ",")) for h in _HEADS):
        return True
    if words[0].lower().rstrip(",") in _SHORT_HEADS:
        # "Bộ Tư pháp", "Sở, ngành", "phòng Nội vụ" — but not "bộ máy", "hội nghị".
        return len(words) == 1 or words[0].endswith(",") or words[1][:1].isupper() or words[1] == "các"
    return False


def _before_verb(text: str) -> str:
    """The phrase before the first lower-case verb ("Sở Nội vụ | chủ trì …")."""
    for m in VERB_RE.finditer(text):
        if m.start() == 0:
            continue
        if _NOUN_BEFORE.search(text[max(0, m.start() - 9):m.start()]) and m.group() in ("tổ chức", "trình"):
            continue
        return text[:m.start()]
    return text


def _clean_phrase(phrase: str) -> str:
    phrase = _LEAD_PREFIX.sub("", squash(phrase))
    phrase = re.sub(r"(?<!\w)(các|những)\s+\1(?!\w)", r"\1", phrase)  # "các các bộ" (a typo)
    inner = _INNER.search(phrase)
    if inner and len(phrase) > len(inner.group(0)) + 3:
        phrase = inner.group(1)  # "phòng có cá nhân vi phạm (cụ thể phòng Nội vụ, …)"
    phrase = re.sub(r"\([^)]*$", "", phrase)  # an unclosed parenthesis
    return _TRAIL.sub("", phrase).strip()


_TOPIC = re.compile(r"^(?:Về|Đối với)\s[^:]{3,400}?:\s*(?=\S)")


def head_doer(head: str, table: AliasTable) -> str:
    """The doer opening an item: "Bộ Nội vụ, là cơ quan thường trực …, có trách nhiệm:"; after
    the topic of a conclusion ("Về dự án …: Bộ Xây dựng khẩn trương …")."""
    topic = _TOPIC.match(head)
    text = _LEAD_PREFIX.sub("", head[topic.end():] if topic else head)
    if _ADVERBIAL.match(text):
        # "Căn cứ vào Chỉ số …, các bộ, … tổ chức rà soát": the doer follows a comma.
        m = _COMMA.search(text)
        while m and not _doer_like(text[m.end():m.end() + 60], table):
            m = _COMMA.search(text, m.end())
        if not m:
            return ""
        text = text[m.end():]
    if VERB_RE.match(text[:1].lower() + text[1:]):
        return ""
    phrase = _clean_phrase(_before_verb(text))
    return phrase if _doer_like(phrase, table) else ""


def assigned_doers(text: str, table: AliasTable) -> list[str]:
    """Doers named after "Giao" / "đề nghị" / "yêu cầu", in order."""
    found = []
    for m in _TRIGGER.finditer(text):
        rest = text[m.end():m.end() + 300]
        phrase = _clean_phrase(_before_verb(rest)[:250])
        if phrase and phrase != rest.strip() and _doer_like(phrase, table):
            found.append(phrase)
    return found


def coordinators(text: str, table: AliasTable) -> list[str]:
    found = []
    for m in _COORD.finditer(text):
        rest = text[m.end():m.end() + 300]
        stop = _STOP_PHRASE.search(rest)
        phrase = _clean_phrase(_before_verb(rest[:stop.start()] if stop else rest))
        if _doer_like(phrase, table):
            found.append(phrase)
    return found


def split_names(phrases: list[str], table: AliasTable) -> tuple[str, ...]:
    out: list[str] = []
    for phrase in phrases:
        out.extend(n for n in split_agencies(phrase, table) if n and n not in out)
    return tuple(out)
