"""Latin acronyms written out in Hangul letter names ("엔에이치엔" -> "nhn").

    latin_reading("엔에이치엔") -> "nhn"
    latin_reading("데이터")     -> None

Korean users often type an acronym the way it is pronounced. Only words that
split entirely into letter names, two at least and one of them a two-syllable
name (에이치, 에스, 케이 ...), are read, so ordinary words made of one-syllable
names (오디오, 비디오, 이지) stay.
"""
from __future__ import annotations

from functools import lru_cache

from .korean import morphemes   # Kiwi itself loads on first use, not at import

# Korean names of the Latin letters, longest first for greedy matching.
_LETTERS = {"더블유": "w", "에이치": "h", "에이": "a", "에프": "f", "에스": "s", "에이취": "h", "케이": "k",
            "제이": "j", "브이": "v", "엑스": "x", "와이": "y", "제트": "z", "지": "g", "비": "b", "씨": "c",
            "디": "d", "이": "e", "아이": "i", "엘": "l", "엠": "m", "엔": "n", "오": "o", "피": "p", "큐": "q",
            "알": "r", "티": "t", "유": "u", "쥐": "g"}
_BY_LENGTH = sorted(_LETTERS, key=len, reverse=True)


@lru_cache(maxsize=1024)
def latin_reading(word: str) -> str | None:
    """The acronym a Hangul word spells out letter by letter, or None."""
    out, i, long_names = [], 0, 0
    while i < len(word):
        name = next((n for n in _BY_LENGTH if word.startswith(n, i)), None)
        if name is None:
            return None
        out.append(_LETTERS[name])
        long_names += len(name) > 1
        i += len(name)
    return "".join(out) if len(out) >= 2 and long_names else None


def latinize(text: str) -> str:
    """Replace spelled-out acronyms by their Latin letters, upper-case.

    >>> latinize("엔에이치엔이 넣는 돈은?")
    'NHN이 넣는 돈은?'
    """
    out, last = [], 0
    for m in morphemes(text):
        if m.tag in ("NNP", "NNG") and (latin := latin_reading(m.form)) and text[m.start:m.end] == m.form:
            out.append(text[last:m.start])
            out.append(latin.upper())
            last = m.end
    out.append(text[last:])
    return "".join(out)
