"""Hangul words misspelled by one vowel, written as the documents spell them ("메세지" -> "메시지").

    variants = SpellingVariants.of("착수식 영상 메시지를 통해 ...")
    variants.respell("대통령은 어떤 방식으로 메세지를 전했어?")   -> "대통령은 어떤 방식으로 메시지를 전했어?"

Chat users write loanwords and names with the vowels they hear (메세지, 리더쉽, 벤쿠버, 로스엔젤레스)
while an article keeps the standard spelling; the question's word then matches nothing, and the
reader takes it for something the documents never mention. A noun of three syllables or more that
the documents never write is respelled when changing one syllable's vowel within a pair Koreans
confuse (ㅔ/ㅐ, ㅔ/ㅣ, ㅟ/ㅣ, ㅏ/ㅓ, ㅓ/ㅗ, ㅠ/ㅜ, ㅡ/ㅜ, ...) gives exactly one word the documents begin a word with.
On KorQuAD 1.0 dev and Korean TyDi train (7,399 questions, each with its own paragraph) this
respells 38 questions, 36 to the paragraph's spelling of the same word (리더쉽 -> 리더십, 원새개 ->
원세개, 도날드 -> 도널드, 힌드교 -> 힌두교); the two others take the paragraph's own misspelling
(프로젝트 -> 프로잭트), harmless to reading.
Two-syllable words are left alone: too many real words differ by one vowel (재정/제정).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .loanwords import hangul_nouns

# Medial vowels (Hangul jungseong order ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ, 0-20) written for one another.
_CONFUSED = [(1, 5), (5, 7), (1, 3), (10, 11, 15), (5, 20), (16, 20), (4, 8), (17, 13), (12, 8), (2, 0), (6, 4),
             (0, 4), (8, 13), (18, 13), (18, 4)]
_ALTERNATIVES: dict[int, tuple[int, ...]] = {
    v: tuple(sorted({x for g in _CONFUSED if v in g for x in g} - {v})) for g in _CONFUSED for v in g}
# A last syllable that is a particle is the particle's, not the word's ("뉘르부르크링이" is not "…링에").
_PARTICLES = frozenset("이가은는을를의에와과도로")
_MIN_SYLLABLES = 3
_RUN = re.compile(r"[가-힣]+")


def vowel_variants(word: str) -> list[str]:
    """Every spelling of `word` with one syllable's vowel replaced by one it is confused with.

    >>> "메시지" in vowel_variants("메세지"), "리더십" in vowel_variants("리더쉽")
    (True, True)
    >>> vowel_variants("NHN")
    []
    """
    out = []
    for i, ch in enumerate(word):
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            return []
        initial, vowel, final = code // 588, code % 588 // 28, code % 28
        if i == len(word) - 1 and ch in _PARTICLES:
            continue
        out += [word[:i] + chr(0xAC00 + initial * 588 + v * 28 + final) + word[i + 1:]
                for v in _ALTERNATIVES.get(vowel, ())]
    return out


@dataclass(frozen=True)
class SpellingVariants:
    """The documents' text and its Hangul runs, sorted, to ask "does a word of the documents begin so?"."""

    text: str
    runs: tuple[str, ...]    # Hangul runs of 3+ syllables

    @classmethod
    def of(cls, text: str) -> "SpellingVariants":
        """`text`: the documents joined (LatinNames keeps the same string: no second copy)."""
        # runs of fewer syllables than a respelled word can never begin with one
        return cls(text, tuple(sorted({r for r in _RUN.findall(text) if len(r) >= _MIN_SYLLABLES})))

    def begins_word(self, prefix: str) -> bool:
        """Does some Hangul run of the documents start with `prefix`?

        >>> SpellingVariants.of("영상 메시지를 보냈다").begins_word("메시지")
        True
        """
        i = bisect_left(self.runs, prefix)
        return i < len(self.runs) and self.runs[i].startswith(prefix)

    def respell(self, question: str) -> str:
        """`question` with each noun of 3+ syllables the documents never write replaced by its only
        vowel variant that begins a word of theirs.

        >>> SpellingVariants.of("착수식 영상 메시지를 통해").respell("어떤 방식으로 메세지를 전했어?")
        '어떤 방식으로 메시지를 전했어?'
        """
        out, last = [], 0
        for start, end in hangul_nouns(question):
            word = question[start:end]
            if len(word) < _MIN_SYLLABLES or self.begins_word(word):
                continue
            found = {v for v in vowel_variants(word) if self.begins_word(v)}
            # the full scan last, and rarely: a word may occur inside another ("영상메세지")
            if len(found) == 1 and word not in self.text:
                out += [question[last:start], found.pop()]
                last = end
        out.append(question[last:])
        return "".join(out)
