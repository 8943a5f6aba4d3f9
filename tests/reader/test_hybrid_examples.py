"""The hybrid's cascade for a question that asks for an example (alone.asked_example)."""
import math

import pytest

from qa.conversation import Resolved
from qa.reader.hybrid import HybridReader
from qa.reader.ranker import LinearRanker
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt


EXAMPLES = Document("e", "협력", "AI대학원은 구글 등 7개 글로벌 기업과 막스플랑크 등 4개 연구소와 공동연구를 한다. "
                               "광주 AI데이터센터는 광주시에 들어선다.")


def test_a_question_after_an_example_takes_the_one_the_text_gives_with_deung():
    text = EXAMPLES.text
    sents = [s if s.endswith(".") else s + "." for s in text.split(". ")]
    hits = [Hit(1, 1.0, Chunk(0, "e", EXAMPLES.title, text, 0, len(text),
                              tuple(Span(text.index(s), text.index(s) + len(s)) for s in sents)))]
    combiner = LinearRanker({"rule_rel": 1.0, "agree": 100.0})
    for q, example in (("협력 연구소로 예시된 곳은 어디야?", True), ("협력 연구소의 대표적인 곳은?", True),
                       ("연구소 중엔 어디가 언급됐어?", True), ("협력 연구소는 어디야?", False)):
        scorer = PointAt("광주 AI데이터센터")
        reader = HybridReader(RuleReader(abstain_threshold=0.0), scorer, combiner, 0, 1,
                              trust=math.inf, typed_trust=math.inf)
        got = reader.read(q, Resolved(q, q), hits, {"e": EXAMPLES})
        assert (scorer.calls == 0) == example              # an example asked: the model is not asked
        if example:
            assert got.text == "막스플랑크"


@pytest.mark.parametrize("question, asks", [
    ("협력 연구소로 예시된 곳은?", True), ("예를 든 회사는?", True), ("대표 과제는 뭐야?", True),
    ("대표적인 데는 어디야?", True), ("NHN 대표는 누구야?", False), ("대표이사는?", False),
    ("SoS Lab 대표 이름이 뭐야?", False), ("대표님은?", False), ("협력 연구소는?", False),
    ("그중에 이름 나온 데는?", True), ("이름이 언급된 연구소는?", True), ("과제로 언급된 건 뭐예요?", True),
    ("혁신사례로 소개된 기업은?", True), ("언급된 과제는 몇 개야?", False), ("새로 소개된 기업은?", False),
    ("구체적으로 제시한 것은?", False), ("연구소 중엔 어디가 언급됐어?", True), ("어느 대학이 소개됐나요?", True),
    ("대통령이 언급한 법은?", False), ("언급됐어?", False)])
def test_which_questions_ask_for_an_example(question, asks):
    from qa.reader.alone import _ASKS_EXAMPLE
    assert bool(_ASKS_EXAMPLE.search(question)) == asks
