"""The synthetic legal corpus of bench/legal_scale.py parses back to exactly what was generated."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from assistant.services import Services

BENCH = Path(__file__).resolve().parents[1] / "bench" / "legal_scale.py"


@pytest.fixture(scope="module")
def scale():
    # bench/ is not a package: load the script by path (dataclasses need it in sys.modules).
    spec = importlib.util.spec_from_file_location("bench_legal_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def ingested(scale, tmp_path_factory):
    work = tmp_path_factory.mktemp("legal-scale")
    docs = scale.generate_corpus(60, seed=7)
    paths = scale.write_corpus(docs, work / "corpus")
    services = Services(scale.make_settings(work / "data", "fake"))
    report = services.ingestor.ingest_paths(paths)
    assert not report.errors, [r.error for r in report.errors]
    return docs, services, scale.parsed_articles(services, docs)


def test_generator_is_deterministic_and_sized(scale):
    first, again = scale.generate_corpus(60, seed=7), scale.generate_corpus(60, seed=7)
    assert [d.text for d in first] == [d.text for d in again]
    assert sum(len(d.articles) for d in first) == 60
    assert len(first) >= 2 and {d.kind for d in first} == {"Nghị định", "Thông tư"}
    assert [d.text for d in scale.generate_corpus(60, seed=8)] != [d.text for d in first]


def test_every_generated_article_is_parsed(ingested):
    docs, services, parsed = ingested
    assert services.catalogue.counts()["articles"] == sum(len(d.articles) for d in docs)
    for doc in docs:
        assert parsed[doc.file_name] == {str(a.number): a.title for a in doc.articles}, doc.file_name


def test_duty_articles_are_found_with_their_titles(ingested):
    docs, _, parsed = ingested
    duties = [(d.file_name, a) for d in docs for a in d.articles if a.is_duty]
    assert len(duties) >= 10
    for file_name, article in duties:
        assert article.title.startswith("Trách nhiệm của Bộ ")
        assert parsed[file_name][str(article.number)] == article.title


def test_questions_point_at_duty_articles(scale, ingested):
    docs, _, _ = ingested
    questions = scale.generate_questions(docs, 12, seed=7)
    by_file = {d.file_name: d for d in docs}
    assert len(questions) == 12 and {q.kind for q in questions} == {"duty", "deadline"}
    for q in questions:
        article = next(a for a in by_file[q.file_name].articles if a.number == q.article)
        assert article.is_duty and article.lead in q.text and by_file[q.file_name].number in q.text
