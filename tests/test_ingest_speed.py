"""The ONNX Runtime embedder: backend choice, and vectors equal to torch's.

The export tests need the ``onnx`` package (torch's exporter uses it) and skip without it.
A tiny random XLM-RoBERTa stands in for the real model where the real one is not needed.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.settings import Settings
from index.embedder import ONNX_FILE, OnnxEmbedder, SentenceTransformerEmbedder, real_embedder

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "Văn phòng Chính phủ chủ trì, phối hợp với các bộ, ngành thực hiện số hóa hồ sơ.",
    "Thời hạn: Quý II/2023",
    "Điều 12. Trách nhiệm của Ủy ban nhân dân cấp tỉnh trong việc giải quyết thủ tục hành chính "
    "trên môi trường điện tử, bảo đảm kết nối, chia sẻ dữ liệu với Cổng Dịch vụ công quốc gia. " * 3,
    "",
]


def _folder_with_onnx(tmp_path: Path) -> Path:
    (tmp_path / ONNX_FILE).parent.mkdir(parents=True)
    (tmp_path / ONNX_FILE).write_bytes(b"not loaded: construction is lazy")
    return tmp_path


def test_onnx_is_chosen_only_when_exported_and_unquantized(tmp_path):
    folder = _folder_with_onnx(tmp_path / "with")
    assert isinstance(real_embedder(folder, 4, "none", "onnx"), OnnxEmbedder)
    assert isinstance(real_embedder(folder, 4, "none", "torch"), SentenceTransformerEmbedder)
    assert isinstance(real_embedder(folder, 4, "int8", "onnx"), SentenceTransformerEmbedder)
    bare = tmp_path / "without"
    bare.mkdir()
    assert isinstance(real_embedder(bare, 4, "none", "onnx"), SentenceTransformerEmbedder)


def test_backends_share_the_collection_name(tmp_path):
    # Equal vectors: switching backend must not re-key (and so empty) the vector index.
    folder = _folder_with_onnx(tmp_path)
    assert real_embedder(folder, backend="onnx").name == real_embedder(folder, backend="torch").name


def test_backend_setting(monkeypatch):
    assert Settings().embed_backend == "onnx"
    monkeypatch.setenv("CCHC_EMBED_BACKEND", "torch")
    assert Settings().embed_backend == "torch"
    monkeypatch.setenv("CCHC_EMBED_BACKEND", "tensorflow")
    with pytest.raises(ValueError):
        Settings()


def _tiny_model(folder: Path) -> Path:
    """A random 2-layer XLM-RoBERTa written as the model build writes the real one."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    from index.model_build import Header, _source_files, _write_st_files

    header = Header(hidden=32, layers=2, heads=2, ffn=64, vocab=250002, max_pos=514, type_vocab=1, eps=1e-5)
    folder.mkdir(parents=True)
    _write_st_files(folder, header)
    shutil.copy(_source_files()[1], folder / "tokenizer.json")
    from index.model_build import _hf_config

    torch.manual_seed(0)
    XLMRobertaModel(XLMRobertaConfig(**_hf_config(header))).save_pretrained(str(folder))
    (folder / "config.json").write_text(json.dumps(_hf_config(header)))
    return folder


def _assert_same_vectors(folder: Path, texts: list[str], kind: str) -> None:
    onnx_vectors = OnnxEmbedder(folder, batch_size=3).embed(texts, kind)
    torch_vectors = SentenceTransformerEmbedder(folder).embed(texts, kind)
    assert onnx_vectors.shape == torch_vectors.shape == (len(texts), torch_vectors.shape[1])
    np.testing.assert_allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-4)
    cosines = (onnx_vectors * torch_vectors).sum(axis=1)
    assert cosines.min() >= 0.999, cosines


def test_exported_tiny_model_matches_torch(tmp_path):
    pytest.importorskip("onnx")
    from index.model_build import export_onnx

    folder = _tiny_model(tmp_path / "tiny")
    assert export_onnx(folder) == folder / ONNX_FILE
    assert not (folder / "onnx.building").exists()
    # Mixed lengths in one batch (padding), an empty text, and both prompts.
    _assert_same_vectors(folder, TEXTS, "passage")
    _assert_same_vectors(folder, TEXTS[:1], "query")
    assert OnnxEmbedder(folder).embed([], "passage").shape == (0, 32)


@pytest.mark.slow
def test_real_model_onnx_matches_torch(real_services):
    """The default model as built: ONNX and torch vectors of corpus chunks agree."""
    folder = ROOT / "data" / "models" / "multilingual-e5-small"
    if not (folder / ONNX_FILE).exists():
        pytest.skip("the model folder has no ONNX export (the onnx package was missing at build)")
    ids = real_services.vectors.ids_for(real_services.catalogue.documents()[0]["id"])[:40]
    texts = real_services.vectors._collection.get(ids=ids, include=["documents"])["documents"]
    _assert_same_vectors(folder, texts, "passage")
    _assert_same_vectors(folder, ["cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?"], "query")


def test_model_build_adds_the_onnx_export_to_a_folder_built_before_it(tmp_path, monkeypatch):
    import index.model_build
    from cchc.cli import main
    from assistant.services import default_model_dir

    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    folder = default_model_dir(Settings())
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"weights")
    calls = []
    monkeypatch.setattr(index.model_build, "build", lambda out, force=False: calls.append((out, force)))
    assert main(["model", "build"]) == 0
    assert calls == [(folder, False)]  # the export only: the weights are kept
    (folder / ONNX_FILE).parent.mkdir()
    (folder / ONNX_FILE).write_bytes(b"graph")
    assert main(["model", "build"]) == 0
    assert calls == [(folder, False)]  # both there: nothing to do
