"""Conversations kept in memory: bounded (LRU) and expiring (TTL)."""
from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class Turn:
    question: object  # assistant.understand.Question
    intent: str
    doc_ids: tuple[str, ...]
    evidence: tuple = ()  # (doc_id, kind, key) of what the answer was read from
    at: float = field(default_factory=time.monotonic)


class Conversations:
    def __init__(self, ttl_s: float = 3600, max_items: int = 1000, clock=time.monotonic):
        self.ttl_s, self.max_items, self._clock = ttl_s, max_items, clock
        self._items: OrderedDict[str, Turn] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conversation_id: str | None) -> Turn | None:
        if not conversation_id:
            return None
        with self._lock:
            turn = self._items.get(conversation_id)
            if turn is None:
                return None
            if self._clock() - turn.at > self.ttl_s:
                del self._items[conversation_id]
                return None
            self._items.move_to_end(conversation_id)
            return turn

    def put(self, conversation_id: str | None, turn: Turn) -> str:
        cid = conversation_id or uuid.uuid4().hex
        turn.at = self._clock()
        with self._lock:
            self._items[cid] = turn
            self._items.move_to_end(cid)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return cid

    def __len__(self) -> int:
        return len(self._items)
