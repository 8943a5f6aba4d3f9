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


def test_a_fixed_weight_stays_and_the_rest_still_fit(th):
    gs = synthetic(th, 200)
    w = th.fit(gs, fixed={"type_clash": -1.0})
    assert w[th.FEATURES.index("type_clash")] == -1.0
    assert th.quality(gs, w) == (100.0, 100.0)          # agree still carries it


def test_clash_penalty_is_the_strongest_that_costs_no_cv(th, monkeypatch):
    # CV falls 0.1 at -1, 1.0 at -2: -1 is chosen, with its own CV
    cost = {-0.5: 0.0, -1.0: 0.1, -2.0: 1.0, -4.0: 5.0}
    monkeypatch.setattr(th, "cross_validated", lambda gs, fixed: (70.0 - cost[fixed["type_clash"]], 80.0))
    assert th.choose_clash([], (70.0, 80.0)) == (-1.0, (69.9, 80.0))
    monkeypatch.setattr(th, "cross_validated", lambda gs, fixed: (60.0, 80.0))
    assert th.choose_clash([], (70.0, 80.0)) == (None, (70.0, 80.0))


def test_typed_trust_goes_as_low_as_costs_nothing(th, monkeypatch):
    from types import SimpleNamespace as N
    # The combiner answers all 4 right; the rule reader's typed-number answers are right
    # down to confidence 0.6, wrong at 0.3. trust (0.95) lets none alone.
    rule = [("g0", 0.9), ("g1", 0.7), ("g2", 0.6), ("bad", 0.3)]
    rows = [{"question": "q", "scored": [N(score=1.0, confidence=c, cand=N(text=t))]} for t, c in rule]
    gs = []
    for i in range(4):
        X = np.zeros((2, len(th.FEATURES)))
        X[0, th.FEATURES.index("agree")] = 1.0
        gs.append((str(i), X, np.array([1.0, 0.0]), [f"g{i}", "bad"], [f"g{i}"]))
    monkeypatch.setattr("qa.reader.alone.states_asked_form", lambda info, best: True)
    trust, table = th.choose_typed_trust(rows, gs, 0.95, grid=(0.8, 0.6, 0.3))
    assert trust == 0.6 and [t[:2] for t in table] == [(float("inf"), 0), (0.8, 1), (0.6, 3), (0.3, 4)]
    monkeypatch.setattr("qa.reader.alone.states_asked_form", lambda info, best: False)   # no typed answers: nothing moves
    assert th.choose_typed_trust(rows, gs, 0.95, grid=(0.8, 0.6, 0.3))[0] == 0.3


def test_kept_settings_are_the_shipped_choices_as_the_reader_reads_them(th):
    import json
    import math
    meta = json.loads((th.OUT).read_text(encoding="utf-8"))["meta"]
    kept = th.kept_settings(meta)
    assert (kept["sentences"], kept["proposals"], kept["whole_below"]) == (
        meta["sentences"], meta["proposals"], meta["whole_below"])
    assert kept["type_clash"] == meta["type_clash_fixed"]
    assert kept["recorded"] == sorted({0, meta["sentences"]})          # whole reads are recorded too
    never = th.kept_settings({**meta, "trust": None, "typed_trust": None, "whole_below": 0.0})
    assert math.isinf(never["trust"]) and math.isinf(never["typed_trust"])   # None: never alone
    assert never["recorded"] == [meta["sentences"]]                         # no whole reads to record
    # A refit that keeps the settings passes on where they were chosen, not the model it refit on.
    assert kept["source"] == meta["settings_from"]
    carried = {**meta, "settings_from": None, "fit_on_span_model_sha256": "old"}
    assert th.kept_settings(carried)["source"]["span_model_sha256"] == "old"
    assert th.kept_settings({**carried, "fit_on_span_model_sha256": None})["source"]["span_model_sha256"] == \
        meta["span_model_sha256"]


def article() -> tuple[int, dict]:
    para = {"context": "NHN은 2100억원을 투자한다.", "qas": [{"id": "q1", "question": "NHN 투자액은?",
                                                          "answers": [{"text": "2100억원", "answer_start": 5}]}]}
    return 0, {"title": "광주", "paragraphs": [para, {"context": "다른 문단이다.", "qas": []}]}


def test_reader_mode_reads_the_questions_own_paragraph(th):
    [(q, docs, hits)] = list(th.passages([article()], "reader"))
    assert q.question == "NHN 투자액은?" and [h.chunk.doc_id for h in hits] == ["0:0"] and list(docs) == ["0:0"]


def test_open_mode_reads_what_retrieval_finds_among_all_paragraphs(th, monkeypatch):
    seen = {}

    class Retriever:
        def retrieve(self, text, k):
            seen["query"], seen["k"] = text, k
            return ["hit"]

    class Pipeline:
        retriever, store = Retriever(), type("S", (), {"documents": {"0:0": "doc"}})()

    def fake_open(split, docs, settings, progress):
        seen["paragraphs"] = [d.id for d in docs]
        return Pipeline()

    monkeypatch.setattr(th, "open_pipeline", fake_open)
    [(q, docs, hits)] = list(th.passages([article()], "open"))
    assert seen["paragraphs"] == ["0:0", "0:1"] and seen["query"] == "NHN 투자액은?" and hits == ["hit"]
    assert docs == {"0:0": "doc"} and seen["k"] == th.Settings().k
