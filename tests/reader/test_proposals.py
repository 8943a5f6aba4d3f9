"""Which of the span model's own spans the hybrid offers (qa/reader/proposals.py), through HybridReader.options."""
import pytest

from qa.conversation import Resolved
from qa.reader.hybrid import HybridReader
from qa.reader.ranker import LinearRanker
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt

CASES = "혁신사례로 SoS Lab과 티맥스소프트 등 기업이 언급됐다. SoS Lab은 GIST 학생들이 모여 창업한 스타트업이다."
CASE_HITS = [Hit(1, 1.0, Chunk(0, "c", "사례", CASES, 0, len(CASES),
                               (Span(0, CASES.index(" SoS Lab은")), Span(CASES.index("SoS Lab은"), len(CASES)))))]


@pytest.mark.parametrize("target, proposed", [
    ("티맥스소프트", False),       # listed with the name the question asks about
    ("소프트", False),              # half a word
    ("GIST 학생들", True),
])
def test_model_proposals_are_neither_siblings_of_the_asked_name_nor_half_words(target, proposed):
    q = "SoS Lab을 창업한 사람들은?"
    reader = HybridReader(RuleReader(), PointAt(target), LinearRanker({}), sentences=0, proposals=3)
    scored = [s for s in reader.rule.candidates(Resolved(q, q), CASE_HITS, {"c": Document("c", "사례", CASES)})
              if s.cand.text != target]
    options = reader.options(q, scored, reader.spans(q, scored, CASE_HITS))
    assert any(o.scored.cand.text == target and not o.features["is_rule"] for o in options) is proposed


FIELDS = "자동차의 경우 자율주행 등 4개 과제, 헬스케어의 경우 유전체 분석 등 6개 과제다. 에너지의 경우 재난대응 플랫폼이다."
_FIELD_SENTS = (Span(0, FIELDS.index(" 에너지의")), Span(FIELDS.index("에너지의"), len(FIELDS)))
FIELD_HITS = [Hit(1, 1.0, Chunk(0, "f", "분야", FIELDS, 0, len(FIELDS), _FIELD_SENTS))]


@pytest.mark.parametrize("question, target, proposed", [
    ("헬스케어 분야 과제는?", "자율주행", False),       # in 자동차's clause; 헬스케어 frames the next one
    ("헬스케어 분야 과제는?", "유전체 분석", True),
    ("에너지 분야 과제는?", "자율주행", True),          # 에너지 frames a clause of another sentence only
])
def test_model_proposals_from_a_clause_about_another_item_are_dropped(question, target, proposed):
    reader = HybridReader(RuleReader(), PointAt(target), LinearRanker({}), sentences=0, proposals=3)
    scored = [s for s in reader.rule.candidates(Resolved(question, question), FIELD_HITS,
                                                {"f": Document("f", "분야", FIELDS)}) if s.cand.text != target]
    options = reader.options(question, scored, reader.spans(question, scored, FIELD_HITS))
    assert any(o.scored.cand.text == target and not o.features["is_rule"] for o in options) is proposed


def test_model_proposals_crossing_a_sentence_end_or_about_a_listed_sibling_are_dropped():
    # "누가 세웠어?" after "SoS Lab은 어떤 회사야?": the name comes from the topic, unmarked
    doc = Document("c", "사례", CASES + " 티맥스소프트는 광주 AI기술센터를 설립했다.")
    sents = (Span(0, doc.text.index(" SoS Lab은")), Span(doc.text.index("SoS Lab은"), doc.text.index(" 티맥스소프트는")),
             Span(doc.text.index("티맥스소프트는"), len(doc.text)))
    hits = [Hit(1, 1.0, Chunk(0, "c", "사례", doc.text, 0, len(doc.text), sents))]
    resolved = Resolved("SoS Lab 누가 세웠어?", "누가 세웠어?", previous="SoS Lab은 어떤 회사야?",
                        topic="SoS Lab은 어떤 회사야?", carried=("SoS", "Lab"))

    def proposed(target):
        reader = HybridReader(RuleReader(), PointAt(target), LinearRanker({}), sentences=0, proposals=3)
        scored = [s for s in reader.rule.candidates(resolved, hits, {"c": doc}) if s.cand.text != target]
        options = reader.options(resolved.text, scored, reader.spans(resolved.text, scored, hits), None,
                                 lambda a, b: {a, b} == {"SoS Lab", "티맥스소프트"}, ("SoS Lab",))
        return any(o.scored.cand.text == target and not o.features["is_rule"] for o in options)

    assert not proposed("기업이 언급됐다. SoS Lab은 GIST")     # runs into the next sentence
    assert not proposed("티맥스소프트는 광주")                   # the sentence on the sibling
    assert proposed("GIST 학생들이 모여")
