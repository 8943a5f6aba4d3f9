"""Near-synonyms: question words the document says otherwise."""
from qa.chunking import chunk_document
from qa.conversation import Resolved
from qa.reader import RuleReader
from qa.reader.question import analyze
from qa.reader.thesaurus import synonyms
from qa.types import Document, Hit

CENTER = Document("center", "연구센터", (
    "한빛연구소는 연산성능 12페타플롭스의 서버를 갖췄다. 한빛연구소는 설립 3년만에 고용규모 30명을 달성했다. "
    "다솜전자는 올해 새 공장을 지었다."))


def read(question):
    hit = [Hit(1, 1.0, chunk_document(CENTER, max_chars=10**6, overlap=0)[0])]
    return RuleReader().read(question, Resolved(question, question), hit, {CENTER.id: CENTER})


def test_synonyms_cover_plurals_and_unknown_words():
    assert synonyms("직원") and "고용" in synonyms("직원들")
    assert synonyms("한빛연구소") == ()


def test_a_measure_word_said_otherwise_still_types_the_question():
    info = analyze("서버 계산 능력은 어느 정도야?")
    assert (info.answer_type, info.counter) == ("quantity", "compute")
    assert analyze("일자리 형태는?").answer_type != "count"   # a synonym lends only a measure's cue


def test_questions_worded_unlike_the_document_are_answered():
    assert read("한빛연구소 직원 수는?").text == "30명"
    assert read("한빛연구소 서버의 계산 능력은 어느 정도야?").text == "12페타플롭스"


def test_a_synonym_does_not_lend_one_company_another_companys_staff():
    # the sentence with 30명 opens on its own name: 다솜전자 is not its topic
    assert read("다솜전자 직원 수는?").abstained


def test_a_word_for_a_law_or_a_partner_said_otherwise_is_not_missing():
    from qa.reader.evidence import missing_terms
    doc = Document("law", "법", "정부는 데이터 법 제정을 서두르고, 대학과 협력해 학생 50명을 선발한다.")
    hits = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    for question in ("정부가 서두르는 법률은?", "파트너 대학은?", "신입생은 몇 명이야?", "나랏돈은 얼마야?"):
        assert missing_terms(analyze(question), hits, {doc.id: doc}, question) == []
    assert missing_terms(analyze("정부의 예산안은?"), hits, {doc.id: doc}, "정부의 예산안은?") == ["예산안"]


def test_a_first_said_otherwise_and_a_remark_are_not_missing():
    from qa.reader.evidence import missing_terms
    doc = Document("jobs", "일자리", "시장은 \"광주는 상생형 일자리를 최초로 만들었다\"고 말했다.")
    hits = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    for question in ("광주가 처음 만든 건 뭐야?", "시장이 발언한 내용은?"):
        assert missing_terms(analyze(question), hits, {doc.id: doc}, question) == []
    assert missing_terms(analyze("광주가 처음 수출한 건?"), hits, {doc.id: doc}, "광주가 처음 수출한 건?") == ["수출"]
