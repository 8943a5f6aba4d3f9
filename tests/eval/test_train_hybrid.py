"""eval/train_hybrid.py: the conditional logit learns which feature marks the gold option; CV keeps articles whole."""
from __future__ import annotations


import numpy as np
import pytest

@pytest.fixture(scope="module")
def th(eval_script):
    return eval_script("train_hybrid")


def synthetic(th, n: int, seed: int = 0) -> list[tuple]:
    """Questions of 4 options; the gold one has agree ~1 while rule_rel is noise (the rule reader is wrong)."""
    rng = np.random.default_rng(seed)
    agree = th.FEATURES.index("agree")
    out = []
    for i in range(n):
        X = rng.normal(0, 1, (4, len(th.FEATURES)))
        gold = int(rng.integers(4))
        X[:, agree] = 0.1
        X[gold, agree] = 1.0
        y = np.zeros(4)
        y[gold] = 1.0
        texts = [f"o{j}" for j in range(4)]
        out.append((str(i % 7), X, y, texts, [texts[gold]]))
    return out


def test_fit_learns_the_informative_feature(th):
    gs = synthetic(th, 200)
    w = th.fit(gs)
    assert int(np.argmax(np.abs(w))) == th.FEATURES.index("agree") and w[th.FEATURES.index("agree")] > 0
    assert th.quality(gs, w) == (100.0, 100.0)
    rule_only = np.eye(len(th.FEATURES))[th.FEATURES.index("rule_rel")]
    assert th.quality(gs, rule_only)[0] < 50        # the start point is not the answer


def test_cross_validation_scores_unseen_articles(th):
    em, f = th.cross_validated(synthetic(th, 140, seed=1))
    assert em == pytest.approx(100.0) and f == pytest.approx(100.0)
    # labels that no feature explains cannot be learned: CV falls to chance
    noise = [(a, X, np.roll(y, int(a)), t, [t[int(np.argmax(np.roll(y, int(a))))]])
             for a, X, y, t, _ in synthetic(th, 140, seed=2)]
    assert th.cross_validated(noise)[0] < 60


def test_trust_stops_before_the_rule_reader_costs_a_point(th):
    from types import SimpleNamespace as N
    # 4 questions; the combiner answers all right; the rule reader is right only where it is sure.
    rule = [("g0", 0.97), ("g1", 0.92), ("bad", 0.88), ("bad", 0.5)]
    rows = [{"scored": [N(score=1.0, confidence=c, cand=N(text=t))]} for t, c in rule]
    gs = []
    for i in range(4):
        X = np.zeros((2, len(th.FEATURES)))
        X[0, th.FEATURES.index("agree")] = 1.0
        gs.append((str(i), X, np.array([1.0, 0.0]), [f"g{i}", "bad"], [f"g{i}"]))
    trust, table = th.choose_trust(rows, gs, grid=(0.95, 0.9, 0.85))
    assert trust == 0.9
    assert [t[:2] for t in table] == [(float("inf"), 0), (0.95, 1), (0.9, 2), (0.85, 3)]
