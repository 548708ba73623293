"""Rooms import downward only: ingest ← index ← assistant ← bots; the `cchc` entry sits above."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["ingest", "index", "assistant", "bots", "cchc"]


def _imported_rooms(path: Path) -> set[str]:
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        rooms |= {n.split(".")[0] for n in names if n.split(".")[0] in ORDER}
    return rooms


@pytest.mark.parametrize("room", ORDER)
def test_a_room_imports_only_rooms_below_it(room):
    allowed = set(ORDER[: ORDER.index(room) + 1])
    for path in (ROOT / room).rglob("*.py"):
        above = _imported_rooms(path) - allowed
        assert not above, f"{path.relative_to(ROOT)} imports {sorted(above)}"
