"""The `Embedder` protocol: texts -> L2-normalized float32 vectors.

Two roles, because e5 models are trained with prefixes: questions are
embedded as `query: ...`, passages as `passage: ...`.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Anything that embeds queries and passages into one vector space.

    `name` and `fingerprint` are written into the index manifest; an index
    built by one embedder is refused by another.
    """

    name: str
    dim: int

    @property
    def fingerprint(self) -> str: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero).

    >>> normalize_rows(np.array([[3.0, 4.0]], dtype=np.float32)).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


def probe_digest(embedder) -> str:
    """A short hash of one fixed passage's embedding: changes when the model's weights do.

    Rounded to 3 decimals so thread counts or BLAS kernels don't flip it.
    """
    import hashlib
    probe = embedder.embed_passages(["광주 AI데이터센터 fingerprint probe"])[0]
    return hashlib.sha256(np.round(probe, 3).tobytes()).hexdigest()[:12]


def batches(items: list, size: int):
    """Consecutive slices of `items` of at most `size` elements."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
