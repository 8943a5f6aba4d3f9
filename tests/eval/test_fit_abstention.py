"""eval/fit_abstention.py: the table counts false abstentions and near misses right; the choice prefers caution."""
import math

import pytest


@pytest.fixture(scope="module")
def fa(eval_script):
    return eval_script("fit_abstention")


class SureAbove:
    """answer_confidence() stand-in: the model's word (its margin as a confidence) counts from model_trust."""

    model_trust = math.inf

    def answer_confidence(self, rule_confidence, margin, info, hits, documents, question, unfit=False):
        return margin if margin is not None and margin >= self.model_trust else rule_confidence


def _read(fa, answerable, rule, margin, text="2100억원"):
    return fa.Read("NHN 투자액은?", None, answerable, ("2100억원",), rule, margin, text, [], {})


def test_table_counts_false_abstentions_near_misses_and_joint_em(fa):
    reads = [_read(fa, True, 0.9, None),          # the rules answer: right at every threshold
             _read(fa, True, 0.1, 0.8),           # rules abstain, the model is sure at 0.8
             _read(fa, True, 0.1, 0.8, "899억원"),  # ... and wrong
             _read(fa, False, 0.1, 0.6)]          # a near miss the model half-believes
    rows = {r["model_trust"]: r for r in fa.table(reads, SureAbove(), 0.35)}
    assert rows[None] == {"model_trust": None, "false_abstain": 66.7, "abstain_recall": 100.0,
                          "answerable_em": 33.3, "joint_em": 50.0}
    assert rows[0.8]["false_abstain"] == 0.0 and rows[0.8]["answerable_em"] == 66.7 and rows[0.8]["joint_em"] == 75.0
    assert rows[0.5]["abstain_recall"] == 0.0 and rows[0.5]["joint_em"] == 50.0


def test_choose_takes_the_highest_threshold_near_the_best(fa):
    rows = [{"model_trust": None, "joint_em": 60.0}, {"model_trust": 0.9, "joint_em": 70.0},
            {"model_trust": 0.7, "joint_em": 70.4}, {"model_trust": 0.5, "joint_em": 71.0}]
    assert fa.choose(rows)["model_trust"] == 0.5
    assert fa.choose(rows[:3])["model_trust"] == 0.9
