"""Turn evidence into short Vietnamese answers with templates from prompts/answers.toml."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from assistant.evidence import Doc
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
