"""Formatting of bot messages: splitting, escaping, valid Telegram HTML."""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from hypothesis import given, settings, strategies as st

from assistant.types import Answer, Citation
from bots.access import AccessPolicy, ChatStore, RateLimiter
from bots.formatting import (
    ALLOWED_TAGS,
    MAX_MESSAGE,
    escape,
    pack_blocks,
    render_answer,
    render_citations,
    render_documents,
    sources_line,
    split_escaped,
    split_plain,
    tg_len,
    to_plain,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_telegram import check_html  # noqa: E402  (Telegram-like HTML checker shared with the e2e fake)

# Text that stresses the splitter: markup characters, entities-looking text, newlines, Vietnamese,
# astral characters (2 UTF-16 units), combining marks.
ALPHABET = st.sampled_from(list("<>&;#amplt \n\r\tabcđĐơưạếỗ") + ["\U0001F600", "\u0301", "&amp;", "\u2028"])
TEXTS = st.lists(ALPHABET, max_size=400).map("".join) | st.text(max_size=300)
LIMITS = st.integers(min_value=5, max_value=120)
TAG_RE = re.compile(r"<(/?)([a-z-]+)>")


def assert_valid_html(part: str, limit: int) -> None:
    assert tg_len(part) <= limit
    for m in re.finditer(r"<", part):
        tag = TAG_RE.match(part, m.start())
        assert tag and tag.group(2) in ALLOWED_TAGS, part
    error, visible = check_html(part)
    assert error is None, (error, part)


@settings(max_examples=200, deadline=None)
@given(TEXTS, LIMITS)
def test_split_plain_parts_fit_and_rejoin(text, limit):
    parts = split_plain(text, limit)
    assert "".join(parts) == text
    assert all(parts)
    for part in parts:
        escaped = escape(part)
        assert tg_len(escaped) <= limit
        assert html.unescape(escaped) == part  # no entity was cut in two
        assert "<" not in escaped and ">" not in escaped


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_split_default_limit_and_html_valid(text):
    text = text * 40  # make long inputs common (up to ~16k characters)
    parts = split_escaped(text)
    assert all(len(p) <= MAX_MESSAGE for p in parts)
    assert "".join(html.unescape(p) for p in parts).strip() == "".join(
        p for p in split_plain(text) if p.strip()).strip()
    for part in parts:
        assert_valid_html(part, MAX_MESSAGE)


def test_split_prefers_line_boundaries():
    lines = [f"Dòng {i}: " + "x" * 50 for i in range(200)]
    text = "\n".join(lines)
    parts = split_plain(text)
    assert len(parts) == 3
    assert all(p.endswith("\n") for p in parts[:-1])  # every cut is at a line end
    assert "".join(parts) == text


def test_hard_split_of_one_long_line_prefers_spaces_and_never_cuts_entities():
    line = "A&B " * 3000  # one line, 12000 chars, 24000 once escaped
    parts = split_plain(line)
    assert "".join(parts) == line
    assert all(tg_len(escape(p)) <= MAX_MESSAGE for p in parts)
    assert all(p.endswith(" ") for p in parts[:-1])
    assert all("&amp;" in escape(p) and "&amp" not in escape(p).replace("&amp;", "") for p in parts)


CITATION = Citation(
    source="000_708ce065672b0925.txt",
    document_number="62/QĐ-TCTCCTTHC",
    document_title="Kế hoạch hoạt động <2023> & cải cách",
    section="II. NHIỆM VỤ",
    task_number="35",
    quote="Số hóa hồ sơ, kết quả giải quyết TTHC <theo quy định> & lưu trữ",
    start=10,
    end=70,
)


def answer_of(text: str, citations=(CITATION,)) -> Answer:
    return Answer(status="answered", answer=text, conversation_id="c1", citations=tuple(citations))


def test_answer_escapes_and_has_compact_sources_line():
    parts = render_answer(answer_of("Chủ trì: <Các bộ, ngành> & địa phương\nThời hạn: 01 tháng 06 năm 2023"))
    assert parts == [
        "Chủ trì: &lt;Các bộ, ngành&gt; &amp; địa phương\nThời hạn: 01 tháng 06 năm 2023\n\n"
        "<i>Nguồn: 000_708ce065672b0925.txt · nhiệm vụ 35</i>"
    ]
    assert to_plain(parts[0]).startswith("Chủ trì: <Các bộ, ngành> & địa phương")


def test_sources_line_goes_to_its_own_message_when_the_last_part_is_full():
    footer = "<i>Nguồn: 000_708ce065672b0925.txt · nhiệm vụ 35</i>"
    assert render_answer(answer_of("a" * 4090)) == ["a" * 4090, footer]
    assert render_answer(answer_of("a" * 4000)) == ["a" * 4000 + "\n\n" + footer]
    assert render_answer(answer_of("&" * 1000, citations=())) == ["&amp;" * 819, "&amp;" * 181]


def test_sources_line_dedupes_and_counts_the_rest():
    cites = [CITATION, CITATION] + [
        Citation(f"doc<{i}>.md", None, None, f"Điều {i}", None, "q", 0, 1) for i in range(1, 5)
    ]
    assert sources_line(cites) == (
        "<i>Nguồn: 000_708ce065672b0925.txt · nhiệm vụ 35; doc&lt;1&gt;.md · Điều 1; "
        "doc&lt;2&gt;.md · Điều 2 (+2)</i>"
    )
    assert sources_line([]) == ""


@settings(max_examples=100, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=30))
def test_rendered_answers_are_valid_and_fit(text, repeat):
    parts = render_answer(answer_of(text * (repeat * 20 + 1)))
    assert parts
    for part in parts:
        assert_valid_html(part, MAX_MESSAGE)
    assert parts[-1].endswith("</i>")


def test_citations_show_document_task_and_escaped_quote():
    (message,) = render_citations("Nguồn trích dẫn", [CITATION])
    assert "<b>1. 000_708ce065672b0925.txt</b>" in message
    assert "62/QĐ-TCTCCTTHC — Kế hoạch hoạt động &lt;2023&gt; &amp; cải cách" in message
    assert "Nhiệm vụ: 35" in message
    assert "<blockquote>Số hóa hồ sơ, kết quả giải quyết TTHC &lt;theo quy định&gt; &amp; lưu trữ</blockquote>" in message
    assert_valid_html(message, MAX_MESSAGE)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS, TEXTS), min_size=1, max_size=40))
def test_many_citations_and_documents_pack_into_valid_messages(items):
    cites = [Citation(s, n, n, n, n or None, q * 10, 0, len(q)) for s, n, q in items]
    for message in render_citations("Nguồn", cites) + render_documents("Văn bản", [(s, n) for s, n, _ in items]):
        assert_valid_html(message, MAX_MESSAGE)


def test_pack_blocks_merges_up_to_the_limit():
    assert pack_blocks(["aa", "bb", "cc"], limit=5) == ["aa\nbb", "cc"]
    # An over-long block is split as plain text (markup dropped) rather than cut mid-entity.
    assert pack_blocks(["<b>" + "&amp;" * 10 + "</b>"], limit=20) == ["&amp;" * 4, "&amp;" * 4, "&amp;" * 2]


# -- access helpers (plain Python) ----------------------------------------------------------

def test_access_policy_open_and_closed():
    assert AccessPolicy([]).allows(1, 2)
    policy = AccessPolicy(["42", "-100200"])
    assert policy.allows(42, 7) and policy.allows(7, -100200)
    assert not policy.allows(7, 8) and not policy.allows(None, None)


def test_rate_limiter_sliding_window():
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.acquire(1) and limiter.acquire(1)
    assert not limiter.acquire(1)
    assert limiter.acquire(2)  # per user
    assert limiter.retry_in(1) == 60
    now[0] += 30
    assert not limiter.acquire(1) and limiter.retry_in(1) == 30
    now[0] += 30.5
    assert limiter.acquire(1)
    assert RateLimiter(0).acquire(1)


def test_chat_store_keeps_recent_answers_and_forgets_old_chats():
    store = ChatStore(max_chats=2)
    state = store.get(1)
    first = state.remember((CITATION,))
    state.remember(())
    assert state.citations() == () and state.citations(first) == (CITATION,)
    state.reset()
    assert state.citations(first) == () and state.conversation_id is None
    store.get(2), store.get(3)
    assert len(store) == 2 and store.get(1) is not state
