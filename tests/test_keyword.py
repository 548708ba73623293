"""The BM25 keyword index: tokens are kept between builds, so an upload re-tokenises only new chunks."""
from __future__ import annotations

import numpy as np

import index.keyword as keyword
from index.keyword import KeywordIndex, TokenCache

TEXTS = [
    "Văn phòng Chính phủ chủ trì số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
    "Bộ Nội vụ phối hợp xây dựng cơ sở dữ liệu cán bộ, công chức.",
    "Ủy ban nhân dân tỉnh triển khai Cổng dịch vụ công trong quý III/2023.",
]


def _counting(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = keyword.word_tokens

    def counted(text: str) -> list[str]:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(keyword, "word_tokens", counted)
    return seen


def test_a_rebuild_tokenises_only_new_texts_and_scores_as_a_fresh_index(monkeypatch):
    seen = _counting(monkeypatch)
    cache = TokenCache()
    KeywordIndex(TEXTS[:2], cache)
    assert seen == TEXTS[:2]
    cached = KeywordIndex(TEXTS, cache)
    assert seen == TEXTS  # the third text only
    fresh = KeywordIndex(TEXTS)
    for query in ("số hóa hồ sơ", "bo noi vu phoi hop", "cổng dịch vụ công quý III"):
        assert np.allclose(cached.scores(query), fresh.scores(query))
    assert cached.top("cổng dịch vụ công", 1)[0][0] == 2


def test_texts_no_longer_indexed_are_forgotten(monkeypatch):
    seen = _counting(monkeypatch)
    cache = TokenCache()
    KeywordIndex(TEXTS, cache)
    KeywordIndex(TEXTS[1:], cache)
    KeywordIndex(TEXTS, cache)
    assert seen.count(TEXTS[0]) == 2 and seen.count(TEXTS[1]) == 1


def test_tokens_kept_on_disk_are_read_not_segmented_again(monkeypatch, tmp_path):
    seen = _counting(monkeypatch)
    TokenCache(tmp_path / "tokens.sqlite3").warm(TEXTS)  # at ingest
    assert seen == TEXTS
    again = KeywordIndex(TEXTS, TokenCache(tmp_path / "tokens.sqlite3"))  # a new process
    assert seen == TEXTS  # nothing segmented at start-up
    assert np.allclose(again.scores("số hóa hồ sơ"), KeywordIndex(TEXTS).scores("số hóa hồ sơ"))
