"""The person a question names by title alone is what it asks about, not its answer.

    titled_referent("최기영 과학기술정보통신부 장관은 …", 0, 3, "장관이 광주에 뭘 당부했어?", info)   -> True

"과기정통부 장관 그분이 광주에 뭘 당부했어?" (after "과기정통부 장관 누구였어?" -> 최기영) asks what the
minister urged; the text names him "최기영 과학기술정보통신부 장관은 … 당부하고", and both readers took his
name, the word next to the question's own. Only where the question does not ask for a person.
"""
from __future__ import annotations

import re

from .candidates import TITLES
from .question import QuestionInfo

# a person asked for, however the question is typed ("장관 이름 뭐야?" reads as a description)
_ASKS_WHO = re.compile(r"이름|누구|누가|성함|성명|\bwho\b", re.IGNORECASE)
# what the titled one said, did or is like: not where or when (a place or a date may stand before a title:
# "서울에서 열린 장관 회의")
_ASKS_WHAT = re.compile(r"뭘|뭐|무엇|무슨|어떤|어떻게|왜")
_ASKED = ("description", "unknown", "item", "reason", "list")
# a name of 2-4 syllables, maybe one word between (the body: "과학기술정보통신부"), then a title
_TITLED = re.compile(r"([가-힣]{2,4})(?:\s+[^\s]+)?\s+(" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")")


def titled_referent(text: str, start: int, end: int, question: str, info: QuestionInfo) -> bool:
    """Is text[start:end] the named person (and title) whom the question calls by that title only?

    >>> from .question import analyze
    >>> s = "최기영 과학기술정보통신부 장관은 앞장서 달라고 당부했다."
    >>> q = "장관이 뭘 당부했어?"
    >>> titled_referent(s, 0, 3, q, analyze(q)), titled_referent(s, 0, 3, "장관은 누구야?", analyze("장관은 누구야?"))
    (True, False)
    """
    if info.answer_type not in _ASKED or _ASKS_WHO.search(question):
        return False
    m = _TITLED.match(text, start)
    if not m or end > m.end() or re.search(r"(?:에서|에게|에|의|을|를|로)$", m.group(1)):
        return False   # "서울에서 열린 장관 …": no name
    # the title the subject of the question, something else asked of it ("장관이 … 뭘 당부했어?"), not the
    # title asked for ("… 위원장은?", "어느 회사의 사장이었는가?")
    subject = re.search(re.escape(m.group(2)) + r"(?:\s?그분|\s?그)?(?:이|가|은|는|께서)\s(.+)", question)
    if not subject or not _ASKS_WHAT.search(subject.group(1)):
        return False
    name = m.group(1)
    return name not in question   # "최기영 장관이 말한 것은?": the question's own words, dropped anyway
