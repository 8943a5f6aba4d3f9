"""The spans that say what kind of thing a question's subject is (qa.asked_kind: the questions).

    predicated_kind("SoS Lab은 학생들이 창업한 라이다 센서 스타트업으로 ...", span, "SoS Lab") -> 1.0

The answer is no name but the noun phrase the text predicates of the subject ("X은 ... N으로/N이다")
or sets beside it ("N인 X", "N X"). The reader types such a question a description (question.py)
and gives the span that says the kind a feature (features.py, weighted by hand in ranker.json).
"""
from __future__ import annotations

import re
from functools import lru_cache

# what may follow a noun phrase predicated of the sentence's subject: "스타트업으로", "기업이다", "기관이며",
# after a vowel "회사다", "회사며"
_PREDICATE_END = re.compile(r"(?:으로서|로서|으로|로|이다|이며|이고|이자|입니다|이었다|였다|인데|다|며)(?=[\s,.]|$)")
# a clause of another topic between the subject and the span: "X은 …했고 티맥스소프트는 … 기업이다"
_OTHER_TOPIC = re.compile(r"(?:,|고|며|지만)\s+\S+(?:은|는)\s")


@lru_cache(maxsize=256)
def _subject_pattern(subject: str) -> re.Pattern:
    """The subject as the text may write it: any spacing, any case."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in subject.replace(" ", "")), re.IGNORECASE)


def predicated_kind(sentence: str, start: int, end: int, subject: str) -> float:
    """1 when sentence[start:end] is what the sentence says the subject is: the noun phrase after
    "subject은/는" that ends the predicate ("X은 ... 스타트업으로"), or the one set before the subject
    ("스타트업 X", "스타트업인 X"); else 0.

    >>> s = "SoS Lab은 GIST 학생들이 모여 창업한 라이다 센서 스타트업으로 168억원을 유치했다."
    >>> a = s.index("라이다"); predicated_kind(s, a, a + len("라이다 센서 스타트업"), "SoS Lab")
    1.0
    >>> a = s.index("168억원"); predicated_kind(s, a, a + 5, "SoS Lab")
    0.0
    >>> s = "라이다 센서 스타트업인 SoS Lab이 투자를 받았다."; predicated_kind(s, 0, 11, "sos lab")
    1.0
    >>> s = "SoS Lab은 투자를 유치했고 티맥스소프트는 클라우드 기업이다."
    >>> a = s.index("클라우드"); predicated_kind(s, a, a + 7, "SoS Lab")
    0.0
    """
    found = list(_subject_pattern(subject).finditer(sentence))
    if not found or any(m.start() < end and start < m.end() for m in found):
        return 0.0
    after = sentence[end:]
    for m in found:
        if m.end() <= start and re.match(r"(?:은|는)\s", sentence[m.end():]) and _PREDICATE_END.match(after) \
                and not _OTHER_TOPIC.search(sentence, m.end(), start):
            return 1.0
        if m.start() >= end and re.fullmatch(r"(?:인)?\s|\s?['\"‘“]", sentence[end:m.start()]):
            return 1.0
    return 0.0
