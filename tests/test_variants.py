"""Hangul words misspelled by one vowel, respelled as the documents write them (qa.variants)."""
import pytest

from qa.variants import SpellingVariants, vowel_variants

TEXT = "대통령은 착수식 영상 메시지를 통해 리더십을 강조했다. 재정 지원과 데이터센터 건립이 이어진다."


@pytest.mark.parametrize("question, respelled", [
    ("어떤 방식으로 메세지를 전했어?", "어떤 방식으로 메시지를 전했어?"),   # ㅔ for ㅣ
    ("리더쉽은?", "리더십은?"),                                           # ㅟ for ㅣ
    ("데이타센터 건립은?", "데이터센터 건립은?"),                          # ㅏ for ㅓ
])
def test_a_noun_the_documents_never_write_takes_their_spelling(question, respelled):
    assert SpellingVariants.of(TEXT).respell(question) == respelled


@pytest.mark.parametrize("question", [
    "제정 지원은?",           # two syllables: 재정/제정 are two words
    "메시지를 전했어?",       # the documents' own spelling
    "컨텐츠는 뭐야?",         # no variant the documents write (콘텐츠 is not there)
])
def test_other_words_stay(question):
    assert SpellingVariants.of(TEXT).respell(question) == question


def test_two_variants_the_documents_both_write_choose_neither():
    assert SpellingVariants.of("메시지와 매세지").respell("메세지를 보냈어?") == "메세지를 보냈어?"
    assert SpellingVariants.of("메시지와").respell("메세지를 보냈어?") == "메시지를 보냈어?"


def test_a_last_syllable_that_is_a_particle_is_not_respelled():
    assert "메시지에" not in vowel_variants("메시지이")     # 이 of 메시지이 is the particle's
    assert "행정처벌에" in vowel_variants("행정처벌애")      # 애 is no particle: a misspelt one
