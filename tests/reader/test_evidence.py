"""Evidence for an answer: coverage of the question's words, words the documents lack, confidence."""
import pytest

from qa.chunking import chunk_document
from qa.reader.evidence import _asks_non_past, confidence, coverage, eojeol_stems, missing_terms
from qa.reader.question import analyze
from qa.types import Document, Hit

LIBRARY = Document("library", "시립도서관 개관", "시립중앙도서관이 3일 문을 열었다. 시는 건립에 350억원을 들였다. "
                                              "김하늘 시장은 개관식에서 축사를 했다.")
HITS = [Hit(1, 1.0, chunk_document(LIBRARY, max_chars=10**6, overlap=0)[0])]


def test_coverage_weighs_terms_and_half_matches_prefixes():
    assert coverage({"투자": 1.0, "nhn": 2.0}, {"nhn", "투자", "운영"}) == 1.0
    assert coverage({"투자": 1.0, "nhn": 1.0}, {"nhn"}) == 0.5
    assert coverage({"투자액": 1.0}, {"투자"}) == pytest.approx(0.6)   # 투자액 ~ 투자
    assert coverage({}, {"nhn"}) == 0.0


@pytest.mark.parametrize("question, missing", [
    ("도서관 건립 비용은?", []),               # 비용 only names the kind of answer
    ("도서관 대표이사는 누구야?", ["대표이사"]),
    ("시장 김하늘은 누구야?", []),
    ("도서관 주차장은 몇 곳이야?", ["주차장"]),
    ("김하늘 시장의 아내는 누구야?", ["아내"]),   # a role types the question but is no mere answer form
    ("김하늘 시장의 나이는?", []),                 # an age may be given as "38세" alone
    ("도서관 매출은?", ["매출"]),                  # a kind of money, not just the form of the answer
    ("기사에서 소개된 도서관 건립 비용은?", []),   # words about the text itself, not its topic
    ("본문에 언급된 도서관 주차장은 몇 곳이야?", ["주차장"]),
    ("당시 도서관 건립 비용은?", []),             # when, as the text tells it: no topic
    ("도서관 가운데 문을 연 곳은?", []),
    ("도서관은 몇 권씩 빌려줘?", []),             # a counter after 몇, as after a number
    ("도서관 건립 비용은 수치로 얼마야?", []),     # 수치 names the form of the answer
    ("실제 도서관 건립 비용은?", []),
    ("도서관 건립비용은?", []),                     # 건립 + the type word 비용, one noun
    ("도서관 주차장비용은?", ["주차장비용"]),        # 주차장 is no word of the text: nor is the compound
])
def test_words_the_documents_never_mention(question, missing):
    assert missing_terms(analyze(question), HITS, {LIBRARY.id: LIBRARY}, question) == missing


def test_confidence_falls_with_each_missing_word_and_a_missing_name():
    full = confidence(0.9, 1.0, 1.0, 0.5, missing=0)
    assert 0.0 < confidence(0.9, 1.0, 1.0, 0.5, missing=1) == pytest.approx(full / 2)
    assert confidence(0.9, 1.0, 1.0, 0.5, missing=0, entity_gap=1.0) == 0.0
    assert 0.0 <= confidence(5.0, 5.0, 5.0, 5.0, missing=0) <= 1.0


def test_eojeol_stems_cut_particles_and_punctuation():
    assert eojeol_stems("최기영은 누구야?") == ["최기영", "누구"]


@pytest.mark.parametrize("question, non_past", [
    ("도서관은 언제 문을 열어?", True), ("도서관은 언제 열었어?", False), ("도서관을 세운 시기는?", False),
    ("언제?", False),   # no verb: the tense is unknown
])
def test_question_tense(question, non_past):
    assert _asks_non_past(question) is non_past
