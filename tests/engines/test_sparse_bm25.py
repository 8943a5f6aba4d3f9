"""Sparse BM25 vectors reproduce the local engine's bm25s scores as inner products."""
from __future__ import annotations

import numpy as np

from qa.chunking import chunk_documents, dedupe
from qa.engines.sparse_bm25 import BM25Stats, chunk_tokens, doc_vector, query_vector
from qa.lexical import LexicalIndex

QUERIES = ["불꽃축제 관람객은 몇 명?", "도서관 장서", "다온전자 영업이익", "투자 계획 투자", "없는단어 질문"]


def dot(q: dict, d: dict) -> float:
    return sum(w * d.get(t, 0.0) for t, w in q.items())


def test_inner_products_equal_bm25s_scores(tiny_corpus):
    chunks = chunk_documents(dedupe(tiny_corpus)[0], 120, 1)
    texts = [c.text for c in chunks]
    local = LexicalIndex.build(texts)
    tokens = [chunk_tokens(t) for t in texts]
    stats = BM25Stats.from_tokens(tokens)
    vectors = [doc_vector(t, stats) for t in tokens]
    for q in QUERIES:
        expected = local.scores(q)
        got = np.array([dot(query_vector(q), v) for v in vectors], dtype=np.float32)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6, err_msg=q)
    assert local.scores("불꽃축제 관람객은 몇 명?").max() > 0       # the comparison is not all zeros


def test_merged_partial_stats_equal_whole_stats():
    from collections import Counter
    tokens = [["a", "b"], ["b", "c", "c"], ["a"]]
    whole = BM25Stats.from_tokens(tokens)
    parts = [(len(p), sum(map(len, p)), Counter(t for ts in p for t in set(ts))) for p in (tokens[:1], tokens[1:])]
    merged = BM25Stats.merge(parts)
    assert (merged.n, merged.avgdl, merged.df) == (whole.n, whole.avgdl, whole.df)
