"""The REST API on the real pipeline (the bundled index, built once per test worker, ~6 s).

Covers the happy paths, every validation case (422/413 with readable
messages and no internals), and 20 concurrent asks that must not cross-talk.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from qa import Settings, __version__
from qa.api import MAX_BODY_BYTES, create_api
from qa.server import create_app

pytestmark = pytest.mark.slow

NHN = {"question": "NHN 투자액은?", "answer": "2100억원"}
# Questions with one unambiguous answer in the bundled announcement.
# (history, question, expected answer)
CASES = [
    ([], "NHN 투자액은?", "2100억원"),
    ([], "GIST AI대학원은 매년 학생 몇 명을 선발하나요?", "50명"),
    ([], "광주 AI데이터센터의 연산성능은?", "88.5페타플롭스(PFLOPS)"),
    ([], "전임교원은 몇 명 확보하나요?", "12명"),
    ([], "겸무교수는 몇 명인가요?", "15명"),
    ([], "과학기술정보통신부 장관은 누구야?", "최기영"),
    ([], "How much will NHN invest?", "2100억원"),
    ([NHN], "기간은?", "10년간"),          # how long: with the 간 the article writes
]
# Tokens that would betray internals in an error body.
LEAKS = ("Traceback", 'File "', ".py", "/work", "/home", "/tmp", "site-packages", "RuntimeError")


@pytest.fixture(scope="module")
def pipeline(real_pipeline):
    """The worker's real pipeline (tests/conftest.py), shared with test_pipeline and test_cli: nothing
    here changes it."""
    return real_pipeline


@pytest.fixture(scope="module")
def client(pipeline):
    app = create_app(pipeline, Settings(), ui=False)
    with TestClient(app) as c:
        yield c


def assert_clean_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["detail"], str) and body["detail"]
    for leak in LEAKS:
        assert leak not in r.text, f"{leak!r} leaked in {r.text}"
    return body


# ---- happy paths --------------------------------------------------------------------------------------------------
def test_retrieve_ranks_the_nhn_passage_high(client):
    r = client.post("/api/retrieve", json={"query": "NHN 투자액은?", "k": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "NHN 투자액은?" and len(body["hits"]) == 5
    assert [h["rank"] for h in body["hits"]] == [1, 2, 3, 4, 5]
    assert set(body["hits"][0]) >= {"rank", "score", "doc_id", "title", "text", "start", "end"}
    assert any("2100억원" in h["text"] for h in body["hits"][:3])


def test_retrieve_default_k_is_5(client):
    assert len(client.post("/api/retrieve", json={"query": "GIST AI대학원"}).json()["hits"]) == 5


def test_ask_answers_with_the_cli_json_shape(client):
    r = client.post("/api/ask", json={"question": "NHN 투자액은?"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"question", "resolved_question", "answer", "abstained", "confidence", "citations"}
    assert body["answer"] == "2100억원" and body["abstained"] is False
    assert 0.0 <= body["confidence"] <= 1.0
    cite = body["citations"][0]
    assert "2100억원" in cite["text"] and cite["end"] - cite["start"] == len(cite["text"])


def test_ask_followup_uses_the_history(client):
    r = client.post("/api/ask", json={"question": "기간은?", "history": [NHN]})
    body = r.json()
    assert body["answer"] == "10년간", body
    assert body["question"] == "기간은?" and body["resolved_question"] != "기간은?"


def test_ask_history_may_hold_a_null_answer(client):
    r = client.post("/api/ask", json={"question": "NHN 투자액은?",
                                      "history": [{"question": "화성 인구는?", "answer": None}]})
    assert r.status_code == 200 and r.json()["answer"] == "2100억원"


def test_ask_abstains_on_an_unanswerable_question(client):
    body = client.post("/api/ask", json={"question": "화성의 인구는 몇 명인가요?"}).json()
    assert body["abstained"] is True and body["answer"] is None
    assert body["citations"], "an abstention lists the closest passages"


def test_health(client, pipeline):
    body = client.get("/api/health").json()
    assert body == {"status": "ok", "index": "default", "embedder": pipeline.store.manifest["embedder"]["name"],
                    "chunks": len(pipeline.store.chunks), "documents": len(pipeline.store.documents),
                    "version": __version__, "reader": pipeline.settings.reader,
                    "span_engine": None if pipeline.settings.reader == "rule" else "onnx"}
    assert body["chunks"] > 0 and body["documents"] == 1


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/retrieve", "/api/health"} <= set(paths)


# ---- validation ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, body, words", [
    ("/api/ask", {"question": ""}, "empty"),
    ("/api/ask", {"question": "   \n\t "}, "empty"),
    ("/api/ask", {"question": "가" * 2001}, "2001 characters"),
    ("/api/ask", {}, "question: Field required"),
    ("/api/ask", {"question": 123}, "question: Input should be a valid string"),
    ("/api/ask", {"question": ["NHN"]}, "valid string"),
    ("/api/ask", {"question": "NHN 투자액은?", "history": "NHN"}, "history"),
    ("/api/ask", {"question": "기간은?", "history": [{"question": 5}]}, "history[0].question"),
    ("/api/ask", {"question": "기간은?", "history": [{"answer": "x"}]}, "history[0].question: Field required"),
    ("/api/retrieve", {"query": ""}, "empty"),
    ("/api/retrieve", {"query": " "}, "empty"),
    ("/api/retrieve", {"query": "가" * 2001}, "2001 characters"),
    ("/api/retrieve", {"query": "NHN", "k": 0}, "k: Input should be greater than or equal to 1"),
    ("/api/retrieve", {"query": "NHN", "k": 51}, "k: Input should be less than or equal to 50"),
    ("/api/retrieve", {"query": "NHN", "k": -3}, "k:"),
    ("/api/retrieve", {"query": "NHN", "k": "5"}, "k: Input should be a valid integer"),
    ("/api/retrieve", {"query": "NHN", "k": 2.5}, "k:"),
    ("/api/retrieve", {"query": "NHN", "k": True}, "k:"),
    ("/api/retrieve", {"query": None}, "query"),
])
def test_invalid_input_is_422_with_a_clear_message(client, path, body, words):
    out = assert_clean_error(client.post(path, json=body), 422)
    assert words in out["detail"], out
    assert all(set(e) == {"field", "message"} for e in out["errors"])


def test_exactly_2000_chars_is_accepted(client):
    assert client.post("/api/retrieve", json={"query": "가" * 2000, "k": 1}).status_code == 200


@pytest.mark.parametrize("raw", [b'{"question": ', b"not json", b'{"question": "NHN"', b"\xff\xfe"])
def test_malformed_json_is_422(client, raw):
    r = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    out = assert_clean_error(r, 422)
    assert "JSON" in out["detail"] or "valid" in out["detail"]


def test_missing_body_is_422(client):
    out = assert_clean_error(client.post("/api/ask", headers={"content-type": "application/json"}), 422)
    assert "body" in out["detail"]


def test_oversized_body_is_413(client):
    body = json.dumps({"question": "NHN 투자액은?", "pad": "x" * MAX_BODY_BYTES}).encode()
    out = assert_clean_error(client.post("/api/ask", content=body, headers={"content-type": "application/json"}),
                             413)
    assert "KiB" in out["detail"]


def test_oversized_streamed_body_without_length_is_413(client):
    def chunks():                         # chunked transfer: no Content-Length to check up front
        yield b'{"question": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}'
    r = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.request.headers.get("content-length") is None
    assert_clean_error(r, 413)


def test_a_lying_content_length_is_refused(client):
    r = client.post("/api/ask", content=b'{"question": "x"}',
                    headers={"content-type": "application/json", "content-length": "abc"})
    assert r.status_code in (400, 413)


def test_wrong_method_and_unknown_path(client):
    assert client.get("/api/ask").status_code == 405
    assert client.get("/api/nope").status_code == 404


# ---- errors the pipeline raises -----------------------------------------------------------------------------------
class Exploding:
    """A pipeline whose ask fails like a bug would, with internals in the message."""

    def __init__(self, error):
        self.error = error

    def ask(self, question, conversation):
        raise self.error

    def retrieve(self, query, k):
        raise self.error

    def listed(self, a, b):   # what the API hands to Conversation.from_history
        return False

    def respelled(self, question):   # so is this
        return question


def test_a_bug_is_a_generic_500_logged_with_its_traceback(caplog):
    app = create_api(Exploding(RuntimeError("boom at /work/main/qa/secret.py line 3")), index_name="x", embedder="y")
    with TestClient(app, raise_server_exceptions=False) as c:
        out = assert_clean_error(c.post("/api/ask", json={"question": "NHN 투자액은?"}), 500)
    assert "internal server error" in out["detail"]
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "boom at /work/main/qa/secret.py" in str(logged[0].exc_info[1])


def test_qa_errors_keep_their_message_but_not_paths():
    from qa.errors import IndexStoreError, InputError
    app = create_api(Exploding(InputError("k must be between 1 and 50")), index_name="x", embedder="y")
    with TestClient(app) as c:
        assert c.post("/api/retrieve", json={"query": "q"}).json() == {"detail": "k must be between 1 and 50"}
    app = create_api(Exploding(IndexStoreError("no index at /srv/qa/index/default: build one")), index_name="x",
                     embedder="y")
    with TestClient(app) as c:
        out = assert_clean_error(c.post("/api/ask", json={"question": "q"}), 400)
    assert out["detail"] == "no index at <path>: build one"


# ---- concurrency --------------------------------------------------------------------------------------------------
def test_20_concurrent_asks_each_get_their_own_answer(client):
    jobs = [CASES[i % len(CASES)] for i in range(20)]

    def ask(job):
        history, question, _ = job
        r = client.post("/api/ask", json={"question": question, "history": history})
        assert r.status_code == 200, r.text
        return r.json()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(ask, jobs))
    for (history, question, expected), body in zip(jobs, results):
        assert body["question"] == question
        assert body["answer"] == expected, (question, body)


# ---- the full app ------------------------------------------------------------------------------------------------
def test_the_ui_mount_leaves_the_api_reachable(pipeline):
    pytest.importorskip("gradio")
    app = create_app(pipeline, Settings())
    with TestClient(app) as c:
        assert c.get("/api/health").json()["status"] == "ok"
        assert c.post("/api/ask", json={"question": "NHN 투자액은?"}).json()["answer"] == "2100억원"
        assert c.get("/docs").status_code == 200
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        # The 64 KiB limit is the API's: it does not apply to Gradio's routes.
        assert c.post("/api/ask", content=b"x" * (MAX_BODY_BYTES + 1)).status_code == 413
