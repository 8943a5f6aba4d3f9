"""Question words set apart from what Kiwi glues them to, before a question is analysed.

    spaced_question_words("연산성능 몇페타플롭스임?")   -> "연산성능 몇 페타플롭스임?"
"""
from __future__ import annotations

import re

_GLUED_MYEOT = re.compile(r"(?<![가-힣])몇(?=[가-힣]{3,})(?!몇)")
_GLUED_ABOUT = re.compile(r"(?<![가-힣])(어디|언제|얼마|누구)(?=쯤|즈음)")


def spaced_question_words(question: str) -> str:
    """The question with its question word set apart from what Kiwi would glue it into one noun with:
    a counter of three syllables or more with what follows it ("몇페타플롭스"; Kiwi splits 몇명, 몇개 itself)
    or 쯤 ("어디쯤에", "언제쯤").

    >>> spaced_question_words("연산성능 몇페타플롭스임?"), spaced_question_words("광주 어디쯤에 생겨?")
    ('연산성능 몇 페타플롭스임?', '광주 어디 쯤에 생겨?')
    >>> spaced_question_words("몇몇 기업은?"), spaced_question_words("몇명?")
    ('몇몇 기업은?', '몇명?')
    """
    if "몇" in question:
        question = _GLUED_MYEOT.sub("몇 ", question)
    return _GLUED_ABOUT.sub(r"\1 ", question) if ("쯤" in question or "즈음" in question) else question
