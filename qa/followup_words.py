"""The words of a follow-up question: its leading discourse marker, its content words, and the
form of a particle after a word.

    strip_markers("그럼 겸무교수는?")   -> "겸무교수는?"
    terms("에너지 분야 과제는?")        -> [("에너지", "NNG"), ("분야", "NNG"), ("과제", "NNG")]
    with_particle("문재인", "가")       -> "이"
"""
from __future__ import annotations

import re

from .korean import morphemes

MARKERS = ("그럼", "그러면", "그리고", "그렇다면", "또", "그럼요", "그 밖에", "그중", "그 중", "그 가운데", "and",
           "what about")
TERM_TAGS = {"NNG", "NNP", "SL", "SH", "SN", "NR", "XR"}
# The old question's type words: carried into a follow-up they would mislead ("수", "얼마"); naming words too.
CUE_WORDS = frozenset({"수", "얼마", "몇", "기간", "이름", "규모", "언제", "어디", "누구", "무엇", "뭐", "개", "명",
                       "한글", "영문", "정식", "명칭", "약자", "약칭", "풀네임", "본명"})
# A particle's form after a word without a final consonant -> its form after one.
_AFTER_CONSONANT = {"가": "이", "는": "은", "를": "을", "와": "과"}
_AFTER_VOWEL = {v: k for k, v in _AFTER_CONSONANT.items()}


def has_marker(q: str) -> bool:
    return strip_markers(q) != q


def strip_markers(q: str) -> str:
    """ "그럼 겸무교수는?" -> "겸무교수는?" (a leading discourse marker goes)."""
    low = q.lower()
    for m in MARKERS:
        if low.startswith(m + " ") or low.startswith(m + ","):
            return q[len(m) + 1:].strip(" ,")
    return q


def with_particle(word: str, particle: str) -> str:
    """The particle, given in its form after a vowel, in the form the word's last sound takes.

    >>> with_particle("문재인", "가"), with_particle("최기영", "는"), with_particle("NHN", "가")
    ('이', '은', '가')
    """
    last = word[-1:]
    if "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28:   # a Hangul syllable with a final consonant
        return _AFTER_CONSONANT.get(particle, particle)
    return particle


def particle_after(word: str, particle: str) -> str:
    """A particle, in either form, in the form `word` takes.

    >>> particle_after("연구소", "은"), particle_after("대학", "는")
    ('는', '은')
    """
    return with_particle(word, _AFTER_VOWEL.get(particle, particle))


def terms(text: str) -> list[tuple[str, str]]:
    """Surface content words (noun runs kept whole) with the tag of their head."""
    morphs = morphemes(text)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(morphs):
        m = morphs[i]
        if m.tag not in TERM_TAGS:
            i += 1
            continue
        j = i + 1
        while j < len(morphs) and morphs[j].start == morphs[j - 1].end and (
                morphs[j].tag in TERM_TAGS | {"XSN", "NNB"} or (morphs[j].form in "&+" and j + 1 < len(morphs))):
            j += 1   # noun runs, and "R&D", "AI+X" kept whole
        tags = {x.tag for x in morphs[i:j]}
        head = "SL" if "SL" in tags else morphs[j - 1].tag
        out.append((text[m.start:morphs[j - 1].end], head))
        i = j
    return [(f, t) for f, t in out if not re.fullmatch(r"[?!.]+", f)]
