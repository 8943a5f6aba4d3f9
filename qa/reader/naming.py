"""Questions that ask for another name of a thing: "GIST의 한글 이름은?", "What does GIST stand for?".

    name_asked_of("GIST 한국어 정식 명칭이 뭐예요?")   -> "GIST"
    naming_words("GIST 한국어 정식 명칭이 뭐예요?")    -> {"한국어", "정식", "명칭"}

The reader reads such a question from the sentence that defines the alias (aliases.py); the words that
say which name is asked are no words the documents must hold (question.py).
"""
from __future__ import annotations

import re

from ..korean import content_tokens

# "GIST의 한글 이름은?", "광주과학기술원의 영문 약자는?", "What does GIST stand for?":
# asks for the other name of the thing named just before the naming noun.
_NAMING_KO = re.compile(r"(\S+?)(?:의|은|는)?\s+(?:(?:한글|영문|정식|공식|우리말|한국어|영어)\s*){0,2}"
                        r"(?:이름|명칭|약자|약칭|풀네임|본명)(?:은|이|는|이야|이에요|입니까|인가요)?"
                        r"\s*(?:(?:뭐|무엇|어떻게)\S*)?\s*\??$")
# the words of a naming question that say which of a thing's names is asked (이름 itself stays a term:
# "선수의 이름은?" asks for a name of something else)
_NAMING_WORDS = frozenset({"한글", "영문", "정식", "공식", "우리말", "한국어", "영어", "명칭", "약자", "약칭", "풀네임", "본명"})
_NAMING_IN = re.compile(r"^(\S+?)(?:를|을|은|는|의)?\s+(?:우리말|한글|한국어|영어|영문)로\s")   # "GIST를 우리말로 풀면?"
_NAMING_EN = re.compile(r"\bdoes (.+?) stand for\b|\b(?:full|official|korean|english) name of (?:the )?(.+?)\s*\?*$",
                        re.IGNORECASE)


def name_asked_of(question: str) -> str | None:
    """The thing whose other name the question asks for, as typed; None for other questions.

    >>> name_asked_of("GIST의 한글 이름은?"), name_asked_of("What does GIST stand for?")
    ('GIST', 'GIST')
    >>> name_asked_of("GIST 학생들이 세운 스타트업 이름이 뭐야?"), name_asked_of("GIST는 몇 명을 뽑아?")
    ('스타트업', None)
    """
    q = question.strip()
    m = _NAMING_KO.search(q) or _NAMING_IN.search(q) or _NAMING_EN.search(q)
    if not m:
        return None
    return next(g for g in m.groups() if g)


def naming_words(question: str) -> frozenset[str]:
    """The words of a naming question after its subject that only say which name is asked (empty for
    other questions): "한국어 교육 과정의 정식 명칭은?" keeps 한국어, a word of what is named.

    >>> sorted(naming_words("GIST 한국어 정식 명칭이 뭐예요?")), sorted(naming_words("한국어 교육 과정의 정식 명칭은?"))
    (['명칭', '정식', '한국어'], ['명칭', '정식'])
    >>> naming_words("NHN 투자액은?")
    frozenset()
    """
    q = question.strip()
    m = _NAMING_KO.search(q) or _NAMING_IN.search(q)
    if not m:
        return frozenset()
    return frozenset(content_tokens(q[m.end(1):])) & _NAMING_WORDS
