"""Korean abbreviations: a word made of syllables taken in order from a longer compound.

    >>> abbreviates("과기정통부", "과학기술정보통신부")
    True
    >>> expansions("광주과기원 AI대학원은?", ["광주과학기술원(GIST) AI대학원은 ..."])
    {'광주과기원': '광주과학기술원'}

News writes a ministry or an institute out in full once and abbreviated elsewhere, and a
user asks with either form: "과기정통부 장관 이름은?" over an article that only says
"최기영 과학기술정보통신부 장관" found no 과기정통부 and said the article does not answer.
The test is deliberately narrow (first and last syllables shared, at least three syllables,
the long form at least two longer) and only asked about question words the documents never
use, so a word that is there is never reinterpreted.
"""
from __future__ import annotations

import re
from functools import lru_cache

_HANGUL_WORD = re.compile(r"[가-힣]{3,}")
_PARTICLES = ("은", "는", "이", "가", "을", "를", "의", "와", "과", "에", "로", "도")


def abbreviates(short: str, long: str) -> bool:
    """Is `short` (3+ Hangul syllables) the first syllable of `long`, then some of its syllables
    in order, ending with its last one?

    >>> abbreviates("과기부", "과학기술정보통신부"), abbreviates("정통부", "과학기술정보통신부")
    (True, False)
    >>> abbreviates("데이터", "데이터센터")   # a part of it, not an abbreviation
    False
    """
    if len(short) < 3 or len(long) < len(short) + 2 or short[0] != long[0] or short[-1] != long[-1] or \
            short in long:
        return False
    rest = iter(long[1:-1])
    return all(ch in rest for ch in short[1:-1])   # `in` on an iterator consumes it: a subsequence test


def expansions(question: str, texts: list[str]) -> dict[str, str]:
    """Question words absent from the texts -> the compound of the texts they abbreviate (only one
    compound fits: an abbreviation that could stand for two is left alone)."""
    return dict(_expansions(question, tuple(texts)))


@lru_cache(maxsize=256)
def _expansions(question: str, texts: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # asked three times per question (absent words, names, evidence terms): cached
    words = _words(texts)
    out = {}
    for short in set(_HANGUL_WORD.findall(question)):
        if any(short in w for w in words):
            continue
        longs = {w for w in words if abbreviates(short, w)}
        if len(longs) == 1:
            out[short] = longs.pop()
    return tuple(sorted(out.items()))


@lru_cache(maxsize=64)
def _words(texts: tuple[str, ...]) -> frozenset[str]:
    """Runs of 3+ Hangul syllables in the texts, each also without one trailing particle (the
    test needs the compound's own last syllable: "과학기술정보통신부는" -> "과학기술정보통신부").

    >>> sorted(_words(("과학기술정보통신부는 AI를",)))
    ['과학기술정보통신부', '과학기술정보통신부는']
    """
    out = set()
    for w in (w for t in texts for w in _HANGUL_WORD.findall(t)):
        out.add(w)
        if w.endswith(_PARTICLES) and len(w) > 3:
            out.add(w[:-1])
    return frozenset(out)


def spelled_out(word: str, short: dict[str, str]) -> str:
    """The compound the question word `word` (or the abbreviation it is part of) stands for, given
    expansions(); else the word itself.

    >>> spelled_out("과기", {"과기정통부": "과학기술정보통신부"}), spelled_out("장관", {})
    ('과학기술정보통신부', '장관')
    """
    return next((long for s, long in short.items() if word in s), word)
