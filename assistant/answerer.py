"""The Answerer: a question answered in named stages, or an honest "not found" with its reason.

    understand (assistant/understand.py)  text → Question
    plan       (assistant/plan.py)        Question → routes and the documents they look in
    retrieve   (assistant/retrieve.py)    hybrid search → Evidence
    select     (assistant/select.py)      Evidence re-ranked by what is asked
    verify     (assistant/verify.py)      ordered verifiers, each passes or names a reason
    compose    (assistant/compose.py)     templates of prompts/ + citations checked as exact spans

Routes other than search (document metadata, duties in legal texts, task lists) are structured
look-ups over the catalogue. Follow-ups reuse the last answer's evidence or documents.
"""
from __future__ import annotations

from dataclasses import replace

from assistant.calibration import Calibration, calibration_for
from assistant.compose import fixed, not_found, task_result
from assistant.passages import passage_result
from assistant.conversations import Conversations, Turn
from assistant.doc_answers import metadata_route
from assistant.duties import duties_route
from assistant.evidence import DocumentStore
from assistant.matching import topic_words
from assistant.plan import Context, Plan, make_plan
from assistant.relations import replacement_note
from assistant.restore import restore
from assistant.retrieve import Retrieval
from assistant.search_answer import search_answer
from assistant.task_lists import list_route, plan_owners_route
from assistant.task_numbers import task_number_route
from assistant.types import Answer
from assistant.understand import Question, merged, parse_question
from index.retriever import HybridRetriever
from ingest.agencies import agencies_in, load_aliases
from ingest.text import fold

RESTORE_PASSAGES = 30  # passages whose words put the accents back on a question typed without them
ROUTES = {"task_number": task_number_route, "metadata": metadata_route, "plan_owners": plan_owners_route, "duties": duties_route, "task_list": list_route, "search": search_answer}


class RetrievalAnswerer:
    def __init__(self, catalogue, retriever: HybridRetriever, docs: DocumentStore,
                 conversations: Conversations, top_k: int = 5, calibration: Calibration | None = None):
        self.catalogue, self.retriever, self.docs = catalogue, retriever, docs
        self.conversations, self.top_k = conversations, top_k
        self.calibration = calibration or calibration_for(retriever.vectors.embedder.name)
        self.retrieval = Retrieval(retriever, docs)

    def warm_up(self) -> None:
        """Load the model, the keyword index and the documents now, not on the first question."""
        self.docs.refresh()
        self.retriever.refresh()
        # One search loads the query model and pyvi (segmenting the first question's words
        # otherwise imports it: 3 s), now that the index's own tokens come from disk.
        self.retriever.search("khởi động", k=1)
        # Questions about an agency read every task's cells and the documents' agencies: read
        # them once now, not on the first question that names an agency.
        self.docs.warm()
        table = load_aliases()
        for _, _, task in self.catalogue.tasks(None):
            for cell in task.lead + task.coordinate:
                agencies_in(cell, table)

    def context(self, top_k: int | None = None) -> Context:
        return Context(self.catalogue, self.docs, self.retrieval, self.calibration, top_k or self.top_k)

    # -- entry point ----------------------------------------------------------------------
    def answer(self, question: str, conversation_id: str | None = None, top_k: int | None = None) -> Answer:
        if not question or not question.strip():
            return replace(not_found("empty_question", message=fixed("empty_question")), conversation_id=conversation_id or "")
        self.docs.refresh()
        if not self.docs.docs:
            return replace(not_found("empty_index"), conversation_id=conversation_id or "")
        prev = self.conversations.get(conversation_id)
        q, scope, reuse = with_context(parse_question(question), prev)
        ctx = self.context(top_k)
        result = self._from_evidence(q, ctx, reuse) if reuse is not None else self._planned(q, ctx, scope)
        result = self._with_replacement_note(result)
        cid = self.conversations.put(conversation_id, self._turn(q, result, prev))
        return replace(result, conversation_id=cid)

    def _turn(self, q: Question, result: Answer, prev: Turn | None) -> Turn:
        if result.status == "not_found" and prev is not None:
            return prev  # keep the last useful context for the next follow-up
        if result.status == "not_found":
            # Nothing answered, but the document the question named is still what the user is
            # asking about: "… ở thành thị là bao nhiêu?" (not found), then "còn ở nông thôn?".
            named = self.docs.resolve(q.doc_refs, q.full_numbers) or ()
            return Turn(q, result.intent, tuple(sorted(named)), ())
        evidence = tuple((c.document_id, c.start, c.end, c.task_number, c.section) for c in result.citations)
        return Turn(q, result.intent, tuple(sorted({c.document_id for c in result.citations if c.document_id})), evidence)

    def _with_replacement_note(self, result: Answer) -> Answer:
        """An answer read from a text that another indexed text replaced or repealed says so."""
        if result.status != "answered" or not result.citations:
            return result
        doc = self.docs.docs.get(result.citations[0].document_id)
        note = replacement_note(doc, self.docs.docs) if doc else None
        return replace(result, answer=f"{result.answer}\n{note}") if note else result

    # -- plan and run ---------------------------------------------------------------------
    def _planned(self, q: Question, ctx: Context, scope: set[str] | None) -> Answer:
        named = self.docs.resolve(q.doc_refs, q.full_numbers)
        named = self.docs.narrow(named, q.folded) if named else named
        described = None if named else self.docs.match_descriptor(q.descriptor)
        q = self._restored(q, named or described or scope)
        found = run(make_plan(q, self.docs, named or described, scope), q, ctx)
        if found.status == "not_found" and described and not q.agencies and len(q.descriptor[1]) <= 2:
            # "theo quy trình liên thông" (two words) may describe a procedure, not name the
            # document whose title holds them: nothing there, so search as if none was named.
            # A longer description, or an agency the document never mentions, stays refused.
            return run(make_plan(q, self.docs, None, scope), q, ctx)
        return found

    def _restored(self, q: Question, doc_ids: set[str] | None) -> Question:
        """A question typed without diacritics is searched with the accents that the passages
        keyword search finds for it give its words (assistant/restore.py)."""
        if not q.plain:
            return q
        texts = self.retrieval.keyword_texts(q.search_text, RESTORE_PASSAGES, set(doc_ids) if doc_ids else None)
        return replace(q, search_text=restore(q.search_text, texts)) if texts else q

    def _from_evidence(self, q: Question, ctx: Context, evidence: tuple) -> Answer:
        """A follow-up without a topic of its own ("cơ quan nào phối hợp?") reads the last span."""
        doc_id, start, end, task_number, section = evidence
        doc = self.docs.docs.get(doc_id)
        if doc is None:
            return not_found("weak_evidence", q.intent)
        if task_number:
            task = self.docs.task_at(doc_id, start, end, task_number)
            if task is not None:
                return task_result(q, [(doc, task)])
        return passage_result(q, doc, (start, end + 1), section)


def run(plan: Plan, q: Question, ctx: Context) -> Answer:
    """Each route of the plan in turn; the first answer stands."""
    for route in plan.routes:
        found = ROUTES[route](q, ctx, plan.doc_ids)
        if found is not None:
            return found
    return not_found(plan.refuse or "weak_evidence", q.intent)


# Words of a follow-up that point back rather than name a topic ("còn … thì sao?", "việc đó …"), folded.
FOLLOWUP_FILLER = frozenset("sao the thi viec do phai xong nay kia vay con nua".split())


def with_context(q: Question, prev: Turn | None) -> tuple[Question, set[str] | None, tuple | None]:
    """Follow-ups: no topic of their own -> same evidence; "còn X?" -> same documents and intent."""
    if prev is None:
        return q, None, None
    topic = [w for w in topic_words(q) if w not in FOLLOWUP_FILLER]
    if not topic and not q.agencies and not q.doc_refs and prev.evidence and q.intent != "doc":
        intent = q.intent if q.intent != "fact" else prev.intent
        return merged(q, intent, "", None), None, prev.evidence[0]
    if q.continuation or (len(topic) <= 3 and not q.doc_refs):
        intent = prev.intent if q.intent in ("fact", "lead") and prev.intent != "fact" else q.intent
        asked = " ".join(_intent_words(prev.question))  # "… có trách nhiệm gì?" carries over to "thế còn X?"
        return merged(q, intent, asked, getattr(prev.question, "doc_field", None)), set(prev.doc_ids) or None, None
    return q, None, None


def _intent_words(q: Question) -> list[str]:
    """What the question before asked, and about what, without the agency it asked about: "còn
    Báo Hà Tĩnh?" after "… giao Sở Công thương trách nhiệm gì?" asks the same of another agency;
    "còn ở nông thôn?" after "học phí THPT ở thành thị là bao nhiêu?" asks the same of another place."""
    named = set(" ".join(fold(a) for a in q.agency_texts).split())
    return [w for w in q.text.split() if fold(w).strip("?.,:()") not in named][:24]


def build_answerer(services) -> RetrievalAnswerer:
    settings = services.settings
    retriever = HybridRetriever(services.catalogue, services.vectors, tokens=services.tokens)
    return RetrievalAnswerer(
        services.catalogue, retriever, DocumentStore(services.catalogue),
        Conversations(settings.conversation_ttl_s, settings.max_conversations), settings.top_k,
    )
