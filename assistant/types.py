"""Answer-side data types and the one interface every front end calls.

The API, the web page, the Telegram bot and the CLI all call ``Answerer.answer``;
none of them answers a question itself.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, Protocol


@dataclass(frozen=True)
class Citation:
    """Where an answer was read from. ``quote == document text[start:end]`` always."""

    source: str
    document_number: str | None
    document_title: str | None
    section: str | None
    task_number: str | None
    quote: str
    start: int
    end: int
    document_id: str | None = None


@dataclass(frozen=True)
class TaskView:
    """A structured task row as the API shows it."""

    source: str
    task_number: str
    description: str
    lead: tuple[str, ...]
    coordinate: tuple[str, ...]
    deadline: dict | None  # {"text", "start", "end", "kind"}
    product: str | None
    section: str | None = None


@dataclass(frozen=True)
class Answer:
    status: Literal["answered", "not_found"]
    answer: str
    conversation_id: str
    citations: tuple[Citation, ...] = ()
    tasks: tuple[TaskView, ...] = ()
    intent: str = "general"
    fields: dict = field(default_factory=dict)  # lead / coordinate / deadline / product shown as fields
    reason: str | None = None  # why not_found: a reason code of assistant.verify.Reason

    def to_json(self) -> dict:
        data = asdict(self)
        data["citations"] = [asdict(c) for c in self.citations]
        data["tasks"] = [
            {**asdict(t), "lead": list(t.lead), "coordinate": list(t.coordinate)} for t in self.tasks
        ]
        return data


class Answerer(Protocol):
    def answer(self, question: str, conversation_id: str | None = None, top_k: int | None = None) -> Answer:
        """Answer a Vietnamese question; ``conversation_id`` keeps follow-up context."""
        ...
