"""Opening the index a `Settings` names, building the bundled one on first use."""
from __future__ import annotations

import logging

from .documents import bundled_documents
from .embedding.base import Embedder
from .embedding.factory import make_build_embedder, make_embedder
from .errors import IndexStoreError
from .settings import Settings
from .store import BuildOptions, IndexStore

log = logging.getLogger(__name__)
DEFAULT_INDEX = "default"


def build_index(settings: Settings, docs, embedder: Embedder | None = None, progress: bool = True,
                sources: list[str] | None = None) -> IndexStore:
    """Build `settings.index_path` from `docs` with the settings' chunking and embedder."""
    embedder = embedder or make_build_embedder(settings)
    opts = BuildOptions(max_chars=settings.chunk_max_chars, overlap=settings.chunk_overlap,
                        faiss_kind=settings.faiss_kind, progress=progress)
    return IndexStore.build(settings.index_path, docs, embedder, opts, sources)


def open_index(settings: Settings, embedder: Embedder | None = None) -> tuple[IndexStore, Embedder]:
    """Load the named index and an embedder that matches it.

    The default index holds the bundled announcement: it is built when
    missing and rebuilt when the bundled text changed (both logged).
    """
    path = settings.index_path
    is_default = settings.index_name == DEFAULT_INDEX
    if is_default and not (path / "manifest.json").exists():
        log.warning("index %s not found: building it from the bundled announcement (one-time, a few seconds)", path)
        store = build_index(settings, bundled_documents(), embedder, progress=False)
    else:
        store = IndexStore.load(path)
        if is_default and store.is_stale(bundled_documents()):
            log.warning("index %s is stale (bundled announcement or chunking rules changed): rebuilding", path)
            store = build_index(settings, bundled_documents(), embedder, progress=False)
    if embedder is None:
        built = store.manifest["embedder"]
        if settings.embedder and settings.embedder != built["name"]:
            raise IndexStoreError(
                f"index {settings.index_name!r} was built with {built['name']}, not {settings.embedder}: rebuild "
                f"with `qa index build --name {settings.index_name} --embedder {settings.embedder}`")
        embedder = make_embedder(settings.with_(embedder=built["name"], model=built.get("model")))
    store.check_embedder(embedder)
    return store, embedder
