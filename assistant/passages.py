"""Read the answer from a passage: the sentence(s) that answer, quoted exactly, with what a
reader needs around them, or not found when the passage does not hold what was asked.

- The kind of value asked (a date, a duration, an amount, a share, a count) must be in the
  sentence that answers; a passage without one does not answer ("bao nhiêu ngày …").
- The document's header (number, place and date, title) is not an answer to a content question.
- A point under a khoản that names its doer ("1. Sở Tài chính: … a) Chủ trì thẩm định …") is read
  with that doer: the point alone does not say who.
- A sentence that opens a list ("… trong các trường hợp sau đây:") is read with its items, or
  with the rest of its sentence when the value follows the colon on its line ("… theo mẫu: A.").
- The legal grounds before the body (``grounds.py``) answer only a question about them.
"""
from __future__ import annotations

import re
from typing import Sequence

from assistant.compose import evidence_citations, fixed, not_found, task_result
from assistant.evidence import Doc, citation, task_view
from assistant.grounds import asks_grounds, in_grounds
from assistant.retrieve import Evidence
from assistant.sentences import best_sentences, has_date, holds_value, score_text
from assistant.table_rows import table_rows
from assistant.types import Answer
from assistant.understand import Question
from ingest.agencies import find_agencies, load_aliases
from ingest.boilerplate import body_span
from ingest.deadlines import find_deadlines
from ingest.prose_doers import head_doer
from ingest.text import fold
from ingest.types import Task

MAX_TABLE_SPAN = 30_000  # characters of a passage searched for table rows (a longer one is a whole annex)
RECIPIENTS_REACH = 1500  # characters a distribution list runs at most
MAX_ITEMS = 8  # list items read after a sentence that opens a list
MAX_LIST_CHARS = 900
# "1. Sở Tài chính:", "**2. Công an tỉnh**", "3.\nBộ Chỉ huy quân sự tỉnh" (a crawl cuts after the number).
_KHOAN = re.compile(r"^[ \t]*\**[ \t]*(\d{1,2})[ \t]*\.[ \t]*\**[ \t]*\n?[ \t]*\**([^\n:*]{3,120}?)\**[ \t]*:?[ \t]*$", re.M)
_NUMBERED = re.compile(r"^[ \t]*\**[ \t]*\d{1,2}[ \t]*\.(?!\d)", re.M)
_ITEM = re.compile(r"^\s*(?:[a-zđ]\)|\(\d{1,2}\)|\d{1,2}\.|[-–+•])\s+\S", re.M)
HEADER_FIELDS = ("doc_type", "number", "place", "date", "issuer")
HEADER_REACH = 3000  # characters: a crawl's site boilerplate and the formal header fit in it


def passage_result(q: Question, doc: Doc, span: tuple[int, int], section: str | None,
                   extra: Sequence[Evidence] = (), task: Task | None = None) -> Answer:
    """The sentence(s) of a span that answer the question, quoted exactly."""
    title = section.split(" > ")[-1] if section else ""
    body = body_span(doc.text)  # never the header nor a crawled page's site text
    start, end = max(span[0], header_end(doc), body[0]), min(span[1], body[1])
    best = candidates(q, doc.text, (start, end), q.search_text, q.value_kind, title)
    rows = table_candidates(q, doc.text, start, end) if task is None else []  # a task row reads its own fields
    if rows:  # a table's cells are read as its rows, not as pieces of prose
        best = sorted([x for x in best if doc.text.count("|", x[0], x[1]) < 3] + rows, key=lambda x: -x[2])
    if q.value_kind and q.asks_value:
        best = [s for s in best if holds_value(s[3], q.value_kind, q.unit)]
        if not best:
            return not_found("value_missing", q.intent)
    if not best:
        return not_found("no_sentence", q.intent)
    a, b = best[0][0], best[0][1]
    # Two sentences when the second is nearly as good: a khoản often states who and when apart.
    chosen = sorted([best[0]] + [x for x in best[1:2] if x[2] >= best[0][2] * 0.8 and best[0][2] > 0])
    if task is None:
        chosen = with_asks(q, doc.text, (start, end), title, chosen)
    parts = [x[3] for x in chosen]
    last_a, last_b = chosen[-1][0], chosen[-1][1]
    if doc.text[last_a:last_b].rstrip(" *").endswith(":"):
        items = list_items(doc.text, last_b, span[1])
        tail = None if items else colon_tail(doc.text, last_b, span[1])
        if tail is not None:  # one exact span: the sentence and the value after its colon
            parts[-1] = _flat(doc.text[last_a:tail])
            a, b = (a, tail) if last_a == a else (a, b)
        elif items:
            parts[-1] += " " + items
    doer = khoan_doer(doc.text, a, span[0])
    value = " … ".join(parts)
    if doer and doer.casefold() not in value.casefold():
        value = f"{doer}: {value}"
    if q.intent in ("lead", "coordinate") and not names_doer(value, q):
        # Who is asked: a clause after ";" is read with the start of its sentence, which names
        # the doer ("Sở X có trách nhiệm chủ trì …; cấu hình …").
        s = sentence_start(doc.text, a, max(start, a - SENTENCE_REACH))
        if s is not None and names_doer(_flat(doc.text[s:b]), q):
            a, value = s, _flat(doc.text[s:b])
    where = f", {title}" if section else ""
    if task is not None:
        where = ", " + fixed("task_ref", number=task.number, document=doc.label).split(" (")[0]
    text = fixed("fact_answer", document=doc.label, section=where, value=value)
    cites = [citation(doc, a, b, section, task.number if task else None)]
    cites += [citation(doc, x[0], x[1], section, None) for x in chosen if x[0] > b or x[1] < a]  # each span quoted
    cites += evidence_citations(extra, exclude={(doc.source, a)})
    views = (task_view(doc, task),) if task else ()
    return Answer("answered", text, "", tuple(cites), views, q.intent)


def candidates(q: Question, text: str, bounds: tuple[int, int], search: str, kind, title: str,
               n: int = 6) -> list[tuple[int, int, float, str]]:
    """The sentences of text[bounds] that best answer ``search``, best first, without those that
    are never an answer (a distribution list, the legal grounds unless asked, a caption)."""
    return [(a, b, score, _flat(text[a:b])) for a, b, score in
            best_sentences(text, bounds[0], bounds[1], search, kind, n=n, skip=title, ignore=q.doc_words)
            if not _in_recipients(text, a) and (asks_grounds(q) or not in_grounds(text, a))
            and not _CAPTION.match(fold(text[a:b].lstrip(" *_(\n")))]


MAX_SENTENCES = 3


def with_asks(q: Question, text: str, bounds: tuple[int, int], title: str,
              chosen: list[tuple[int, int, float, str]]) -> list[tuple[int, int, float, str]]:
    """A question that asks two things is answered by the best sentence of each ask (holding
    the value that ask wants) beside the sentences already chosen, in the text's order."""
    extra = []
    for ask in q.asks:
        found = [c for c in candidates(q, text, bounds, ask.text, ask.value_kind, title, n=3)
                 if c[2] > 0 and (not ask.asks_value or holds_value(c[3], ask.value_kind))]
        if found:
            extra.append(found[0])
    spans = {(c[0], c[1]) for c in chosen}
    more = [c for c in extra if (c[0], c[1]) not in spans and not spans.add((c[0], c[1]))]
    return sorted(chosen + more[:max(0, MAX_SENTENCES - len(chosen))])


SENTENCE_REACH = 800  # characters back to the start of the sentence a clause belongs to
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n\s*\n|:[ \t]*\n")


def sentence_start(text: str, at: int, floor: int) -> int | None:
    """Where the sentence holding ``at`` begins (after the last full stop, blank line or list
    colon), when that is before ``at``; None when no break is within reach."""
    breaks = list(_SENTENCE_BREAK.finditer(text, floor, at))
    if not breaks:
        return None
    begin = breaks[-1].end()
    begin += len(text[begin:at]) - len(text[begin:at].lstrip(" \t\n*"))
    return begin if begin < at else None


def names_doer(value: str, q: Question) -> bool:
    """Does an answer to "who" name an agency other than those the question asks about?"""
    asked = {fold(a) for a in q.agencies}
    return any(fold(canon) not in asked for _, canon in find_agencies(value, load_aliases()))


def table_candidates(q: Question, text: str, start: int, end: int) -> list[tuple[int, int, float, str]]:
    """Rows of the passage's tables as candidates, each read with its header's names."""
    if end - start > MAX_TABLE_SPAN:
        return []
    return [(r.start, r.end, score_text(r.text, q.search_text, q.value_kind, q.doc_words), r.text)
            for r in table_rows(text, start, end) if r.named]


def row_answer(q: Question, row: tuple[Doc, Task], extra: Sequence[Evidence] = ()) -> Answer:
    """A task row's fields. When the asked field is empty, the row's own text may still say it
    ("… phối hợp với Sở Nội vụ …", a date in the sentence): that sentence is the answer. A
    deadline asked of a row that states none anywhere is said to be missing."""
    doc, task = row
    if _field_in_text(q, task):
        found = passage_result(q, doc, task.span, " > ".join(task.section), extra, task=task)
        if found.status == "answered":
            return found
    if q.intent == "deadline" and task.deadline is None:
        message = fixed("task_no_deadline", ref=fixed("task_ref", number=task.number, document=doc.label))
        return not_found("value_missing", q.intent, message)
    return task_result(q, [row], extra)


def _field_in_text(q: Question, task: Task) -> bool:
    text = fold(task.description)
    if q.intent == "deadline":  # none in the row's field, or the row sets several: the clause asked says which
        return has_date(task.description) and (task.deadline is None or _several_deadlines(task.description))
    if q.intent == "coordinate":  # none named, or only a group ("các đơn vị liên quan"): a clause may say whom
        table = load_aliases()
        return "phoi hop" in text and all(table.is_group(table.canonical(c)) for c in task.coordinate)
    if q.intent == "lead":
        return not task.lead and "chu tri" in text
    return q.intent == "fact"


# The caption of an attached text ("(Kèm theo Quyết định số …/2025/QĐ-UBND ngày …)") says where it
# belongs: a heading, not an answer.
_CAPTION = re.compile(r"(ban hanh )?kem theo (quyet dinh|nghi dinh|thong tu|ke hoach|nghi quyet|van ban|cong van)\b")
def _several_deadlines(text: str) -> bool:
    return len({fold(d.text) for _, d in find_deadlines(text)}) >= 2


_RECIPIENTS = re.compile(r"^[ \t|*]*Nơi nhận\s*:", re.M | re.I)


def _in_recipients(text: str, at: int) -> bool:
    """Is ``at`` inside the distribution list ("Nơi nhận: - Như Điều 3; - Lưu: VT")? It names
    who receives the document, never an answer to its content."""
    m = None
    for m in _RECIPIENTS.finditer(text, max(0, at - RECIPIENTS_REACH), at + 1):
        pass
    return m is not None and at - m.start() < RECIPIENTS_REACH and "\n\n\n" not in text[m.start():at]


def colon_tail(text: str, at: int, end: int) -> int | None:
    """Where the value after a sentence's closing colon ends, when it follows on the same line
    ("… theo mẫu: A, trong đó …"): the end of that sentence or paragraph."""
    line_end = text.find("\n", at)
    if not text[at:line_end if line_end != -1 else end].strip(" *\t"):
        return None  # the colon ends its line: what follows is a list or a new paragraph
    # To the full stop: an inline list after the colon runs on with ";" ("… như: A; B; C, thì …").
    stop = re.compile(r"\.(?=\s)|\n\s*\n").search(text, at, min(len(text), at + MAX_LIST_CHARS))
    return (stop.start() + 1 if text[stop.start()] == "." else stop.start()) if stop else None


def _flat(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def header_end(doc: Doc) -> int:
    """Where the document's header ends: its title closes it (or, without one, the number and
    date line). Only spans near the top count: a caption quoting the number later is no header."""
    spans = dict(doc.meta.spans)
    title = spans.get("title")
    if title and title[0] < HEADER_REACH:
        return title[1]
    ends = [spans[f][1] for f in HEADER_FIELDS if f in spans and spans[f][1] < HEADER_REACH]
    return max(ends, default=0)


def khoan_doer(text: str, at: int, floor: int) -> str | None:
    """The doer a khoản heading names ("1. Sở Tài chính:") when the sentence at ``at`` is one of
    its points; None when the sentence opens a khoản itself, or its khoản names no doer."""
    line_start = text.rfind("\n", 0, at) + 1
    if _NUMBERED.match(text, line_start):
        return None
    numbered = list(_NUMBERED.finditer(text, max(0, floor - 2000), line_start))
    if not numbered:
        return None
    head = _KHOAN.match(text, numbered[-1].start())
    if head is None:
        return None
    name = " ".join((head.group(2) + _wrapped(text, head)).replace("*", "").split())
    if name.endswith(".") or len(name.split()) > 14:
        return None  # a khoản that is a sentence ("4. Chính phủ quy định chi tiết Điều này."), no heading
    doer = head_doer(name, load_aliases())  # the heading is a doer's name, no verb after it
    return name if doer and len(doer) >= 0.8 * len(name) else None


# A heading cut by the crawl's line wrap ends on a word that needs what follows ("Sở Lao động,
# Thương binh và" / "Xã hội").
_OPEN_END = re.compile(r"(\bvà|\bcủa|,|-)\s*\**\s*$", re.I)


def _wrapped(text: str, head: re.Match) -> str:
    """The rest of a khoản heading wrapped onto the next line, or ""."""
    if not _OPEN_END.search(head.group(2)):
        return ""
    line_end = text.find("\n", head.end() + 1)
    nxt = text[head.end() + 1:line_end if line_end != -1 else len(text)]
    return " " + nxt.strip(" *:\t") if 0 < len(nxt.strip()) <= 60 and not _ITEM.match(nxt) else ""


def list_items(text: str, start: int, end: int) -> str:
    """The items that follow a sentence ending in ":", in order, capped."""
    window_end = min(len(text), max(end, start) + MAX_LIST_CHARS)
    starts = [m.start() for m in _ITEM.finditer(text, start, window_end)]
    if not starts or text[start:starts[0]].strip(" *\n\t"):
        return ""
    items: list[str] = []
    for i, s in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < len(starts) else window_end
        blank = text.find("\n\n", s, nxt)
        items.append(_flat(text[s:blank if blank != -1 else nxt]))
        if blank != -1 and text[blank:nxt].strip(" *\n\t"):
            break  # prose after the item: the list ended
        if len(items) >= MAX_ITEMS or sum(map(len, items)) > MAX_LIST_CHARS:
            break
    return " ".join(items)
