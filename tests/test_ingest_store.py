"""Catalogue + vectors: re-ingest never duplicates, a changed file replaces its rows, remove drops one."""
from __future__ import annotations

import shutil
from pathlib import Path

from assistant.services import Services
from assistant.settings import Settings
from index.catalogue import Catalogue, document_id

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _services(tmp_path) -> Services:
    return Services(Settings(data_dir=tmp_path / "data", embedder="fake"))


def test_reingest_unchanged_is_a_no_op_and_changed_file_replaces(tmp_path):
    services = _services(tmp_path)
    src = tmp_path / "001_ace935a932359564.txt"
    shutil.copy(CORPUS / src.name, src)
    first = services.ingestor.ingest_file(src)
    assert first.status == "added" and first.tasks == 13
    doc_id = document_id(src.name)
    vectors = len(services.vectors.ids_for(doc_id))
    assert vectors == first.chunks
    again = services.ingestor.ingest_file(src)
    assert again.status == "unchanged"
    assert len(services.vectors.ids_for(doc_id)) == vectors
    text = src.read_text("utf-8").replace("Tháng 12/2023", "Tháng 01/2024")
    src.write_text(text, "utf-8")
    changed = services.ingestor.ingest_file(src)
    assert changed.status == "updated"
    tasks = [t for _, _, t in services.catalogue.tasks(doc_id)]
    assert len(tasks) == 13 and any(t.deadline and t.deadline.text == "Tháng 01/2024" for t in tasks)
    assert len(services.vectors.ids_for(doc_id)) == changed.chunks
    assert services.ingestor.remove(src.name) == doc_id
    assert services.catalogue.document_row(doc_id) is None and services.vectors.ids_for(doc_id) == []


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path):
    services = _services(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    shutil.copy(CORPUS / "002_02d2d76f79c78d93.txt", folder)
    report = services.ingestor.ingest_paths([folder])
    assert report.count("added") == 1 and len(report.errors) == 2
    for r in report.errors:
        assert r.source in r.error and "\n" not in r.error
    assert [row["source"] for row in services.catalogue.documents()] == ["002_02d2d76f79c78d93.txt"]


def test_failed_upsert_leaves_the_catalogue_as_it_was(tmp_path):
    catalogue = Catalogue(tmp_path / "c.sqlite3")
    services = _services(tmp_path)
    services.ingestor.ingest_file(CORPUS / "002_02d2d76f79c78d93.txt")
    before = services.catalogue.counts()

    class Boom(Exception):
        pass

    original = services.catalogue._insert_rows

    def failing(*args):
        original(*args)
        raise Boom()

    services.catalogue._insert_rows = failing
    doc = services.catalogue.document_row("002_02d2d76f79c78d93.txt")
    from ingest.pipeline import parse_document
    from ingest.readers import read_path

    parsed = parse_document(read_path(CORPUS / "002_02d2d76f79c78d93.txt"), "002_02d2d76f79c78d93.txt")
    try:
        services.catalogue.upsert(parsed, "other-hash", "txt")
    except Boom:
        pass
    services.catalogue._insert_rows = original
    assert services.catalogue.counts() == before
    assert services.catalogue.sha256_of("002_02d2d76f79c78d93.txt") == doc["sha256"]
    catalogue.close()


def test_a_new_pipeline_version_reads_unchanged_files_again(tmp_path, monkeypatch):
    import index.ingestor

    services = _services(tmp_path)
    src = tmp_path / "002_02d2d76f79c78d93.txt"
    shutil.copy(CORPUS / src.name, src)
    assert services.ingestor.ingest_file(src).status == "added"
    assert services.ingestor.ingest_file(src).status == "unchanged"
    monkeypatch.setattr(index.ingestor, "PIPELINE_VERSION", "test-next")
    again = services.ingestor.ingest_file(src)
    assert again.status == "updated" and again.tasks == 5
    assert len(services.vectors.ids_for(document_id(src.name))) == again.chunks


def test_a_document_over_the_chunk_budget_is_refused_before_embedding(tmp_path):
    from assistant.services import Services
    from assistant.settings import Settings

    services = Services(Settings(data_dir=tmp_path / "data", embedder="fake", max_chunks_per_doc=5))
    embedded = []
    inner = services.embedder
    services.embedder.embed = lambda texts, kind="passage": embedded.extend(texts) or type(inner).embed(inner, texts, kind)
    one_line = tmp_path / "one-line.txt"
    one_line.write_text(("Ủy ban nhân dân tỉnh chỉ đạo các sở triển khai kế hoạch. " * 400).strip(), "utf-8")
    result = services.ingestor.ingest_file(one_line)
    assert result.status == "error" and "CCHC_MAX_CHUNKS_PER_DOC" in result.error and "vượt giới hạn" in result.error
    assert not embedded and services.catalogue.document_row("one-line.txt") is None
