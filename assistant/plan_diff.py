"""Two versions of a plan compared row by row: tasks added, removed, and changed (lead,
coordinators, deadline, product, text). Pure.

Rows are matched by their content, not their numbers: a new version renumbers its rows when one
is inserted. Each row of the new version is paired with the most similar row of the old one
(shared words of the description, greedy from the most similar pair); a pair under
``MIN_SIMILAR`` is not the same task.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.text import key
from ingest.types import Task

Field = Literal["lead", "coordinate", "deadline", "product", "description"]
MIN_SIMILAR = 0.5  # share of shared description words (Jaccard) for two rows to be one task
SAME_TEXT = 0.9  # above this the description counts as unchanged (punctuation, a typo)


@dataclass(frozen=True)
class Change:
    old: Task
    new: Task
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class PlanDiff:
    added: tuple[Task, ...]
    removed: tuple[Task, ...]
    changed: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _words(task: Task) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", key(task.description)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def diff_tasks(old: tuple[Task, ...], new: tuple[Task, ...]) -> PlanDiff:
    old_words, new_words = [_words(t) for t in old], [_words(t) for t in new]
    pairs = sorted(((similarity(ow, nw), i, j) for i, ow in enumerate(old_words) for j, nw in enumerate(new_words)
                    if ow & nw), reverse=True)
    matched_old: dict[int, int] = {}
    matched_new: set[int] = set()
    for score, i, j in pairs:
        if score < MIN_SIMILAR:
            break
        if i not in matched_old and j not in matched_new:
            matched_old[i] = j
            matched_new.add(j)
    changed = []
    for i, j in sorted(matched_old.items(), key=lambda p: p[1]):
        fields = changed_fields(old[i], new[j], similarity(old_words[i], new_words[j]))
        if fields:
            changed.append(Change(old[i], new[j], fields))
    return PlanDiff(
        added=tuple(t for j, t in enumerate(new) if j not in matched_new),
        removed=tuple(t for i, t in enumerate(old) if i not in matched_old),
        changed=tuple(changed),
    )


def changed_fields(old: Task, new: Task, text_similarity: float) -> tuple[Field, ...]:
    def names(values: tuple[str, ...]) -> frozenset[str]:
        return frozenset(key(v) for v in values)

    out: list[Field] = []
    if names(old.lead) != names(new.lead):
        out.append("lead")
    if names(old.coordinate) != names(new.coordinate):
        out.append("coordinate")
    if key(old.deadline.text if old.deadline else "") != key(new.deadline.text if new.deadline else ""):
        out.append("deadline")
    if key(old.product or "") != key(new.product or ""):
        out.append("product")
    if text_similarity < SAME_TEXT:
        out.append("description")
    return tuple(out)
