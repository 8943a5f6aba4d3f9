"""Follow-up resolution (no model: Kiwi only)."""
import pytest

from qa.conversation import Conversation, is_elliptical, person_name, resolve_followup, with_particle
from qa.types import Answer


def turn(conv: Conversation, question: str, answer: str | None) -> str:
    resolved = resolve_followup(question, conv)
    conv.add(Answer(question, resolved.text, answer, 1.0, answer is None), resolved)
    return resolved.text


def test_elliptical_questions():
    assert is_elliptical("기간은?") and is_elliptical("그럼 겸무교수는?") and is_elliptical("거기 연면적은?")
    assert not is_elliptical("NHN 투자액은?")
    assert not is_elliptical("그럼 SoS Lab 고용규모는?")


def test_three_turn_dialogue_keeps_the_topic():
    conv = Conversation()
    assert turn(conv, "시립도서관 건립 비용은?", "350억원") == "시립도서관 건립 비용은?"
    second = turn(conv, "연면적은?", "1만2500㎡")
    third = turn(conv, "그럼 장서는?", "40만권")
    assert "도서관" in second and "연면적" in second
    assert "도서관" in third and "장서" in third and "연면적" not in third   # the topic, not the last turn


def test_pointer_is_replaced_by_the_previous_answer():
    conv = Conversation()
    turn(conv, "축제는 어디에서 열려?", "한강공원")
    resolved = turn(conv, "거기 주차장은 몇 곳이야?", "3곳")
    assert "한강공원" in resolved and "거기" not in resolved


def test_a_new_modifier_replaces_the_old_one():
    conv = Conversation()
    turn(conv, "자동차 분야 과제는?", "자율주행")
    resolved = turn(conv, "에너지 분야는?", "재난대응")
    assert "에너지" in resolved and "과제" in resolved and "자동차" not in resolved


def test_a_self_contained_question_starts_a_new_topic():
    conv = Conversation()
    turn(conv, "시립도서관 건립 비용은?", "350억원")
    assert turn(conv, "티맥스소프트는 언제 설립됐어?", "작년 3월") == "티맥스소프트는 언제 설립됐어?"


def test_history_from_the_api_shape():
    conv = Conversation.from_history([{"question": "NHN 투자액은?", "answer": "2100억원"}])
    assert "NHN" in resolve_followup("기간은?", conv).text
    conv.reset()
    assert conv.last is None


def test_a_bare_noun_after_a_follow_up_swaps_that_follow_ups_word():
    conv = Conversation()
    turn(conv, "축제 공연은 모두 몇 개야?", "30개")
    second = turn(conv, "그중 야외 공연은 몇 개?", "12개")
    third = turn(conv, "실내는?", "18개")
    assert "그중" not in second and "야외" in second
    assert "실내" in third and "공연" in third and "야외" not in third


@pytest.mark.parametrize("answer", ["김하늘", "김하늘 총장"])   # a title after the name does not travel
def test_who_question_hands_its_answer_to_the_follow_ups(answer):
    conv = Conversation()
    turn(conv, "개관식에서 축사를 한 사람은?", answer)
    second = turn(conv, "어떤 책을 추천했어?", "토지")
    third = turn(conv, "그가 약속한 것은?", "도서관 증축")
    assert second.startswith("김하늘 ") and "사람" not in second and "총장" not in second
    assert "김하늘이 약속한" in third and "그가" not in third and "총장" not in third   # the particle follows the name


def test_person_name_keeps_what_is_not_a_name_and_title():
    assert person_name("최기영 과학기술정보통신부 장관") == "최기영"
    assert person_name("문 대통령") == "문 대통령"          # a surname alone says too little
    assert person_name("광주 청년 AI인재들") == "광주 청년 AI인재들"   # no title at the end
    assert person_name("NHN 대표") == "NHN 대표"


def test_particles_follow_the_last_sound_of_the_word():
    assert with_particle("문재인", "가") == "이"
    assert with_particle("최기영", "는") == "은"
    assert with_particle("김하늘", "를") == "을"
    assert with_particle("NHN", "가") == "가"
    assert with_particle("박나래", "와") == "와"


def test_a_pointer_turn_becomes_the_next_topic():
    conv = Conversation()
    turn(conv, "축제는 어디에서 열려?", "한강공원")
    turn(conv, "거기 주차장 면적은?", "5000㎡")
    third = turn(conv, "몇 대를 세울 수 있어?", "200대")
    assert "한강공원" in third and "주차장" in third


def test_english_follow_up_carries_the_english_topic():
    conv = Conversation()
    assert not is_elliptical("How much will Kakao invest?")
    turn(conv, "How much will Kakao invest?", "500억원")
    resolved = turn(conv, "Over how many years?", "5년")
    assert "Kakao" in resolved and "invest" in resolved and resolved.endswith("Over how many years?")


# The documents' lists, as Pipeline.listed reads them (qa.listing)
FIELDS = "산업별 융합은 자동차·에너지·헬스케어 분야다. 대학원은 7개 글로벌 기업과 4개 연구소, 9개 해외 대학과 연구한다."


def listed(a, b):
    from qa.listing import listed_together
    return listed_together(a, b, [FIELDS])


def turn_in(conv: Conversation, question: str, answer: str | None) -> "Resolved":
    resolved = resolve_followup(question, conv, listed)
    conv.add(Answer(question, resolved.text, answer, 1.0, answer is None), resolved)
    return resolved


def test_a_bare_item_listed_with_a_topic_word_takes_its_place():
    conv = Conversation()
    turn_in(conv, "에너지 분야 과제는 몇 개야?", "4개")
    second = turn_in(conv, "헬스케어는?", "6개")
    assert second.text == "헬스케어 분야 과제는 몇 개야?" and second.repeats_ask
    assert second.previous == "에너지 분야 과제는 몇 개야?"
    third = turn_in(conv, "그럼 자동차는?", "4개")   # the swapped question is the next topic
    assert third.text == "자동차 분야 과제는 몇 개야?"


def test_the_word_before_the_swapped_item_goes_and_the_particle_follows_the_new_item():
    conv = Conversation()
    turn_in(conv, "대학원과 공동연구하는 글로벌 기업은 몇 곳이야?", "7개")
    assert turn_in(conv, "연구소는?", "4개").text == "대학원과 공동연구하는 연구소는 몇 곳이야?"
    assert turn_in(conv, "해외 대학은?", "9개").text == "대학원과 공동연구하는 해외 대학은 몇 곳이야?"


def test_without_the_documents_lists_both_items_stay():
    conv = Conversation()
    turn(conv, "에너지 분야 과제는 몇 개야?", "4개")
    resolved = turn(conv, "헬스케어는?", "6개")
    assert "에너지" in resolved and "헬스케어" in resolved


def test_a_bare_follow_up_carries_the_ask_of_the_question_before():
    conv = Conversation()
    turn(conv, "전임교원은 몇 명이야?", "12명")
    resolved = resolve_followup("그럼 학생은?", conv)
    assert resolved.repeats_ask and resolved.text.endswith("학생은 몇 명이야?")
    # a follow-up that says what it asks for asks that ("기간은?" after "투자액은?")
    conv = Conversation()
    turn(conv, "투자액은 얼마야?", "2100억원")
    resolved = resolve_followup("기간은?", conv)
    assert not resolved.repeats_ask and "얼마" not in resolved.text


def test_the_type_comes_from_the_last_turn_that_said_what_it_asked():
    from qa.reader.rule_reader import question_info
    conv = Conversation()
    turn(conv, "에너지 분야 과제는 몇 개야?", "4개")
    turn(conv, "자동차 분야는?", "4개")              # a modifier swapped: it asks the count too
    third = resolve_followup("헬스케어는?", conv)
    assert third.previous == "에너지 분야 과제는 몇 개야?"
    assert question_info(third).answer_type == "count" and third.text.endswith("헬스케어는 몇 개야?")


def test_history_from_the_api_shape_swaps_listed_items():
    conv = Conversation.from_history([{"question": "에너지 분야 과제는 몇 개야?", "answer": "4개"},
                                      {"question": "헬스케어는?", "answer": "6개"}], listed)
    assert conv.turns[-1].resolved == "헬스케어 분야 과제는 몇 개야?"
    assert resolve_followup("자동차는?", conv, listed).text == "자동차 분야 과제는 몇 개야?"


def test_a_place_pointer_takes_the_latest_place_answer_or_goes():
    conv = Conversation()
    turn(conv, "축제는 어디에서 열려?", "한강공원")
    turn(conv, "입장료는 얼마야?", "5000원")
    assert "한강공원" in turn(conv, "거기 주차장은 몇 곳이야?", "3곳")   # not 5000원, the latest answer
    conv = Conversation()
    turn(conv, "축제 입장료는 얼마야?", "5000원")
    resolved = turn(conv, "거기 주차장은 몇 곳이야?", "3곳")          # no place answered: the pointer goes
    assert "5000원" not in resolved and "거기" not in resolved and "축제" in resolved and "주차장" in resolved


def test_a_kind_asked_is_not_carried_into_the_follow_up():
    # "어떤 회사" only said what was asked: carried, 회사 would type "누가" an organization
    conv = Conversation()
    turn(conv, "SoS Lab은 어떤 회사야?", "자율주행 라이다 센서 스타트업")
    resolved = turn(conv, "누가 만들었어?", "GIST 학생들")
    assert "SoS Lab" in resolved and "회사" not in resolved


def test_a_polite_bare_follow_up_swaps_a_two_word_item_whole():
    # "해외 대학" is one item: both words are listed with 연구소, the head is swapped, its qualifier goes
    conv = Conversation()
    turn_in(conv, "대학원과 같이 연구하는 해외 대학은 몇 곳이에요?", "9개")
    second = turn_in(conv, "연구소는요?", "4개")
    assert second.text == "대학원과 같이 연구하는 연구소는 몇 곳이에요?" and second.repeats_ask
    # two listed words apart in the question are no one item: "자동차와 에너지" stay as they were
    conv = Conversation()
    turn_in(conv, "자동차와 에너지 분야 과제는 몇 개야?", "8개")
    assert "자동차와 헬스케어" not in turn_in(conv, "헬스케어는?", "6개").text


def test_a_bare_follow_up_asks_the_question_just_before_again():
    # not the count of the topic: the example the turn before asked for
    conv = Conversation()
    turn_in(conv, "에너지 분야 과제는 몇 개야?", "4개")
    turn_in(conv, "대표적인 과제는 뭐야?", "재난대응 플랫폼")
    third = turn_in(conv, "헬스케어 쪽은?", "유전체 분석")
    assert third.text.startswith("헬스케어") and third.text.endswith("대표적인 과제는 뭐야?") and "몇" not in third.text


@pytest.mark.parametrize("pointer, item", [("앞에 거는", "SoS Lab"), ("첫 번째 거는", "SoS Lab"), ("전자는", "SoS Lab"),
                                           ("뒤에 거는", "티맥스소프트"), ("후자는", "티맥스소프트")])
def test_an_ordinal_pointer_takes_that_item_of_a_coordinated_answer(pointer, item):
    conv = Conversation()
    turn(conv, "혁신사례로 나온 기업 어디어디야?", "SoS Lab과 티맥스소프트")
    resolved = resolve_followup(f"{pointer} 누가 만든 회사임?", conv)
    # the item is the new topic: the words that found the list are not carried
    assert resolved.text.startswith(item) and "혁신사례" not in resolved.text and not resolved.carried


def test_an_ordinal_pointer_after_a_single_answer_is_left_to_the_other_rules():
    conv = Conversation()
    turn(conv, "NHN 투자액은?", "2100억원")
    assert "후자" in resolve_followup("후자는 언제야?", conv).text


@pytest.mark.parametrize("question", ["삼성전자는 어디야?", "LG전자 투자액은?", "전자 분야 과제는 몇 개야?"])
def test_a_word_holding_jeonja_is_no_ordinal(question):
    from qa.conversation import _ORDINAL
    assert _ORDINAL.search(question) is None


def test_the_second_item_of_three_and_a_glued_particle():
    conv = Conversation()
    turn(conv, "협력 기업 어디어디야?", "구글, 엔비디아, 인텔")
    assert resolve_followup("두 번째 거는 어디 회사야?", conv).text.startswith("엔비디아는")
    assert resolve_followup("앞에 건 어디 회사야?", conv).text.startswith("구글은")


def test_a_number_with_a_thousands_comma_is_no_list():
    from qa.conversation import coordinated_items
    assert coordinated_items("2,100억원") == ["2,100억원"]
    assert coordinated_items("투자 결과 발표") == ["투자 결과 발표"]        # the 과 of 결과 is no conjunction
    conv = Conversation()
    turn(conv, "NHN 투자액은?", "2,100억원")
    assert "1" not in resolve_followup("앞에 거는 언제야?", conv).text.split()[0]


def test_a_bare_ordinal_asks_the_question_before_again_of_its_item():
    conv = Conversation()
    turn(conv, "혁신사례로 나온 기업 어디어디야?", "SoS Lab과 티맥스소프트")
    turn(conv, "앞에 거는 언제 설립됐어?", "5년")
    resolved = resolve_followup("후자는?", conv)
    assert resolved.text.startswith("티맥스소프트") and "설립" in resolved.text and resolved.repeats_ask
