"""Question analysis: expected answer types and counters."""
import pytest

from qa.reader.question import analyze
from qa.reader.slot import question_slot


@pytest.mark.parametrize("question, answer_type, counter", [
    ("NHN 투자액은?", "money", None),
    ("도서관 건립 비용은 얼마야?", "money", None),
    ("매년 학생 몇 명을 뽑아?", "count", "명"),
    ("직원 수는?", "count", "명"),
    ("공사 기간은?", "period", None),
    ("몇 년 동안 운영해?", "period", "년"),   # a number of years, not a date range
    ("운영 기간은 몇 년이야?", "period", "년"),   # 기간 before 몇 년: a length too
    ("몇 년에 개관했어?", "date", "년"),
    ("도서관은 얼마 동안 문을 닫았어?", "period", None),   # how long, not how much
    ("개관 얼마 만에 흑자를 냈어?", "period", None),
    ("얼마 만큼 투자해?", "money", None),
    ("도서관은 언제 개관했나요?", "date", None),
    ("장관은 누구야?", "person", None),
    ("장관 이름은?", "person", None),
    ("민간사업자는 어디야?", "organization", None),
    ("Which startup was founded by GIST students?", "organization", None),   # a name asked, not a kind
    ("On what day of the month was the ceremony held?", "date", None),
    ("발언한 장관은 어느 부처 소속이에요?", "organization", None),   # the noun of 어느, not the role before it
    ("GIST 소속 교수는 누구야?", "person", None),                   # 소속 asks a body only after 어느/어떤
    ("축제는 어디에서 열려?", "place", None),
    ("연산성능은?", "quantity", "compute"),   # the unit family: FLOPS
    ("연산성능 몇페타플롭스임?", "count", "페타플롭스"),   # Kiwi reads 몇페타플롭스 as one noun
    ("광주 어디쯤에 생기는 거예요?", "place", None),      # and 어디쯤 as one
    ("GIST의 정식 명칭은?", "item", None),
    ("티맥스소프트 AI기술센터 인력 규모는?", "count", "명"),   # how many people: 인력 says so, not 규모
    ("데이터센터 규모는?", "quantity", None),
    ("사업비 총액 알려줘", "money", None),
    ("올해 집행액은?", "money", None),
    ("그중에 이름 나온 데는?", "organization", None),       # 데: a place or a body, as 곳
    ("데이터센터 연면적은?", "quantity", "area"),
    ("How much will the city spend?", "money", None),
    ("How many students are selected?", "count", "명"),
    ("Over how many years will it run?", "period", "년"),
    ("What is the floor area of the library?", "quantity", "area"),   # ㎡, not PFLOPS
    ("What is the computing performance of the server?", "quantity", "compute"),
    ("What is the power capacity of the center in megawatts?", "quantity", "power"),
    ("How much electricity will the center use?", "quantity", "power"),      # no sum of money
    ("How many megawatts does it use?", "quantity", "power"),
    ("What is the computing power of the center?", "quantity", "compute"),
    ("센터 전력은 얼마나 먹어?", "quantity", "power"),     # 얼마나 after a measure: its unit family
    ("센터는 얼마나 커?", "quantity", None),
    ("Who is the minister?", "person", None),
    ("시장이 개관식에서 약속한 것은?", "unknown", None),   # a thing; 시장 is only its context
    ("도서관을 설계한 건 누구야?", "person", None),
    ("시가 도서관을 지은 이유는?", "reason", None),
    ("왜 축제를 열어?", "reason", None),
    ("무엇을 위해 도서관을 지었어?", "reason", None),
    ("Why was the library built?", "reason", None),
    ("도서관이 문을 연 해는?", "date", "년"),       # a year: "2019년", not "2019년 5월 3일"
    ("설립 연도는?", "date", "년"),
    ("몇 년도에 개관했어?", "date", "년"),
    ("몇 년에 개관했어?", "date", "년"),
    ("개관 날짜는?", "date", None),
    ("운항이 개시된 일자는?", "date", None),
    ("화가가 세상을 떠난 나이는?", "count", "살"),
    ("결승에서 우승한 선수는?", "person", None),
    ("시장이 제정에 속도를 내겠다고 한 조례는?", "unknown", None),   # 속도 is in the clause, not asked for
    ("도서관이 들어설 공원 이름은?", "item", None),
    # after 의 the head noun is what is asked: 때 and 거리 in the modifier are no cue
    ("축제가 처음 열렸을 때의 주최 단체는?", "unknown", None),
    ("강에서 거리를 두고 서 있는 탑의 이름은?", "item", None),
    ("당시 장관의 이름은?", "person", None),           # a name of what: the noun before 의
    ("도서관의 연면적은?", "quantity", "area"),
    ("새 서버는 예전 서버의 몇 배야?", "quantity", "ratio"),   # "3배", not the server's 10페타플롭스
    # "이름이 뭐야?" names the thing its noun before says, as "장관 이름은?" does
    ("장관 이름이 뭐야?", "person", None),
    ("시상식에서 상을 받은 인물의 이름은 무엇인가?", "person", None),
    ("기업 이름이 뭐야?", "organization", None),
    ("이름이 뭐야?", "item", None),
    ("축제는 언제부터 언제까지 열려?", "period", None),   # both bounds asked: a span of time
    ("축제는 언제부터 열려?", "date", None),
])
def test_answer_type(question, answer_type, counter):
    info = analyze(question)
    assert (info.answer_type, info.counter) == (answer_type, counter)


def test_a_follow_up_without_a_cue_inherits_the_previous_type():
    assert analyze("겸무교수는?").answer_type == "unknown"
    assert analyze("겸무교수는?", previous="전임교원은 몇 명이야?").answer_type == "count"


@pytest.mark.parametrize("question, plural", [
    ("언급된 기업들은?", True), ("역량강화 대상은 누구누구야?", True), ("활용한다는 두 가지는?", True),
    ("Which two laws were named?", True), ("NHN 투자액은?", False), ("어떤 곳들과 협력해?", True),
    ("청년들이 광주를 어떤 도시로 만들까?", False),   # the plural noun is the subject, not what is asked
    ("3대 특화분야가 뭐뭐야", True),                     # a doubled question word asks for several
])
def test_plural_questions(question, plural):
    assert analyze(question).plural is plural


@pytest.mark.parametrize("question, focus", [
    ("시장이 제정을 약속한 조례는?", "조례"),
    ("축제 주최사는 어디야?", "주최사"),
    ("축제는 어디에서 열려?", None),            # the question word is an argument, not the predicate
    ("개관식에서 말한 사람은 누구야?", None),    # too vague to look for
    ("새 도서관이 들어설 공원 이름은?", "공원"),  # the name of a park is asked for
    ("축제 이름은?", "축제"),
    ("시장은 어떤 형식으로 축하 편지를 보냈어?", "편지"),   # a kind of letter is asked for, not a kind of 형식
    ("도서관은 어떤 방식으로 운영돼?", "방식"),
])
def test_focus_noun(question, focus):
    assert question_slot(question).focus == focus


def test_a_measure_with_a_unit_family_refuses_other_numbers():
    from qa.reader.candidates import Candidate
    from qa.reader.scoring import type_score
    info = analyze("도서관 연면적은?")
    assert type_score(info, Candidate(0, 7, "1만2500㎡", "quantity")) == 1.0
    assert type_score(info, Candidate(0, 6, "350억원", "money")) < 0.2
    assert type_score(info, Candidate(0, 4, "40만권", "count")) < 0.2
    # a measure in another family's unit clashes; one in a unit no family knows only fits less
    power = analyze("센터 전력은 얼마나 먹어?")
    assert type_score(power, Candidate(0, 9, "88.5페타플롭스", "quantity")) < 0.2
    assert 0.2 < type_score(power, Candidate(0, 5, "30 cd", "quantity")) < 1.0
    assert type_score(power, Candidate(0, 5, "40MW", "quantity")) == 1.0
    assert type_score(analyze("속도는 얼마나 빨라?"), Candidate(0, 8, "시속 300km", "quantity")) > 0.2
    assert type_score(analyze("용인시의 면적은 얼마나 되나요?"), Candidate(0, 10, "591.36 km²", "quantity")) == 1.0


@pytest.mark.parametrize("question, clash", [
    ("도서관은 개관 몇 년 만에 흑자를 냈어?", True),      # how long it took: a point in time cannot say
    ("공사는 몇 개월 동안 진행됐나요?", True),
    ("공사는 얼마 만에 끝났어?", True),
    ("공사 기간은?", False),                              # a period by its name may be given by its dates
])
def test_a_length_of_time_is_no_point_in_time(question, clash):
    from qa.reader.candidates import Candidate
    from qa.reader.scoring import type_score
    info = analyze(question)
    assert type_score(info, Candidate(0, 5, "작년 3월", "date")) < 0.2 if clash else \
        type_score(info, Candidate(0, 5, "작년 3월", "date")) >= 0.2
    length = Candidate(0, 3, "8개월", "count" if info.answer_type == "count" else "period")
    assert type_score(info, length) >= 0.5


@pytest.mark.parametrize("question, has_word", [
    ("과제는 몇 개야?", True), ("그 슈퍼컴 이름은 뭔데?", True), ("대표는 누구야?", True), ("얼마나 받았어?", True),
    ("에너지 분야는?", False), ("면적은?", False),   # a cue noun only
])
def test_a_question_word_is_told_from_a_cue_noun(question, has_word):
    from qa.reader.question import has_question_word
    assert has_question_word(question) is has_word
