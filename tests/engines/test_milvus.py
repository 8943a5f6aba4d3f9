"""The milvus engine (milvus-lite file): same hits as the local engine, manifest checks,
unreachable URIs, resumable builds and alias switches. Fake embedder, tiny corpus."""
from __future__ import annotations

import time

import pytest

pytest.importorskip("pymilvus", reason="the milvus engine needs the scale extra: pip install -e '.[scale]'")
pytest.importorskip("milvus_lite", reason="milvus-lite comes with the scale extra")

from qa.cli import main                                             # noqa: E402
from qa.engines import Store                                        # noqa: E402
from qa.engines import milvus as engine                             # noqa: E402
from qa.engines.milvus import MilvusStore, collection_alias, connect, serving_collection  # noqa: E402
from qa.errors import IndexStoreError                               # noqa: E402
from qa.index_manager import build_index, open_index               # noqa: E402
from qa.retrieval import HybridRetriever                            # noqa: E402
from qa.settings import Settings                                    # noqa: E402
from qa.store import BuildOptions, IndexStore                       # noqa: E402

QUERIES = ["불꽃축제 관람객은 몇 명?", "도서관 장서는 몇 권?", "다온전자 영업이익", "평택 공장 투자", "열람실 운영 시간",
           "안전요원", "작가 강연", "농산물 직거래 장터", "도로 통제", "반도체 부문", "Who gives a lecture?", "없는단어"]
OPTS = BuildOptions(max_chars=120, overlap=1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory, module_tiny_corpus_and_embedder):
    """One local and one milvus-lite index of the tiny corpus for the tests that only read them
    (starting milvus-lite and building takes ~2 s): (local, milvus, its uri)."""
    corpus, embedder = module_tiny_corpus_and_embedder
    root = tmp_path_factory.mktemp("both")
    local = IndexStore.build(root / "tiny", corpus, embedder, OPTS)
    milvus = MilvusStore.build(str(root / "qa.db"), "tiny", corpus, embedder, OPTS)
    return local, milvus, str(root / "qa.db")


@pytest.fixture
def both(shared):
    return shared[:2]


def test_both_engines_satisfy_the_protocol(both):
    assert all(isinstance(s, Store) for s in both)


def test_same_chunks_documents_and_manifest(both, tiny_corpus):
    local, milvus = both
    assert len(milvus.chunks) == len(local.chunks) > 4
    assert [milvus.chunks[i] for i in range(len(local.chunks))] == list(local.chunks)
    assert len(milvus.documents) == len(local.documents)
    assert sorted(milvus.documents) == sorted(local.documents)
    assert all(milvus.documents[d] == local.documents[d] for d in local.documents)
    assert "nope" not in milvus.documents and milvus.documents.get("nope") is None
    for key in ("embedder", "chunking", "corpus_hash", "counts", "format_version"):
        assert milvus.manifest[key] == local.manifest[key]


@pytest.mark.parametrize("fusion", ["score", "rrf"])
def test_same_top_hits_as_the_local_engine(both, fake_embedder, fusion):
    local, milvus = both
    for q in QUERIES:
        a = HybridRetriever(local, fake_embedder, fusion=fusion).retrieve(q, 5)
        b = HybridRetriever(milvus, fake_embedder, fusion=fusion).retrieve(q, 5)
        assert [h.chunk for h in b] == [h.chunk for h in a], q
        assert [(h.dense_rank, h.lexical_rank) for h in b] == [(h.dense_rank, h.lexical_rank) for h in a], q
        assert [h.score for h in b] == pytest.approx([h.score for h in a], abs=1e-5), q


def test_lexical_and_dense_scores_match(both, fake_embedder):
    local, milvus = both
    for q in QUERIES:
        a, b = local.lexical_search(q, 50), milvus.lexical_search(q, 50)
        assert [r for r, _ in b] == [r for r, _ in a], q
        assert [s for _, s in b] == pytest.approx([s for _, s in a], abs=1e-5), q
        vec = fake_embedder.embed_queries([q])[0]
        assert [r for r, _ in milvus.dense_search(vec, 50)] == [r for r, _ in local.dense_search(vec, 50)], q


def test_reopened_file_serves_the_same(shared):
    _, milvus, uri = shared
    again = MilvusStore.load(uri, "tiny")
    assert again.manifest == milvus.manifest
    assert again.lexical_search("불꽃축제", 3) == milvus.lexical_search("불꽃축제", 3)


@pytest.mark.parametrize("other", [dict(name="other"), dict(fingerprint="fake-bigram-v2")])
def test_another_embedder_is_refused(tmp_path, tiny_corpus, fake_embedder, milvus_uri, other):
    settings = Settings(index_root=tmp_path, index_name="tiny", engine="milvus", milvus_uri=milvus_uri,
                        chunk_max_chars=120)
    build_index(settings, tiny_corpus, fake_embedder, progress=False)
    open_index(settings, fake_embedder)                        # the builder's own embedder is fine
    with pytest.raises(IndexStoreError, match="rebuild"):
        open_index(settings, type(fake_embedder)(**other))


def test_another_dimension_is_refused(tmp_path, tiny_corpus, fake_embedder, milvus_uri):
    settings = Settings(index_root=tmp_path, index_name="tiny", engine="milvus", milvus_uri=milvus_uri)
    build_index(settings, tiny_corpus, fake_embedder, progress=False)
    wide = type(fake_embedder)()
    wide.dim = 32
    with pytest.raises(IndexStoreError, match="dim 32"):
        open_index(settings, wide)


def test_missing_index_says_how_to_build(milvus_uri):
    with pytest.raises(IndexStoreError, match="qa index build --name news --engine milvus"):
        MilvusStore.load(milvus_uri, "news")


def test_stale_when_corpus_changes(both, tiny_corpus):
    _, milvus = both
    assert not milvus.is_stale(tiny_corpus)
    assert milvus.is_stale(tiny_corpus[:2])


def test_unreachable_uri_is_one_error_line(capsys):
    t0 = time.perf_counter()
    code = main(["search", "불꽃축제", "--engine", "milvus", "--uri", "http://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 2 and time.perf_counter() - t0 < 10
    assert err.count("\n") == 1 and err.startswith("error: cannot reach Milvus at http://127.0.0.1:9")
    assert "--uri index/qa.db" in err and "Traceback" not in err


def test_uri_without_db_suffix_is_refused(capsys, tmp_path):
    assert main(["search", "x", "--engine", "milvus", "--uri", str(tmp_path / "qa")]) == 2
    assert "must end in .db" in capsys.readouterr().err


def test_milvus_engine_without_uri_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("QA_MILVUS_URI", raising=False)
    assert main(["search", "x", "--engine", "milvus"]) == 2
    assert "needs a URI" in capsys.readouterr().err


class Killed(Exception):
    pass


def test_killed_build_keeps_the_old_collection_and_a_rerun_completes_it(
        tiny_corpus, fake_embedder, milvus_uri, monkeypatch):
    old = MilvusStore.build(milvus_uri, "tiny", tiny_corpus[:2], fake_embedder, OPTS)
    monkeypatch.setattr(engine, "WRITE_BATCH", 2)
    calls = {"n": 0}
    real = fake_embedder.embed_passages

    def dies_on_third_batch(texts, progress=False):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed
        return real(texts)

    monkeypatch.setattr(fake_embedder, "embed_passages", dies_on_third_batch)
    with pytest.raises(Killed):
        MilvusStore.build(milvus_uri, "tiny", tiny_corpus, fake_embedder, OPTS)
    served = MilvusStore.load(milvus_uri, "tiny")
    assert served.collection == old.collection and served.manifest["corpus_hash"] == old.manifest["corpus_hash"]

    monkeypatch.setattr(fake_embedder, "embed_passages", real)
    written = []
    monkeypatch.setattr(engine, "chunk_row", lambda c, *a, _f=engine.chunk_row: written.append(c.id) or _f(c, *a))
    new = MilvusStore.build(milvus_uri, "tiny", tiny_corpus, fake_embedder, OPTS)
    client = connect(milvus_uri)
    rows = engine.existing_rows(client, new.collection, len(new.chunks) + 10)
    assert rows == list(range(len(new.chunks)))          # every chunk once, no duplicates
    assert client.get_collection_stats(new.collection)["row_count"] == len(new.chunks)
    assert len(written) == len(new.chunks) - 4                   # two batches of two were already there
    assert serving_collection(client, collection_alias("tiny")) == new.collection
    assert client.has_collection(old.collection)                 # one generation back is kept


def test_rebuild_builds_a_fresh_collection_then_switches(tiny_corpus, fake_embedder, milvus_uri):
    first = MilvusStore.build(milvus_uri, "tiny", tiny_corpus, fake_embedder, OPTS)
    second = MilvusStore.build(milvus_uri, "tiny", tiny_corpus, fake_embedder, OPTS, rebuild=True)
    assert second.collection != first.collection
    client = connect(milvus_uri)
    assert serving_collection(client, collection_alias("tiny")) == second.collection
    assert second.lexical_search("불꽃축제", 3) == first.lexical_search("불꽃축제", 3)
    third = MilvusStore.build(milvus_uri, "tiny", tiny_corpus, fake_embedder, OPTS, rebuild=True)
    assert third.collection == first.collection                 # the two names alternate
    assert client.has_collection(second.collection)
    assert MilvusStore.load(milvus_uri, "tiny").collection == first.collection


def test_cli_build_search_json_matches_local(capsys, tmp_path, tiny_corpus, monkeypatch, milvus_uri):
    docs = tmp_path / "docs"
    docs.mkdir()
    for d in tiny_corpus:
        (docs / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
    monkeypatch.setenv("QA_INDEX_ROOT", str(tmp_path / "idx"))
    monkeypatch.setattr("qa.embedding.factory.make_embedder",
                        lambda settings: __import__("tests.conftest", fromlist=["FakeEmbedder"]).FakeEmbedder())
    out = {}
    for engine_args in ([], ["--engine", "milvus", "--uri", milvus_uri]):
        assert main(["index", "build", str(docs), "--name", "tiny", *engine_args]) == 0
        capsys.readouterr()
        assert main(["search", "불꽃축제 관람객", "--name", "tiny", "--json", *engine_args]) == 0
        out[bool(engine_args)] = capsys.readouterr().out
    assert out[True] == out[False]
    assert main(["index", "info", "--name", "tiny", "--engine", "milvus", "--uri", milvus_uri]) == 0
    assert "engine: milvus" in capsys.readouterr().out


def test_rest_api_serves_a_milvus_index(tiny_corpus, fake_embedder, milvus_uri):
    from fastapi.testclient import TestClient

    from qa.pipeline import Pipeline
    from qa.reader import RuleReader
    from qa.server import create_app
    store = MilvusStore.build(milvus_uri, "tiny", tiny_corpus, fake_embedder, OPTS)
    pipeline = Pipeline(HybridRetriever(store, fake_embedder), RuleReader(), Settings(k=3))
    with TestClient(create_app(pipeline, Settings(), ui=False, warm=False)) as client:
        health = client.get("/api/health").json()
        assert health["chunks"] == len(store.chunks) and health["documents"] == 4
        r = client.post("/api/ask", json={"question": "불꽃축제 안전요원은 몇 명?"})
        assert r.status_code == 200 and r.json()["answer"] == "300명"
