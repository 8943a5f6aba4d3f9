"""Hostile requests against the web app (REST API and the Gradio routes) on a tiny index with the fake embedder.

Each finding of issue 12 about the web edge has a test here: lone surrogates
(a 500 before), bodies FastAPI could not parse (a 400 before, 422 promised),
wrong content types, Gradio routes without a size limit, uploads, a bad
fn_index (a plain-text 500 before); plus a property test: any JSON body ->
no 5xx, no traceback, no server path.
"""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.api import MAX_BODY_BYTES
from qa.pipeline import Pipeline
from qa.reader import RuleReader
from qa.retrieval import HybridRetriever
from qa.server import create_app
from qa.settings import Settings
from qa.store import BuildOptions, IndexStore

LEAKS = ("Traceback", 'File "', ".py", "/work", "/home", "/tmp", "site-packages")
SURROGATES = ['{"question": "\\ud800"}', '{"question": "\\udc80"}', '{"question": "NHN \\ud83d 투자액"}']


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from tests.conftest import FakeEmbedder, _DIGEST, _EARNINGS, _FESTIVAL, _LIBRARY
    from qa.korean import normalize_text
    from qa.types import Document
    docs = [Document(id=i, title=normalize_text(t).split("\n")[0], text=normalize_text(t), source=f"{i}.txt")
            for i, t in {"library": _LIBRARY, "festival": _FESTIVAL, "earnings": _EARNINGS, "digest": _DIGEST}.items()]
    embedder = FakeEmbedder()
    store = IndexStore.build(tmp_path_factory.mktemp("tiny") / "tiny", docs, embedder, BuildOptions(max_chars=200))
    return Pipeline(HybridRetriever(store, embedder), RuleReader(), Settings())


@pytest.fixture(scope="module")
def client(pipeline):
    with TestClient(create_app(pipeline, Settings(), ui=False, warm=False), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def ui_client(pipeline):
    pytest.importorskip("gradio")
    with TestClient(create_app(pipeline, Settings(), ui=True, warm=False), raise_server_exceptions=False) as c:
        yield c


def post(client, path, body: bytes | str, content_type="application/json"):
    body = body.encode() if isinstance(body, str) else body
    return client.post(path, content=body, headers={"content-type": content_type})


def clean_error(r, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json"), r.headers
    for leak in LEAKS:
        assert leak not in r.text, f"{leak!r} leaked in {r.text}"
    return r.json()["detail"]


# ---- text the analyzers cannot encode ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", SURROGATES)
def test_lone_surrogates_are_a_422_on_ask(client, body):
    assert "surrogate" in clean_error(post(client, "/api/ask", body), 422)


@pytest.mark.parametrize("body", SURROGATES)
def test_lone_surrogates_are_a_422_on_retrieve(client, body):
    assert "surrogate" in clean_error(post(client, "/api/retrieve", body.replace("question", "query")), 422)


def test_lone_surrogates_in_the_history_are_a_422(client):
    body = '{"question": "기간은?", "history": [{"question": "NHN \\ud800", "answer": "x"}]}'
    assert "history[0].question" in clean_error(post(client, "/api/ask", body), 422)


def test_controls_are_dropped_not_refused(client):
    r = client.post("/api/ask", json={"question": "다온전자\x00 영업이익은\x1b 얼마야?"})
    assert r.status_code == 200 and "\x00" not in r.json()["question"]


# ---- bodies that are not JSON requests --------------------------------------------------------------------------
@pytest.mark.parametrize("body, says", [
    (b'{"question": "\xff\xfe"}', "not valid UTF-8"),
    (b"[" * 1000 + b"]" * 1000, "nested too deeply"),
    (b'{"question": ' + b"[" * 1000 + b"]" * 1000 + b"}", "nested too deeply"),
    (b'{"question": "a", "k": ' + b"9" * 5000 + b"}", "number too large"),
    (b'{"question": "a",', "not valid JSON"),
    (b"", "missing"),
])
def test_unreadable_bodies_are_a_422(client, body, says):
    for path in ("/api/ask", "/api/retrieve"):
        assert says in clean_error(post(client, path, body), 422)


def test_deep_nesting_is_refused_whatever_the_recursion_limit(client):
    # Some libraries (ray, ...) raise the recursion limit at import: the parser would then
    # accept 1,000 levels, or overflow the C stack on 30,000; the depth check must not care.
    import sys
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(100_000)
    try:
        for body in (b"[" * 1000 + b"]" * 1000, b'{"question": "[[[[", "k": ' + b"{\"a\": " * 40 + b"1" + b"}" * 41):
            assert "nested too deeply" in clean_error(post(client, "/api/ask", body), 422)
    finally:
        sys.setrecursionlimit(before)
    r = post(client, "/api/retrieve", b'{"query": "NHN [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{"}')
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_wrong_content_type_says_send_json(client, content_type):
    detail = clean_error(post(client, "/api/ask", '{"question": "NHN"}', content_type), 415)
    assert "send application/json" in detail


def test_json_with_a_charset_is_fine(client):
    r = post(client, "/api/ask", '{"question": "다온전자 영업이익은?"}', "application/json; charset=utf-8")
    assert r.status_code == 200


def test_a_long_history_is_answered_on_bounded_turns(client, pipeline, monkeypatch):
    seen = []
    real = pipeline.retriever.retrieve
    monkeypatch.setattr(pipeline.retriever, "retrieve", lambda q, k: seen.append(q) or real(q, k))
    # Distinct words, all carried into the follow-up's search unless each turn is bounded; ~46 KB, under the cap.
    history = [{"question": " ".join(f"festival{i}" for i in range(170)) + "?", "answer": "a" * 1990}] * 12
    r = client.post("/api/ask", json={"question": "기간은?", "history": history})
    assert r.status_code == 200 and len(seen) == 1 and len(seen[0]) < 400


# Strings of any code point, lone surrogates and controls often (json.dumps writes them as \\udXXX
# escapes); st.text itself never yields surrogates, so the strings are joined from characters.
CHAR = st.characters(codec=None, categories=None) | st.sampled_from(["\ud800", "\udfff", "\x00", "투", "N", " "])
TEXT = st.lists(CHAR, max_size=30).map("".join)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                  max_size=4), max_leaves=12)
# Mostly well-formed requests (so the text reaches the pipeline), sometimes with wrong-typed fields.
TURNS = st.lists(st.fixed_dictionaries({"question": TEXT}, optional={"answer": TEXT | st.none()}), max_size=3)
FIELDS = st.fixed_dictionaries({"question": TEXT, "query": TEXT},
                               optional={"k": st.integers(-5, 60) | JSON, "history": TURNS | JSON})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/ask", "/api/retrieve"]), body=JSON | FIELDS)
def test_any_json_body_gets_no_5xx_and_no_internals(client, path, body):
    r = post(client, path, json.dumps(body))
    assert r.status_code < 500, r.text
    for leak in ("Traceback", "/work", "site-packages"):
        assert leak not in r.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_any_bytes_get_no_5xx(client, body):
    r = post(client, "/api/ask", body)
    assert r.status_code < 500 and "Traceback" not in r.text


# ---- the Gradio routes ------------------------------------------------------------------------------------------
def test_gradio_routes_have_the_body_cap(ui_client):
    big = json.dumps({"data": ["x" * (MAX_BODY_BYTES + 1), None], "fn_index": 0, "session_hash": "s"})
    assert "64 KiB" in clean_error(post(ui_client, "/gradio_api/queue/join", big), 413)


def test_uploads_are_refused(ui_client):
    r = ui_client.post("/gradio_api/upload", files={"files": ("a.txt", b"hello" * 100)})
    assert "uploads are disabled" in clean_error(r, 403)
    assert "uploads are disabled" in clean_error(ui_client.get("/gradio_api/upload_progress?upload_id=x"), 403)


@pytest.mark.parametrize("body, says", [
    ({"data": ["x", None], "fn_index": 99, "session_hash": "s"}, "unknown fn_index 99"),
    ({"data": ["x", None], "fn_index": "0", "session_hash": "s"}, "unknown fn_index"),
    ({"data": ["x", [], None], "fn_index": 0, "session_hash": "s"}, "list of 2 values"),
    ({"data": ["x", None], "fn_index": 0}, "session_hash"),
    ([1, 2], "JSON object"),
])
def test_bad_queue_requests_are_json_422(ui_client, body, says):
    assert says in clean_error(post(ui_client, "/gradio_api/queue/join", json.dumps(body)), 422)


def test_queue_data_for_an_unknown_session_is_a_json_404(ui_client):
    assert "join the queue" in clean_error(ui_client.get("/gradio_api/queue/data?session_hash=nobody"), 404)


def test_a_valid_queue_request_still_joins(ui_client):
    body = {"data": ["다온전자 영업이익은?", None], "fn_index": 0, "session_hash": "ok-session"}
    r = post(ui_client, "/gradio_api/queue/join", json.dumps(body))
    assert r.status_code == 200 and "event_id" in r.json()


def test_api_and_page_still_served_with_the_ui(ui_client):
    assert ui_client.get("/").status_code == 200
    assert ui_client.get("/api/health").json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/gradio_api/file=/etc/passwd", "/gradio_api/file=%2e%2e/%2e%2e/app.py",
                                  "/gradio_api/file/x"])
def test_no_files_are_served_and_no_path_is_echoed(ui_client, path):
    assert "no files" in clean_error(ui_client.get(path), 404)


@pytest.mark.parametrize("path", ["/gradio_api/run/predict", "/gradio_api/call/respond", "/gradio_api/api/respond"])
def test_gradio_api_routes_point_to_the_rest_api(ui_client, path):
    # /gradio_api/run/predict was a 500.
    assert "/api/ask" in clean_error(post(ui_client, path, json.dumps({"data": ["NHN", None]})), 404)


def test_many_invalid_history_items_are_summarized_not_repeated(client, caplog):
    body = {"question": "기간은?", "history": [{"role": "bogus", "content": 5}] * 50}
    with caplog.at_level("INFO"):
        r = client.post("/api/ask", json=body)
    detail = clean_error(r, 422)
    assert "more problems" in detail and len(detail) < 400 and len(r.json()["errors"]) <= 10
    assert len(caplog.records) <= 1


@pytest.mark.parametrize("status, says", [(500, "internal server error"), (503, "try again")])
def test_a_plain_text_5xx_of_any_route_becomes_generic_json(pipeline, status, says):
    from starlette.responses import PlainTextResponse
    app = create_app(pipeline, Settings(), ui=False, warm=False)
    app.add_route("/mounted", lambda request: PlainTextResponse("boom in /work/x/site-packages/y.py", status))
    with TestClient(app, raise_server_exceptions=False) as c:
        assert says in clean_error(c.get("/mounted"), status)
