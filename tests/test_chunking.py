"""Chunking by structure: long articles are cut at paragraph and sentence ends, never mid-sentence."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunking import ARTICLE_CAP, _split_capped
from ingest.pipeline import parse_document
from ingest.readers import read_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LEGAL = ("nd-297-2025-cp.md", "qd-78-2025-ubnd-bacninh.md", "nd-26-2026-cp.docx", "qd-1696-2026-ubnd-laocai.pdf",
         "nq-1339-2024-ubtvqh15.md", "qd-2629-2025-ttg.md")


@lru_cache(maxsize=None)
def _doc(name: str):
    return parse_document(read_path(CORPUS / name), name)


def test_decree_point_with_its_sentences_is_one_chunk() -> None:
    doc = _doc("nd-297-2025-cp.md")
    point = doc.text.index("a) Trường hợp hồ sơ chưa đầy")
    last = doc.text.index("sơ trên Hệ thống thông tin giải quyết thủ tục hành chính.", point)
    holding = [c for c in doc.chunks if c.kind == "article" and c.span[0] <= point and last < c.span[1]]
    assert len(holding) == 1, [c.span for c in doc.chunks if c.kind == "article" and c.article == "Điều 6"]


@pytest.mark.parametrize("name", LEGAL)
def test_article_chunks_end_at_a_sentence_or_unit_end(name: str) -> None:
    doc = _doc(name)
    ends = {a.span[1] for a in doc.articles} | {c.span[1] for a in doc.articles for c in a.clauses}
    ends |= {t.span[0] for t in doc.tasks}
    for chunk in (c for c in doc.chunks if c.kind == "article"):
        end = chunk.span[1]
        tail = doc.text[end:].lstrip()
        at_unit_end = any(abs(end - e) <= 2 or doc.text[end:e].strip() == "" for e in ends if e >= end)
        assert at_unit_end or doc.text[end - 1] in ".;:" or not tail, (name, chunk.section, doc.text[end - 40 : end + 20])
        assert chunk.span[1] - chunk.span[0] <= ARTICLE_CAP


_WORD = st.text(alphabet="abcđêơ", min_size=1, max_size=8)
_SEP = st.sampled_from([" ", " ", " ", "\n", ". ", "; ", "\n\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORD, _SEP), max_size=300), st.integers(min_value=20, max_value=300))
def test_split_capped_covers_the_text_in_order_under_the_cap(parts, cap: int) -> None:
    text = "".join(w + s for w, s in parts)
    pieces = _split_capped(text, (0, len(text)), cap)
    previous = 0
    for a, b in pieces:
        assert previous <= a < b <= len(text)
        assert b - a <= cap
        assert len(text[previous:a].strip()) < 3  # only spaces (or a piece under 3 characters) dropped
        previous = b
    assert len(text[previous:].strip()) < 3


def test_split_prefers_a_blank_line_over_a_line_end() -> None:
    text = "Một câu ở đầu đoạn thứ nhất.\n\nĐoạn hai dòng một\ndòng hai của đoạn hai\ndòng ba" + " x" * 10
    pieces = _split_capped(text, (0, len(text)), 70)
    assert text[pieces[0][0] : pieces[0][1]] == "Một câu ở đầu đoạn thứ nhất."
