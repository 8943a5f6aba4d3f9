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
