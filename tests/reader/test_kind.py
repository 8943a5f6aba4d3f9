"""What the text says a question's subject is (qa/reader/kind.py), read by the rule reader and the hybrid."""
import pytest

from qa.chunking import chunk_document
from qa.conversation import Resolved
from qa.reader import RuleReader
from qa.reader.hybrid import HybridReader
from qa.reader.kind import predicated_kind
from qa.reader.ranker import LinearRanker
from qa.types import Document, Hit
from tests.conftest import PointAt

DOC = Document("cases", "혁신 사례", (
    "혁신사례로 SoS Lab과 티맥스소프트 등 기업이 언급됐다. "
    "SoS Lab은 GIST 학생들이 모여 창업한 자율주행 라이다 센서 스타트업으로 투자 168억원을 유치했다. "
    "티맥스소프트는 작년 3월 광주 AI기술센터를 설립했다."))
KIND = "자율주행 라이다 센서 스타트업"


@pytest.mark.parametrize("sentence, span, says", [
    ("SoS Lab은 학생들이 창업한 라이다 센서 스타트업으로 168억원을 유치했다.", "라이다 센서 스타트업", True),
    ("SoS Lab은 학생들이 창업한 라이다 센서 스타트업으로 168억원을 유치했다.", "168억원", False),
    ("라이다 센서 스타트업인 SoS Lab이 투자를 받았다.", "라이다 센서 스타트업", True),      # set beside it
    ("라이다 센서 스타트업 'SoS Lab'이 투자를 받았다.", "라이다 센서 스타트업", True),
    ("티맥스소프트는 라이다 센서 기업이다.", "라이다 센서 기업", False),                 # another subject
    ("SoS Lab과 티맥스소프트 등 기업이 언급됐다.", "티맥스소프트", False),
])
def test_predicated_kind(sentence, span, says):
    start = sentence.index(span)
    assert predicated_kind(sentence, start, start + len(span), "sos lab") == (1.0 if says else 0.0)


def _hits():
    return [Hit(1, 1.0, chunk_document(DOC, max_chars=10**6, overlap=0)[0])]


@pytest.mark.parametrize("question", ["SoS Lab은 어떤 회사야?", "SoS Lab은 뭐 하는 회사예요?"])
def test_the_rule_reader_answers_a_kind_question_with_the_whole_phrase_that_says_it(question):
    answer = RuleReader().read(question, Resolved(question, question), _hits(), {DOC.id: DOC})
    assert answer.text == KIND and DOC.text[answer.start:answer.end] == KIND


def test_the_hybrid_does_not_ask_the_model_what_kind_of_company_it_is():
    # the span model takes "어떤 회사" for a company's name; the rules' kind answers alone
    question = "SoS Lab은 어떤 회사야?"
    model = PointAt("티맥스소프트")
    reader = HybridReader(RuleReader(), model, LinearRanker({"span_logp": 10.0}), sentences=0, proposals=3)
    answer = reader.read(question, Resolved(question, question), _hits(), {DOC.id: DOC})
    assert answer.text == KIND and model.calls == 0
