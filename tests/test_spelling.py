"""Hangul-spelled acronyms (pure functions, Kiwi for latinize)."""
import pytest

from qa.spelling import latin_reading, latinize


@pytest.mark.parametrize("word, latin", [
    ("엔에이치엔", "nhn"), ("에스케이", "sk"), ("아이비엠", "ibm"), ("티브이", "tv"),
    ("오디오", None), ("데이터", None), ("아이", None), ("에이스", None),
])
def test_latin_reading(word, latin):
    assert latin_reading(word) == latin


def test_latinize_keeps_the_rest_of_the_question():
    assert latinize("엔에이치엔이 넣는 돈은?") == "NHN이 넣는 돈은?"
    assert latinize("오디오 장비 가격은?") == "오디오 장비 가격은?"
