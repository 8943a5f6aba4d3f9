"""The person a question calls by title is what it asks about, not its answer (qa/reader/referent.py)."""
import pytest

from qa.conversation import Resolved
from qa.reader.hybrid import HybridReader
from qa.reader.question import analyze
from qa.reader.ranker import LinearRanker
from qa.reader.referent import titled_referent
from qa.reader.rule_reader import RuleReader
from qa.types import Chunk, Document, Hit, Span
from tests.conftest import PointAt

TEXT = '최기영 과학기술정보통신부 장관은 "광주가 사람중심 AI구현에 앞장서 달라"고 당부했다.'
DOC = Document("m", "장관", TEXT)
HITS = [Hit(1, 1.0, Chunk(0, "m", "장관", TEXT, 0, len(TEXT), (Span(0, len(TEXT)),)))]


@pytest.mark.parametrize("question, span, referent", [
    ("장관이 광주에 뭘 당부했어?", "최기영", True),
    ("장관이 광주에 뭘 당부했어?", "최기영 과학기술정보통신부 장관", True),
    ("장관이 광주에 뭘 당부했어?", "사람중심 AI구현", False),
    ("장관은 누구야?", "최기영", False),                  # a person asked: the name is the answer
    ("과학기술정보통신부 장관 이름은?", "최기영", False),
    ("과학기술정보통신부 장관 이름 뭐야?", "최기영", False),   # typed a description, yet a name asked
    ("대통령이 광주에 뭘 당부했어?", "최기영", False),      # another title: someone else asked about
    ("과기정통부 장관 그분이 광주에 뭘 당부했어?", "최기영", True),
    ("당부한 장관은?", "최기영", False),                   # the titled one asked for
    ("최기영은 어느 부처의 장관이었어?", "과학기술정보통신부", False),
    ("발언한 장관은 어느 부처 소속이에요?", "최기영 과학기술정보통신부", True),   # his body asked, not him
    ("발언한 장관은 어느 부처 소속이에요?", "과학기술정보통신부", False),
])
def test_titled_referent(question, span, referent):
    start = TEXT.index(span)
    assert titled_referent(TEXT, start, start + len(span), question, analyze(question)) is referent


def test_neither_reader_answers_with_the_titled_person_asked_about():
    q = "장관이 광주에 뭘 당부했어?"
    scored = RuleReader(abstain_threshold=0.0).candidates(Resolved(q, q), HITS, {"m": DOC})
    assert scored and not [s for s in scored if s.cand.text.startswith("최기영")]
    reader = HybridReader(RuleReader(), PointAt("최기영"), LinearRanker({}), sentences=0, proposals=3)
    options = reader.options(q, scored, reader.spans(q, scored, HITS), analyze(q))
    assert options and not [o for o in options if o.scored.cand.text.startswith("최기영")]
    # asked who the minister is, both keep him
    who = "장관은 누구야?"
    assert any(s.cand.text == "최기영" for s in RuleReader().candidates(Resolved(who, who), HITS, {"m": DOC}))


@pytest.mark.parametrize("text, span, question", [
    ("서울에서 열린 장관 회의에서 그는 연설했다.", "서울에서", "장관이 어디서 뭘 연설했어?"),   # a place before a title
    ("올해 취임한 시장은 공약을 밝혔다.", "올해", "시장이 언제 취임했어?"),                   # a date: not asked here
])
def test_no_place_or_date_is_taken_for_the_titled_person(text, span, question):
    start = text.index(span)
    assert not titled_referent(text, start, start + len(span), question, analyze(question))
