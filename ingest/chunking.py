"""Chunk a parsed document by its structure.

One chunk per task row (never split, never shared), one per article (split by khoản when
long), and the remaining prose split by blank lines and headings under a size cap. No
chunk crosses a task boundary: prose and article chunks are cut around task spans.
"""
from __future__ import annotations

import bisect
import re

from ingest.boilerplate import body_span
from ingest.text import squash
from ingest.types import Article, Chunk, DocumentMeta, Span, Task

PROSE_CAP = 700  # characters; e5-small reads ~512 tokens, short chunks rank sharper
ARTICLE_CAP = 1400
TITLE_WORDS = 14
_HEADING = re.compile(r"^\s*(?:\*\*)?\s*(?:[IVXLC]+\.|[A-Z]\.|PHỤ LỤC|Chương|CHƯƠNG|Mục)\s", re.M)


def task_chunk_text(title: str, task: Task) -> str:
    lines = [title, " > ".join(task.section), f"Nhiệm vụ {task.number}: {task.description}"]
    if task.lead:
        lines.append("Chủ trì: " + "; ".join(task.lead))
    if task.coordinate:
        lines.append("Phối hợp: " + "; ".join(task.coordinate))
    if task.deadline:
        lines.append("Thời hạn: " + task.deadline.text)
    if task.product:
        lines.append("Sản phẩm: " + task.product)
    lines += [f"{name}: {value}" for name, value in task.extra]
    return "\n".join(line for line in lines if line)


def _subtract(span: Span, covered: list[Span]) -> list[Span]:
    """Parts of ``span`` outside every covered span (covered is sorted)."""
    parts, start = [], span[0]
    for a, b in covered:
        if b <= start or a >= span[1]:
            continue
        if a > start:
            parts.append((start, a))
        start = max(start, b)
    if start < span[1]:
        parts.append((start, span[1]))
    return parts


def _trim(text: str, span: Span) -> Span | None:
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b - a >= 3 else None


def _split_capped(text: str, span: Span, cap: int) -> list[Span]:
    """Split a span so each piece is <= cap (if possible), at the best break the window has:
    a blank line, else a sentence end, else a line end, else a space. A paragraph (an "a)" point with its sentences) stays whole when it fits."""
    pieces: list[Span] = []
    a, b = span
    while b - a > cap:
        window = text[a : a + cap]
        cut = _best_break(window, cap // 3)
        pieces.append((a, a + cut + 1))
        a += cut + 1
    pieces.append((a, b))
    return [s for p in pieces if (s := _trim(text, p))]


def _best_break(window: str, least: int) -> int:
    for pattern in (r"\n\s*\n", r"[.;:]\s", r"\n", r" "):
        ends = [m.start() for m in re.finditer(pattern, window) if m.start() > least]
        if ends:
            return ends[-1] + (1 if pattern.startswith("[") else 0)
    return len(window) - 1


def _paragraph_spans(text: str, span: Span) -> list[Span]:
    """Blocks separated by blank lines or headings."""
    cuts = {span[0], span[1]}
    segment = text[span[0] : span[1]]
    for m in re.finditer(r"\n\s*\n", segment):
        cuts.add(span[0] + m.end())
    for m in _HEADING.finditer(segment):
        cuts.add(span[0] + m.start())
    points = sorted(cuts)
    return [(a, b) for a, b in zip(points, points[1:]) if b > a]


def _group(text: str, spans: list[Span], cap: int) -> list[Span]:
    """Merge consecutive small blocks up to the cap; split big ones."""
    out: list[Span] = []
    for span in spans:
        for piece in _split_capped(text, span, cap):
            if out and piece[1] - out[-1][0] <= cap and not _HEADING.match(text[piece[0] : piece[1]]):
                out[-1] = (out[-1][0], piece[1])
            else:
                out.append(piece)
    return out


def _heading_before(text: str, pos: int, heads: list[int]) -> str:
    """The heading line nearest above ``pos``; ``heads`` are the sorted heading starts."""
    i = bisect.bisect_left(heads, pos)
    if i == 0:
        return ""
    start = heads[i - 1]
    line = text[start : text.find("\n", start) if text.find("\n", start) != -1 else len(text)]
    return squash(line.replace("*", ""))[:120]


def article_chunks(text: str, title: str, article: Article, covered: list[Span]) -> list[Chunk]:
    section = " > ".join(article.path)
    label = f"Điều {article.number}"
    units = [article.span] if article.span[1] - article.span[0] <= ARTICLE_CAP or not article.clauses \
        else [c.span for c in article.clauses]
    chunks = []
    for unit in units:
        for part in _subtract(unit, covered):
            for piece in _split_capped(text, part, ARTICLE_CAP):
                body = squash(text[piece[0] : piece[1]])
                chunks.append(Chunk("article", f"{title}\n{section}\n{body}", piece, section, None, label))
    return chunks


def build_chunks(text: str, meta: DocumentMeta, tasks: tuple[Task, ...], articles: tuple[Article, ...]) -> tuple[Chunk, ...]:
    # The document's title heads every chunk, capped: long titles were ~30% of all embedded
    # tokens, and their first words carry what tells documents apart.
    short_title = " ".join((meta.title or "").split()[:TITLE_WORDS])
    title = " ".join(x for x in (meta.doc_type, meta.number, short_title) if x) or ""
    covered = sorted(t.span for t in tasks)
    chunks = [
        Chunk("task", task_chunk_text(title, t), t.span, " > ".join(t.section), t.number, None) for t in tasks
    ]
    for article in articles:
        chunks += article_chunks(text, title, article, covered)
    taken = sorted(covered + [a.span for a in articles])
    heads = [m.start() for m in _HEADING.finditer(text)]  # once: per chunk it was quadratic
    for part in _subtract(body_span(text), taken):  # a crawled page's site text makes no chunk
        for piece in _group(text, _paragraph_spans(text, part), PROSE_CAP):
            body = squash(text[piece[0] : piece[1]])
            if len(body) >= 20:
                section = _heading_before(text, piece[0] + 1, heads)
                chunks.append(Chunk("prose", f"{title}\n{section}\n{body}".strip(), piece, section))
    chunks.sort(key=lambda c: c.span)
    return tuple(chunks)
