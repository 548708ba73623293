"""The Answerer: question -> evidence -> short cited answer, or an honest "not found".

Structured look-ups (tasks of an agency, tasks due in a period, document metadata) go to
the catalogue; everything else goes through hybrid retrieval, and the answer is read
from the best task row, article or sentence. Every citation is an exact source span.
"""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.compose import fixed, list_answer, task_answer
from assistant.conversations import Conversations, Turn
from assistant.doc_answers import metadata_answer
from assistant.duties import asks_duties, asks_owners, duties_answer, owners_answer
from assistant.guards import (WHO_WHEN, Thresholds, names_agency, names_asked_agencies, off_topic, topic_words,
                              years_missing)
from assistant.evidence import Doc, DocumentStore, citation, task_view
from assistant.lookup import filter_tasks
from assistant.relations import replacement_note
from assistant.sentences import best_sentences, grams, has_date, has_money, has_percent, title_overlap, wanted_kind
from assistant.types import Answer
from assistant.understand import Question, parse_question
from index.retriever import Hit, HybridRetriever
from ingest.text import fold
from ingest.types import Task

_TOPIC_GENERIC = set(
    "nhiem vu viec cong nhung cac phai xong hoan thanh trong thang nam quy truoc sau giao chu tri phoi hop "
    "theo cua ve va co nao gi la duoc de yeu cau thuc hien nhom".split()
)


class RetrievalAnswerer:
    def __init__(self, catalogue, retriever: HybridRetriever, docs: DocumentStore,
                 conversations: Conversations, top_k: int = 5, thresholds: Thresholds = Thresholds()):
        self.catalogue, self.retriever, self.docs = catalogue, retriever, docs
        self.conversations, self.top_k, self.thresholds = conversations, top_k, thresholds

    def warm_up(self) -> None:
        """Load the model, the keyword index and the documents now, not on the first question."""
        self.docs.refresh()
        self.retriever.refresh()
        self.retriever.vectors.embedder.embed(["khởi động"], kind="query")

    # -- entry point ----------------------------------------------------------------------
    def answer(self, question: str, conversation_id: str | None = None, top_k: int | None = None) -> Answer:
        if not question or not question.strip():
            return Answer("not_found", fixed("empty_question"), conversation_id or "")
        self.docs.refresh()
        q = parse_question(question)
        prev = self.conversations.get(conversation_id)
        q, scope, reuse = self._with_context(q, prev)
        if reuse is not None:
            result = self._from_evidence(q, reuse)
        else:
            result = self._dispatch(q, scope, top_k or self.top_k)
        result = self._with_replacement_note(result)
        evidence = tuple((c.document_id, c.start, c.end, c.task_number, c.section) for c in result.citations)
        turn = Turn(q, result.intent, tuple(sorted({c.document_id for c in result.citations if c.document_id})), evidence)
        if result.status == "not_found" and prev is not None:
            turn = prev  # keep the last useful context for the next follow-up
        cid = self.conversations.put(conversation_id, turn)
        return replace(result, conversation_id=cid)

    def _with_replacement_note(self, result: Answer) -> Answer:
        """An answer read from a text that another indexed text replaced or repealed says so."""
        if result.status != "answered" or not result.citations:
            return result
        doc = self.docs.docs.get(result.citations[0].document_id)
        note = replacement_note(doc, self.docs.docs) if doc else None
        return replace(result, answer=f"{result.answer}\n{note}") if note else result

    # -- conversation context -------------------------------------------------------------
    def _with_context(self, q: Question, prev: Turn | None):
        """Follow-ups: no topic of their own -> same evidence; "còn X?" -> same documents and intent."""
        if prev is None:
            return q, None, None
        topic = topic_words(q)
        if not topic and not q.agencies and not q.doc_refs and prev.evidence:
            intent = q.intent if q.intent != "fact" else prev.intent
            return replace(q, intent=intent), None, prev.evidence[0]
        if q.continuation or (len(topic) <= 3 and not q.doc_refs):
            intent = prev.intent if q.intent in ("fact", "lead") and prev.intent != "fact" else q.intent
            prev_q = prev.question
            asked = " ".join(_intent_words(prev_q))  # "… có trách nhiệm gì?" carries over to "thế còn X?"
            merged = replace(q, intent=intent, search_text=q.search_text + " " + asked, folded=q.folded + " " + fold(asked),
                             doc_field=q.doc_field or getattr(prev_q, "doc_field", None))
            return merged, set(prev.doc_ids) or None, None
        return q, None, None

    def _from_evidence(self, q: Question, evidence: tuple) -> Answer:
        doc_id, start, end, task_number, section = evidence
        doc = self.docs.docs.get(doc_id)
        if doc is None:
            return self._not_found(q.intent)
        if task_number:
            task = self._task_at(doc_id, start, end, task_number)
            if task is not None:
                return self._task_result(q, [(doc, task)])
        return self._passage_result(q, doc, start, end + 1, section)

    # -- dispatch -------------------------------------------------------------------------
    def _dispatch(self, q: Question, scope: set[str] | None, top_k: int) -> Answer:
        resolved = self.docs.resolve(q.doc_refs, q.full_numbers)
        described = None if resolved else self.docs.match_descriptor(q.descriptor)
        found = self._dispatch_in(q, resolved or described, scope, top_k)
        if found.status == "not_found" and described and not q.agencies and len(q.descriptor[1]) <= 2:
            # "theo quy trình liên thông" (two words) may describe a procedure, not name the
            # document whose title holds them: nothing there, so search as if none was named.
            # A longer description, or an agency the document never mentions, stays refused.
            return self._dispatch_in(q, None, scope, top_k)
        return found

    def _dispatch_in(self, q: Question, named: set[str] | None, scope: set[str] | None, top_k: int) -> Answer:
        # A named document that is not indexed is usually one the plan cites ("theo QĐ 468"):
        # search everything rather than refuse.
        doc_ids = named if named else scope
        if q.intent == "doc" and (not named or len(self._words_beyond_title(q, named)) <= 3):
            found = self._doc_answer(q, doc_ids)
            if found is not None:
                return found
        if named and self._agency_absent(q, named):
            return self._not_found(q.intent)  # the named document never mentions the asked agency
        found = self._legal_duties(q, doc_ids)
        if found is not None:
            return found
        if q.intent in ("list", "due"):
            return self._list_answer(q, doc_ids)
        return self._retrieval_answer(q, doc_ids, top_k)

    def _legal_duties(self, q: Question, doc_ids: set[str] | None) -> Answer | None:
        """Duties of an agency, or the agencies with duties, from the articles of legal texts."""
        if not (asks_duties(q) or (doc_ids and asks_owners(q))):
            return None
        # "những nhiệm vụ nào" of an agency are task rows of plans; duties in articles are
        # "trách nhiệm", or whatever a named document without task rows gives the agency.
        if "trach nhiem" not in q.folded and not (doc_ids and not any(self.docs.tasks(d) for d in doc_ids)):
            return None
        if doc_ids:
            ordered = sorted(doc_ids)
        else:  # the documents retrieval ranks first, in that order
            hits = self.retriever.search(q.search_text, k=10, kinds={"article"})
            ordered = list(dict.fromkeys(h.chunk.doc_id for h in hits if not self._weak(hits)))
        if asks_duties(q):
            return duties_answer(q, self.docs, ordered)
        return owners_answer(q, self.docs, ordered)

    def _words_beyond_title(self, q: Question, doc_ids: set[str] | None) -> list[str]:
        """Topic words of the question that are not just the named document's own title."""
        metas = [self.docs.docs[d].meta for d in doc_ids or () if d in self.docs.docs]
        heads = " ".join(fold(f"{m.title or ''} {m.issuer or ''}") for m in metas) + " " + fold(" ".join(q.agency_texts))
        present = set(re.findall(r"\w+", heads)) | _TOPIC_GENERIC
        return list(dict.fromkeys(w for w in topic_words(q) if w not in present))

    def _agency_absent(self, q: Question, doc_ids: set[str]) -> bool:
        """An agency the question asks about that none of the named documents mentions."""
        return any(not any(self.docs.mentions(d, agency) for d in doc_ids) for agency in q.agencies)

    # -- single answers through retrieval -------------------------------------------------
    def _search(self, q: Question, doc_ids: set[str] | None, k: int) -> list[Hit]:
        """Task rows and articles first for who/when questions; all chunks when they are weak."""
        # "nhiệm vụ" in a who/when question names a task row; otherwise rows and articles compete.
        kinds = {"task"} if re.search(r"\bnhiem vu\b", q.folded) else {"task", "article"}
        if q.intent in ("lead", "coordinate", "deadline", "product", "list") or "trach nhiem" in q.folded:
            hits = self.retriever.search(q.search_text, k=k, doc_ids=doc_ids, kinds=kinds)
            if hits and not self._weak(hits):
                return hits
        return self.retriever.search(q.search_text, k=k, doc_ids=doc_ids)

    def _retrieval_answer(self, q: Question, doc_ids: set[str] | None, top_k: int) -> Answer:
        if doc_ids and len(doc_ids) <= 2:
            titles = " ".join(self.docs.docs[d].meta.title or "" for d in doc_ids if d in self.docs.docs)
            q = replace(q, doc_words=grams(titles))
        hits = self._search(q, doc_ids, max(top_k, 8))
        if not hits or self._weak(hits):
            return self._not_found(q.intent)
        hits = self._prefer_value(q, self._prefer_agency(q, self._rerank(q, hits)))
        if off_topic(q, hits, self.docs, self.thresholds):
            return self._not_found(q.intent)
        top_doc = self.docs.docs.get(hits[0].chunk.doc_id)
        if years_missing(q, hits[0].chunk.text, top_doc):
            return self._not_found(q.intent)
        if q.intent in WHO_WHEN and not names_asked_agencies(q, hits[0], self.docs):
            return self._not_found(q.intent)  # never answer about an agency from another agency's row
        top = hits[0]
        doc = self.docs.docs[top.chunk.doc_id]
        evidence = doc.text[top.chunk.start : top.chunk.end]
        if (q.wants_money and not has_money(evidence)) or (q.wants_share and not has_percent(evidence)):
            return self._not_found(q.intent)  # an amount or a share asked, none in the best evidence
        tasks = []
        if top.chunk.kind == "task":
            tasks = [(self.docs.docs[h.chunk.doc_id], t) for h in self._ties(hits)
                     if (t := self._task_of(h)) is not None and h.chunk.doc_id in self.docs.docs]
            # Not who/when: the sentence of the row that answers. Likewise "công bố ngày nào"
            # about a row with no deadline whose text holds the date asked.
            if tasks and (q.intent == "fact" or _date_in_text_not_deadline(q, tasks[0][1])):
                doc, task = tasks[0]
                found = self._passage_result(q, doc, task.span[0], task.span[1], " > ".join(task.section),
                                             hits[1:top_k], task=task)
                if found.status == "answered":
                    return found
        if top.chunk.kind == "task" and tasks:
            return self._task_result(q, tasks, extra_hits=hits[1:top_k])
        start, end = top.chunk.start, top.chunk.end
        article = self.docs.article_at(doc.id, start) if top.chunk.kind == "article" else None
        if article is not None:  # a long article is chunked by khoản: read the answer from all of it
            start, end = min(start, article[0]), max(end, article[1])
        return self._passage_result(q, doc, start, end, top.chunk.section, hits[1:top_k])

    def _rerank(self, q: Question, hits: list[Hit], depth: int = 8) -> list[Hit]:
        """Reorder the head of the fused list by its best sentence: the chunk that holds a
        sentence sharing the question's words (and the kind of value asked) should lead."""
        want = wanted_kind(q.folded, q.intent)
        head = hits[:depth]
        evidence = []
        for h in head:
            doc = self.docs.docs.get(h.chunk.doc_id)
            best = best_sentences(doc.text, h.chunk.start, h.chunk.end, q.text, want, ignore=q.doc_words) if doc else []
            # An article's own title, a task row's section headings ("TTHC có thời gian giải quyết 05 ngày").
            title = h.chunk.section.split(" > ")[-1] if h.chunk.kind == "article" else h.chunk.section
            evidence.append((best[0][2] if best else 0.0) + self.thresholds.title_weight * title_overlap(title, q.text))
        top_rrf, top_ev = head[0].rrf, max(max(evidence), 1e-6)
        scored = [(h.rrf / top_rrf + self.thresholds.rerank_weight * max(ev, 0.0) / top_ev, i) for i, (h, ev) in enumerate(zip(head, evidence))]
        order = [head[i] for _, i in sorted(scored, key=lambda x: (-x[0], x[1]))]
        return order + hits[depth:]

    def _weak(self, hits: list[Hit]) -> bool:
        dense = max(h.dense for h in hits[:10])
        bm25 = max(h.bm25 for h in hits[:10])
        return dense < self.thresholds.dense_min and bm25 < self.thresholds.bm25_min

    def _prefer_agency(self, q: Question, hits: list[Hit]) -> list[Hit]:
        if not q.agencies:
            return hits
        good = [h for h in hits[:5] if names_agency(q, h)]
        return good + [h for h in hits if h not in good] if good else hits

    def _prefer_value(self, q: Question, hits: list[Hit], depth: int = 8) -> list[Hit]:
        """An amount or a share asked: the first of the head that holds one leads."""
        holds = has_money if q.wants_money else has_percent if q.wants_share else None
        if holds is None or holds(hits[0].chunk.text):
            return hits
        first = next((h for h in hits[:depth] if holds(h.chunk.text)), None)
        return [first] + [h for h in hits if h is not first] if first else hits

    def _ties(self, hits: list[Hit]) -> list[Hit]:
        """Two tasks that match equally are both given (the user should choose)."""
        top = hits[0]
        tied = [top]
        for h in hits[1:3]:
            if h.chunk.kind == "task" and h.rrf >= top.rrf * 0.995 and abs(h.dense - top.dense) < 0.005:
                tied.append(h)
        return tied

    def _task_of(self, hit: Hit) -> Task | None:
        return self._task_at(hit.chunk.doc_id, hit.chunk.start, hit.chunk.end, hit.chunk.task_number)

    def _task_at(self, doc_id: str, start: int, end: int, number: str | None) -> Task | None:
        candidates = [t for t in self.docs.tasks(doc_id) if t.number == number]
        exact = [t for t in candidates if t.span[0] <= start < t.span[1] or start <= t.span[0] < end]
        return (exact or candidates or [None])[0]

    def _task_result(self, q: Question, tasks: list[tuple[Doc, Task]], extra_hits=()) -> Answer:
        """One task row, or rows that match equally (each cited from its own document)."""
        intent = q.intent if q.intent in ("lead", "coordinate", "deadline", "product") else "lead"
        lines = [task_answer(doc, t, intent, q.folded) for doc, t in tasks]
        text = lines[0] if len(lines) == 1 else "\n".join([fixed("tie_intro", count=len(lines))] + lines)
        cites = [citation(doc, t.span[0], t.span[1], " > ".join(t.section), t.number) for doc, t in tasks]
        cites += self._hit_citations(extra_hits, exclude={(c.source, c.start) for c in cites})
        first = tasks[0][1]
        fields = {"lead": list(first.lead), "coordinate": list(first.coordinate),
                  "deadline": first.deadline.text if first.deadline else None, "product": first.product}
        return Answer("answered", text, "", tuple(cites), tuple(task_view(doc, t) for doc, t in tasks), intent, fields)

    def _passage_result(self, q: Question, doc: Doc, start: int, end: int, section: str | None, extra_hits=(),
                        task: Task | None = None) -> Answer:
        want = wanted_kind(q.folded, q.intent)
        title = section.split(" > ")[-1] if section else ""
        best = best_sentences(doc.text, start, end, q.search_text, want, n=2, skip=title, ignore=q.doc_words)
        if not best:
            return self._not_found(q.intent)
        a, b, _ = best[0]
        # Two sentences when the second is nearly as good: a khoản often states who and when apart.
        chosen = sorted(x for x in best if x[2] >= best[0][2] * 0.8)
        sentence = " … ".join(" ".join(doc.text[x:y].replace("*", "").split()) for x, y, _ in chosen)
        where = f", {section.split(' > ')[-1]}" if section else ""
        if task is not None:
            where = ", " + fixed("task_ref", number=task.number, document=doc.label).split(" (")[0]
        text = fixed("fact_answer", document=doc.label, section=where, value=sentence)
        cites = [citation(doc, a, b, section, task.number if task else None)]
        cites += self._hit_citations(extra_hits, exclude={(doc.source, a)})
        views = (task_view(doc, task),) if task else ()
        return Answer("answered", text, "", tuple(cites), views, q.intent)

    def _hit_citations(self, hits, exclude) -> list:
        out = []
        for h in hits:
            doc = self.docs.docs.get(h.chunk.doc_id)
            if doc is None or (doc.source, h.chunk.start) in exclude:
                continue
            out.append(citation(doc, h.chunk.start, h.chunk.end, h.chunk.section, h.chunk.task_number))
        return out[:4]

    # -- lists: tasks of an agency, tasks due in a period ---------------------------------
    def _list_answer(self, q: Question, doc_ids: set[str] | None) -> Answer:
        if "trach nhiem" in q.folded and not q.period:
            return self._retrieval_answer(q, doc_ids, self.top_k)
        role = "lead" if "chu tri" in q.folded else "coordinate" if "phoi hop" in q.folded else "any"
        candidates = self._candidate_tasks(self._without_issuer(q, doc_ids), doc_ids, role)
        candidates = _filter_by_topic(q, candidates)
        if not candidates:
            # No row of the agency anywhere: not found. In a named document that mentions the
            # agency (checked in _dispatch), its part may be written in articles or prose.
            if (q.agencies and not doc_ids) or q.period:
                return self._not_found("list")
            return self._retrieval_answer(q, doc_ids, self.top_k)
        items = [(self.docs.docs[d], t) for d, t in candidates if d in self.docs.docs]
        text = list_answer(items, "lead" if role == "any" else role)
        cites = [citation(doc, t.span[0], t.span[1], " > ".join(t.section), t.number) for doc, t in items[:10]]
        return Answer("answered", text, "", tuple(cites), tuple(task_view(doc, t) for doc, t in items), q.intent)

    def _without_issuer(self, q: Question, doc_ids: set[str] | None) -> Question:
        """"Nhiệm vụ nào trong kế hoạch của Ban Chỉ đạo … đến hạn quý I": the Ban issued the
        plan; with a period asked, it names the document, not the rows' agency."""
        if not doc_ids or not q.period or not q.agencies:
            return q
        issuers = " ".join(fold(self.docs.docs[d].meta.issuer or "") for d in doc_ids if d in self.docs.docs)
        kept = [(a, t) for a, t in zip(q.agencies, q.agency_texts) if fold(a) not in issuers and fold(t) not in issuers]
        return replace(q, agencies=tuple(a for a, _ in kept), agency_texts=tuple(t for _, t in kept))

    def _candidate_tasks(self, q: Question, doc_ids: set[str] | None, role: str) -> list[tuple[str, Task]]:
        by_source = {d.source: d.id for d in self.docs.docs.values()}
        start, end = q.period if q.period else (None, None)
        found: list[tuple[str, Task]] = []
        surfaces = dict(zip(q.agencies, q.agency_texts)) if len(q.agencies) == len(q.agency_texts) else {}
        for agency in q.agencies or (None,):
            if agency is None and not q.period:
                return []
            rows = filter_tasks(self.catalogue, agency=agency, due_from=start, due_to=end, role=role,
                                as_written=surfaces.get(agency))
            found += [(by_source[src], t) for src, t in rows if src in by_source]
        if doc_ids is not None:
            found = [(d, t) for d, t in found if d in doc_ids]
        unique = {(d, t.number, t.span): (d, t) for d, t in found}
        return list(unique.values())

    # -- document metadata ----------------------------------------------------------------
    def _doc_answer(self, q: Question, doc_ids: set[str] | None) -> Answer | None:
        if not doc_ids:
            hits = self.retriever.search(q.search_text, k=3)
            if not hits or self._weak(hits):
                return None
            doc_ids = {hits[0].chunk.doc_id}
            doc = self.docs.docs[hits[0].chunk.doc_id]
            # No document named: the one retrieval found must be the one described, every topic
            # word in its title or issuer ("ai ký kế hoạch khắc phục … của UBND thị xã Bỉm Sơn").
            # A short question about another text ("luật đất đai 2024 có hiệu lực …") is refused;
            # a longer one may ask about content and goes on to search.
            if self._words_beyond_title(q, doc_ids) or years_missing(q, "", doc):
                return self._not_found(q.intent) if len(self._words_beyond_title(q, None)) <= 3 else None
        return metadata_answer(q, self.docs.docs[sorted(doc_ids)[0]], self.docs)

    def _not_found(self, intent: str) -> Answer:
        return Answer("not_found", fixed("not_found"), "", (), (), intent)


def _date_in_text_not_deadline(q: Question, task: Task) -> bool:
    return q.intent == "deadline" and task.deadline is None and has_date(task.description)


def _intent_words(q) -> list[str]:
    topic = set(topic_words(q))
    return [w for w in q.text.split() if fold(w).strip("?.,") not in topic][:12]


def _filter_by_topic(q: Question, candidates: list[tuple[str, Task]]) -> list[tuple[str, Task]]:
    """Keep the section(s) a question names ("về Chính phủ điện tử", "hoàn thiện thể chế")."""
    topic = {w for w in topic_words(q) if w not in _TOPIC_GENERIC}
    if len(topic) < 2 or not candidates:
        return candidates
    scored = []
    for d, t in candidates:
        section_words = set(re.findall(r"\w+", fold(" ".join(t.section))))
        scored.append((len(topic & section_words), d, t))
    best = max(s for s, _, _ in scored)
    if best < 2:
        return candidates
    return [(d, t) for s, d, t in scored if s == best]


def build_answerer(services) -> RetrievalAnswerer:
    settings = services.settings
    retriever = HybridRetriever(services.catalogue, services.vectors)
    return RetrievalAnswerer(
        services.catalogue, retriever, DocumentStore(services.catalogue),
        Conversations(settings.conversation_ttl_s, settings.max_conversations), settings.top_k,
    )
