"""What a text lists alongside the name a question asks about is not the answer."""
import pytest

from qa.chunking import chunk_document
from qa.conversation import Resolved
from qa.reader import RuleReader
from qa.reader.sibling import about_another_item, about_another_topic, asked_names, frame_words, in_other_frame, is_sibling, names_asked
from qa.types import Document, Hit


@pytest.mark.parametrize("question, names", [
    ("SoS Lab을 창업한 사람들은?", ("SoS Lab",)),
    ("티맥스소프트가 세운 센터는?", ("티맥스소프트",)),
    ("벤저민 해리슨 대통령이 당선된 해는?", ("벤저민 해리슨",)),   # the name part of the phrase
    ("뉘르부르크링과 함께 대회를 여는 곳은?", ()),                 # 과 함께: a companion is asked for
    ("명성황후와 더불어 비판받는 인물은?", ()),
    ("도서관은 언제 문을 열었어?", ()),                           # no name at all
    ("GIST AI대학원은 매년 몇 명을 뽑아?", ("GIST AI대학원",)),    # a noun glued to the name is part of it
    ("AI의 열기를 어디로 확산하겠다고 했나?", ()),               # "AI" alone is vocabulary
    ("SoS Lab 누가 만들었는데?", ("SoS Lab",)),                  # opening the question, its particle dropped
    ("SoS Lab 설립 연도?", ("SoS Lab",)),
    ("그럼 SoS Lab 설립 연도?", ()),                             # not opening it: maybe a modifier
])
def test_asked_names(question, names):
    assert asked_names(question) == names


@pytest.mark.parametrize("sentence, span, sibling", [
    ("SoS Lab과 티맥스소프트 등 기업이 언급됐다.", "티맥스소프트", True),
    ("티맥스소프트와 SoS Lab이 언급됐다.", "티맥스소프트", True),
    ("NHN, SoS Lab, 구글이 참여한다.", "구글", True),
    ("SoS Lab은 GIST 학생들이 창업했다.", "GIST 학생들", False),
    ("SoS Lab과 티맥스소프트 등 기업이 언급됐다.", "SoS Lab과 티맥스소프트", False),   # holds the name itself
])
def test_is_sibling(sentence, span, sibling):
    start = sentence.index(span)
    assert is_sibling(sentence, start, start + len(span), ("SoS Lab",)) is sibling


DOC = Document("cases", "혁신 사례", (
    "혁신사례로 SoS Lab과 티맥스소프트 등 기업이 언급됐다. "
    "SoS Lab은 GIST 학생들이 모여 창업한 라이다 센서 스타트업이다. "
    "티맥스소프트는 작년 3월 광주 AI기술센터를 설립했다."))


def _read(question):
    hits = [Hit(1, 1.0, chunk_document(DOC, max_chars=10**6, overlap=0)[0])]
    reader = RuleReader(abstain_threshold=0.0)
    return reader, hits, reader.candidates(Resolved(question, question), hits, {DOC.id: DOC})


def test_rule_reader_drops_the_sibling_of_the_name_asked_about():
    _, _, scored = _read("SoS Lab을 창업한 사람들은?")
    siblings = [s for s in scored if s.cand.text == "티맥스소프트" and "SoS Lab과" in s.sent_text]
    assert not siblings
    assert any(s.cand.text == "GIST 학생들" for s in scored)


def test_rule_reader_skips_a_sentence_about_another_listed_item():
    # "티맥스소프트는 작년 3월 … 설립했다" dates the other company listed with SoS Lab, not SoS Lab
    _, _, scored = _read("SoS Lab은 언제 설립됐어?")
    assert not [s for s in scored if "작년" in s.cand.text]
    _, _, scored = _read("티맥스소프트는 언제 센터를 설립했어?")
    assert any(s.cand.text == "작년 3월" for s in scored)


def test_a_companion_question_keeps_the_sibling():
    _, _, scored = _read("SoS Lab과 함께 언급된 기업은?")
    assert any(s.cand.text == "티맥스소프트" and "SoS Lab과" in s.sent_text for s in scored)


PARALLEL = "산업별 융합은 자동차의 경우 자율주행 등 4개 과제, 에너지의 경우 재난대응 플랫폼 등 4개 과제, " \
           "헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다."


@pytest.mark.parametrize("question, span, other", [
    ("에너지 분야 과제는?", "유전체 분석", True),          # in 헬스케어's clause, 에너지 frames another
    ("에너지 분야 과제는?", "재난대응 플랫폼", False),
    ("헬스케어 분야 과제는?", "자율주행", True),
    ("산업별 융합 과제는?", "유전체 분석", False),        # the question frames no clause
    ("에너지와 헬스케어 과제는?", "유전체 분석", False),   # it names that clause's item too
])
def test_in_other_frame(question, span, other):
    start = PARALLEL.index(span)
    end = start + len(span)
    assert in_other_frame(PARALLEL, start, end, frame_words(question)) is other


def test_a_span_ending_in_another_items_clause_is_in_it():
    span = "4개 과제, 헬스케어의 경우 유전체 분석"   # starts in 에너지's clause, ends in 헬스케어's
    start = PARALLEL.index("재난대응")
    end = PARALLEL.index(span) + len(span)
    assert in_other_frame(PARALLEL, start, end, frame_words("에너지 분야 과제는?"))


def test_topic_particle_frames_need_the_documents_list():
    text = "서울은 맑고, 부산은 비가 온다."
    start = text.index("비")
    assert not in_other_frame(text, start, start + 1, ["서울"])                    # topic particles are everywhere
    assert not in_other_frame(text, start, start + 1, ["서울"], lambda a, b: False)
    assert in_other_frame(text, start, start + 1, ["서울"], lambda a, b: {a, b} == {"서울", "부산"})


def test_rule_reader_drops_candidates_of_another_items_clause():
    doc = Document("fields", "산업별 융합", PARALLEL)
    hits = [Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])]
    scored = RuleReader(abstain_threshold=0.0).candidates(Resolved("에너지 분야 과제는?", "에너지 분야 과제는?"), hits,
                                                          {doc.id: doc})
    texts = {s.cand.text for s in scored}
    assert "재난대응 플랫폼" in texts and not texts & {"유전체 분석", "자율주행"}


def test_a_followup_asks_about_the_names_its_topic_lent_it():
    topic = "SoS Lab은 어떤 회사야?"
    assert names_asked("그럼 SoS Lab 누가 세웠어?", topic, ("SoS", "Lab")) == ("SoS Lab",)
    assert names_asked("그럼 SoS Lab 누가 세웠어?", topic, ("회사",)) == ()       # the name was not carried
    assert names_asked("티맥스소프트는 누가 세웠어?", topic, ("SoS", "Lab")) == ("티맥스소프트",)   # its own


@pytest.mark.parametrize("sentence, others, about", [
    ("티맥스소프트는 센터를 설립했다.", ["SoS Lab은 학생들이 창업했다."], True),
    ("SoS Lab은 학생들이 창업했다.", ["티맥스소프트는 센터를 설립했다."], False),   # the name asked
    ("티맥스소프트는 센터를 설립했다.", ["광주는 AI 도시다."], False),               # no sentence on SoS Lab
    ("구글은 센터를 설립했다.", ["SoS Lab은 학생들이 창업했다."], False),           # not listed with it
])
def test_about_another_item(sentence, others, about):
    def listed(a, b):
        return {a, b} == {"SoS Lab", "티맥스소프트"}
    assert about_another_item(sentence, others, ("SoS Lab",), listed) is about


@pytest.mark.parametrize("sentence, about", [
    ("AI융복합단지는 2020~2024년 진행된다.", True),     # a topic of its own, no SoS Lab in it
    ("그는 2020년 회사를 세웠다.", False),              # a topic pointing back: maybe SoS Lab
    ("이 회사는 2020년 세워졌다.", False),
    ("2020년 세워졌다.", False),                       # no topic: Korean drops the one it keeps
    ("티맥스소프트는 SoS Lab과 협력한다.", False),       # names SoS Lab
    ("본사는 광주에 있다.", False),                      # a common noun: SoS Lab's own, maybe
    ("2021년에는 공장을 세웠다.", False),                 # adverbials of time
    ("올해는 공장을 세웠다.", False),
])
def test_about_another_topic(sentence, about):
    assert about_another_topic(sentence, ("SoS Lab",), ["SoS Lab은 학생들이 창업했다.", sentence]) is about
    assert not about_another_topic(sentence, ("SoS Lab",), ["학생들이 SoS Lab을 창업했다."])  # no sentence about it
    assert not about_another_topic(sentence, ("카카오",), ["SoS Lab은 학생들이 창업했다."])   # not in the text
