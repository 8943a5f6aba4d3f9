"""Opening the index a `Settings` names, building the bundled one on first use."""
from __future__ import annotations

import logging
from functools import partial

from .documents import bundled_documents
from .embedding.base import Embedder
from .embedding.factory import make_build_embedder, make_embedder
from .errors import IndexStoreError
from .settings import Settings
from .store import BuildOptions, IndexStore

log = logging.getLogger(__name__)
DEFAULT_INDEX = "default"


def build_index(settings: Settings, docs, embedder: Embedder | None = None, progress: bool = True,
                sources: list[str] | None = None, *, rebuild: bool = False, ray_address: str | None = None):
    """Build `settings.index_path` (or the Milvus collection of `settings.index_name`) from `docs`.

    `rebuild` (milvus) writes a fresh collection even when one with the same inputs exists;
    `ray_address` (milvus) runs the chunk/embed/write steps on Ray ("local": a local cluster).
    """
    given = embedder
    opts = BuildOptions(max_chars=settings.chunk_max_chars, overlap=settings.chunk_overlap,
                        faiss_kind=settings.faiss_kind, progress=progress)
    if settings.engine == "milvus":
        from .engines.milvus import MilvusStore
        writer = None
        if ray_address is not None:
            from .engines.ray_build import ray_writer
            # Workers build their own embedder (a loaded model does not pickle); a given one is shipped.
            factory = (lambda: given) if given is not None else partial(make_embedder, settings)
            writer = ray_writer(factory, ray_address)
        return MilvusStore.build(settings.milvus_uri, settings.index_name, docs, given or make_embedder(settings), opts,
                                 sources,
                                 writer=writer, rebuild=rebuild)
    if ray_address is not None:
        raise IndexStoreError("--ray builds into Milvus: add --engine milvus --uri URI")
    # Local builds embed passages with the fastest batch engine (onnxruntime int8 of the same weights,
    # recorded in the manifest); the Milvus engine keeps one embedder for both sides.
    return IndexStore.build(settings.index_path, docs, given or make_build_embedder(settings), opts, sources)


def load_store(settings: Settings):
    """Load (without building) the index `settings` names, on its engine."""
    if settings.engine == "milvus":
        from .engines.milvus import MilvusStore
        return MilvusStore.load(settings.milvus_uri, settings.index_name)
    return IndexStore.load(settings.index_path)


def index_exists(settings: Settings) -> bool:
    """True when the named index has a manifest on its engine."""
    if settings.engine == "milvus":
        from .engines.milvus import collection_alias, connect, serving_collection
        return serving_collection(connect(settings.milvus_uri), collection_alias(settings.index_name)) is not None
    return (settings.index_path / "manifest.json").exists()


def open_index(settings: Settings, embedder: Embedder | None = None):
    """Load the named index and an embedder that matches it.

    The default index holds the bundled announcement: it is built when
    missing and rebuilt when the bundled text changed (both logged).
    """
    is_default = settings.index_name == DEFAULT_INDEX
    where = settings.milvus_uri if settings.engine == "milvus" else settings.index_path
    if is_default and not index_exists(settings):
        log.warning("index %s not found: building it from the bundled announcement (one-time, a few seconds)", where)
        store = build_index(settings, bundled_documents(), embedder, progress=False)
    else:
        store = load_store(settings)
        if is_default and store.is_stale(bundled_documents()):
            log.warning("index %s is stale (the bundled announcement, the chunking rules or the Kiwi analyzer changed): "
                        "rebuilding", where)
            store = build_index(settings, bundled_documents(), embedder, progress=False)
    if embedder is None:
        built = store.manifest["embedder"]
        if settings.embedder and settings.embedder != built["name"]:
            raise IndexStoreError(
                f"index {settings.index_name!r} was built with {built['name']}, not {settings.embedder}: rebuild "
                f"with `qa index build --name {settings.index_name} --embedder {settings.embedder}`")
        embedder = make_embedder(settings.with_(embedder=built["name"], model=built.get("model")))
    store.check_embedder(embedder)
    store.check_analyzer()
    return store, embedder
