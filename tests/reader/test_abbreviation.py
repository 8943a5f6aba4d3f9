"""Abbreviations a question uses for a compound the document writes out."""
import pytest

from qa.chunking import chunk_document
from qa.conversation import Resolved
from qa.reader import RuleReader
from qa.reader.abbreviation import abbreviates, expansions
from qa.types import Document, Hit


@pytest.mark.parametrize("short, long, expected", [
    ("과기정통부", "과학기술정보통신부", True),
    ("과기부", "과학기술정보통신부", True),
    ("광주과기원", "광주과학기술원", True),
    ("정통부", "과학기술정보통신부", False),    # must start where the compound starts
    ("과기정", "과학기술정보통신부", False),    # and end where it ends
    ("데이터", "데이터센터", False),            # a part of it, not an abbreviation
    ("과기", "과학기술", False),                # two syllables are too few to tell
])
def test_abbreviates(short, long, expected):
    assert abbreviates(short, long) is expected


def test_expansions_only_for_absent_words_with_one_reading():
    texts = ["최기영 과학기술정보통신부 장관은 광주과학기술원을 찾았다."]
    assert expansions("과기정통부 장관은?", texts) == {"과기정통부": "과학기술정보통신부"}
    assert expansions("과학기술정보통신부 장관은?", texts) == {}          # written out: nothing to expand
    assert expansions("과기원 총장은?", ["과학기술원과 과학기술연구원이 있다."]) == {}   # two readings: neither


DOC = Document("minister", "장관 방문", "최기영 과학기술정보통신부 장관은 3일 광주를 찾았다. 그는 AI센터를 둘러봤다.")


@pytest.mark.parametrize("question", ["과기정통부 장관 이름은?", "과기부 장관은 누구야?"])
def test_rule_reader_answers_a_question_that_abbreviates_the_ministry(question):
    hits = [Hit(1, 1.0, chunk_document(DOC, max_chars=10**6, overlap=0)[0])]
    answer = RuleReader().read(question, Resolved(question, question), hits, {DOC.id: DOC})
    assert not answer.abstained and answer.text == "최기영"


def test_an_unrelated_ministry_still_abstains():
    question = "국토교통부 장관 이름은?"
    hits = [Hit(1, 1.0, chunk_document(DOC, max_chars=10**6, overlap=0)[0])]
    assert RuleReader().read(question, Resolved(question, question), hits, {DOC.id: DOC}).abstained
