"""Understand: the one place that reads a question's text. Pure.

``parse_question`` turns the text into a typed ``Question``: what is asked (intent, the kind of
value wanted, every document field asked), about which agency, document, task number, article,
period and year. Every later stage reads the ``Question``, never the text again.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from assistant.sentences import UNITS
from ingest.agencies import find_agencies, load_aliases
from ingest.deadlines import parse_period
from ingest.text import fold, normalize

Intent = Literal["lead", "coordinate", "deadline", "product", "list", "due", "doc", "fact"]
DocField = Literal["signer", "effective", "relations", "recipients", "number", "date"]
# The kind of value an answer must hold: an amount of money, a share, a duration, a date, a count.
ValueKind = Literal["money", "percent", "duration", "date", "number"]
WHO_WHEN: tuple[Intent, ...] = ("lead", "coordinate", "deadline", "product")

# Intent cues on folded text (no diacritics), most specific first. Each: (intent, pattern).
_DOC_FIELDS = (
    ("signer", r"\b(ai ky|do ai ky|nguoi ky|ky ban hanh boi|ky boi)\b"),
    ("effective", r"\bhieu luc\b"),
    ("relations", r"\b(thay the|bai bo|sua doi bo sung) (van ban|quyet dinh|nghi dinh|nghi quyet|thong tu|ke hoach)? ?nao\b"),
    ("recipients", r"\b(gui (nhung )?(ai|co quan nao|nhung co quan nao|den ai)|kinh gui)\b"),
    ("number", r"\b(so hieu|so (van ban )?la (bao nhieu|gi))\b"),
    ("date", r"\b(ban hanh|ky) (vao )?(ngay nao|khi nao|bao gio)\b|\bngay ban hanh\b"),
)
# Further fields a question asks beside its main one ("ban hành ngày nào, ai ký?").
_MORE_FIELDS: tuple[tuple[DocField, str], ...] = (
    ("signer", r"\b(ai ky|do ai ky|nguoi ky)\b"), ("date", r"\b(ngay nao|ngay ban hanh)\b"),
    ("effective", r"\bhieu luc\b"), ("relations", r"\b(thay the|bai bo)\b"), ("recipients", r"\bgui\b"),
    ("number", r"\bso hieu\b"),
)
_LIST = r"\b(nhung|cac) (nhiem vu|viec|cong viec|van ban|trach nhiem|noi dung)\b|\bnhiem vu (gi|nao)\b|\bviec gi\b|\btrach nhiem gi\b|\bvan ban nao\b"
_COORD = r"\bphoi hop\b"
_DEADLINE = r"\b(khi nao|thoi han|han (chot|cuoi|hoan thanh|la)?|bao gio|thoi gian|truoc ngay nao|bao lau|may ngay|ngay nao|thang nao|nam nao|ky hop nao|tien do|den het ngay nao|den khi nao)\b"
_WHEN_ASKED = (r"\b(khi nao|bao gio|ngay nao|thang nao|nam nao|quy nao|bao lau|may ngay|han chot|truoc ngay nao|"
               r"den ngay nao|den khi nao|ky hop nao|thoi han (la|den|hoan thanh|bao))\b")
_WHO_ASKED = r"\b(ai|co quan nao|don vi nao|bo nao|so nao|nganh nao|ban nao|to chuc nao|cap nao)\b"
_LEAD = r"\b(chu tri|ai|co quan nao|don vi nao|bo nao|so nao|do ai|chiu trach nhiem|giao cho ai|thuc hien boi)\b"
_PRODUCT = r"\b(san pham|ket qua (la|cua)?\s*(gi|nao))\b"
_FOLLOWUP_START = r"^(con|the con|vay con|con ve|con viec|the|va)\b"
# An amount asked: "bao nhiêu tiền/tỷ đồng", "mức phạt (tiền)", "lệ phí cấp giấy phép … là bao nhiêu".
_MONEY = (r"\bbao nhieu (tien|dong|ty|trieu|nghin|ngan)\b|\b(muc phat|phat tien|tien phat|muc phi|muc thu)\b"
          r"|\b(le phi|phi|kinh phi|chi phi|von)\b(?! (thuong mai|chinh phu))[^?]{0,60}?\b(la )?(bao nhieu|may)\b"
          r"(?! (kg|tan|ngay|gio|thang|nam|nguoi|lan|phan tram|%))")
_QUESTION_WORDS = re.compile(
    r"\b(co quan nao|don vi nao|cac co quan nao|nhung co quan nao|bo nao|so nao|ai|gi|nao|khi nao|bao gio|"
    r"bao lau|the nao|la|co|khong|dung khong|phai khong|hay|cho biet|xin|vay|the|a|ha|nhe|con|duoc|bao nhieu|may)\b"
)
_DOC_REF = re.compile(
    r"\b(quyet dinh|qd|ke hoach|kh|nghi dinh|nd|nghi quyet|nq|cong dien|cd|cong van|cv|thong tu|tt|"
    r"chi thi|ct|thong bao|tb|quy che)\s*(?:so\s*)?(\d{1,5})(?:\s*/\s*(\d{4}))?",
)
_FULL_NUMBER = re.compile(r"\b(\d{1,5}(?:/\d{4})?/[a-z\u0111]+\d*(?:-[a-z0-9\u0111]+)*)\b")  # "60/2024/qh15"


# "trong kế hoạch cải cách hành chính", "theo quy chế phản ánh kiến nghị tỉnh Bắc Ninh": a document
# named by its kind and subject rather than its number.
_DESCRIPTOR = re.compile(
    r"(?:^|\b(?:trong|theo|cua|tai|thuoc|o)\s+)(ke hoach|quyet dinh|chuong trinh|nghi dinh|nghi quyet|cong van|"
    r"cong dien|quy che|thong tu|chi thi|thong bao|quy trinh|de an)\s+([a-z0-9\u0111 ]+)"
)
_DESCRIPTOR_END = re.compile(r"\b(thi|la|co|ai|nao|gi|duoc|do|giao|cho|khi|bao|phai|can|se|da)\b")


def doc_descriptor(folded_expanded: str) -> tuple[str, tuple[str, ...]] | None:
    """(kind, subject words) of a document named by its subject; None when there is none."""
    m = _DESCRIPTOR.search(folded_expanded)
    if not m:
        return None
    subject = _DESCRIPTOR_END.split(m.group(2))[0]
    words = tuple(w for w in subject.split() if (not w.isdigit() or len(w) == 4) and w not in ("so", "nam", "ve", "viec"))[:8]
    return (m.group(1), words) if len(words) >= 2 else None


@dataclass(frozen=True)
class DocRef:
    kind: str  # folded type word as typed: "qd", "ke hoach", …
    number: str  # "2629"
    year: str | None = None


@dataclass(frozen=True)
class Ask:
    """One of the things a question asks when it asks two ("… bao nhiêu trạm …, và nâng tổng số
    lên bao nhiêu?"): its own words and the kind of value its answer holds."""
    text: str
    value_kind: ValueKind | None
    asks_value: bool


@dataclass(frozen=True)
class Question:
    text: str
    folded: str
    intent: Intent
    doc_field: DocField | None
    agencies: tuple[str, ...]
    agency_texts: tuple[str, ...]  # the same agencies as the user wrote them
    doc_refs: tuple[DocRef, ...]
    full_numbers: tuple[str, ...]
    period: tuple[date, date] | None
    search_text: str  # the question with abbreviations expanded, for retrieval
    content_words: tuple[str, ...]  # folded words that carry the topic
    continuation: bool  # "còn …?", "thế còn …?"
    wants_money: bool
    wants_share: bool = False  # "bao nhiêu phần trăm", "tỷ lệ là bao nhiêu"
    descriptor: tuple[str, tuple[str, ...]] | None = None  # ("ke hoach", ("cai", "cach", …))
    # Words that name the document the question is restricted to: they cannot tell its parts apart.
    doc_words: frozenset[str] = frozenset()
    value_kind: ValueKind | None = None  # the kind of value the answering sentence should hold
    unit: str | None = None  # the measure a count is asked in ("bao nhiêu mét" -> "met"), folded
    doc_fields: tuple[DocField, ...] = ()  # every document field asked, the main one first
    task_number: str | None = None  # "nhiệm vụ số 12", "nhiệm vụ III.2"
    article: str | None = None  # "Điều 12" -> "12"
    years: tuple[str, ...] = ()  # years the question names ("năm 2024")
    plain: bool = False  # typed without diacritics
    # The value kind is asked outright ("bao nhiêu", "khi nào", "bao lâu"), not only hinted at
    # ("lệ phí … có được hoàn lại không"): the answering sentence must then hold one.
    asks_value: bool = False
    # Numbered parts named: ("mau", "12"), ("phu luc", "iii"), ("khoan", "4"), ("dieu", "35").
    references: tuple[tuple[str, str], ...] = ()
    asks: tuple[Ask, ...] = ()  # the two asks of a question that asks two things; () for one

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles asked of an agency: "chủ trì", "phối hợp" (none: any role)."""
        return tuple(r for r, w in (("lead", "chu tri"), ("coordinate", "phoi hop")) if w in self.folded)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    import ingest

    data = tomllib.loads((Path(ingest.__file__).parent / "data" / "abbreviations.toml").read_text("utf-8"))
    return data["expand"]


def expand_abbreviations(text: str, keep: bool = True) -> str:
    """ "CCHC" -> "CCHC (cải cách hành chính)" (keep) or "cải cách hành chính"."""
    table = _abbreviations()

    def repl(m: re.Match) -> str:
        word = m.group(0)
        full = table.get(word.lower())
        return (f"{word} ({full})" if keep else full) if full else word

    return re.sub(r"\b\w+\b", repl, text)


def detect_intent(folded: str, has_period: bool) -> tuple[Intent, DocField | None]:
    for field, pattern in _DOC_FIELDS:
        if re.search(pattern, folded):
            return "doc", field
    is_list = re.search(_LIST, folded) is not None
    if has_period and (is_list or re.search(r"\b(phai (xong|hoan thanh|lam)|den han|hoan thanh trong)\b", folded)):
        return "due", None
    if is_list:
        return "list", None
    if re.search(_COORD, folded) and re.search(r"\b(nao|ai|gi|nhung)\b", folded):
        return "coordinate", None
    # A time asked outright wins; then who is asked ("bộ nào chỉ đạo … tiến độ thi công" asks who);
    # then words that only hint at a time ("tiến độ", "thời gian").
    if re.search(_WHEN_ASKED, folded):
        return "deadline", None
    if re.search(_WHO_ASKED, folded) and not re.search(_PRODUCT, folded):
        return "lead", None
    if re.search(_DEADLINE, folded):
        return "deadline", None
    if re.search(_PRODUCT, folded):
        return "product", None
    if re.search(_LEAD, folded):
        return "lead", None
    return "fact", None


def content_words(folded: str) -> tuple[str, ...]:
    stripped = _QUESTION_WORDS.sub(" ", folded)
    return tuple(w for w in re.findall(r"\w+", stripped) if len(w) > 1 or w.isdigit())


def asks_share(folded_question: str) -> bool:
    # "tỷ lệ hồ sơ số hóa là bao nhiêu": the share may be named a few words before the question word.
    return re.search(r"bao nhieu (%|phan tram)|\bty le\b[^?.;]{0,60}?\bbao nhieu\b|may phan tram", folded_question) is not None


def value_kind(folded: str, intent: Intent) -> ValueKind | None:
    """The kind of value the answering sentence should hold (a bonus in sentence choice; a hard
    requirement when ``asks_value``). A time asked outright ("kinh phí … trước ngày nào") wins
    over a word that only hints at money."""
    if re.search(r"bao nhieu tien|bao nhieu dong|muc (phi|phat|thu|chi)\b[^?]*bao nhieu", folded):
        return "money"
    if asks_share(folded):
        return "percent"
    if re.search(r"bao lau|may ngay|bao nhieu ngay|thoi han|thoi gian", folded):
        return "duration"
    if re.search(r"\bky hop\b", folded):
        return None  # "tại kỳ họp nào": an event, not a date
    if intent == "deadline" or re.search(r"ngay nao|khi nao|tu ngay|den ngay", folded):
        return "date"
    if re.search(r"muc phi|le phi|kinh phi", folded):
        return "money"
    if re.search(r"bao nhieu|may\b|so luong", folded):
        return "number"
    return None


_UNIT = re.compile(r"\b(?:bao nhieu|may)\s+(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\b")


def asked_unit(folded: str) -> str | None:
    """The measure a count is asked in ("dài bao nhiêu mét"), or None."""
    m = _UNIT.search(folded)
    return m.group(1) if m else None


_ASKS_VALUE = re.compile(
    r"\b(bao nhieu|bao lau|may (ngay|gio|thang|nam|lan|phan tram)|khi nao|bao gio|ngay nao|thang nao|nam nao|"
    r"thoi han (la )?(gi|bao)|han chot|truoc ngay nao|den ngay nao|ty le)\b")


def asks_value(folded: str, kind: ValueKind | None, wants_money: bool) -> bool:
    if kind == "money":
        return wants_money
    return kind is not None and _ASKS_VALUE.search(folded) is not None


# Words that make a clause a question; a clause without one only continues the one before.
_ASK_WORD = re.compile(r"\b(bao nhieu|bao lau|khi nao|bao gio|the nao|nao|gi|ai|may)\b")
_ASK_JOIN = re.compile(r"\s*(?:[,;]\s*(?:va\s+|con\s+)?|\s+va\s+)")


def split_asks(text: str, intent: Intent) -> tuple[Ask, ...]:
    """The two asks of a question that joins two questions ("… là loại quỹ gì và được hình thành
    từ những nguồn nào?"): split where a question word stands on both sides; () otherwise.
    Document fields have their own list (``doc_fields``); a task row answers its fields whole."""
    if intent not in ("fact", "deadline", "product"):
        return ()
    folded = fold(text)  # same length as text: positions carry over
    words = [m.start() for m in _ASK_WORD.finditer(folded)]
    for m in _ASK_JOIN.finditer(folded):
        if words and words[0] < m.start() and any(w >= m.end() for w in words):
            parts = (text[:m.start()], text[m.end():])
            return tuple(Ask(p, value_kind(fold(p), "fact"), asks_value(fold(p), value_kind(fold(p), "fact"), False))
                         for p in parts)
    return ()


def doc_fields(folded: str, main: DocField | None) -> tuple[DocField, ...]:
    """Every document field asked, the main one first ("ban hành ngày nào, ai ký?": date, signer)."""
    if main is None:
        return ()
    return (main,) + tuple(f for f, p in _MORE_FIELDS if f != main and re.search(p, folded))


# "nhiệm vụ số 12", "nhiệm vụ thứ 3", "nhiệm vụ III.2": a task asked by its number.
_TASK_NUMBER = re.compile(
    r"\bnhiem vu(?: [a-z]+){0,2}? (?:so |thu )?((?:[ivxl]+\.)?\d{1,3}(?:\.\d{1,3})*(?:\.?[a-z]\b)?)(?![\d/])")
_REFERENCE = re.compile(r"\b(mau|phu luc|khoan|dieu|muc|bieu mau)\s+(?:so\s+)?(\d{1,3}[a-z]?|[ivxl]{1,6})\b(?![/.]\d)")
_ARTICLE = re.compile(r"\bdieu (\d{1,3}[a-z]?)\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def task_number(folded: str) -> str | None:
    m = _TASK_NUMBER.search(folded)
    if not m:
        return None
    roman, _, rest = m.group(1).rpartition(".") if re.match(r"[ivxl]+\.", m.group(1)) else ("", "", m.group(1))
    return f"{roman.upper()}.{rest}" if roman else rest


def asked_years(text: str, folded: str) -> tuple[str, ...]:
    """Years the question names, except those inside a document's number ("NĐ 88/2024",
    "60/2024/QH15"): they name the document, not the time asked about."""
    inside = " ".join(m.group(0) for m in _FULL_NUMBER.finditer(folded))
    inside += " " + " ".join(m.group(0) for m in _DOC_REF.finditer(folded))
    return tuple(dict.fromkeys(y for y in _YEAR.findall(text) if y not in inside))


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def _with_agency_names(search: str, found, text: str) -> str:
    """Agencies typed short in lower case, as on a phone ("bo gddt", "vpcp"), are searched under
    their full names too. Capitals ("UBND tỉnh", "VPCP") are how documents write them as well,
    and adding the full name then outweighed the rest of the question."""
    names = [name for (a, b), name in found
             if text[a:b].islower() and fold(text[a:b]) != fold(name) and fold(name) not in fold(search)]
    return search + "".join(f" ({name})" for name in dict.fromkeys(names))


def merged(q: Question, intent: Intent, asked: str, doc_field: DocField | None) -> Question:
    """A follow-up ("còn Bộ Y tế?") read with the asked part of the question before it."""
    folded = f"{q.folded} {fold(asked)}".strip()
    field = q.doc_field or doc_field
    kind = value_kind(folded, intent)
    return replace(q, intent=intent, search_text=f"{q.search_text} {asked}".strip(), folded=folded,
                   doc_field=field, doc_fields=doc_fields(folded, field), value_kind=kind,
                   asks_value=asks_value(folded, kind, q.wants_money))


def parse_question(question: str, today: date | None = None) -> Question:
    text = normalize(" ".join(question.split()))
    folded = fold(text)
    period = parse_period(text, today or date.today())
    intent, field = detect_intent(folded, period is not None)
    table = load_aliases()
    found = find_agencies(text, table)
    agencies = tuple(dict.fromkeys(name for _, name in found))
    agency_texts = tuple(dict.fromkeys(text[a:b] for (a, b), _ in found))
    refs = tuple(DocRef(m.group(1), m.group(2), m.group(3)) for m in _DOC_REF.finditer(folded))
    article = _ARTICLE.search(folded)
    q = Question(
        text=text, folded=folded, intent=intent, doc_field=field, agencies=agencies,
        agency_texts=agency_texts, doc_refs=refs,
        full_numbers=tuple(m.group(1) for m in _FULL_NUMBER.finditer(folded)), period=period,
        search_text=_with_agency_names(expand_abbreviations(text), found, text), content_words=content_words(folded),
        continuation=re.search(_FOLLOWUP_START, folded) is not None,
        wants_money=re.search(_MONEY, folded) is not None, wants_share=asks_share(folded),
        descriptor=doc_descriptor(fold(expand_abbreviations(text, keep=False))),
        value_kind=value_kind(folded, intent), unit=asked_unit(folded), doc_fields=doc_fields(folded, field),
        task_number=task_number(folded), article=article.group(1) if article else None,
        years=asked_years(text, folded), plain=not has_diacritics(text),
        references=tuple(dict.fromkeys((m.group(1), m.group(2)) for m in _REFERENCE.finditer(folded))),
    )
    return replace(q, asks_value=asks_value(folded, q.value_kind, q.wants_money),
                   asks=split_asks(expand_abbreviations(text), intent))
