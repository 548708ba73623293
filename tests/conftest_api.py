"""Shared helpers for the API and browser tests (imported explicitly, not a pytest conftest).

The answerer is a fake (the real one is tested elsewhere); the catalogue, ingestor and
vector index are real, with the deterministic fake embedder, under a temporary data dir.
"""
from __future__ import annotations

import threading
import uuid
from pathlib import Path

from assistant.services import Services
from assistant.settings import Settings
from assistant.types import Answer, Citation, TaskView

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = "000_708ce065672b0925.txt"
API_KEY = "test-key-0123456789"


def make_settings(data_dir: Path, **overrides) -> Settings:
    values = dict(data_dir=data_dir, embedder="fake", api_keys=[API_KEY], rate_limit_per_min=10_000)
    values.update(overrides)
    return Settings(**values)


class TaskAnswerer:
    """Answers every question with one task of an indexed document, cited by its real span.

    ``fail_on`` makes a question raise (to test the 500 path); ``gate`` blocks start-up
    (building the answerer) until it is set, to observe /readyz before readiness.
    """

    def __init__(self, services: Services, source: str = SEED, task_number: str = "35"):
        self.services = services
        self.source = source
        self.task_number = task_number
        self.calls: list[tuple[str, str | None, int | None]] = []
        self.fail_on = "__boom__"

    def _task(self):
        row = self.services.catalogue.document_row(self.source)
        for _, _, task in self.services.catalogue.tasks(row["id"]):
            if task.number == self.task_number:
                return row, task
        raise LookupError(self.task_number)

    def answer(self, question: str, conversation_id: str | None = None, top_k: int | None = None) -> Answer:
        self.calls.append((question, conversation_id, top_k))
        if question == self.fail_on:
            raise RuntimeError("Traceback: secret internal detail /etc/passwd")
        conv = conversation_id or uuid.uuid4().hex
        if "không có" in question:
            return Answer("not_found", "Không tìm thấy thông tin này trong các văn bản đã nạp.", conv)
        row, task = self._task()
        start, end = task.span
        d = task.deadline
        deadline = {"text": d.text, "start": d.start.isoformat() if d.start else None,
                    "end": d.end.isoformat() if d.end else None, "kind": d.kind} if d else None
        citation = Citation(row["source"], "ĐỀ ÁN", None, " > ".join(task.section), task.number,
                            row["text"][start:end], start, end, row["id"])
        view = TaskView(row["source"], task.number, task.description, task.lead, task.coordinate,
                        deadline, task.product, " > ".join(task.section))
        text = (f"Nhiệm vụ {task.number}: chủ trì: {'; '.join(task.lead)}; phối hợp: "
                f"{'; '.join(task.coordinate)}; thời hạn: {d.text if d else '-'}.")
        fields = {"lead": list(task.lead), "coordinate": list(task.coordinate),
                  "deadline": d.text if d else None, "product": task.product}
        return Answer("answered", text, conv, (citation,), (view,), "lead", fields)


class GatedServices(Services):
    """Services whose answerer takes until ``gate`` is set to build, like a slow model load."""

    def __init__(self, settings: Settings, gate: threading.Event):
        super().__init__(settings)
        self.gate = gate
        self.fake = TaskAnswerer(self)

    @property
    def answerer(self):
        self.gate.wait(10)
        return self.fake


def build_services(settings: Settings, seed: bool = True, gate: threading.Event | None = None):
    """Real catalogue/ingestor/vectors (fake embedder) + the fake answerer; seeds one real document."""
    services = GatedServices(settings, gate) if gate else Services(settings)
    if seed:
        result = services.ingestor.ingest_file(CORPUS / SEED)
        assert result.status in ("added", "unchanged"), result
    if gate:
        return services, services.fake
    answerer = TaskAnswerer(services)
    services.answerer = answerer  # cached_property: an instance value wins
    return services, answerer
