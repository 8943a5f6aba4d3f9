"""Weighted Reciprocal Rank Fusion against hand-computed lists."""
from __future__ import annotations

import pytest

from qa.fusion import rrf


def test_unweighted_rrf_matches_hand_computation():
    fused = rrf({"dense": [10, 20, 30], "lexical": [30, 10]}, k=60)
    expected = {10: 1 / 61 + 1 / 62, 20: 1 / 62, 30: 1 / 63 + 1 / 61}
    assert [d for d, _ in fused] == [10, 30, 20]
    for doc, score in fused:
        assert score == pytest.approx(expected[doc])


def test_weights_change_the_order():
    rankings = {"dense": [1, 2, 3], "lexical": [3, 1]}
    fused = rrf(rankings, {"dense": 0.3, "lexical": 0.7}, k=60)
    expected = {1: 0.3 / 61 + 0.7 / 62, 2: 0.3 / 62, 3: 0.3 / 63 + 0.7 / 61}
    assert [d for d, _ in fused] == [3, 1, 2]
    assert dict(fused) == pytest.approx(expected)
    # dense alone would put 1 first
    dense_only = rrf(rankings, {"dense": 1.0, "lexical": 0.0}, k=60)
    assert dense_only[0][0] == 1
    assert dict(dense_only)[3] == pytest.approx(1 / 63)


def test_small_k_hand_computed():
    # k=0: score = sum w / rank
    # 1: 2/1 = 2.0; 2: 2/2 + 1/1 = 2.0 (tie, both best rank 1: id order); 3: 1/2
    fused = rrf({"a": [1, 2], "b": [2, 3]}, {"a": 2.0, "b": 1.0}, k=0)
    assert fused == [(1, 2.0), (2, 2.0), (3, 0.5)]


def test_ties_break_on_best_rank_then_id():
    # k=0, equal weights: 7 = 1/1 (rank 1 in a), 3 = 1/1 (rank 1 in b), 1 = 1/2 + 1/2 (rank 2 in both)
    fused = rrf({"a": [7, 1], "b": [3, 1]}, k=0)
    assert fused == [(3, 1.0), (7, 1.0), (1, 1.0)]


def test_ties_are_independent_of_dict_and_list_order():
    a = rrf({"dense": [5, 9, 2], "lexical": [9, 5, 2]}, k=60)
    b = rrf({"lexical": [9, 5, 2], "dense": [5, 9, 2]}, k=60)
    assert a == b
    # 5 and 9 tie exactly (1/61 + 1/62 each) and share best rank 1: the smaller id wins
    assert [d for d, _ in a] == [5, 9, 2]
    assert a[0][1] == a[1][1]


def test_edge_cases():
    assert rrf({}) == []
    assert rrf({"dense": [], "lexical": []}) == []
    assert rrf({"dense": [4]}) == [(4, pytest.approx(1 / 61))]
    with pytest.raises(ValueError):
        rrf({"dense": [1]}, k=-1)


# ---- score fusion (the retriever's default) -------------------------------------

def test_score_fusion_hand_computed():
    from qa.fusion import score_fusion
    # dense scaled min..max: 1 -> 1.0, 2 -> 0.5, 3 -> 0.0; lexical with floor 0: 3 -> 1.0, 1 -> 0.25
    fused = score_fusion({"dense": [(1, 0.9), (2, 0.8), (3, 0.7)], "lexical": [(3, 8.0), (1, 2.0)]},
                         {"dense": 0.3, "lexical": 0.7}, floors={"lexical": 0.0})
    assert [d for d, _ in fused] == [3, 1, 2]
    assert dict(fused) == pytest.approx({3: 0.7, 1: 0.3 + 0.7 * 0.25, 2: 0.3 * 0.5})


def test_score_fusion_ties_and_single_scores():
    from qa.fusion import score_fusion
    # equal scores in one list all normalize to 1.0; ties break by best rank, then id
    fused = score_fusion({"a": [(9, 2.0), (4, 2.0)], "b": [(4, 1.0)]}, {"a": 1.0, "b": 1.0})
    assert fused == [(4, 2.0), (9, 1.0)]
    fused = score_fusion({"a": [(9, 1.0)], "b": [(4, 1.0)]})
    assert fused == [(4, 1.0), (9, 1.0)]
    assert score_fusion({"a": [], "b": []}) == []
