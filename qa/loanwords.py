"""Latin names of the documents written the way they sound in Hangul ("쏘스랩" -> "SoS Lab").

    names = LatinNames.of(["SoS Lab은 GIST 학생들이 창업했다."])
    names.respell("쏘스랩은 누가 세웠어?")   -> "SoS Lab은 누가 세웠어?"
    names.respell("지스트 겸무교수는?")     -> "GIST 겸무교수는?"

Korean users type brand and institute names as they pronounce them (쏘스랩, 지스트, 아몰레드) while a
Korean article keeps them in Latin letters; the question's word then matches nothing the documents
hold. A Hangul noun is read as a Latin name when both reduce to the same skeleton: the vowels (ㅡ,
which Hangul adds to a lone consonant, dropped; a silent final e dropped) and the consonants by sound
class (ㅂ/ㅍ ~ b p f v, ㄹ ~ l r, ㅅ ~ s, ...), with three consonant sounds at least; only one name of the
documents may have it, and the documents must never write the Hangul word itself. A name read letter
by letter or with a letter's name in it is missed (엔비디아 ~ NVIDIA: "엔" is the name of N).
Letter-name acronyms ("엔에이치엔") are spelling.latinize's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# sound classes of the initial consonants ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ (ㅇ: none)
_INITIAL = ["K", "K", "N", "T", "T", "L", "M", "P", "P", "S", "S", "", "J", "J", "J", "K", "T", "P", "H"]
# final consonants, index 0 = none: ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ
_FINAL = ["", "K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "P", "L", "L", "P", "L", "M", "P", "P", "T",
          "T", "N", "T", "T", "K", "T", "P", ""]
# Latin letters (and digraphs, tried first) to the same classes; vowels, w, y: none
_DIGRAPHS = {"ph": "P", "th": "T", "sh": "S", "ch": "J", "ck": "K", "ng": "N", "qu": "K"}
_LETTERS = {"b": "P", "p": "P", "f": "P", "v": "P", "d": "T", "t": "T", "k": "K", "q": "K", "x": "KS",
            "s": "S", "z": "J", "j": "J", "l": "L", "r": "L", "m": "M", "n": "N", "h": "H"}
# the vowel classes of ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ (ㅡ: none, the vowel Hangul adds)
_VOWELS = ["a", "a", "a", "a", "o", "e", "o", "e", "o", "a", "e", "e", "o", "u", "o", "e", "i", "u", "", "i", "i"]
_LATIN_VOWELS = {"oo": "u", "ee": "i", "ea": "i", "ai": "e", "ay": "e", "a": "a", "e": "e", "i": "i", "o": "o",
                 "u": "u", "y": "i"}
_LATIN_VOWEL = re.compile(r"oo|ee|ea|ai|ay|[aeiou]|(?<=[^aeiou])y")
_MIN_SOUNDS = 3
_MARKS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"}   # Kiwi's punctuation tags
# a Latin name as the documents write it: up to 3 capitalized words ("SoS Lab", "GIST"); not inside a
# web or mail address, a path or a longer run of Latin words
_NAME = re.compile(r"(?<![A-Za-z0-9&+@./:_-])[A-Z][A-Za-z]{2,}(?: [A-Z][A-Za-z]{2,}){0,2}(?![A-Za-z0-9&+@./:_-])")
_MAX_VARIANTS = 8    # c and g before e/i/y read both ways: at most 3 such letters double the skeletons
_WORD = re.compile(r"[가-힣]+")
_GLOSSED = re.compile(r"(?<![가-힣])([가-힣]+)\s?\(\s?([A-Za-z][A-Za-z ]*?)\s?\)")


def _collapse(sounds: str) -> str:
    """Adjacent repeats as one: "SSLP" -> "SLP" (쏘스랩 and SoS Lab both)."""
    return re.sub(r"(.)\1+", r"\1", sounds)


def hangul_skeleton(word: str) -> str:
    """The vowels of a Hangul word (ㅡ, the vowel Hangul adds to a lone consonant, dropped) and its
    consonant sounds.

    >>> hangul_skeleton("쏘스랩"), hangul_skeleton("지스트"), hangul_skeleton("아몰레드")
    ('oa:SLP', 'i:JST', 'aoe:MLT')
    """
    out, vowels = [], []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        out.append(_INITIAL[code // 588] + _FINAL[code % 28])
        vowels.append(_VOWELS[code // 28 % 21])
    return f"{''.join(vowels)}:{_collapse(''.join(out))}"


def latin_skeletons(name: str) -> set[str]:
    """The vowels and consonant sounds of a Latin name (a silent final e dropped); c and g before e/i/y
    are read both ways (GIST ~ 지스트).

    >>> sorted(latin_skeletons("SoS Lab")), sorted(latin_skeletons("GIST")), sorted(latin_skeletons("Google"))
    (['oa:SLP'], ['i:JST', 'i:KST'], ['u:KL'])
    """
    word = name.lower().replace(" ", "")
    vowel = "".join(_LATIN_VOWELS[v] for v in _LATIN_VOWEL.findall(re.sub(r"(?<=[^aeiou])e$", "", word)))
    outs = [""]
    i = 0
    while i < len(word):
        two = word[i:i + 2]
        if two in _DIGRAPHS:
            outs, i = [o + _DIGRAPHS[two] for o in outs], i + 2
            continue
        ch, soft = word[i], word[i + 1:i + 2] in ("e", "i", "y")
        if ch in "cg":
            other = ("S" if ch == "c" else "J") if soft and len(outs) < _MAX_VARIANTS else None
            outs = [o + "K" for o in outs] + ([o + other for o in outs] if other else [])
        else:
            outs = [o + _LETTERS.get(ch, "") for o in outs]
        i += 1
    return {f"{vowel}:{_collapse(o)}" for o in outs}


def _one_name(names: set[str]) -> str | None:
    """The name a skeleton stands for: the shortest, when every other one is it in other letter case or
    only adds words to it ("GIST" of "GIST" and "GIST AI": AI has no consonant); None when two differ
    ("SoS Lab" ~ "Sos Lap").

    >>> _one_name({"GIST", "GIST AI", "Gist"}), _one_name({"SoS Lab", "Sos Lap"})
    ('GIST', None)
    """
    short = min(names, key=lambda n: (len(n), n))
    return short if all(n.lower() == short.lower() or n.startswith(short + " ") for n in names) else None


@dataclass(frozen=True)
class LatinNames:
    """The documents' Latin names by skeleton (a skeleton two names share maps to none), and their text."""

    by_skeleton: dict[str, str]
    text: str

    @classmethod
    def of(cls, texts) -> "LatinNames":
        """The names of `texts` (an iterable of document texts)."""
        texts = list(texts)
        found: dict[str, set[str]] = {}
        for text in texts:
            for m in _NAME.finditer(text):
                for name in {m.group(), *m.group().split(" ")}:
                    for sk in latin_skeletons(name):
                        if len(sk.split(":")[1]) >= _MIN_SOUNDS:
                            found.setdefault(sk, set()).add(name)
        return cls({sk: one for sk, names in found.items() if (one := _one_name(names))}, "\n".join(texts))

    def respell(self, question: str) -> str:
        """`question` with each Hangul noun that sounds like one of the names written as that name.

        A Hangul word glossed by that name in brackets ("소스랩(SoS Lab)은") is dropped for it ("SoS Lab은").
        A noun is a word's run of Kiwi nouns before its particle, if any ("쏘스랩은" -> 쏘스 랩 + 은:
        "SoS Lab은"); a word that holds a verb, a pronoun or an ending ("누구인가요") is none.
        """
        if not self.by_skeleton:
            return question
        out, last = [], 0
        for start, end in hangul_nouns(question):
            word = question[start:end]
            name = self.by_skeleton.get(hangul_skeleton(word))
            if name and name not in question and word not in self.text:
                out += [question[last:start], name]
                last = end
        out.append(question[last:])
        return self._unglossed("".join(out))

    def _unglossed(self, question: str) -> str:
        """"소스랩(SoS Lab)은" -> "SoS Lab은": a Hangul word glossed in brackets by a name it sounds like
        is that name; the Hangul word (a word the documents never write) goes."""
        def one(m: re.Match) -> str:
            word, name = m.group(1), m.group(2)
            same = self.by_skeleton.get(hangul_skeleton(word)) == name and word not in self.text
            return name if same else m.group()
        return _GLOSSED.sub(one, question)


def hangul_nouns(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word's leading run of Hangul nouns that only a particle may follow.

    >>> hangul_nouns("쏘스랩은 누구인가요?"), hangul_nouns("지스트는?")
    ([(0, 3)], [(0, 3)])
    """
    from .korean import morphemes   # Kiwi loads on first use, not at import
    words: dict[int, list] = {}
    for m in morphemes(text):
        words.setdefault(text.rfind(" ", 0, m.start) + 1, []).append(m)
    out = []
    for first, ms in words.items():
        k = 0
        while k < len(ms) and ms[k].tag in ("NNG", "NNP") and _WORD.fullmatch(text[ms[k].start:ms[k].end]) \
                and ms[k].start == (ms[k - 1].end if k else first):
            k += 1
        if k and all(m.tag.startswith("J") or m.tag in _MARKS for m in ms[k:]) and \
                (k == len(ms) or ms[k].start == ms[k - 1].end):
            out.append((first, ms[k - 1].end))
    return out
