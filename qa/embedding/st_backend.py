"""sentence-transformers backend: any model id or local directory.

Loading is offline (`local_files_only=True`): no hub is reachable here. For
e5 models the `query: ` / `passage: ` prompts are applied explicitly, because
sentence-transformers 6 would pick a `document` prompt before `passage`.
"""
from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .base import normalize_rows, probe_digest


class SentenceTransformerEmbedder:
    """`Embedder` over `SentenceTransformer(model, local_files_only=True)`."""

    name = "sentence-transformers"

    def __init__(self, model: str | Path, batch_size: int = 32, query_prefix: str | None = None,
                 passage_prefix: str | None = None):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelError("sentence-transformers is missing: pip install -e . (it pins torch==2.13.0)") from None
        self.model_id = str(model)
        try:
            self._model = SentenceTransformer(self.model_id, device="cpu", local_files_only=True)
        except Exception as e:  # the library raises many types for "not found"
            raise ModelError(
                f"cannot load sentence-transformers model {self.model_id!r} offline ({type(e).__name__}). "
                "Give a local directory, or convert the bundled e5 with `qa model export`") from None
        self.dim = int(self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension")
                       else self._model.get_sentence_embedding_dimension())
        self.batch_size = batch_size
        prompts = getattr(self._model, "prompts", {}) or {}
        is_e5 = "e5" in self.model_id.lower() or prompts.get("query") == "query: "
        self.query_prefix = query_prefix if query_prefix is not None else prompts.get("query", "query: " if is_e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else (
            prompts.get("passage", "passage: " if is_e5 else ""))
        self._lock = threading.Lock()

    @cached_property
    def fingerprint(self) -> str:
        """Model directory name plus a hash of a probe embedding (computed once)."""
        return f"{Path(self.model_id).name}:{probe_digest(self)}"

    def _encode(self, texts: list[str], prefix: str, progress: bool = False) -> np.ndarray:
        texts = [prefix + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            vecs = self._model.encode(texts, batch_size=self.batch_size, show_progress_bar=progress,
                                      convert_to_numpy=True, normalize_embeddings=True)
        return normalize_rows(vecs)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.query_prefix)

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._encode(list(texts), self.passage_prefix, progress)

