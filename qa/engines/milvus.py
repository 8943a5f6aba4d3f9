"""The `milvus` engine: one Milvus collection per index name, milvus-lite or a server.

    store = MilvusStore.build(uri, "news", docs, embedder)   # -> loaded store
    store = MilvusStore.load(uri, "news")
    store.dense_search(vec, 50); store.lexical_search("NHN 투자액은?", 50)

Layout on the Milvus side (name = sanitized index name, `b` = build id; schemas and
row conversions in qa/engines/milvus_rows.py):

    alias    qa_<name>                 -> the serving chunk collection
    chunks   qa_<name>__<b>            row (the local engine's row number), uid
                                       (document hash + offsets), doc id, title,
                                       text, offsets, sentence spans, dense
                                       vector, sparse BM25 vector
    docs     qa_<name>__<b>_docs       cleaned documents (long ones in parts)
    manifest qa_manifests              one row per chunk collection, written last

A build writes into the collection its inputs name (corpus hash, embedder,
chunking), by upserts, then writes the manifest and only then points the
alias at it: a build killed at any moment leaves the old collection serving,
and a rerun fills the same collection without duplicates. The collection an
alias served before stays (one generation) for replicas still open on it.
Searches return the
same rows and scores as the local engine (FLAT inner product; BM25 weights from
qa/engines/sparse_bm25.py), ties broken by the smaller row as there.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from pathlib import Path

import numpy as np

from ..chunking import chunk_documents, dedupe
from ..errors import IndexStoreError, InputError
from ..store import FORMAT_VERSION, BuildOptions, IndexStore, manifest_core
from ..types import Chunk, Document
# chunk_row and chunk_uid are looked up here by write_chunks and qa/engines/ray_build.py.
from .milvus_rows import (PAGE, MilvusChunks, MilvusDocuments, chunk_row, chunk_schema, chunk_uid, doc_rows,
                          docs_schema, ensure, manifest_schema)
from .sparse_bm25 import BM25Stats, chunk_tokens, doc_vector, query_vector

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 8          # the error must come within 10 s, imports included
MANIFESTS = "qa_manifests"
WRITE_BATCH = 256
SEARCH_MARGIN = 2               # fetch this many times k, so ties at the cut are broken by row as locally


# ---- connection -----------------------------------------------------------

def is_server_uri(uri: str) -> bool:
    """True for a Milvus server address, False for a milvus-lite file.

    >>> is_server_uri("http://localhost:19530"), is_server_uri("index/news.db")
    (True, False)
    """
    return bool(re.match(r"^(https?|tcp|grpc|unix)://", uri))


def connect(uri: str):
    """A MilvusClient for `uri`; IndexStoreError (one line, how to fix) when it cannot be reached."""
    if not uri:
        raise InputError("the milvus engine needs a URI: --uri index/qa.db (milvus-lite file) or "
                         "--uri http://HOST:19530 (server), or set QA_MILVUS_URI")
    # gRPC's C core prints keepalive chatter ("too_many_pings") to stderr on long runs; the calls
    # that fail raise MilvusException anyway. Set before grpc loads; QA users may override it.
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    try:
        from pymilvus import MilvusClient
        from pymilvus.exceptions import MilvusException
    except ImportError:
        raise IndexStoreError("the milvus engine needs the scale extra: pip install -e \".[scale]\"") from None
    # pymilvus logs every failed call with a traceback; the failures that reach the user are
    # turned into one-line IndexStoreErrors here and in MilvusStore.load.
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    if not is_server_uri(uri):
        # milvus-lite serves gRPC from a thread of this process and logs a traceback for each
        # RPC it lacks (AllocTimestamp, asked for while an index is created); pymilvus copes.
        logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
        path = Path(uri).expanduser()
        if path.suffix != ".db":
            raise InputError(f"milvus-lite file {uri!r} must end in .db (e.g. --uri index/qa.db), "
                             f"or give a server as http://HOST:19530")
        path.parent.mkdir(parents=True, exist_ok=True)
        uri = str(path.resolve())
    try:
        return MilvusClient(uri=uri, timeout=CONNECT_TIMEOUT_S)
    except MilvusException as e:
        how = ("start one (docker run -p 19530:19530 milvusdb/milvus:latest milvus run standalone, or the Milvus "
               "Helm chart) or use a milvus-lite file path such as --uri index/qa.db") if is_server_uri(uri) \
            else "check that the file is writable and not used by another build"
        raise IndexStoreError(f"cannot reach Milvus at {uri} ({getattr(e, 'message', e)}): {how}") from None


def collection_alias(index_name: str) -> str:
    """The Milvus alias serving `index_name` (Milvus names allow letters, digits and _ only).

    >>> collection_alias("dev-b-1a2b")
    'qa_dev_b_1a2b_7b0b6a'
    """
    safe = re.sub(r"[^0-9A-Za-z_]", "_", index_name)[:100]
    tag = hashlib.sha256(index_name.encode("utf-8")).hexdigest()[:6]
    return f"qa_{safe}_{tag}"


def build_id(manifest_key: dict) -> str:
    """A short hash of what determines a build's rows: the same inputs resume the same collection."""
    return hashlib.sha256(json.dumps(manifest_key, sort_keys=True).encode()).hexdigest()[:12]


# ---- the store ------------------------------------------------------------

class MilvusStore:
    """A loaded Milvus index; satisfies `qa.engines.Store`."""

    def __init__(self, client, uri: str, alias: str, collection: str, manifest: dict):
        self._client = client
        self.uri, self.alias, self.collection = uri, alias, collection
        self.manifest = manifest
        counts = manifest["counts"]
        self.chunks = MilvusChunks(client, collection, counts["chunks"])
        self.documents = MilvusDocuments(client, manifest["milvus"]["docs_collection"], counts["documents"])

    @property
    def path(self) -> str:
        return f"{self.uri}#{self.alias}"

    # ---- queries -------------------------------------------------------
    def dense_search(self, query_vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top-k (row, inner product), ties by row as FAISS + qa.lexical.top_k do locally."""
        vec = np.asarray(query_vec, dtype=np.float32).reshape(-1).tolist()
        return self._search("dense", vec, k)

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Top-k (row, BM25) with score > 0, the local bm25s scores up to float rounding."""
        q = query_vector(query)
        return self._search("sparse", q, k) if q else []

    def _search(self, field: str, data, k: int) -> list[tuple[int, float]]:
        k = min(k, len(self.chunks))
        if k <= 0:
            return []
        limit = min(len(self.chunks), k * SEARCH_MARGIN, 16384)
        # Only row ids: the fused top-k is a handful of rows, fetched (and cached) by `chunks[row]`.
        res = self._client.search(self.collection, data=[data], anns_field=field, limit=limit,
                                  output_fields=["row"], search_params={"metric_type": "IP"})
        hits = res[0] if res else []
        pairs = sorted(((int(h["entity"]["row"]), float(h["distance"])) for h in hits), key=lambda p: (-p[1], p[0]))
        if field == "sparse":
            pairs = [p for p in pairs if p[1] > 0]
        return pairs[:k]

    # ---- checks: exactly the local engine's ----------------------------
    def check_embedder(self, embedder) -> None:
        IndexStore.check_embedder(self, embedder)

    def check_analyzer(self) -> None:
        IndexStore.check_analyzer(self)

    def is_stale(self, docs: list[Document]) -> bool:
        return IndexStore.is_stale(self, docs)

    # ---- open / build --------------------------------------------------
    @classmethod
    def load(cls, uri: str, index_name: str, client=None) -> "MilvusStore":
        """Open the collection serving `index_name`; errors say how to build it."""
        from pymilvus.exceptions import MilvusException
        client = client or connect(uri)
        try:
            return cls._load(client, uri, index_name)
        except MilvusException as e:
            raise IndexStoreError(f"index {index_name!r} at {uri} cannot be read ({getattr(e, 'message', e)}): "
                                  f"rebuild it with `qa index build --name {index_name} --engine milvus "
                                  f"--uri {uri} --rebuild`") from None

    @classmethod
    def _load(cls, client, uri: str, index_name: str) -> "MilvusStore":
        alias = collection_alias(index_name)
        build = f"`qa index build --name {index_name} --engine milvus --uri {uri}`"
        collection = serving_collection(client, alias)
        if collection is None:
            raise IndexStoreError(f"no index {index_name!r} at {uri}: build one with {build}")
        manifest = read_manifest(client, collection)
        if isinstance(manifest, dict) and "milvus" in manifest:
            for name in (collection, manifest["milvus"]["docs_collection"]):
                client.load_collection(name)     # a reopened milvus-lite file starts with all released
        if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
            found = manifest.get("format_version") if isinstance(manifest, dict) else None
            raise IndexStoreError(f"index {index_name!r} at {uri} has format version {found}, this program reads "
                                  f"{FORMAT_VERSION}: rebuild it with {build} --rebuild")
        stored = client.get_collection_stats(collection)["row_count"]
        if stored != manifest["counts"]["chunks"]:
            raise IndexStoreError(f"index {index_name!r} at {uri} is inconsistent ({stored} rows, the manifest "
                                  f"says {manifest['counts']['chunks']}): rebuild it with {build} --rebuild")
        return cls(client, uri, alias, collection, manifest)

    @classmethod
    def build(cls, uri: str, index_name: str, docs: list[Document], embedder, options: BuildOptions = BuildOptions(),
              sources: list[str] | None = None, client=None, writer=None,
              rebuild: bool = False) -> "MilvusStore":
        """Clean, chunk, embed and upsert `docs`; switch the alias when complete; return the loaded store.

        The target collection is named by the build's inputs, so a rerun after a kill resumes it;
        `rebuild` writes a fresh one even when the serving collection has the same inputs.
        `writer(client, collection, clean, chunks, embedder, progress)` replaces the in-process
        embed+upsert step (qa/engines/ray_build.py passes one that runs on Ray workers).
        """
        if not docs:
            raise IndexStoreError("nothing to index: no documents were loaded")
        client = client or connect(uri)
        t0 = time.perf_counter()
        clean, report = dedupe(docs)
        chunks = chunk_documents(clean, options.max_chars, options.overlap)
        if not chunks:
            raise IndexStoreError("nothing to index: the documents hold no sentences")
        manifest = _manifest(index_name, docs, clean, chunks, report, embedder, options, sources)
        alias = collection_alias(index_name)
        collection = f"{alias}__{build_id(_build_key(manifest))}"
        if rebuild and serving_collection(client, alias) == collection:
            collection += "_b"          # the other of two names: the serving one stays untouched
        if rebuild:
            _drop(client, collection)   # a fresh collection, not a resumed one
        docs_collection = f"{collection}_docs"
        manifest["milvus"] = {"collection": collection, "docs_collection": docs_collection,
                              "dense_index": "FLAT", "sparse": "bm25 lucene, crc32 term ids"}
        ensure(client, MANIFESTS, manifest_schema(client))
        ensure(client, collection, chunk_schema(client, int(embedder.dim)))
        ensure(client, docs_collection, docs_schema(client))
        for batch in _batches([r for n, d in enumerate(clean) for r in doc_rows(d, n)], WRITE_BATCH):
            client.upsert(docs_collection, batch)
        (writer or write_chunks)(client, collection, clean, chunks, embedder, options.progress)
        client.flush(collection)
        stored = client.get_collection_stats(collection)["row_count"]
        if stored != len(chunks):
            raise IndexStoreError(f"build of {index_name!r} wrote {stored} rows for {len(chunks)} chunks: "
                                  f"rerun the build")
        manifest["build_seconds"] = round(time.perf_counter() - t0, 3)
        # The manifest, then the alias: a collection without a manifest is never served.
        client.upsert(MANIFESTS, [{"collection": collection, "manifest": manifest, "v": [0.0, 0.0]}])
        client.flush(MANIFESTS)
        _switch_alias(client, alias, collection)
        log.info("built milvus index %s (%s): %d documents, %d chunks, %.1fs", index_name, collection,
                 len(clean), len(chunks), manifest["build_seconds"])
        return cls.load(uri, index_name, client)


def write_chunks(client, collection: str, clean: list[Document], chunks: list[Chunk], embedder,
                 progress: bool = False) -> None:
    """Embed and upsert `chunks` in batches, skipping rows a killed earlier run already wrote."""
    from tqdm import tqdm
    docs = {d.id: d for d in clean}
    tokens = [chunk_tokens(c.text) for c in chunks]
    stats = BM25Stats.from_tokens(tokens)
    done = set(existing_rows(client, collection, len(chunks)))
    todo = [i for i, c in enumerate(chunks) if c.id not in done]
    bar = tqdm(total=len(chunks), initial=len(chunks) - len(todo), desc="passages", unit="p", disable=not progress)
    for batch in _batches(todo, WRITE_BATCH):
        vectors = embedder.embed_passages([chunks[i].text for i in batch])
        client.upsert(collection, [chunk_row(chunks[i], chunk_uid(docs[chunks[i].doc_id], chunks[i]), v,
                                             doc_vector(tokens[i], stats)) for i, v in zip(batch, vectors)])
        bar.update(len(batch))
    bar.close()


def existing_rows(client, collection: str, total: int) -> list[int]:
    """Row ids (of 0..total-1) already in `collection`: an interrupted build's work, each listed once."""
    rows: list[int] = []
    for lo in range(0, total, PAGE):
        found = client.query(collection, filter=f"row >= {lo} and row < {lo + PAGE}", output_fields=["row"])
        rows.extend(sorted(int(r["row"]) for r in found))
    return rows


def serving_collection(client, alias: str) -> str | None:
    """The collection `alias` points at, or None."""
    if alias not in client.list_aliases().get("aliases", []):
        return None
    return client.describe_alias(alias)["collection_name"]


def read_manifest(client, collection: str) -> dict | None:
    if not client.has_collection(MANIFESTS):
        return None
    client.load_collection(MANIFESTS)
    rows = client.get(MANIFESTS, ids=[collection], output_fields=["manifest"])
    return dict(rows[0]["manifest"]) if rows else None


def _switch_alias(client, alias: str, collection: str) -> None:
    """Point `alias` at `collection`; keep the collection it served before (replicas still open on it
    finish their queries until they restart, and it is a rollback), drop any older generation."""
    old = serving_collection(client, alias)
    if old == collection:
        return
    if old is None:
        client.create_alias(collection, alias)
    else:
        client.alter_alias(collection, alias)
    for name in client.list_collections():
        if name.startswith(f"{alias}__") and not name.endswith("_docs") and name not in (collection, old):
            _drop(client, name)


def _drop(client, collection: str) -> None:
    """Remove a chunk collection, its documents and its manifest row (if there)."""
    for name in (collection, f"{collection}_docs"):
        if client.has_collection(name):
            client.drop_collection(name)
    if client.has_collection(MANIFESTS):
        client.delete(MANIFESTS, ids=[collection])


def _manifest(index_name, docs, clean, chunks, report, embedder, options, sources) -> dict:
    return {**manifest_core(index_name, docs, clean, chunks, report, embedder, options, sources),
            "engine": "milvus", "faiss": None, "build_seconds": None}


def _build_key(manifest: dict) -> dict:
    return {k: manifest[k] for k in ("format_version", "embedder", "chunking", "corpus_hash")}


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
