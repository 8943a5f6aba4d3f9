"""Weighted Reciprocal Rank Fusion, a pure function.

    rrf({"dense": [3, 1], "lexical": [1, 2]}, {"dense": 0.3, "lexical": 0.7})
      -> [(1, ...), (2, ...), (3, ...)]

score(d) = sum_r weight_r / (k + rank_r(d)), ranks 1-based. Ties (common with
equal weights) are broken by the best single rank, then by the id, so the
result never depends on dict or set order.
"""
from __future__ import annotations


def rrf(rankings: dict[str, list[int]], weights: dict[str, float] | None = None,
        k: int = 60) -> list[tuple[int, float]]:
    """Fuse ranked id lists into [(id, score)] sorted best first.

    >>> rrf({"a": [1, 2], "b": [2, 3]}, k=0)
    [(2, 1.5), (1, 1.0), (3, 0.5)]
    """
    if k < 0:
        raise ValueError("rrf k must be >= 0")
    weights = weights or {}
    scores: dict[int, float] = {}
    best: dict[int, int] = {}
    for name, ids in rankings.items():
        w = weights.get(name, 1.0)
        for rank, doc in enumerate(ids, start=1):
            scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
            best[doc] = min(best.get(doc, rank), rank)
    return sorted(scores.items(), key=lambda item: (-item[1], best[item[0]], item[0]))


def score_fusion(results: dict[str, list[tuple[int, float]]], weights: dict[str, float] | None = None,
                 floors: dict[str, float] | None = None) -> list[tuple[int, float]]:
    """Weighted sum of normalized scores; an id a retriever missed gets 0 from it.

    Unlike RRF it keeps how far apart the scores are: two near-equal BM25
    scores stay near-equal instead of becoming ranks 1 and 2. Scores are
    scaled to [0, 1] between the list's minimum and maximum, or between a
    known floor and the maximum (BM25's floor is 0: a short candidate list
    must not stretch small differences).

    >>> score_fusion({"a": [(1, 10.0), (2, 5.0)], "b": [(2, 0.9), (3, 0.5)]})
    [(1, 1.0), (2, 1.0), (3, 0.0)]
    """
    weights = weights or {}
    fused: dict[int, float] = {}
    best: dict[int, int] = {}
    for name, pairs in results.items():
        if not pairs:
            continue
        scores = [s for _, s in pairs]
        lo, hi = min(scores), max(scores)
        if floors and name in floors:
            lo = min(lo, floors[name])
        w = weights.get(name, 1.0)
        for rank, (doc, s) in enumerate(pairs, start=1):
            norm = (s - lo) / (hi - lo) if hi > lo else 1.0
            fused[doc] = fused.get(doc, 0.0) + w * norm
            best[doc] = min(best.get(doc, rank), rank)
    return sorted(fused.items(), key=lambda item: (-item[1], best[item[0]], item[0]))
