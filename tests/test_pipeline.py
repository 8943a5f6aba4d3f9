"""The whole pipeline over the bundled announcement with the real model."""
import pytest

from qa import Conversation

pytestmark = pytest.mark.slow


def check_offsets(pipeline, answer):
    if answer.abstained:
        return
    doc = pipeline.store.documents[answer.doc_id]
    assert doc.text[answer.start:answer.end] == answer.text
    assert doc.text[answer.sentence.start:answer.sentence.end] == answer.sentence.text


@pytest.mark.parametrize("question, expected", [
    ("NHN 투자액은?", "2100억원"),
    ("How much will NHN invest?", "2100억원"),
    ("광주 AI데이터센터의 연산성능은?", "88.5페타플롭스(PFLOPS)"),
    ("GIST AI대학원은 매년 학생 몇 명을 선발하나요?", "50명"),
    ("과학기술정보통신부 장관은 누구야?", "최기영"),
    ("GIST AI대학원 협력 글로벌 기업으로 이름이 나온 곳은?", "구글"),
    ("엔에이치엔이 데이터센터에 넣는 돈이 얼마야?", "2100억원"),     # acronym spelled in Hangul
    ("쏘스랩 직원은 몇 명이야?", "47명"),                          # a Latin name written as it sounds
    ("지스트 AI대학원 겸무교수는 몇 명이야?", "15명"),
    ("소스랩(SoS Lab)은 뭐 만드는 회사예요?", "자율주행 라이다 센서 스타트업"),   # a Hangul reading glossed
    ("GIST AI대학원 현판식 언제 했어?", "4일"),                    # not the deadline "오는 2023년까지"
    ("NHN 투자는 몇 년에 걸쳐 하는 거야?", "10년간"),               # how long: as the article writes it
    ("행사에서 발언한 장관은 어느 부처 소속이에요?", "과학기술정보통신부"),   # his body, without his name
    ("What kind of company is SoS Lab?", "자율주행 라이다 센서 스타트업"),   # the English kind question
    ("대통령이 AI 관련해서 어떤 법을 만들겠다고 했어?", "데이터기본법"),      # the noun asked after 어떤
    ("AI 역량강화 대상은 누구누구야?", "대학·재직자"),             # several things asked for
])
def test_short_cited_answers(real_pipeline, question, expected):
    answer = real_pipeline.ask(question)
    assert answer.text == expected
    check_offsets(real_pipeline, answer)


def test_a_word_misspelt_by_one_vowel_is_read_as_the_article_spells_it(real_pipeline):
    assert real_pipeline.respelled("대통령은 어떤 방식으로 메세지를 전했어?") == "대통령은 어떤 방식으로 메시지를 전했어?"


@pytest.mark.parametrize("question", ["삼성전자 투자액은?", "오늘 날씨 어때?", "NHN 대표이사는 누구야?",
                                      "GIST AI대학원 등록금은 얼마입니까?", "구글은 GIST에 얼마를 투자하나요?",
                                      "SoS Lab 라이다 센서 가격은 얼마야?"])
def test_abstains_when_the_article_does_not_say(real_pipeline, question):
    answer = real_pipeline.ask(question)
    assert answer.abstained and answer.text is None and answer.passages


@pytest.mark.parametrize("turns", [
    [("NHN 투자액은?", "2100억원"), ("기간은?", "10년간")],
    [("GIST AI대학원은 매년 몇 명을 뽑아?", "50명"), ("전임교원은?", "12명"), ("그럼 겸무교수는?", "15명")],
    [("광주 AI데이터센터 연산성능은?", "88.5페타플롭스(PFLOPS)"), ("NHN 투자액은?", "2100억원"),
     ("기간은?", "10년간")],
    [("AI 융합 R&D 과제는 모두 몇 개야?", "14개"), ("그중 헬스케어 과제는 몇 개?", "6개"), ("자동차는?", "4개")],
    [("How much will NHN invest?", "2100억원"), ("Over how many years?", "10년")],   # English: as before
    [("전임교원 몇 명 확보한대?", "12명"), ("겸무교수는요?", "15명")],      # two counts the rules cannot tell apart
    [("광주 AI 혁신사례로 나온 기업 어디어디야?", "SoS Lab과 티맥스소프트"), ("앞에 거는 누가 만든 회사임?", "GIST 학생들")],
    [("해외 대학 중엔 어디가 언급됐어?", "카네기멜런대학교"), ("연구소는?", "막스플랑크")],
])
def test_dialogues(real_pipeline, turns):
    conv = Conversation()
    for question, expected in turns:
        answer = real_pipeline.ask(question, conv)
        assert answer.text == expected, (question, answer.resolved_question)
        check_offsets(real_pipeline, answer)
    assert len(conv.turns) == len(turns)


def test_a_long_question_is_analyzed_on_its_first_characters(real_pipeline, monkeypatch):
    from qa.sanitize import MAX_ANALYZED_CHARS
    searched, read = [], []
    retrieve, reader_read = real_pipeline.retriever.retrieve, real_pipeline.reader.read
    monkeypatch.setattr(real_pipeline.retriever, "retrieve", lambda q, k: searched.append(q) or retrieve(q, k))
    monkeypatch.setattr(real_pipeline.reader, "read",
                        lambda q, resolved, hits, docs: read.append(q) or reader_read(q, resolved, hits, docs))
    question = "NHN 투자액은? " + "광주 인공지능 데이터센터 " * 150
    answer = real_pipeline.ask(question[:2000])
    assert answer.text == "2100억원"
    assert len(searched[0]) <= MAX_ANALYZED_CHARS and len(read[0]) <= MAX_ANALYZED_CHARS
    assert answer.question == read[0] and question.startswith(answer.question)
    real_pipeline.retrieve(question[:2000], 3)
    assert len(searched[1]) <= MAX_ANALYZED_CHARS


@pytest.mark.parametrize("bad", ["\ud800", "NHN \udcff 투자액", b"\xff".decode("utf-8", "surrogateescape")])
def test_python_api_refuses_text_the_analyzers_cannot_encode(real_pipeline, bad):
    from qa.errors import InputError
    with pytest.raises(InputError, match="position"):
        real_pipeline.ask(bad)
    with pytest.raises(InputError, match="position"):
        real_pipeline.retrieve(bad)
