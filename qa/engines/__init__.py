"""Index engines behind one `Store` protocol.

    local   FAISS + bm25s files in index/<name>/ (qa/store.py, the default)
    milvus  a Milvus collection (qa/engines/milvus.py): a `.db` file path is
            milvus-lite, `http://host:19530` a Milvus server or cluster

The retriever and the reader see only what `Store` lists, so both engines
serve the same pipeline; `qa.index_manager` picks one by `Settings.engine`.
Nothing here imports pymilvus or ray: the default install stays lean.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..types import Chunk, Document

ENGINES = ("local", "milvus")


@runtime_checkable
class Store(Protocol):
    """A loaded, read-only index.

    Rows are the ints the searches return; `chunks[row]` is that row's chunk,
    and ties are broken by the smaller row on every engine.
    """

    manifest: dict
    documents: Mapping[str, Document]
    chunks: Sequence[Chunk]

    @property
    def path(self): ...

    def dense_search(self, query_vec: np.ndarray, k: int) -> list[tuple[int, float]]: ...

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]: ...

    def check_embedder(self, embedder) -> None: ...

    def check_analyzer(self) -> None: ...

    def is_stale(self, docs: list[Document]) -> bool: ...
