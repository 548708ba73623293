"""Who may talk to the bot, how often, and what the bot remembers per chat.

Everything here is plain Python (no Telegram objects) so it is easy to test and reuse.
"""
from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assistant.types import Citation


class AccessPolicy:
    """Allow-list of user ids and chat ids (as strings); an empty list lets everyone in."""

    def __init__(self, allowed: Iterable[str | int]):
        self._allowed = {str(a).strip() for a in allowed if str(a).strip()}

    @property
    def open(self) -> bool:
        return not self._allowed

    def allows(self, user_id: int | None, chat_id: int | None) -> bool:
        if self.open:
            return True
        return any(str(i) in self._allowed for i in (user_id, chat_id) if i is not None)


class RateLimiter:
    """Sliding-window limit: at most ``per_minute`` hits per key in any 60 s window.

    ``per_minute <= 0`` disables the limit. The clock is injectable for tests.
    """

    def __init__(self, per_minute: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000):
        self.per_minute = per_minute
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def _window(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        self._hits.move_to_end(key)
        while hits and now - hits[0] >= self.window_s:
            hits.popleft()
        while len(self._hits) > self._max_keys:  # forget the least recently seen users
            self._hits.popitem(last=False)
        return hits

    def acquire(self, key: str | int) -> bool:
        """Record a hit and say whether it is allowed (refused hits are not counted)."""
        if self.per_minute <= 0:
            return True
        now = self._clock()
        hits = self._window(str(key), now)
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        return True

    def retry_in(self, key: str | int) -> int:
        """Whole seconds until the next hit would be allowed (0 if now)."""
        hits = self._hits.get(str(key))
        if self.per_minute <= 0 or not hits or len(hits) < self.per_minute:
            return 0
        return max(1, int(self.window_s - (self._clock() - hits[0]) + 0.999))


@dataclass
class ChatState:
    """One conversation per chat, plus the citations of its recent answers (for "Nguồn")."""

    conversation_id: str | None = None
    answers: OrderedDict[int, tuple[Citation, ...]] = field(default_factory=OrderedDict)
    next_seq: int = 1
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def remember(self, citations: tuple[Citation, ...], keep: int = 10) -> int:
        seq = self.next_seq
        self.next_seq += 1
        self.answers[seq] = citations
        while len(self.answers) > keep:
            self.answers.popitem(last=False)
        return seq

    def citations(self, seq: int | None = None) -> tuple[Citation, ...]:
        """Citations of answer ``seq`` (default: the last one); () when unknown or expired."""
        if seq is None:
            return next(reversed(self.answers.values()), ()) if self.answers else ()
        return self.answers.get(seq, ())

    def reset(self) -> None:
        self.conversation_id = None
        self.answers.clear()


class ChatStore:
    """Bounded map chat id -> ChatState; the least recently used chats are forgotten first."""

    def __init__(self, max_chats: int = 1000):
        self._max = max(1, max_chats)
        self._chats: OrderedDict[int, ChatState] = OrderedDict()

    def get(self, chat_id: int) -> ChatState:
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = ChatState()
            while len(self._chats) > self._max:
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat_id)
        return state

    def __len__(self) -> int:
        return len(self._chats)
