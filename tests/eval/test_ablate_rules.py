"""eval/ablate_rules.py: a module's weights are zeroed in a copy, nothing else moves; every module maps features."""
from __future__ import annotations

import pytest

from qa.reader.ranker import LinearRanker


@pytest.fixture(scope="module")
def ab(eval_script):
    return eval_script("ablate_rules")


def test_zeroed_copies_and_keeps_the_rest(ab):
    ranker = LinearRanker({"type": 2.0, "prox": 1.0, "k=count|w=count": 0.5}, 0.25, {"trust": 0.85})
    out = ab.zeroed(ranker, ab.MODULES["answer type x candidate kind (question.py, candidates.py)"])
    assert out.weights == {"type": 0.0, "prox": 1.0, "k=count|w=count": 0.0}
    assert out.bias == 0.25 and out.meta == {"trust": 0.85}
    assert ranker.weights["type"] == 2.0   # the shipped ranker is untouched


def test_every_module_removes_some_shipped_feature(ab):
    weights = LinearRanker.load_default().weights
    for name, dropped in ab.MODULES.items():
        assert any(dropped(k) for k in weights), f"{name} names no feature of the shipped ranker"


def test_every_shipped_feature_belongs_to_a_module(ab):
    """A new ranker feature must be mapped, or the ablation silently leaves it in every row."""
    weights = LinearRanker.load_default().weights
    assert [k for k in weights if not any(d(k) for d in ab.MODULES.values())] == []
