"""The vectors go through llama-index's IngestionPipeline with a persisted docstore: unchanged
chunks are never embedded again, changed ones replace the old vectors, nothing duplicates."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ingest.pipeline
from assistant.services import Services
from assistant.settings import Settings
from index.catalogue import document_id

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NAME = "001_ace935a932359564.txt"


class _Counting:
    """Counts how many passages each Services instance embeds."""

    def __init__(self, services: Services):
        self.passages = 0
        inner = services.embedder

        def embed(texts, kind="passage"):
            if kind == "passage":
                self.passages += len(texts)
            return type(inner).embed(inner, texts, kind)

        inner.embed = embed


@pytest.fixture
def copy(tmp_path) -> Path:
    src = tmp_path / NAME
    shutil.copy(CORPUS / NAME, src)
    return src


def _distinct(services: Services, name: str) -> int:
    """Distinct chunk texts of a document: a text repeated in it is embedded once."""
    ids = services.vectors.ids_for(document_id(name))
    return len(set(services.vectors._collection.get(ids=ids, include=["documents"])["documents"]))


def _services(tmp_path) -> tuple[Services, _Counting]:
    services = Services(Settings(data_dir=tmp_path / "data", embedder="fake"))
    return services, _Counting(services)


def test_a_parser_upgrade_with_the_same_chunks_embeds_nothing(tmp_path, copy, monkeypatch):
    services, counter = _services(tmp_path)
    first = services.ingestor.ingest_file(copy)
    assert counter.passages == _distinct(services, NAME) > 0
    monkeypatch.setattr("index.ingestor.PIPELINE_VERSION", ingest.pipeline.PIPELINE_VERSION + "-next")
    again, counter_again = _services(tmp_path)  # a new process: the docstore is read from disk
    result = again.ingestor.ingest_file(copy)
    assert result.status == "updated"  # the file is read again (new parser version) ...
    assert counter_again.passages == 0  # ... but its chunks are the same: no embedding
    assert len(again.vectors.ids_for(document_id(NAME))) == first.chunks


def test_a_changed_file_replaces_its_vectors(tmp_path, copy):
    services, counter = _services(tmp_path)
    first = services.ingestor.ingest_file(copy)
    before = set(services.vectors._collection.get(ids=services.vectors.ids_for(document_id(NAME)),
                                                  include=["documents"])["documents"])
    copy.write_text(copy.read_text("utf-8").replace("Tháng 12/2023", "Tháng 01/2024"), "utf-8")
    changed = services.ingestor.ingest_file(copy)
    ids = services.vectors.ids_for(document_id(NAME))
    new_texts = set(services.vectors._collection.get(ids=ids, include=["documents"])["documents"]) - before
    # Only the chunks whose text changed are embedded: the others come from the cache by text.
    assert changed.status == "updated" and counter.passages == len(before) + len(new_texts) > len(before)
    assert len(ids) == len(set(ids)) == changed.chunks
    texts = services.vectors._collection.get(ids=ids, include=["documents"])["documents"]
    assert any("Tháng 01/2024" in t for t in texts) and not any("Tháng 12/2023" in t for t in texts)


def test_lost_vectors_are_embedded_again(tmp_path, copy, monkeypatch):
    services, counter = _services(tmp_path)
    first = services.ingestor.ingest_file(copy)
    doc_id = document_id(NAME)
    services.vectors.store.delete(ref_doc_id=doc_id)  # e.g. a fresh Chroma server, the docstore kept
    monkeypatch.setattr("index.ingestor.PIPELINE_VERSION", "next")
    services.ingestor.ingest_file(copy)
    assert counter.passages == _distinct(services, NAME)  # the vectors come back from the cache by text
    assert len(services.vectors.ids_for(doc_id)) == first.chunks


def test_remove_forgets_the_document_in_the_docstore(tmp_path, copy):
    services, counter = _services(tmp_path)
    first = services.ingestor.ingest_file(copy)
    services.ingestor.remove(NAME)
    assert services.vectors.docstore.get_document_hash(document_id(NAME)) is None
    assert services.ingestor.ingest_file(copy).status == "added"
    assert counter.passages == _distinct(services, NAME)  # the same texts: vectors from the cache
    assert len(services.vectors.ids_for(document_id(NAME))) == first.chunks


def test_vectors_are_written_in_batches_chroma_accepts(tmp_path, copy):
    services, _ = _services(tmp_path)
    store = services.vectors.store
    assert store.max_batch == services.vectors._collection._client.get_max_batch_size()
    sizes = []
    real_add = type(services.vectors._collection).add

    def add(collection, **kwargs):
        sizes.append(len(kwargs["ids"]))
        return real_add(collection, **kwargs)

    store.max_batch = 5
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(services.vectors._collection), "add", add)
        result = services.ingestor.ingest_file(copy)
    assert sizes and max(sizes) <= 5 and sum(sizes) == result.chunks
    assert len(services.vectors.ids_for(document_id(NAME))) == result.chunks


def test_identical_texts_are_embedded_once_across_documents(tmp_path, copy):
    services, counter = _services(tmp_path)
    first = services.ingestor.ingest_file(copy)
    twin = copy.with_name("twin-" + NAME)
    shutil.copy(copy, twin)
    again = services.ingestor.ingest_file(twin)
    # Each chunk starts with the document's title, so the copy's chunks share their texts.
    assert again.status == "added" and again.chunks == first.chunks and counter.passages == _distinct(services, NAME)
    assert len(services.vectors.ids_for(document_id(twin.name))) == first.chunks


def test_the_cache_is_filled_from_vectors_stored_before_it_existed(tmp_path, copy, monkeypatch):
    services, _ = _services(tmp_path)
    first = services.ingestor.ingest_file(copy)
    cache_file = services.vectors.cache.path
    services.vectors.cache._db.close()
    cache_file.unlink()  # an index built by a version without the cache
    monkeypatch.setattr("index.ingestor.PIPELINE_VERSION", "next")
    monkeypatch.setattr("index.vectors._document", _changed_digest)
    again, counter = _services(tmp_path)
    assert again.ingestor.ingest_file(copy).status == "updated"
    assert len(again.vectors.cache) == _distinct(again, NAME) and counter.passages == 0


def _changed_digest(doc_id, source, nodes):
    """The document as a parser of another version would hash it: every chunk is written again."""
    from llama_index.core.schema import Document

    return Document(id_=doc_id, text=source, metadata={"chunks": len(nodes), "digest": "other"})
