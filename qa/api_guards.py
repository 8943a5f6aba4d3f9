"""ASGI guards in front of every route: body size, body checks, and one generic JSON error for bugs.

    app.add_middleware(BodyCheck, checks={"POST /api/ask": check_json_body})
    app.add_middleware(ErrorBoundary)
    app.add_middleware(BodySizeLimit, max_bytes=64 * 1024)

    parse_json_body(b'{"question": "NHN"}', "application/json") -> {"question": "NHN"}
    parse_json_body(b'{}', "text/plain")                         -> BodyProblem(415, "... send application/json")

Each refusal is a JSON `{"detail": "<one readable line>"}` with a 4xx status;
an unexpected exception or a 5xx from any route (Gradio's included) becomes a
generic JSON 500 (503 stays 503) and the traceback goes to the server log only.
"""
from __future__ import annotations

import json
import logging
import re

from fastapi.responses import JSONResponse

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32          # our requests nest 2 deep; the C JSON parser must never see 1,000
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")
INTERNAL_ERROR = "internal server error: the request could not be answered (the server log has details)"
BUSY = "the server is busy: try again shortly"

log = logging.getLogger("qa.api")


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
    if json_depth(text) > MAX_JSON_DEPTH:
        raise BodyProblem(422, "the request body is nested too deeply to be a request")
    try:
        return json.loads(text)
    except RecursionError:
        raise BodyProblem(422, "the request body is nested too deeply to be a request") from None
    except json.JSONDecodeError as e:
        raise BodyProblem(422, f"the request body is not valid JSON ({e.msg} at line {e.lineno} "
                               f"column {e.colno})") from None
    except ValueError:   # an integer of more than 4,300 digits
        raise BodyProblem(422, "the request body holds a number too large to read") from None


def json_depth(text: str) -> int:
    """Deepest bracket nesting of a JSON text, brackets inside strings ignored.

    Checked before parsing: how deep json.loads may go depends on the process's recursion
    limit, which any imported library can raise (and a deep enough body then overflows the
    C stack instead of raising RecursionError).

    >>> json_depth('{"q": "[[[", "k": [1, [2]]}')
    3
    """
    depth = deepest = 0
    for m in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


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
