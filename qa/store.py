"""IndexStore: FAISS vectors + chunk records + BM25 + manifest in one directory.

    index/<name>/
      manifest.json    format version, embedder, chunking, corpus hash, counts
      documents.jsonl  cleaned documents (offsets point into these texts)
      chunks.jsonl     chunk records with sentence spans
      dense.faiss      inner-product index over normalized vectors
      bm25/            bm25s index over content morphemes

Builds are atomic: everything is written to a temporary sibling directory
that replaces the old one by rename only when complete, so an interrupted
build leaves the previous index loadable. A build writes and swaps under a
per-name lock (qa/index_lock.py) and only ever replaces the directory of its
own (validated) name directly under the root, and only when it holds nothing
but index files. Loading validates every file (qa/index_format.py) and reads
again when a build swapped the directory during the read.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .chunking import CHUNKING_VERSION, chunk_documents, dedupe
from .embedding.base import Embedder
from .embedding.build_engine import passages_record
from .errors import IndexStoreError
from .index_format import FORMAT_VERSION, check_counts, corrupt, read_chunks, read_documents, read_manifest
from .index_lock import build_lock, clean_up_killed_builds, old_name, restore_interrupted_swap, tmp_prefix
from .indexing import embed_and_index, warm_up
from .korean import UNRECORDED, analyzer_record, describe_analyzer, recorded_analyzer
from .lexical import LexicalIndex, top_k
from .names import validate_index_name
from .types import Chunk, Document

INDEX_FILES = frozenset({"manifest.json", "documents.jsonl", "chunks.jsonl", "dense.faiss", "bm25"})
LOAD_TRIES = 5        # reads of an index that builds keep swapping out from under the reader
SWAP_SETTLE_S = 0.05  # a failed read waits this long before asking whether a swap caused it
log = logging.getLogger(__name__)


def corpus_hash(docs: list[Document]) -> str:
    """sha256 over ids, titles and texts of the input documents (before dedupe)."""
    h = hashlib.sha256()
    for d in docs:
        for part in (d.id, d.title, d.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
    return h.hexdigest()


def manifest_core(name: str, docs, clean, chunks, report, embedder: Embedder, options, sources) -> dict:
    """The manifest fields every engine writes alike (and checks alike on open)."""
    return {
        "format_version": FORMAT_VERSION,
        "name": name,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "embedder": {"name": embedder.name, "dim": int(embedder.dim), "fingerprint": embedder.fingerprint,
                     "model": getattr(embedder, "model_id", None),
                     "passages": passages_record(embedder, len(chunks))},   # the engine that embedded passages
        "chunking": {"max_chars": options.max_chars, "overlap": options.overlap, "version": CHUNKING_VERSION},
        "lexical": analyzer_record(),
        "corpus_hash": corpus_hash(docs),
        "sources": sources or sorted({d.source for d in docs}),
        "counts": {"documents": len(clean), "input_documents": len(docs), "chunks": len(chunks),
                   "sentences": report.sentences, "duplicate_sentences_dropped": report.dropped,
                   "restated_sentences_dropped": report.restated},
    }


@dataclass(frozen=True)
class BuildOptions:
    max_chars: int = 500
    overlap: int = 1
    faiss_kind: str = "flat"
    progress: bool = False
    lock_timeout: float = 600.0    # seconds to wait for another build of the name to finish writing


class IndexStore:
    """A loaded, read-only index. Safe to share between threads."""

    def __init__(self, path: Path, manifest: dict, documents: dict[str, Document], chunks: list[Chunk],
                 dense, lexical: LexicalIndex):
        self.path = path
        self.manifest = manifest
        self.documents = documents
        self.chunks = chunks
        self._dense = dense
        self.lexical = lexical

    # ---- queries -------------------------------------------------------
    def dense_search(self, query_vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top-k (row, cosine) from FAISS, deterministic on ties."""
        k = min(k, len(self.chunks))
        if k <= 0:
            return []
        scores, rows = self._dense.search(np.ascontiguousarray(query_vec.reshape(1, -1), dtype=np.float32), k)
        full = np.full(len(self.chunks), -np.inf, dtype=np.float32)
        valid = rows[0] >= 0
        full[rows[0][valid]] = scores[0][valid]
        return top_k(full, k, min_score=-np.inf)

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        return self.lexical.search(query, k)

    # ---- checks --------------------------------------------------------
    def check_embedder(self, embedder: Embedder) -> None:
        """Refuse an embedder other than the one that built the index."""
        built = self.manifest["embedder"]
        name = self.manifest["name"]
        if embedder.name != built["name"] or int(embedder.dim) != int(built["dim"]):
            raise IndexStoreError(
                f"index {name!r} was built with {built['name']} (dim {built['dim']}) but the query embedder is "
                f"{embedder.name} (dim {embedder.dim}): rebuild with `qa index build --name {name} "
                f"--embedder {embedder.name}` or query with --embedder {built['name']}")
        if embedder.fingerprint != built["fingerprint"]:
            raise IndexStoreError(
                f"index {name!r} was built with model {built['fingerprint']} but the loaded model is "
                f"{embedder.fingerprint}: rebuild it with `qa index build --name {name}`")
        passages = built.get("passages") or {}
        # Passages embedded by another engine (onnxruntime) must come from the query engine's weights.
        if passages.get("name", embedder.name) != embedder.name and \
                passages.get("weights") != getattr(embedder, "weights", None):
            raise IndexStoreError(
                f"index {name!r} holds passages embedded by {passages.get('name')} from weights "
                f"{str(passages.get('weights'))[:12]}, which the query engine {embedder.name} does not run: "
                f"rebuild it with `qa index build --name {name}`")

    def check_analyzer(self) -> None:
        """Refuse an index tokenized by another Kiwi than the installed one: its BM25 terms
        may not match the queries' (an index from before the record: see recorded_analyzer)."""
        if not other_analyzer(self.manifest):
            return
        built, here, name = recorded_analyzer(self.manifest.get("lexical")), analyzer_record(), self.manifest["name"]
        # installing the other version helps only where the version is all that differs
        only_version = built["version"] not in (here["version"], UNRECORDED) and \
            built["multi_word_dict"] == here["multi_word_dict"]
        hint = f" (or install {built['name']}=={built['version']})" if only_version else ""
        raise IndexStoreError(
            f"index {name!r} was tokenized by {describe_analyzer(built)}, but this install "
            f"cuts words with {describe_analyzer(here)}, which may cut them differently: rebuild it with "
            f"`qa index build --name {name}`{hint}")

    def is_stale(self, docs: list[Document]) -> bool:
        """True when `docs` (the current source corpus) differ from what was indexed,
        or the index was cut into chunks under other cleaning/chunking rules or tokenized
        by another analyzer."""
        if self.manifest.get("chunking", {}).get("version") != CHUNKING_VERSION:
            return True
        if other_analyzer(self.manifest):
            return True
        return corpus_hash(docs) != self.manifest["corpus_hash"]

    # ---- build / load --------------------------------------------------
    @classmethod
    def build(cls, path: Path, docs: list[Document], embedder: Embedder, options: BuildOptions = BuildOptions(),
              sources: list[str] | None = None) -> "IndexStore":
        """Clean, chunk, embed and write `docs` to `path` atomically; return the loaded store."""
        import faiss
        path = _replaceable(Path(path))       # fail before the slow part, and again under the lock
        if not docs:
            raise IndexStoreError("nothing to index: no documents were loaded")
        t0 = time.perf_counter()
        warm_up(embedder, len(docs))          # the batch engine loads while Kiwi splits sentences
        clean, report = dedupe(docs, progress=options.progress)
        chunks = chunk_documents(clean, options.max_chars, options.overlap, progress=options.progress)
        if not chunks:
            raise IndexStoreError("nothing to index: the documents hold no sentences")
        vectors, lexical, stages = embed_and_index([c.text for c in chunks], embedder, progress=options.progress)
        dense = _make_faiss(vectors, options.faiss_kind)
        manifest = {
            **manifest_core(path.name, docs, clean, chunks, report, embedder, options, sources),
            "faiss": options.faiss_kind,
            "build_seconds": None,
            "stage_seconds": {"embed": stages.embed, "morphemes": stages.morphemes, "overlapped": stages.wall},
        }
        with build_lock(path.parent, path.name, options.lock_timeout):
            clean_up_killed_builds(path.parent, path.name)   # nobody else owns them while we hold the lock
            _replaceable(path)
            tmp = Path(tempfile.mkdtemp(prefix=tmp_prefix(path.name), dir=path.parent))
            try:
                _write_jsonl(tmp / "documents.jsonl", (_doc_record(d) for d in clean))
                _write_jsonl(tmp / "chunks.jsonl", (_chunk_record(c) for c in chunks))
                faiss.write_index(dense, str(tmp / "dense.faiss"))
                (tmp / "bm25").mkdir()
                lexical.save(tmp / "bm25")
                manifest["build_seconds"] = round(time.perf_counter() - t0, 3)
                # The manifest goes last: a directory without one is never loadable.
                (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                   encoding="utf-8")
                _swap_in(tmp, path)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            # Loaded under the lock: a concurrent build of the name swaps its own index in as soon as
            # we release it, and a load across that swap would read one build's manifest with
            # another's documents (seen as "documents.jsonl holds 4 documents, manifest.json says 1").
            store = cls.load(path)
        log.info("built index %s: %d documents, %d chunks, %d duplicate sentences dropped, %.1fs",
                 path, len(clean), len(chunks), report.dropped, manifest["build_seconds"])
        return store

    @classmethod
    def load(cls, path: Path) -> "IndexStore":
        """Load and validate an index directory; errors say how to rebuild.

        Readers take no lock, and a build may swap its directory in while one reads (`qa ask`
        during `qa index build`): one load's files must all come from one build, so a read
        across a swap (the directory at `path` is another one afterwards) is done again.
        """
        path = Path(path)
        name = validate_index_name(path.name)
        for _ in range(LOAD_TRIES):
            before = _identity(path)
            try:
                store = cls._load_once(path, name)
            except IndexStoreError:
                time.sleep(SWAP_SETTLE_S)       # a swap in progress is two renames away
                if _identity(path) == before:
                    raise                       # not a swap: the index itself is broken
                continue
            if _identity(path) == before:
                return store
        raise IndexStoreError(f"index {name!r} at {path} was replaced {LOAD_TRIES} times while loading it: "
                              f"wait for the running `qa index build --name {name}` to finish and try again")

    @classmethod
    def _load_once(cls, path: Path, name: str) -> "IndexStore":
        import faiss
        if not (path / "manifest.json").exists() and not restore_interrupted_swap(path):
            raise IndexStoreError(f"no index at {path}: build one with `qa index build --name {name}`")
        manifest = read_manifest(path)
        docs = read_documents(path)
        chunks = read_chunks(path, docs)
        dense = _read_part(path, "dense.faiss", lambda p: faiss.read_index(str(p)))
        lexical = _read_part(path, "bm25", LexicalIndex.load)
        check_counts(name, manifest, docs, chunks, dense.ntotal, dense.d)
        if lexical.num_docs != len(chunks):
            raise corrupt(path.name, "bm25", f"weights for {lexical.num_docs} chunks, not {len(chunks)}")
        return cls(path, manifest, docs, chunks, dense, lexical)


def other_analyzer(manifest: dict) -> bool:
    """Did another analyzer than the installed one cut the index's terms?"""
    return recorded_analyzer(manifest.get("lexical")) != analyzer_record()


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the directory at `path` (None: absent). A swap puts a new directory there."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def _read_part(path: Path, part: str, read):
    """`read(path / part)`; any failure of a binary part means the same to the user: rebuild."""
    if not (path / part).exists():
        raise corrupt(path.name, part, "missing")
    try:
        return read(path / part)
    except Exception as e:
        raise corrupt(path.name, part, f"unreadable ({type(e).__name__})") from None


def _replaceable(path: Path) -> Path:
    """`path` when a build may replace it: a validated name directly under its root, and either
    absent or a directory holding only index files (never the root, another index's parent, a link).

    >>> _replaceable(Path("/srv/index/.."))
    Traceback (most recent call last):
    ...
    qa.errors.InputError: invalid index name '..': a name is 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit (e.g. news-2024)
    """
    validate_index_name(path.name)
    if path.is_symlink() or path.resolve().parent != path.parent.resolve():
        raise IndexStoreError(f"{path} is a link: a build replaces only a directory named {path.name!r} "
                              f"directly under {path.parent}; remove the link or choose another --name")
    if path.exists():
        stray = sorted(p.name for p in path.iterdir() if p.name not in INDEX_FILES) if path.is_dir() else [""]
        if stray:
            raise IndexStoreError(f"{path} exists and is not an index (it holds {', '.join(stray[:3]) or 'a file'}): "
                                  f"a build will not replace it; move it away or choose another --name")
    return path


def _make_faiss(vectors: np.ndarray, kind: str):
    import faiss
    dim = vectors.shape[1]
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _swap_in(tmp: Path, path: Path) -> None:
    """Replace `path` with `tmp` by renames; the old index survives until the new one is in place."""
    old = None
    if path.exists():
        old = path.with_name(old_name(path.name))
        path.rename(old)
    try:
        tmp.rename(path)
    except BaseException:
        if old is not None:
            old.rename(path)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_jsonl(path: Path, records) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _doc_record(d: Document) -> dict:
    return {"id": d.id, "title": d.title, "text": d.text, "source": d.source, "metadata": d.metadata}


def _chunk_record(c: Chunk) -> dict:
    rec = asdict(c)
    rec["sentences"] = [[s.start, s.end] for s in c.sentences]
    return rec
