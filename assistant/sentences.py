"""Pick the sentence of a passage that answers a question (extractive, exact spans)."""
from __future__ import annotations

import re
from functools import lru_cache

from ingest.text import fold

# A sentence ends at . ; ! ? (or ":" unless a value follows on the same line: "Mức khoán bảo vệ
# rừng phòng hộ: 1.386.000 đồng/ha/năm" is one sentence), a blank line, or a new point or bullet.
_SENT_END = re.compile(r"(?<=[.;!?])\s+(?=[\-–•*(]?\s*[A-ZĐÀ-Ỹ0-9a-z])|(?<=:)(?:[ \t]+(?=[\-–•*(]?[ \t]*[A-ZĐÀ-Ỹa-z])|[ \t]*\n\s*(?=[\-–•*(]?\s*[A-ZĐÀ-Ỹ0-9a-z]))"
                       r"|\n\s*\n|\n(?=\s*(?:[-–•](?!\s*\d)|\d+\.(?=\s)|[a-zđ]\)|\*\*))")
_DURATION = re.compile(r"\d+\s*(ngày|giờ|tháng|năm|phút)", re.I)
_MONEY = re.compile(r"\d[\d.,]*\s*(đồng|triệu|nghìn|tỷ|vnđ)", re.I)
_PERCENT = re.compile(r"\d\s*%|phần trăm", re.I)
_DATE = re.compile(r"\d{1,2}\s*(/|tháng)\s*\d{1,2}|ngày\s+\d", re.I)
# The asked part of a question follows its question word: "Đoàn thẩm định có mấy ngày để
# [thẩm định và ban hành kết quả]", "cơ quan nào [chủ trì nhiệm vụ số hóa hồ sơ]".
_WH = re.compile(r"\b(?:bao nhieu|bao lau|may|nao|gi|ai|khi nao)\b")
FOCUS_WEIGHT = 1.0  # the asked part counts twice: the sentence that answers holds that action
_STOP = set("cua cac va la co cho theo trong ve voi duoc nhung mot de tai tu khi thi nay do nao gi ai".split())


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for m in _SENT_END.finditer(text, start, end):
        if m.start() > cursor:
            spans.append((cursor, m.start()))
        cursor = m.end()
    if cursor < end:
        spans.append((cursor, end))
    # Headings and labels alone ("**Chương I**", "Số: 3668/…") are not answers.
    return [(a, b) for a, b in spans if len(re.findall(r"[^\W\d_]", text[a:b])) >= 20]


@lru_cache(maxsize=50_000)  # documents do not change between questions: fold each sentence once
def _grams(text: str) -> frozenset[str]:
    words = [w for w in re.findall(r"\w+", fold(text))]
    content = [w for w in words if w not in _STOP]
    # Bigrams and trigrams: a phrase the question repeats word for word outweighs scattered words.
    return (frozenset(content) | {a + " " + b for a, b in zip(words, words[1:])}
            | {" ".join(t) for t in zip(words, words[1:], words[2:])})


def focus_grams(question: str) -> frozenset[str]:
    """Grams of the words after the question word ("… mấy ngày để X" → X); empty when it ends the question."""
    folded = fold(question)
    m = _WH.search(folded)
    rest = _grams(folded[m.end():]) if m else frozenset()
    # A short tail ("… do những ai thực hiện") is a generic verb, not the asked action.
    return rest if sum(" " not in g for g in rest) >= 3 else frozenset()


def score_sentence(sentence: str, question_grams: set[str], want: str | None,
                   focus: frozenset[str] = frozenset()) -> float:
    grams = _grams(sentence)
    overlap = len(grams & question_grams) + FOCUS_WEIGHT * len(grams & focus)
    bonus = 0.0
    if want == "duration" and _DURATION.search(sentence):
        bonus += 2.0
    if want == "date" and (_DATE.search(sentence) or _DURATION.search(sentence)):
        bonus += 2.0
    if want == "money" and _MONEY.search(sentence):
        bonus += 2.0
    if want == "percent" and _PERCENT.search(sentence):
        bonus += 2.0
    if want == "number" and re.search(r"\d", sentence):
        bonus += 1.5
    return overlap + bonus - 0.002 * len(sentence)


def score_text(text: str, question: str, want: str | None = None, ignore: frozenset[str] = frozenset()) -> float:
    """A candidate that is no sentence of the text (a table row read with its header), scored
    as ``best_sentences`` scores sentences."""
    return score_sentence(text, _grams(question) - ignore, want, focus_grams(question) - ignore)


def _bare(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(re.sub(r"^\W*Điều\s+\d+\w?\s*\.", "", text.strip()))))


def best_sentences(text: str, start: int, end: int, question: str, want: str | None = None,
                   n: int = 1, skip: str = "", ignore: frozenset[str] = frozenset()) -> list[tuple[int, int, float]]:
    """The n sentences of text[start:end] that best answer the question; ``skip`` is a heading
    (an article's title) that is never an answer by itself; ``ignore`` are question words
    and bigrams that do not discriminate (the title of the document asked about)."""
    q = _grams(question) - ignore
    focus = focus_grams(question) - ignore
    heading = _bare(skip) if skip else None
    spans = [(a, b) for a, b in sentence_spans(text, start, end) if heading is None or _bare(text[a:b]) != heading]
    scored = [(a, b, score_sentence(text[a:b], q, want, focus)) for a, b in spans]
    scored.sort(key=lambda x: -x[2])
    return scored[:n]


def title_overlap(title: str, question: str) -> float:
    """Share of a title's content words and bigrams found in the question, scaled to 0–10."""
    if not title:
        return 0.0
    grams = _grams(title)
    return 10.0 * len(grams & _grams(question)) / max(len(grams), 1)


def grams(text: str) -> frozenset[str]:
    return _grams(text)


# A table of amounts states its unit once: "Đơn vị tính: Nghìn đồng/người học/tháng".
_MONEY_UNIT = re.compile(r"đơn vị( tính)?\s*:?\s*[^\n]{0,20}?(đồng|nghìn|triệu|tỷ)", re.I)


def has_money(text: str) -> bool:
    return _MONEY.search(text) is not None or (_MONEY_UNIT.search(text) is not None and re.search(r"\d", text) is not None)


def has_date(text: str) -> bool:
    return _DATE.search(text) is not None


def has_percent(text: str) -> bool:
    return _PERCENT.search(text) is not None


# Measures a count may be asked in, folded, each with the ways a text writes it after the number.
UNITS: dict[str, tuple[str, ...]] = {
    "met": ("m", "met"), "m": ("m", "met"), "km": ("km", "ki lo met", "kilomet"), "ha": ("ha", "hecta", "hec ta"),
    "hecta": ("ha", "hecta"), "tan": ("tan",), "kg": ("kg", "ki lo gam", "kilogam"), "nguoi": ("nguoi",),
    "lit": ("lit", "l"), "m2": ("m2", "met vuong"), "m3": ("m3", "met khoi"), "km2": ("km2", "ki lo met vuong"),
}

def holds_value(text: str, kind: str, unit: str | None = None) -> bool:
    """Does the text hold a value of the asked kind (a date, a duration, an amount, a share, a
    count) — a count asked in a measure ("bao nhiêu mét") with that measure after the number?"""
    if kind == "number" and unit:
        spellings = "|".join(re.escape(u) for u in UNITS.get(unit, (unit,)))
        return re.search(rf"\d(?:[\d.,]*\d)?\s*(?:{spellings})\b", fold(text)) is not None
    if kind == "money":
        return has_money(text)
    if kind == "percent":
        return has_percent(text)
    if kind == "duration":
        return _DURATION.search(text) is not None
    if kind == "date":
        from ingest.deadlines import find_deadlines

        return has_date(text) or _DURATION.search(text) is not None or bool(find_deadlines(text))
    return re.search(r"\d", text) is not None
