"""Pure functions that turn answers into Telegram HTML messages.

Every dynamic text is escaped with ``html.escape``; the only tags in a message are the few
this module writes itself (``ALLOWED_TAGS``). Long texts are split *before* escaping, on line
boundaries, so a split can never fall inside an entity (``&amp;``) or a tag.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from assistant.reminders import Digest, DueTask
from assistant.types import Answer, Citation

MAX_MESSAGE = 4096  # Telegram's limit for one message's text
ALLOWED_TAGS = ("b", "i", "code", "blockquote")
MAX_QUOTE = 600  # characters of a quote shown under /nguon (escaping may grow it up to 5x)
MAX_LABEL = 200
MAX_FOOTER_SOURCES = 3
_TAG = re.compile(r"</?[a-z-]+>")


def escape(text: str) -> str:
    """Escape ``<``, ``>`` and ``&`` (all Telegram needs; quotes stay readable)."""
    return html.escape(text, quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), never less than ``len(text)``."""
    return len(text.encode("utf-16-le")) // 2


def _cost(text: str) -> int:
    return tg_len(escape(text))


def _hard_split(line: str, limit: int) -> list[str]:
    """Cut one over-long line into pieces whose escaped size is <= limit, preferring spaces."""
    pieces: list[str] = []
    start, size, last_space = 0, 0, -1
    for i, ch in enumerate(line):
        c = _cost(ch)
        if size + c > limit:
            # Break after the last space if that keeps at least half the piece; else cut here.
            keep_half = last_space >= start and (last_space - start) * 2 >= i - start
            cut = last_space + 1 if keep_half else i
            pieces.append(line[start:cut])
            start, last_space = cut, -1
            size = _cost(line[start:i])
            if size + c > limit:  # the carried-over tail plus this character still too big
                pieces.append(line[start:i])
                start, size = i, 0
        size += c
        if ch.isspace():
            last_space = i
    if start < len(line):
        pieces.append(line[start:])
    return pieces


def split_plain(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split plain text so that every part, once escaped, fits ``limit``.

    ``"".join(parts) == text`` always; parts break on line ends when possible.
    """
    if limit < 5:
        raise ValueError("limit must leave room for one escaped character")
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        pieces = [line] if _cost(line) <= limit else _hard_split(line, limit)
        for piece in pieces:
            c = _cost(piece)
            if current and size + c > limit:
                parts.append("".join(current))
                current, size = [], 0
            current.append(piece)
            size += c
    if current:
        parts.append("".join(current))
    return parts


def split_escaped(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Plain text -> escaped HTML parts, each <= limit; whitespace-only parts are dropped."""
    return [escape(p) for p in split_plain(text, limit) if p.strip()]


def pack_blocks(blocks: Iterable[str], limit: int = MAX_MESSAGE, sep: str = "\n") -> list[str]:
    """Pack ready HTML blocks (each <= limit) into as few messages as possible."""
    messages: list[str] = []
    for block in blocks:
        if tg_len(block) > limit:  # only adversarial inputs get here: keep the text, drop markup
            messages.extend(split_escaped(to_plain(block), limit))
            continue
        if messages and tg_len(messages[-1]) + tg_len(sep) + tg_len(block) <= limit:
            messages[-1] += sep + block
        else:
            messages.append(block)
    return messages


def to_plain(message_html: str) -> str:
    """The plain-text twin of a message this module rendered (fallback when HTML is refused)."""
    return html.unescape(_TAG.sub("", message_html))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def citation_label(c: Citation) -> str:
    """Compact plain label: ``file · nhiệm vụ 35`` or ``file · Điều 10``."""
    where = f"nhiệm vụ {c.task_number}" if c.task_number else (c.section or "")
    return _clip(f"{c.source} · {where}" if where else c.source, MAX_LABEL)


def sources_line(citations: Sequence[Citation]) -> str:
    """HTML line ``Nguồn: a · nhiệm vụ 1; b · Điều 2 (+3)``, or '' without citations."""
    labels = list(dict.fromkeys(citation_label(c) for c in citations))
    if not labels:
        return ""
    shown = "; ".join(escape(lbl) for lbl in labels[:MAX_FOOTER_SOURCES])
    more = f" (+{len(labels) - MAX_FOOTER_SOURCES})" if len(labels) > MAX_FOOTER_SOURCES else ""
    return f"<i>Nguồn: {shown}{more}</i>"


def render_answer(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """Answer text (escaped, split) with the compact sources line at the end."""
    parts = split_escaped(answer.answer, limit) or [escape("…")]
    footer = sources_line(answer.citations)
    if footer:
        last = parts[-1].rstrip() + "\n\n" + footer
        if tg_len(last) <= limit:
            parts[-1] = last
        else:
            parts.append(footer)
    return parts


def render_citation(index: int, c: Citation) -> str:
    """One citation: document, number/title, task or section, then the quote."""
    head = f"<b>{index}. {escape(_clip(c.source, MAX_LABEL))}</b>"
    details = [d for d in (c.document_number, c.document_title) if d]
    lines = [head]
    if details:
        lines.append(escape(_clip(" — ".join(details), MAX_LABEL)))
    if c.task_number:
        lines.append(f"Nhiệm vụ: {escape(_clip(c.task_number, 40))}")
    if c.section:
        lines.append(f"Mục: {escape(_clip(c.section, MAX_LABEL))}")
    if c.quote.strip():
        lines.append(f"<blockquote>{escape(_clip(c.quote, MAX_QUOTE))}</blockquote>")
    return "\n".join(lines)


def render_citations(header: str, citations: Sequence[Citation], limit: int = MAX_MESSAGE) -> list[str]:
    blocks = [f"<b>{escape(header)}</b>"]
    blocks += [render_citation(i, c) for i, c in enumerate(citations, start=1)]
    return pack_blocks(blocks, limit, sep="\n\n")


def render_documents(header: str, documents: Sequence[tuple[str, str]], limit: int = MAX_MESSAGE) -> list[str]:
    """``documents`` are (source, label) pairs; one short block per document."""
    blocks = [f"<b>{escape(header)}</b>"]
    for i, (source, label) in enumerate(documents, start=1):
        line = f"{i}. <code>{escape(_clip(source, MAX_LABEL))}</code>"
        if label and label != source:
            line += f"\n{escape(_clip(label, MAX_LABEL))}"
        blocks.append(line)
    return pack_blocks(blocks, limit)


def render_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """A fixed text (from prompts/bot.toml) as escaped HTML parts."""
    return split_escaped(text, limit)


# -- reminders ------------------------------------------------------------------------------
MAX_OVERDUE_SHOWN = 20  # per agency and day: older overdue rows are counted, not repeated daily
MAX_TASK_TEXT = 240
ROLE_LABELS = {"lead": "chủ trì", "coordinate": "phối hợp"}


def _when(item: DueTask) -> str:
    if item.days_left == 0:
        return "đến hạn hôm nay"
    if item.days_left > 0:
        return f"còn {item.days_left} ngày"
    return f"quá hạn {-item.days_left} ngày"


def render_due_task(item: DueTask) -> str:
    """One task of a digest with its citation: document number (or file), task number, deadline as written."""
    task, row = item.row.task, item.row
    lines = [f"• <b>Nhiệm vụ {escape(_clip(task.number, 40))}</b> ({ROLE_LABELS[item.role]}) — {_when(item)}"]
    if task.description.strip():
        lines.append(escape(_clip(task.description, MAX_TASK_TEXT)))
    lines.append(f"Thời hạn: {escape(_clip(task.deadline.text, MAX_LABEL))} ({item.due:%d/%m/%Y})")
    where = row.document_number or row.source
    lines.append(f"<i>Nguồn: {escape(_clip(where, MAX_LABEL))} · nhiệm vụ {escape(_clip(task.number, 40))}</i>")
    return "\n".join(lines)


def _digest_blocks(digest: Digest) -> list[str]:
    counts = []
    if digest.due:
        counts.append(f"{len(digest.due)} nhiệm vụ đến hạn trong {digest.days} ngày tới")
    if digest.overdue:
        counts.append(f"{len(digest.overdue)} nhiệm vụ quá hạn")
    blocks = [f"<b>{escape(_clip(digest.agency, MAX_LABEL))}</b>: {', '.join(counts)}"]
    blocks += [render_due_task(item) for item in digest.due]
    blocks += [render_due_task(item) for item in digest.overdue[:MAX_OVERDUE_SHOWN]]
    hidden = len(digest.overdue) - MAX_OVERDUE_SHOWN
    if hidden > 0:
        blocks.append(f"<i>… và {hidden} nhiệm vụ quá hạn khác, cũ hơn.</i>")
    return blocks


def render_digests(digests: Sequence[Digest], limit: int = MAX_MESSAGE) -> list[str]:
    """A chat's daily reminder: one part per followed agency with something due, due soonest first,
    then overdue (most recent first). Empty when nothing is due: then nothing is sent."""
    shown = [d for d in digests if not d.empty]
    if not shown:
        return []
    blocks = [f"<b>Nhắc hạn nhiệm vụ ngày {shown[0].today:%d/%m/%Y}</b>"]
    for digest in shown:
        blocks += _digest_blocks(digest)
    return pack_blocks(blocks, limit, sep="\n\n")
