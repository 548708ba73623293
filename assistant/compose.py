"""Turn evidence into short Vietnamese answers with templates from prompts/answers.toml."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from assistant.evidence import Doc, citation, task_view
from assistant.retrieve import Evidence
from assistant.types import Answer, Citation
from assistant.understand import Question
from ingest.text import fold
from ingest.types import Task

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
FIELD_ORDER = {
    "lead": ("lead", "coordinate", "deadline"),
    "coordinate": ("coordinate", "lead", "deadline"),
    "deadline": ("deadline", "lead", "coordinate"),
    "product": ("product", "lead", "deadline"),
}


@lru_cache(maxsize=4)
def templates(path: str | None = None) -> dict:
    file = Path(path) if path else PROMPTS_DIR / "answers.toml"
    return tomllib.loads(file.read_text("utf-8"))


def _value(task: Task, field: str, none: str) -> str:
    if field == "lead":
        return "; ".join(task.lead) or none
    if field == "coordinate":
        return "; ".join(task.coordinate) or none
    if field == "deadline":
        return task.deadline.text if task.deadline else none
    return task.product or none


def task_fields(task: Task, intent: str, question_folded: str = "") -> str:
    t = templates()
    order = FIELD_ORDER.get(intent, ("lead", "coordinate", "deadline"))
    parts = [t[f"field_{f}"].format(value=_value(task, f, t["none_value"])) for f in order]
    if intent == "product" or (task.product and "san pham" in question_folded):
        parts = parts if "product" in order else parts + [t["field_product"].format(value=task.product)]
    parts += [f"{name}: {value}" for name, value in matching_extras(task, question_folded)]
    return "; ".join(parts)


def matching_extras(task: Task, question_folded: str) -> list[tuple[str, str]]:
    """Extra columns the question names ("mã TTHC", "căn cứ", "hồ sơ", "cơ quan trình")."""
    out = []
    words = set(re.findall(r"\w+", question_folded))
    for name, value in task.extra:
        name_words = [w for w in re.findall(r"\w+", fold(name)) if len(w) > 1]
        if name_words and sum(w in words for w in name_words) >= max(1, len(name_words) // 2):
            out.append((name, value))
    return out


def task_answer(doc: Doc, task: Task, intent: str, question_folded: str) -> str:
    t = templates()
    ref = t["task_ref"].format(number=task.number, document=doc.label)
    return t["task_answer"].format(ref=ref, fields=task_fields(task, intent, question_folded))


def short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def list_answer(items: list[tuple[Doc, Task]], intent: str, limit: int = 12) -> str:
    t = templates()
    lines = [t["list_intro"].format(count=len(items))]
    for doc, task in items[:limit]:
        fields = task_fields(task, intent if intent in FIELD_ORDER else "lead")
        lines.append(t["list_item"].format(number=task.number, description=short(task.description, 90), fields=fields))
    if len(items) > limit:
        lines.append(t["list_more"].format(count=len(items) - limit))
    return "\n".join(lines)


def fixed(name: str, **values) -> str:
    return templates()[name].format(**values)


# ---------------------------------------------------------------- answers from evidence


def not_found(reason: str, intent: str = "fact", message: str | None = None) -> Answer:
    """The one shape of a refusal or a miss: the reason code says which."""
    text = message or fixed("empty_index" if reason == "empty_index" else "not_found")
    return Answer("not_found", text, "", (), (), intent, reason=reason)


def task_result(q: Question, tasks: list[tuple[Doc, Task]], extra: Sequence[Evidence] = (),
                intro: str | None = None) -> Answer:
    """One task row, or several (the parts of one item, or rows that match equally), each cited
    from its own document."""
    intent = q.intent if q.intent in FIELD_ORDER else "lead"
    lines = [task_answer(doc, t, intent, q.folded) for doc, t in tasks]
    text = lines[0] if len(lines) == 1 else "\n".join([intro or fixed("tie_intro", count=len(lines))] + lines)
    cites = [citation(doc, t.span[0], t.span[1], " > ".join(t.section), t.number) for doc, t in tasks]
    cites += evidence_citations(extra, exclude={(c.source, c.start) for c in cites})
    first = tasks[0][1]
    fields = {"lead": list(first.lead), "coordinate": list(first.coordinate),
              "deadline": first.deadline.text if first.deadline else None, "product": first.product}
    return Answer("answered", text, "", tuple(cites), tuple(task_view(doc, t) for doc, t in tasks), intent, fields)


def evidence_citations(evidence: Sequence[Evidence], exclude: set, limit: int = 4) -> list[Citation]:
    """Further evidence cited after the answer's own span (at most ``limit``)."""
    out = []
    for ev in evidence:
        if (ev.doc.source, ev.span[0]) in exclude:
            continue
        out.append(citation(ev.doc, ev.span[0], ev.span[1], ev.section_text, ev.task_number))
    return out[:limit]
