"""The reminders the Telegram bot offers, over the catalogue: follow an agency, stop, list, and
the day's digests. The choice of tasks is ``assistant.reminders`` (pure); this module reads the
catalogue and keeps the subscriptions in it, so the bot never decodes index rows itself."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from assistant.reminders import Digest, TaskRow, agency_rows, resolve_agency, select_due
from index.catalogue import Catalogue, meta_from_json
from ingest.agencies import AliasTable, clean_name, load_aliases
from ingest.text import key

MAX_PER_CHAT = 20  # agencies one chat may follow: a digest of more would be unreadable
FollowStatus = Literal["added", "already", "unknown", "too_many"]


@dataclass(frozen=True)
class FollowResult:
    status: FollowStatus
    agency: str  # the canonical name followed (as typed when unknown)
    rows: int = 0  # task rows naming the agency in what is indexed now
    digest: Digest | None = None  # what today's digest would hold


class ReminderService:
    def __init__(self, catalogue: Catalogue, table: AliasTable | None = None):
        self.catalogue = catalogue
        self.table = table or load_aliases()

    def task_rows(self) -> list[TaskRow]:
        """Every task row of the catalogue with its document's number (for the citation)."""
        docs = {}
        for row in self.catalogue.documents():
            meta = meta_from_json(row["meta"]) if row["meta"] else None
            docs[row["id"]] = (row["source"], meta.number if meta else None)
        return [TaskRow(*docs.get(doc_id, (doc_id, None)), task) for doc_id, _, task in self.catalogue.tasks()]

    def _agency(self, text: str, rows: list[TaskRow]) -> str | None:
        """A known agency, or a name of two words or more that some row names (a body the alias
        table lacks, "Trung tâm Phục vụ hành chính công"); one unknown word would match too much."""
        known = resolve_agency(text, self.table)
        if known:
            return known
        name = clean_name(text)
        return name if len(name.split()) >= 2 and agency_rows(rows, name, self.table) else None

    def follow(self, chat_id: int, text: str, today: date, days: int) -> FollowResult:
        rows = self.task_rows()
        agency = self._agency(text, rows)
        if agency is None:
            return FollowResult("unknown", clean_name(text))
        following = {r["agency"] for r in self.catalogue.subscriptions(chat_id)}
        if agency not in following and len(following) >= MAX_PER_CHAT:
            return FollowResult("too_many", agency)
        added = self.catalogue.subscribe(chat_id, agency, clean_name(text))
        return FollowResult("added" if added else "already", agency, agency_rows(rows, agency, self.table),
                            select_due(rows, agency, self.table, today, days))

    def unfollow(self, chat_id: int, text: str = "") -> tuple[str, ...]:
        """Stop following the agency typed (every agency when nothing is typed); the names removed."""
        if not text.strip():
            return tuple(self.catalogue.unsubscribe(chat_id))
        following = [r["agency"] for r in self.catalogue.subscriptions(chat_id)]
        agency = resolve_agency(text, self.table) or clean_name(text)
        # An unknown body was stored as typed: compare it without case or accents.
        same = [a for a in following if key(a) == key(agency)]
        return tuple(name for a in same for name in self.catalogue.unsubscribe(chat_id, a))

    def following(self, chat_id: int) -> tuple[str, ...]:
        return tuple(r["agency"] for r in self.catalogue.subscriptions(chat_id))

    def digests(self, today: date, days: int) -> dict[int, tuple[Digest, ...]]:
        """Every chat's non-empty digests of the day; a chat with nothing due is left out."""
        rows = self.task_rows()
        computed: dict[str, Digest] = {}
        out: dict[int, list[Digest]] = {}
        for sub in self.catalogue.subscriptions():
            agency = sub["agency"]
            if agency not in computed:  # many chats follow the same ministry: read its rows once
                computed[agency] = select_due(rows, agency, self.table, today, days)
            if not computed[agency].empty:
                out.setdefault(sub["chat_id"], []).append(computed[agency])
        return {chat: tuple(found) for chat, found in out.items()}
