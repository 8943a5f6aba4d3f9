"""When the hybrid's answer takes the span model's confidence: a sure model of the passage it read whole,
no missing name, a pick that fits the question (qa/reader/hybrid.py, answer_confidence and unfit)."""
import math
from dataclasses import replace

import pytest

from qa.conversation import Resolved
from qa.reader.hybrid import HybridReader
from qa.reader.neural.scorer import SpanPrediction, SpanScorer
from qa.reader.ranker import LinearRanker
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt
from tests.reader.test_hybrid import DOC, HITS


class PointAtUnsure(PointAt):
    """PointAt whose windows score "no answer" as high as the span (margin 0: confidence 0.5)."""

    def predict(self, question, contexts, top=5):
        return [[replace(p, null=p.score) for p in ps] for ps in super().predict(question, contexts, top)]


@pytest.mark.parametrize("question, scorer, model_trust, answered", [
    ("민간 출자 규모는?", PointAt("2100억원"), 0.7, True),        # common nouns the text never uses: a sure model answers
    ("민간 출자 규모는?", PointAt("2100억원"), math.inf, False),  # no abstention block: the rules' evidence alone
    ("민간 출자 규모는?", PointAtUnsure("2100억원"), 0.7, False),  # the model unsure (0.5 < 0.7)
    ("카카오의 투자 금액은?", PointAt("2100억원"), 0.7, False),    # a name the documents never mention vetoes
    ("민간 출자 인력 규모는?", PointAt("2100억원"), 0.7, False),   # a sum for a count of people: unfit
])
def test_a_sure_model_may_answer_what_the_rules_abstain_on(question, scorer, model_trust, answered):
    reader = HybridReader(RuleReader(abstain_threshold=0.35), scorer, LinearRanker({"rule_rel": 1.0, "agree": 2.0}),
                          0, 0, model_trust=model_trust)
    assert reader.choose(Resolved(question, question), HITS, {"d": DOC}).rule_confidence < 0.35
    a = reader.read(question, Resolved(question, question), HITS, {"d": DOC})
    assert a.abstained is not answered
    if answered:
        assert a.text == "2100억원" and a.confidence == pytest.approx(1 / (1 + math.exp(-5.0)))


def test_a_sure_model_gives_no_measure_in_another_family_unit():
    text = "센터는 88.5페타플롭스의 연산 성능을 갖춘다."
    hits = [Hit(1, 1.0, Chunk(0, "c", "센터", text, 0, len(text), (Span(0, len(text)),)))]
    reader = HybridReader(RuleReader(abstain_threshold=0.35), PointAt("88.5페타플롭스"),
                          LinearRanker({"rule_rel": 1.0, "agree": 2.0}), 0, 0, model_trust=0.7)
    for q, answered in (("센터 전력은 얼마나 먹어?", False), ("센터 연산 성능은 얼마나 돼?", True)):
        assert reader.read(q, Resolved(q, q), hits, {"c": Document("c", "센터", text)}).abstained is not answered


def test_a_pick_from_a_sentence_about_another_topic_stands_on_its_own_evidence():
    text = "SoS Lab은 학생들이 창업한 스타트업이다. AI융복합단지는 2020~2024년 3939억원 규모로 진행된다."
    cut = text.index(" AI융")
    hits = [Hit(1, 1.0, Chunk(0, "s", "사례", text, 0, len(text), (Span(0, cut), Span(cut + 1, len(text)))))]
    reader = HybridReader(RuleReader(abstain_threshold=0.35), PointAt("2020~2024년"),
                          LinearRanker({"rule_rel": 0.1, "agree": 100.0}), 0, 0, model_trust=0.7, trust=math.inf)
    for q, answered in (("SoS Lab은 몇 년에 설립됐나요?", False), ("AI융복합단지는 언제 진행돼?", True)):
        got = reader.read(q, Resolved(q, q), hits, {"s": Document("s", "사례", text)})
        assert got.abstained is not answered


def test_model_trust_comes_from_the_combiners_abstention_block():
    combiner = LinearRanker({"rule_rel": 1.0}, 0.0, {"abstention": {"model_trust": 0.7}})
    assert HybridReader(RuleReader(), PointAt("x"), combiner).model_trust == 0.7
    assert HybridReader(RuleReader(), PointAt("x"), LinearRanker({"rule_rel": 1.0})).model_trust == math.inf
    with pytest.raises(ValueError, match="model_trust"):
        HybridReader(RuleReader(), PointAt("x"), combiner, model_trust=0.0)


class SureOfOnePassage(SpanScorer):
    """Sure of 4만6200㎡ in the passage holding it; unsure (null as high as the span) of 2100억원."""

    def predict(self, question, contexts, top=5):
        out = []
        for c in contexts:
            sure = "4만6200㎡" in c
            target = "4만6200㎡" if sure else "2100억원"
            out.append([SpanPrediction(c.index(target), c.index(target) + len(target), 5.0, 0.0 if sure else 5.0)]
                       if target in c else [])
        return out


def test_a_model_sure_of_one_passage_lends_no_sureness_to_a_pick_from_another():
    area, money = "센터 연면적은 4만6200㎡이다.", "NHN은 2100억원을 투자한다."
    docs = {"a": Document("a", "센터", area), "m": Document("m", "투자", money)}
    hits = [Hit(1, 1.0, Chunk(0, "a", "센터", area, 0, len(area), (Span(0, len(area)),))),
            Hit(2, 0.9, Chunk(0, "m", "투자", money, 0, len(money), (Span(0, len(money)),)))]
    q = "민간 출자 금액은?"
    # read whole, the pick's own passage: its margin 0 (confidence 0.5), not the top one's 5.0;
    # only the top passage read whole (as shipped), the pick's sentence read alone: no margin at all
    for passages, margin in ((2, 0.0), (1, None)):
        reader = HybridReader(RuleReader(abstain_threshold=0.35), SureOfOnePassage(),
                              LinearRanker({"rule_rel": 1.0}), 0, 0, model_trust=0.7, max_passages=passages)
        choice = reader.choose(Resolved(q, q), hits, docs)
        assert choice.best.cand.text == "2100억원" and choice.rule_confidence < 0.35
        assert choice.margin == (None if margin is None else pytest.approx(margin))
        assert reader.read(q, Resolved(q, q), hits, docs).abstained


def test_a_name_for_a_date_asked_is_unfit_for_a_sure_model():
    from qa.reader.candidates import Candidate
    from qa.reader.hybrid import Option, unfit
    from qa.reader.question import analyze
    from qa.reader.rule_reader import Scored

    def option(text, kind):
        return Option(Scored(0.0, 0.0, Candidate(0, len(text), text, kind), HITS[0], 0, text, {}),
                      {"type_clash": 1.0})
    assert unfit(option("최기영", "name"), analyze("그 장관은 언제 취임했어?"))
    assert not unfit(option("최기영", "name"), analyze("장관이 뭘 당부했어?"))    # no date asked
