"""Embedders: one job, ``embed(texts, kind)``. The real model on ONNX Runtime or on torch
(sentence-transformers), and a fake.

The real model loads lazily, once, on first use (never at import). Query/passage prefixes
come from the model's own config (``prompts`` in config_sentence_transformers.json), so a
model without prompts simply gets none.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Literal, Protocol, Sequence

import numpy as np

from ingest.text import fold

Kind = Literal["query", "passage"]
ONNX_FILE = Path("onnx") / "model.onnx"  # inside the model folder, written by `cchc model build`
log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Return an (n, dim) float32 array of L2-normalised vectors."""
        ...


class SentenceTransformerEmbedder:
    def __init__(self, model: str | Path, batch_size: int = 4, quantize: str = "none"):
        # Small batches: inputs are sorted by length, so little padding, and on 2 CPU
        # cores batch 4 measured ~15% faster than 16 on the corpus chunks.
        self.name = str(model) + ("" if quantize == "none" else f"-{quantize}")
        self._model_ref = model
        self._batch_size = batch_size
        self._quantize = quantize
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(self._model_ref), device="cpu")
                self._model = _quantized(model) if self._quantize == "int8" else model
        return self._model

    @property
    def dim(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        model = self._load()
        prompt_name = kind if kind in (model.prompts or {}) else None
        vectors = model.encode(
            list(texts), prompt_name=prompt_name, batch_size=self._batch_size,
            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class OnnxEmbedder:
    """The same model exported to ONNX (mean pooling and L2 normalisation inside the graph).

    On 2 CPU cores it embeds about twice the passages/s of torch with vectors equal to
    torch's (cosine >= 0.99999 on the corpus chunks), so it shares torch's collection name:
    switching backend never re-keys the index. Texts go longest first, as in
    sentence-transformers, so a batch holds texts of similar length and little padding.
    """

    def __init__(self, model: str | Path, batch_size: int = 4):
        self.name = str(model)  # same vectors as the torch embedder: same collection
        self._folder = Path(model)
        self._batch_size = batch_size
        self._loaded = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._loaded is None:
                self._loaded = _load_onnx(self._folder)
        return self._loaded

    @property
    def dim(self) -> int:
        return int(self._load()[0].get_outputs()[0].shape[-1])

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        session, tokenizer, prompts = self._load()
        prefix = prompts.get(kind, "")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            rows = order[start : start + self._batch_size]
            encoded = tokenizer.encode_batch([prefix + texts[i] for i in rows])
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            }
            out[rows] = session.run(None, feeds)[0]
        return out


def _load_onnx(folder: Path):
    """(session, tokenizer, prompts) with the tokenizer set up as sentence-transformers does."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
    # The tokenizer saved beside the graph is the one sentence-transformers uses (see
    # index/model_build.py); tokenizer.json alone keeps a token for trailing whitespace.
    tokenizer = Tokenizer.from_file(str(folder / ONNX_FILE.parent / "tokenizer.json"))
    max_len = _json(folder / "sentence_bert_config.json").get("max_seq_length", 512)
    pad = _json(folder / "tokenizer_config.json").get("pad_token", "<pad>")
    tokenizer.enable_truncation(max_len)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad), pad_token=pad)
    prompts = _json(folder / "config_sentence_transformers.json").get("prompts") or {}
    return session, tokenizer, prompts


def _json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def real_embedder(model: str | Path, batch_size: int = 4, quantize: str = "none",
                  backend: str = "onnx") -> Embedder:
    """ONNX Runtime when asked for and the folder has the exported graph; torch otherwise.

    int8 is a torch quantisation, so it always runs on torch. A folder built before the ONNX
    export existed falls back to torch with a warning (same vectors, only slower)."""
    if backend == "onnx" and quantize == "none":
        if (Path(model) / ONNX_FILE).exists():
            return OnnxEmbedder(model, batch_size)
        if Path(model).is_dir():
            log.warning("no ONNX model at %s; embedding with torch (slower). "
                        "Run `cchc model build --force` to export it.", Path(model) / ONNX_FILE)
    return SentenceTransformerEmbedder(model, batch_size, quantize)


def _quantized(model):
    """Dynamic int8 quantisation of the Linear layers: ~2.5x faster on CPU."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation notice for the eager API
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class FakeEmbedder:
    """Deterministic hashing embedder for tests: folded word unigrams and bigrams."""

    def __init__(self, dim: int = 256):
        self.name = f"fake-{dim}"
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        words = fold(text).split()
        grams = words + [a + " " + b for a, b in zip(words, words[1:])]
        vec = np.zeros(self.dim, dtype=np.float32)
        for gram in grams:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
