"""Follow-up resolution (no model: Kiwi only)."""
from qa.conversation import Conversation, is_elliptical, resolve_followup
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
