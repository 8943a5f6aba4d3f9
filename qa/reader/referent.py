"""The person a question names by title alone is what it asks about, not its answer.

    titled_referent("최기영 과학기술정보통신부 장관은 …", 0, 3, "장관이 광주에 뭘 당부했어?", info)   -> True

"과기정통부 장관 그분이 광주에 뭘 당부했어?" (after "과기정통부 장관 누구였어?" -> 최기영) asks what the
minister urged; the text names him "최기영 과학기술정보통신부 장관은 … 당부하고", and both readers took his
name, the word next to the question's own. Only where the question does not ask for a person.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .candidates import TITLES
from .question import QuestionInfo

# a person asked for, however the question is typed ("장관 이름 뭐야?" reads as a description)
_ASKS_WHO = re.compile(r"이름|누구|누가|성함|성명|\bwho\b", re.IGNORECASE)
# what the titled one said, did or is like: not where or when (a place or a date may stand before a title:
# "서울에서 열린 장관 회의")
_ASKS_WHAT = re.compile(r"뭘|뭐|무엇|무슨|어떤|어느|어떻게|왜")
_ASKED = ("description", "unknown", "item", "reason", "list", "organization")
# a name of 2-4 syllables, maybe one word between (the body: "과학기술정보통신부"), then a title
# the title, maybe pointed at ("장관 그분이"), then a subject's particle and the rest of the question
_SUBJECT_THEN = r"(?:\s?그분|\s?그)?(?:이|가|은|는|께서)\s(.+)"
_TITLED = re.compile(r"([가-힣]{2,4})(?:\s+[^\s]+)?\s+(" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")")


def titled_referent(text: str, start: int, end: int, question: str, info: QuestionInfo) -> bool:
    """Is text[start:end] the named person (and title) whom the question calls by that title only?

    >>> from .question import analyze
    >>> s = "최기영 과학기술정보통신부 장관은 앞장서 달라고 당부했다."
    >>> q = "장관이 뭘 당부했어?"
    >>> titled_referent(s, 0, 3, q, analyze(q)), titled_referent(s, 0, 3, "장관은 누구야?", analyze("장관은 누구야?"))
    (True, False)
    """
    titles = _subject_titles(question) if info.answer_type in _ASKED else frozenset()
    if not titles:
        return False   # (the question's test, once: the readers ask this for every candidate)
    m = _TITLED.match(text, start)
    if not m or end > m.end() or re.search(r"(?:에서|에게|에|의|을|를|로)$", m.group(1)):
        return False   # "서울에서 열린 장관 …": no name
    return m.group(2) in titles and m.group(1) not in question   # "최기영 장관이 말한 것은?": its own words


@lru_cache(maxsize=256)
def _subject_titles(question: str) -> frozenset[str]:
    """The titles that are the question's subject, something else asked of them ("장관이 … 뭘 당부했어?"),
    not the title asked for ("… 위원장은?", "어느 회사의 사장이었는가?"), in a question asking no person.

    >>> sorted(_subject_titles("장관이 광주에 뭘 당부했어?")), sorted(_subject_titles("장관은 누구야?"))
    (['장관'], [])
    >>> sorted(_subject_titles("발언한 장관은 어느 부처 소속이에요?"))
    ['장관']
    """
    if _ASKS_WHO.search(question):
        return frozenset()
    return frozenset(t for t in TITLES if (subject := re.search(re.escape(t) + _SUBJECT_THEN, question))
                     and _ASKS_WHAT.search(subject.group(1)))
