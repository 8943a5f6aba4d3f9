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

from .followup_words import strip_markers, with_particle

_KIND_ASKED = re.compile(
    r"^(.+?)\s*(은|는|이란|란|(?<=[A-Za-z0-9)])[이가])?\s+(?:어떤|어떠한|무슨|(?:뭐|무엇을|뭘)\s?(?:하는|만드는|파는|개발하는|다루는))\s*"
    r"(회사|기업|업체|단체|기관|조직|스타트업|학교|시설|사람|인물|곳|프로그램|사업|행사|제도)"
    r"(?:이야|야|인가요|인가|예요|이에요|입니까|이지|임|이었나요|이었어|였어|인데|일까|이었지|"
    r"인지(?:\s?(?:알려\s?줘|알려\s?주세요|말해\s?줘|궁금해))?)?\s*[?.]?$")


_POINTING = frozenset({"그거", "이거", "저거", "그것", "이것", "저것", "거기", "여기", "그곳", "이곳", "그", "이", "그게", "이게"})

# "What kind of company is SoS Lab?": the English form, its noun given as the Korean one it stands for
_EN_KINDS = {"company": "회사", "firm": "회사", "business": "회사", "startup": "스타트업", "start-up": "스타트업",
             "organization": "기관", "organisation": "기관", "institution": "기관", "institute": "기관",
             "school": "학교", "facility": "시설", "person": "사람", "program": "프로그램", "programme": "프로그램",
             "project": "사업", "event": "행사"}
# the subject runs to the end or to a comma or "and" ("…, and who founded it?"); no pronoun ("is it?")
_EN_KIND_ASKED = re.compile(rf"^\s*what\s+(?:kind|type|sort)\s+of\s+({'|'.join(_EN_KINDS)})\s+(?:is|was)\s+"
                            r"(?!(?:it|this|that|they|he|she)\b)([^,?]+?)\s*(?:,|\band\b|\?|$)", re.IGNORECASE)


@lru_cache(maxsize=256)   # the ranker asks it for every phrase candidate of a description question
def kind_asked_of(question: str) -> tuple[str, str] | None:
    """(subject, the kind's noun as asked) when the question asks what kind of thing its subject is.

    >>> kind_asked_of("SoS Lab은 뭐 하는 회사예요?"), kind_asked_of("GIST는 어떤 학교야?")
    (('SoS Lab', '회사'), ('GIST', '학교'))
    >>> kind_asked_of("SoS Lab은 뭐 만드는 회사예요?"), kind_asked_of("SoS Lab 어떤 회사인지 알려줘")
    (('SoS Lab', '회사'), ('SoS Lab', '회사'))
    >>> kind_asked_of("곽영욱은 어떤 회사의 사장이었는가?"), kind_asked_of("어떤 회사가 투자해?")
    (None, None)
    >>> kind_asked_of("2100억원 투자한 건 어떤 회사야?"), kind_asked_of("그거 어떤 회사야?")
    (None, None)
    >>> kind_asked_of("What kind of company is SoS Lab?"), kind_asked_of("What kind of support does it get?")
    (('SoS Lab', '회사'), None)
    >>> kind_asked_of("What kind of company is it?"), kind_asked_of("What kind of company is SoS Lab, and who founded it?")
    (None, ('SoS Lab', '회사'))
    """
    if m := _EN_KIND_ASKED.match(question):
        return m.group(2).strip(), _EN_KINDS[m.group(1).lower()]
    m = _KIND_ASKED.search(strip_markers(question.strip()))   # "그럼 SoS Lab은 …": 그럼 is no part of it
    if not m:
        return None
    subject = m.group(1).strip()
    if m.group(2):
        return subject, m.group(3)
    # without a particle only a name: "SoS Lab 어떤 회사인지", "티맥스소프트가 어떤 회사야?"; not a clause
    # ("2100억원 투자한 건 어떤 회사야?" asks which company) nor a pronoun ("그거 어떤 회사야?")
    subject = _without_subject_particle(subject)
    if " " in subject and not re.search(r"[A-Za-z0-9)]$", subject) or subject in _POINTING:
        return None
    return subject, m.group(3)


def _without_subject_particle(subject: str) -> str:
    """"티맥스소프트가" -> "티맥스소프트", "LG이노텍이" -> "LG이노텍": 가 after a vowel, 이 after a final
    consonant, as Korean writes them; "카카오페이" keeps its 이 (페 ends in a vowel).

    >>> _without_subject_particle("티맥스소프트가"), _without_subject_particle("카카오페이")
    ('티맥스소프트', '카카오페이')
    """
    stem, last = subject[:-1], subject[-1:]
    if len(subject) >= 3 and last in ("이", "가") and "가" <= stem[-1] <= "힣" and with_particle(stem, "가") == last:
        return stem
    return subject


def english_kind_dropped(question: str) -> str:
    """An English kind question without its noun, whose Korean words are no words to find (the text says
    "스타트업" of SoS Lab, and "기업" near another name).

    >>> english_kind_dropped("What kind of company is SoS Lab?")
    'What kind of is SoS Lab?'
    """
    m = _EN_KIND_ASKED.match(question)
    return question[:m.start(1)] + question[m.end(1) + 1:] if m else question
