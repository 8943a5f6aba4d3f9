"""A document's own date: finding its dateline, telling questions about it from questions about what it reports."""
import pytest

from qa.chunking import chunk_document
from qa.conversation import Resolved
from qa.reader import RuleReader
from qa.reader.dateline import asks_document_date, dateline
from qa.reader.question import analyze
from qa.types import Document, Hit

BODY = "시립중앙도서관이 2023년 1월 2일 문을 열었다. 시는 건립에 350억원을 들였다."
DATED = Document("dated", "시립도서관 개관", "시립도서관 개관…장서 40만권\n입력 2024.03.05 09:30\n" + BODY)
UNDATED = Document("undated", "시립도서관 개관", "시립도서관 개관…장서 40만권\n" + BODY)


@pytest.mark.parametrize("text, date", [
    ("제목\n2021-02-04 21:48\n본문이다.", "2021-02-04 21:48"),
    ("제목\n입력 2024.03.05 09:30\n본문이다.", "2024.03.05 09:30"),
    ("제목\n부제\n2024년 3월 5일 오후 3시 20분\n본문이다.", "2024년 3월 5일 오후 3시 20분"),
    ("제목\nPublished: 2024/03/05\n본문이다.", "2024/03/05"),
    ("제목\n2024. 3. 5. (화) 14:20 수정\n본문이다.", "2024. 3. 5. (화) 14:20"),
])
def test_a_line_that_is_a_date_is_the_dateline(text, date):
    start, end = dateline(text)
    assert text[start:end] == date


@pytest.mark.parametrize("text", [
    BODY,                                                  # a date inside a sentence is something reported
    "\n".join(["줄"] * 8 + ["2024-03-05"]),                 # below the head of the document
    "제목\n2024-03-05 행사 일정\n본문이다.",                  # a line that goes on after its date
])
def test_no_dateline(text):
    assert dateline(text) is None


@pytest.mark.parametrize("question, asks", [
    ("이 기사는 언제 게재됐습니까?", True),
    ("이 기사 언제 올라온 거야?", True),
    ("기사 작성일은?", True),
    ("이 보도는 며칠에 나왔어?", True),
    ("When was this article published?", True),
    ("What is the date of this article?", True),
    ("When did the article say the library opened?", False),
    ("기사에 나온 도서관은 언제 문을 열었어?", False),   # asks about what the article reports
    ("도서관은 언제 열었어?", False),
    ("기사 내용은?", False),
])
def test_questions_about_the_document_date(question, asks):
    assert asks_document_date(analyze(question)) is asks


def read(question, doc):
    hits = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    return RuleReader().read(question, Resolved(question, question), hits, {doc.id: doc})


def test_the_reader_answers_with_the_dateline_and_cites_its_line():
    answer = read("이 기사 언제 올라온 거야?", DATED)
    assert answer.text == "2024.03.05 09:30" and not answer.abstained
    assert DATED.text[answer.start:answer.end] == answer.text
    assert answer.sentence.text == "입력 2024.03.05 09:30"
    assert DATED.text[answer.sentence.start:answer.sentence.end] == answer.sentence.text


def test_without_a_dateline_a_date_the_document_reports_is_not_its_own():
    answer = read("이 기사 언제 올라온 거야?", UNDATED)
    assert answer.abstained and answer.text is None
    assert read("도서관은 언제 문을 열었어?", UNDATED).text == "2023년 1월 2일"
