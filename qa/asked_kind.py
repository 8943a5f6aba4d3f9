"""Questions that ask what kind of thing their subject is: "SoS Lab은 어떤 회사야?".

    kind_asked_of("SoS Lab은 뭐 하는 회사예요?")   -> ("SoS Lab", "회사")

The answer is no name of a company but what the text says the subject is ("자율주행 라이다 센서
스타트업"): the reader types such a question a description and looks for that phrase
(qa/reader/kind.py); a follow-up does not carry the kind's noun, which only said what was asked
(conversation.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .followup_words import strip_markers

_KIND_ASKED = re.compile(
    r"^(.+?)\s*(?:은|는|이란|란)\s+(?:어떤|어떠한|무슨|뭐\s?하는|무엇을\s?하는|뭘\s?하는)\s*"
    r"(회사|기업|업체|단체|기관|조직|스타트업|학교|시설|사람|인물|곳|프로그램|사업|행사|제도)"
    r"(?:이야|야|인가요|인가|예요|이에요|입니까|이지|임|이었나요|이었어|였어|인데|일까|이었지)?\s*\??$")


@lru_cache(maxsize=256)   # the ranker asks it for every phrase candidate of a description question
def kind_asked_of(question: str) -> tuple[str, str] | None:
    """(subject, the kind's noun as asked) when the question asks what kind of thing its subject is.

    >>> kind_asked_of("SoS Lab은 뭐 하는 회사예요?"), kind_asked_of("GIST는 어떤 학교야?")
    (('SoS Lab', '회사'), ('GIST', '학교'))
    >>> kind_asked_of("곽영욱은 어떤 회사의 사장이었는가?"), kind_asked_of("어떤 회사가 투자해?")
    (None, None)
    """
    m = _KIND_ASKED.search(strip_markers(question.strip()))   # "그럼 SoS Lab은 …": 그럼 is no part of it
    return (m.group(1).strip(), m.group(2)) if m else None
