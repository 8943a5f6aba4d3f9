"""Hostile requests for the web server, every kind in turn: the fuzz corpus of eval/bench_load.py.

    fuzz_corpus(24, seed=12) -> [Probe(kind="surrogates", method="POST", path="/api/ask", body=b'...'), ...]

Kinds: lone surrogates, bytes that are not UTF-8, 1,000-deep JSON, wrong number
and value types, wrong content types, bodies over the size cap, long questions
and histories, control characters, Gradio queue joins and other Gradio routes,
odd paths and methods. Deterministic for a seed; nothing here sends a request.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent   # a real server path for the file= probes

@dataclass(frozen=True)
class Probe:
    kind: str
    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = "application/json"
    then_read_queue: str | None = None    # a session hash whose queue events are read after the join


def json_body(value) -> bytes:
    """{"question": "NHN"} -> b'{"question": "NHN"}'"""
    return json.dumps(value).encode()


def fuzz_corpus(n: int, seed: int = 12) -> list[Probe]:
    """At least `n` hostile requests, every kind in turn (deterministic for a seed)."""
    rnd = random.Random(seed)
    kinds = [_surrogates, _bad_utf8, _deep_json, _numbers_and_types, _content_types, _huge_bodies,
             _long_questions, _histories, _controls, _gradio_queue, _gradio_misc, _paths_and_methods]
    out: list[Probe] = []
    while len(out) < n:
        for make in kinds:
            out.append(make(rnd, len(out)))
    return out


_SURR = ["\ud800", "\udc80", "\udfff", "\ud83d", "\udcff"]


def _surrogates(rnd, i) -> Probe:
    s = rnd.choice(_SURR)
    text = rnd.choice([s, f"NHN {s} 투자액", f"{s}{s}", f"광주 {s}"])
    path, body = rnd.choice([("/api/ask", {"question": text}), ("/api/retrieve", {"query": text, "k": 3}),
                             ("/api/ask", {"question": "기간은?", "history": [{"question": text, "answer": s}]})])
    return Probe("surrogates", "POST", path, json_body(body))


def _bad_utf8(rnd, i) -> Probe:
    junk = bytes(rnd.choice([0xff, 0xfe, 0xc0, 0x80, 0xed]) for _ in range(rnd.randint(1, 6)))
    return Probe("invalid UTF-8", "POST", rnd.choice(["/api/ask", "/api/retrieve", "/gradio_api/queue/join"]),
                 b'{"question": "NHN ' + junk + b'", "query": "' + junk + b'"}')


def _deep_json(rnd, i) -> Probe:
    depth = rnd.choice([100, 1000, 3000, 20000])
    inner = rnd.choice([b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth])
    body = rnd.choice([inner, b'{"question": ' + inner + b"}"])
    return Probe("deep JSON", "POST", rnd.choice(["/api/ask", "/api/retrieve", "/gradio_api/queue/join"]), body)


def _numbers_and_types(rnd, i) -> Probe:
    value = rnd.choice([10 ** 4000, 10 ** 300, -1, 0, 51, 1e308, True, None, "5", [], {}, [1, 2], 3.5])
    raw = rnd.random() < 0.3
    if raw:   # literals json.dumps would not write
        return Probe("numbers/types", "POST", "/api/retrieve",
                     b'{"query": "NHN", "k": ' + rnd.choice([b"NaN", b"Infinity", b"-Infinity", b"1e999",
                                                            b"9" * 6000]) + b"}")
    body = rnd.choice([{"query": "NHN 투자액은?", "k": value}, {"question": value}, {"query": value},
                       {"question": "NHN", "history": value}, value])
    try:
        data = json_body(body)
    except ValueError:
        data = b'{"query": "NHN", "k": ' + b"9" * 5000 + b"}"
    return Probe("numbers/types", "POST", rnd.choice(["/api/ask", "/api/retrieve"]), data)


def _content_types(rnd, i) -> Probe:
    ctype = rnd.choice(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/xml", None, "application/json; charset=latin-1", "application/jso",
                        "image/png", ""])
    body = rnd.choice([json_body({"question": "NHN 투자액은?"}), b"question=NHN", b"<q>NHN</q>", b"\x89PNG\r\n"])
    return Probe("content types", "POST", rnd.choice(["/api/ask", "/api/retrieve"]), body, ctype)


def _huge_bodies(rnd, i) -> Probe:
    size = rnd.choice([65 * 1024, 200 * 1024, 1024 * 1024, 4 * 1024 * 1024])
    path = rnd.choice(["/api/ask", "/api/retrieve", "/gradio_api/queue/join", "/gradio_api/upload", "/",
                       "/gradio_api/cancel", "/gradio_api/run/predict", "/nowhere"])
    body = json_body({"question": "가" * (size // 3), "data": ["x" * size], "fn_index": 0, "session_hash": f"h{i}"})
    return Probe("huge bodies", "POST", path, body)


def _long_questions(rnd, i) -> Probe:
    n = rnd.choice([1999, 2000, 2001, 5000, 20000])
    text = ("NHN 투자액은 얼마이고 기간은 " * 2000)[:n]
    return Probe("long questions", "POST", rnd.choice(["/api/ask", "/api/retrieve"]),
                 json_body({"question": text, "query": text, "k": 5}))


def _histories(rnd, i) -> Probe:
    shape = rnd.choice(["many", "invalid", "long turns", "wrong types"])
    if shape == "many":
        history = [{"question": "NHN 투자액은?", "answer": "2100억원"}] * rnd.choice([51, 500, 10000])
    elif shape == "invalid":
        history = [{"role": "bogus", "content": 5}] * rnd.choice([3, 1000, 10000])
    elif shape == "long turns":
        history = [{"question": " ".join(f"단어{j}" for j in range(300))[:2000], "answer": "a" * 2000}] * 7
    else:
        history = rnd.choice([[1, 2, 3], "history", {"question": "x"}, [None], [{"question": 5}]])
    return Probe("histories", "POST", "/api/ask", json_body({"question": "기간은?", "history": history}))


def _controls(rnd, i) -> Probe:
    text = rnd.choice(["NHN\x00 투자액은?", "\x1b[31mNHN\x1b[0m 투자액은?", "\u202eNHN 투자액은?", "NHN\r\n투자액은?",
                       "\ufeffNHN 투자액은?", "🙂 NHN 투자액은? 🙂", "\x7f\x85\x9f", "\u0000"])
    return Probe("controls", "POST", rnd.choice(["/api/ask", "/api/retrieve"]), json_body({"question": text, "query": text}))


def _gradio_queue(rnd, i) -> Probe:
    session = f"fuzz{i}"
    message = rnd.choice(["NHN 투자액은?", "\ud800", "x" * 3000, "가" * 2001, 12, None, ["a"], {"a": 1}, "", "   "])
    body = rnd.choice([
        {"data": [message, None], "fn_index": 0, "session_hash": session},                  # a real event
        {"data": [None], "fn_index": rnd.choice([1, 2, 3, 4]), "session_hash": session},    # example buttons
        {"data": [], "fn_index": 5, "session_hash": session},                               # 새 대화
        {"data": [message, None], "fn_index": rnd.choice([-1, 6, 99, 10 ** 12, "0", None, 1.5]),
         "session_hash": session},
        {"data": [message, None, None], "fn_index": 0, "session_hash": session},
        {"data": "x", "fn_index": 0, "session_hash": session},
        {"data": [message, None], "fn_index": 0},
        {"data": [message, None], "fn_index": 0, "session_hash": 5},
    ])
    ok = isinstance(body.get("fn_index"), int) and not isinstance(body.get("fn_index"), bool) \
        and 0 <= body["fn_index"] <= 5 and isinstance(body.get("session_hash"), str)
    return Probe("gradio queue", "POST", "/gradio_api/queue/join", json_body(body), then_read_queue=session if ok else None)


def _gradio_misc(rnd, i) -> Probe:
    return rnd.choice([
        Probe("gradio misc", "GET", f"/gradio_api/queue/data?session_hash=nobody{i}", None, None),
        Probe("gradio misc", "POST", "/gradio_api/upload", b"--x\r\nContent-Disposition: form-data; name=\"files\"; "
              b"filename=\"a.txt\"\r\n\r\n" + b"A" * 5000 + b"\r\n--x--\r\n", "multipart/form-data; boundary=x"),
        Probe("gradio misc", "GET", "/gradio_api/file=/etc/passwd", None, None),
        Probe("gradio misc", "GET", "/gradio_api/file=../../../../etc/passwd", None, None),
        Probe("gradio misc", "GET", f"/gradio_api/file={ROOT}/app.py", None, None),
        Probe("gradio misc", "POST", "/gradio_api/run/predict", json_body({"data": ["NHN"]})),
        Probe("gradio misc", "POST", "/gradio_api/call/respond", json_body({"data": ["NHN", None]})),
        Probe("gradio misc", "POST", "/gradio_api/api/respond", json_body({"data": ["NHN", None]})),
        Probe("gradio misc", "POST", "/gradio_api/cancel", json_body({"session_hash": 1, "fn_index": "x", "event_id": []})),
        Probe("gradio misc", "POST", "/gradio_api/reset", json_body({"event_id": 5})),
        Probe("gradio misc", "POST", "/gradio_api/component_server", json_body({"fn_name": "x", "component_id": 1e9})),
        Probe("gradio misc", "POST", "/gradio_api/process_recording", b"x", "multipart/form-data; boundary=x"),
        Probe("gradio misc", "GET", "/gradio_api/info", None, None),
        Probe("gradio misc", "GET", "/config", None, None),
        Probe("gradio misc", "GET", "/gradio_api/upload_progress?upload_id=" + "x" * 500, None, None),
    ])


def _paths_and_methods(rnd, i) -> Probe:
    return rnd.choice([
        Probe("paths/methods", rnd.choice(["PUT", "DELETE", "PATCH"]), "/api/ask", json_body({"question": "NHN"})),
        Probe("paths/methods", "GET", "/api/ask", None, None),
        Probe("paths/methods", "GET", "/api/health?" + "x=" * 2000, None, None),
        Probe("paths/methods", "GET", "/" + "a/" * 300, None, None),
        Probe("paths/methods", "GET", "/%00%ff%fe", None, None),
        Probe("paths/methods", "POST", "/api/ask/../retrieve", json_body({"query": "NHN"})),
        Probe("paths/methods", "OPTIONS", "/api/ask", None, None),
        Probe("paths/methods", "GET", "/docs", None, None),
        Probe("paths/methods", "GET", "/openapi.json", None, None),
    ])
