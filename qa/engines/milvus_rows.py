"""The layout of the milvus engine's collections: schemas, row conversions, lazy row views.

    chunk_row(chunk, uid, vector, sparse) -> {"row": 3, "uid": "9f..:120-388", "dense": [...], ...}
    chunk_from_row(row) -> Chunk
    MilvusChunks(client, collection, n)[3] -> Chunk      (fetched on demand, cached)
    MilvusDocuments(client, collection, n)["doc"] -> Document

pymilvus is only touched through the client passed in (and DataType inside the
schema functions), so importing this module stays cheap.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from ..errors import InputError
from ..types import Chunk, Document, Span

DOC_PART_CHARS = 16000          # a VARCHAR holds 65535 bytes: 16000 chars of 4-byte UTF-8 at most
CHUNK_FIELDS = ["row", "uid", "doc_id", "title", "text", "start", "end", "sentences"]
PAGE = 10000                    # rows per query: Milvus returns at most 16384


# ---- schema ---------------------------------------------------------------

def chunk_schema(client, dim: int):
    from pymilvus import DataType
    s = client.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("row", DataType.INT64, is_primary=True)
    s.add_field("uid", DataType.VARCHAR, max_length=128)
    s.add_field("doc_id", DataType.VARCHAR, max_length=4096)
    s.add_field("title", DataType.VARCHAR, max_length=65535)
    s.add_field("text", DataType.VARCHAR, max_length=65535)
    s.add_field("start", DataType.INT64)
    s.add_field("end", DataType.INT64)
    s.add_field("sentences", DataType.JSON)
    s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    idx = client.prepare_index_params()
    # FLAT is exact (the local engine's default); HNSW past a few million rows (docs/scaling.md).
    idx.add_index("dense", index_type="FLAT", metric_type="IP")
    idx.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    return s, idx


def docs_schema(client):
    from pymilvus import DataType
    s = client.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("key", DataType.VARCHAR, is_primary=True, max_length=4200)   # "<part>:<doc id>"
    s.add_field("doc_no", DataType.INT64)      # position in the cleaned corpus: pages the iteration
    s.add_field("parts", DataType.INT64)
    s.add_field("title", DataType.VARCHAR, max_length=65535)
    s.add_field("text", DataType.VARCHAR, max_length=65535)
    s.add_field("source", DataType.VARCHAR, max_length=4096)
    s.add_field("metadata", DataType.JSON)
    s.add_field("v", DataType.FLOAT_VECTOR, dim=2)    # Milvus needs a vector field in every collection
    idx = client.prepare_index_params()
    idx.add_index("v", index_type="FLAT", metric_type="L2")
    return s, idx


def manifest_schema(client):
    from pymilvus import DataType
    s = client.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("collection", DataType.VARCHAR, is_primary=True, max_length=256)
    s.add_field("manifest", DataType.JSON)
    s.add_field("v", DataType.FLOAT_VECTOR, dim=2)
    idx = client.prepare_index_params()
    idx.add_index("v", index_type="FLAT", metric_type="L2")
    return s, idx


def ensure(client, name: str, schema_and_index) -> None:
    if not client.has_collection(name):
        schema, index = schema_and_index
        client.create_collection(name, schema=schema, index_params=index)
    client.load_collection(name)


# ---- records --------------------------------------------------------------

def chunk_uid(doc: Document, chunk: Chunk) -> str:
    """Deterministic chunk id: hash of the document's id and cleaned text + offsets.

    >>> chunk_uid(Document("d", "t", "abc"), Chunk(0, "d", "t", "ab", 0, 2))[-4:]
    ':0-2'
    """
    h = hashlib.sha256(f"{doc.id}\x00{doc.text}".encode("utf-8")).hexdigest()[:20]
    return f"{h}:{chunk.start}-{chunk.end}"


def chunk_row(chunk: Chunk, uid: str, vector: np.ndarray, sparse: dict[int, float]) -> dict:
    """The collection row of one chunk."""
    return {"row": int(chunk.id), "uid": uid, "doc_id": chunk.doc_id, "title": chunk.title, "text": chunk.text,
            "start": int(chunk.start), "end": int(chunk.end),
            "sentences": [[s.start, s.end] for s in chunk.sentences],
            "dense": np.asarray(vector, dtype=np.float32).tolist(), "sparse": sparse}


def chunk_from_row(r: dict) -> Chunk:
    return Chunk(int(r["row"]), r["doc_id"], r["title"], r["text"], int(r["start"]), int(r["end"]),
                 tuple(Span(int(s), int(e)) for s, e in r["sentences"]))


def doc_rows(doc: Document, doc_no: int) -> list[dict]:
    """One row per DOC_PART_CHARS of the text; part 0 says how many there are."""
    if len(doc.id.encode("utf-8")) > 4096:
        raise InputError(f"document id {doc.id[:60]!r}... is longer than 4096 bytes: shorten its file name")
    parts = [doc.text[i:i + DOC_PART_CHARS] for i in range(0, len(doc.text), DOC_PART_CHARS)] or [""]
    return [{"key": f"{i}:{doc.id}", "doc_no": doc_no, "parts": len(parts), "title": doc.title[:16000], "text": part,
             "source": doc.source[:1000], "metadata": doc.metadata or {}, "v": [0.0, 0.0]}
            for i, part in enumerate(parts)]


# ---- lazy views -----------------------------------------------------------

class MilvusDocuments(Mapping):
    """Doc id -> Document, fetched from the docs collection on demand (and cached)."""

    def __init__(self, client, collection: str, count: int, cache_size: int = 256):
        self._client, self._collection, self._count = client, collection, count
        self._cache: OrderedDict[str, Document | None] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()      # the API serves many threads from one store

    def _fetch(self, doc_id: str) -> Document | None:
        with self._lock:
            if doc_id in self._cache:
                self._cache.move_to_end(doc_id)
                return self._cache[doc_id]
        fields = ["key", "parts", "title", "text", "source", "metadata"]
        first = self._client.get(self._collection, ids=[f"0:{doc_id}"], output_fields=fields)
        doc = None
        if first:
            head = first[0]
            texts = [head["text"]]
            if head["parts"] > 1:
                rest = self._client.get(self._collection, ids=[f"{i}:{doc_id}" for i in range(1, head["parts"])],
                                        output_fields=["key", "text"])
                by_part = {int(r["key"].split(":", 1)[0]): r["text"] for r in rest}
                texts += [by_part[i] for i in range(1, head["parts"])]
            doc = Document(doc_id, head["title"], "".join(texts), head["source"], dict(head["metadata"] or {}))
        with self._lock:
            self._cache[doc_id] = doc
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return doc

    def __getitem__(self, doc_id: str) -> Document:
        doc = self._fetch(doc_id) if isinstance(doc_id, str) else None
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def __contains__(self, doc_id) -> bool:
        return isinstance(doc_id, str) and self._fetch(doc_id) is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for lo in range(0, self._count, PAGE):
            rows = self._client.query(self._collection, filter=f'doc_no >= {lo} and doc_no < {lo + PAGE} and parts >= 1 '
                                      f'and key like "0:%"', output_fields=["key", "doc_no"])
            yield from (r["key"].split(":", 1)[1] for r in sorted(rows, key=lambda r: r["doc_no"]))


class MilvusChunks(Sequence):
    """Row -> Chunk, fetched on demand and cached (hits repeat across questions and turns)."""

    def __init__(self, client, collection: str, count: int, cache_size: int = 4096):
        self._client, self._collection, self._count = client, collection, count
        self._cache: OrderedDict[int, Chunk] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def remember(self, rows: list[dict]) -> None:
        chunks = [chunk_from_row(r) for r in rows]
        with self._lock:
            for c in chunks:
                self._cache[c.id] = c
                self._cache.move_to_end(c.id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(self._count))]
        row = int(row)
        with self._lock:
            chunk = self._cache.get(row)
        if chunk is None:
            found = self._client.get(self._collection, ids=[row], output_fields=CHUNK_FIELDS)
            if not found:
                raise IndexError(row)
            chunk = chunk_from_row(found[0])
            self.remember(found)
        return chunk

    def __len__(self) -> int:
        return self._count
