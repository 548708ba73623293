"""Evidence: documents in memory, doc references resolved, quotes cut as exact spans."""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass

from assistant.types import Citation, TaskView
from assistant.understand import DocRef
from index.catalogue import Catalogue, meta_from_json
from ingest.agencies import agencies_in, find_agencies, load_aliases, mentions
from ingest.legal import parse_articles
from ingest.legal_duties import responsibilities
from ingest.text import fold
from ingest.types import DocumentMeta, Task

MAX_QUOTE = 600
# Words every decision shares: they tell no two documents of one number apart.
_COMMON = frozenset(
    "quyet dinh qd nghi quyet nq ke hoach kh thong bao tb cong van cv chi thi ct thong tu tt nghi dinh nd "
    "ubnd uy ban nhan dan hdnd hoi dong tinh thanh pho huyen xa so ngay thang nam cua ve viec ban hanh "
    "va cac co tu nao gi la duoc trong theo ai bo".split())

_TYPE_CODES = {
    "qd": "quyet dinh", "quyet dinh": "quyet dinh", "kh": "ke hoach", "ke hoach": "ke hoach",
    "nd": "nghi dinh", "nghi dinh": "nghi dinh", "nq": "nghi quyet", "nghi quyet": "nghi quyet",
    "cd": "cong dien", "cong dien": "cong dien", "cv": "cong van", "cong van": "cong van",
    "tt": "thong tu", "thong tu": "thong tu", "ct": "chi thi", "chi thi": "chi thi",
    "tb": "thong bao", "thong bao": "thong bao", "quy che": "quy che",
}


@dataclass(frozen=True)
class Doc:
    id: str
    source: str
    meta: DocumentMeta
    text: str

    @property
    def label(self) -> str:
        """How an answer names the document: type and number, else the title, else the file."""
        if self.meta.number:
            return f"{self.meta.doc_type or 'Văn bản'} {self.meta.number}"
        return self.meta.title[:80] if self.meta.title else self.source


class DocumentStore:
    """Documents (metadata + text) cached in memory; reloaded when the catalogue changes."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self._lock = threading.Lock()
        self._fingerprint = None
        self.docs: dict[str, Doc] = {}
        self._agencies: dict[str, tuple[str, ...]] = {}  # per document, filled on first question
        self._duties: dict[str, tuple] = {}
        self._tasks: dict[str, tuple[Task, ...]] = {}
        self._compact: dict[str, str] = {}  # folded text without spaces, for numbers cited
        self._articles: dict[str, list[tuple[int, int, str]]] | None = None
        self._aliases = load_aliases()

    def refresh(self) -> None:
        fingerprint = self.catalogue.version()
        with self._lock:
            if fingerprint == self._fingerprint:
                return
            rows = self.catalogue.documents()
            docs = {}
            for r in rows:
                full = self.catalogue.document_row(r["id"])
                docs[r["id"]] = Doc(r["id"], r["source"], meta_from_json(full["meta"]), full["text"])
            self.docs, self._fingerprint, self._agencies, self._duties = docs, fingerprint, {}, {}
            self._articles, self._tasks, self._compact = None, {}, {}

    def resolve(self, refs: tuple[DocRef, ...], full_numbers: tuple[str, ...]) -> set[str] | None:
        """Document ids the question names ("QĐ 2629", "3668/BNV-CCHC"); None when it names none."""
        if not refs and not full_numbers:
            return None
        exact, loose = set(), set()
        for doc in self.docs.values():
            number = fold(doc.meta.number or "")
            dtype = fold(doc.meta.doc_type or "")
            if number and any(number.replace(" ", "") == full.replace(" ", "") for full in full_numbers):
                exact.add(doc.id)
            if any(_matches_ref(ref, number, dtype, doc.source) for ref in refs):
                loose.add(doc.id)
        # A full number ("62/QĐ-TCTCCTTHC") names its document; "QĐ 62" also fits "62/2025/QĐ-UBND".
        return exact or loose

    def narrow(self, doc_ids: set[str], folded_question: str) -> set[str]:
        """Of several documents one number names (provinces reuse "78/2025/QĐ-UBND"), those whose
        issuer, place and title share the most words with the question ("… Bắc Ninh")."""
        if len(doc_ids) < 2:
            return doc_ids
        asked = set(re.findall(r"\w+", folded_question)) - _COMMON
        scores = {}
        for d in doc_ids:
            m = self.docs[d].meta if d in self.docs else None
            if m is None:
                scores[d] = 0
                continue
            # The place named ("… của UBND tỉnh Bắc Ninh") decides before words of the titles.
            place = set(re.findall(r"\w+", fold(m.place or "")))
            about = set(re.findall(r"\w+", fold(f"{m.issuer or ''} {m.title or ''}")))
            scores[d] = 3 * len(asked & place) + len(asked & about)
        best = max(scores.values())
        kept = {d for d, v in scores.items() if v == best}
        return kept if best > 0 else doc_ids

    def mentions(self, doc_id: str, agency: str) -> bool:
        """Does the document name the agency anywhere (through the alias table)?"""
        return mentions(agency, self.agencies_of(doc_id), self._aliases)

    def agencies_of(self, doc_id: str) -> tuple[str, ...]:
        """Every agency the document names, read once (a long decree takes a third of a second)."""
        with self._lock:
            found = self._agencies.get(doc_id)
        if found is None:
            doc = self.docs.get(doc_id)
            found = tuple(sorted({c for _, c in find_agencies(doc.text, self._aliases)})) if doc else ()
            with self._lock:
                self._agencies[doc_id] = found
        return found

    def warm(self) -> None:
        """Read every document's agencies and folded text now, not on the first question."""
        for doc_id in list(self.docs):
            self.agencies_of(doc_id)
            self._compact_text(doc_id)

    def citing(self, number: str) -> set[str]:
        """Documents whose text holds a full number ("309/kh-ubnd", folded): the document itself
        or the texts that cite it."""
        wanted = number.replace(" ", "")
        return {d for d in list(self.docs) if wanted in self._compact_text(d)}

    def _compact_text(self, doc_id: str) -> str:
        with self._lock:
            found = self._compact.get(doc_id)
        if found is None:
            doc = self.docs.get(doc_id)
            found = fold(doc.text).replace(" ", "") if doc else ""
            with self._lock:
                self._compact[doc_id] = found
        return found

    def text_mentions(self, text: str, agency: str) -> bool:
        """Does a chunk's text name the agency under any spelling of the alias table
        ("Ủy ban nhân dân cấp tỉnh" for "UBND tỉnh")?"""
        return mentions(agency, tuple(sorted(set(agencies_in(text, self._aliases)))), self._aliases)

    def article_at(self, doc_id: str, pos: int) -> tuple[int, int, str] | None:
        """(start, end, section path) of the article holding ``pos``, innermost first."""
        with self._lock:
            if self._articles is None:
                table: dict[str, list[tuple[int, int, str]]] = {}
                for row in self.catalogue.articles():
                    path = " > ".join(json.loads(row["path"]))
                    table.setdefault(row["doc_id"], []).append((row["span_start"], row["span_end"], path))
                self._articles = table
            rows = self._articles.get(doc_id, [])
        inside = [r for r in rows if r[0] <= pos < r[1]]
        return min(inside, key=lambda r: r[1] - r[0]) if inside else None

    def duties(self, doc_id: str) -> tuple[tuple[str, str, tuple[int, int]], ...]:
        """(agency, article path, khoản span) of a legal text, parsed on first use."""
        with self._lock:
            found = self._duties.get(doc_id)
        if found is None:
            doc = self.docs.get(doc_id)
            found = responsibilities(parse_articles(doc.text), doc.text, self._aliases) if doc else ()
            with self._lock:
                self._duties[doc_id] = found
        return found

    def same_agency(self, asked: str, found: str) -> bool:
        return mentions(asked, (found,), self._aliases)

    def match_descriptor(self, descriptor: tuple[str, tuple[str, ...]] | None, share: float = 0.75) -> set[str] | None:
        """Documents a question names by kind and subject ("kế hoạch cải cách hành chính"):
        the kind and most subject words in the type and title. None when nothing matches
        (the words may not be in any title: then the question is not restricted)."""
        if not descriptor:
            return None
        kind, words = descriptor
        scores, typed = {}, {}
        for doc in self.docs.values():
            heading = fold(f"{doc.meta.doc_type or ''} {doc.meta.title or ''}")
            if f" {kind} " not in f" {heading} ":
                continue
            present = set(re.findall(r"\w+", heading))
            scores[doc.id] = sum(w in present for w in words) / len(words)
            if fold(doc.meta.doc_type or "") == kind:
                typed[doc.id] = scores[doc.id]
        best = max(scores.values(), default=0.0)
        if best >= share:
            return {d for d, v in scores.items() if v == best}
        # "quy trình …" when one indexed document of that type fits the subject better than the
        # others of its type: a loose subject ("quy trình nội bộ … của Lào Cai") still names it.
        top = max(typed.values(), default=0.0)
        leaders = [d for d, v in typed.items() if v == top]
        return set(leaders) if top > 0 and len(leaders) == 1 else None

    def tasks(self, doc_id: str) -> tuple[Task, ...]:
        """A document's task rows, read from the catalogue once per catalogue version."""
        with self._lock:
            found = self._tasks.get(doc_id)
        if found is None:
            found = tuple(task for _, _, task in self.catalogue.tasks(doc_id))
            with self._lock:
                self._tasks[doc_id] = found
        return found

    def task_at(self, doc_id: str, start: int, end: int, number: str | None) -> Task | None:
        """The task row with that number whose span meets [start, end) (else the first with it)."""
        candidates = [t for t in self.tasks(doc_id) if t.number == number]
        exact = [t for t in candidates if t.span[0] <= start < t.span[1] or start <= t.span[0] < end]
        return (exact or candidates or [None])[0]


def _matches_ref(ref: DocRef, number: str, dtype: str, source: str) -> bool:
    kind = _TYPE_CODES.get(ref.kind, ref.kind)
    if number:
        head = number.split("/")[0].strip()
        year_ok = ref.year is None or ref.year in number
        type_ok = kind in dtype or kind.split()[0][0] + kind.split()[-1][0] in number.replace("đ", "d")
        return head == ref.number and year_ok and (type_ok or kind == "quy che")
    # No number in the text (blank in the source): fall back to a file name that says what the
    # document is ("qd-1696-2026-ubnd-laocai.pdf"), never to the digits of a hash-like name.
    tokens = re.findall(r"[a-z]+|\d+", fold(source))
    code = kind.split()[0][0] + kind.split()[-1][0]
    return ref.number in tokens and (ref.kind in tokens or code in tokens)


def quote_span(text: str, start: int, end: int) -> tuple[str, int, int]:
    """An exact span of the source, trimmed of outer whitespace and capped in length."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    end = min(end, start + MAX_QUOTE)
    return text[start:end], start, end


def citation(doc: Doc, start: int, end: int, section: str | None, task_number: str | None) -> Citation:
    quote, start, end = quote_span(doc.text, start, end)
    assert doc.text[start:end] == quote  # citations are data checked against the source
    return Citation(
        source=doc.source, document_number=doc.meta.number, document_title=doc.meta.title,
        section=section or None, task_number=task_number, quote=quote, start=start, end=end,
        document_id=doc.id,
    )


def task_view(doc: Doc, task: Task) -> TaskView:
    d = task.deadline
    deadline = None
    if d:
        deadline = {"text": d.text, "start": d.start.isoformat() if d.start else None,
                    "end": d.end.isoformat() if d.end else None, "kind": d.kind}
    return TaskView(doc.source, task.number, task.description, task.lead, task.coordinate, deadline,
                    task.product, " > ".join(task.section))
