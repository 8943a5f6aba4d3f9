"""Items the documents list together: "자동차·에너지·헬스케어", "구글 등 7개 글로벌 기업과 막스플랑크 등 4개 연구소".

A follow-up that names another item of a list the documents wrote asks the same question
about that item: "자동차 분야 과제는 몇 개야?" -> "헬스케어는?" is about 헬스케어 instead of
자동차, not about both. Only the documents know which words are items of one list, so the
check reads them, for the two words asked about only (no index to build, nothing to cache):

    >>> listed_together("자동차", "헬스케어", ["산업별로 자동차·에너지·헬스케어를 융합한다."])
    True
    >>> listed_together("산업", "헬스케어", ["산업별로 자동차·에너지·헬스케어를 융합한다."])
    False

An item is one word, or a phrase that ends in the word: its examples ("막스플랑크 등"), a
number ("4개") and after the number one modifier ("9개 해외 대학") may come before it. Words are matched as the
question writes them, so no morpheme analysis of the documents is needed.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

Listed = Callable[[str, str], bool]   # listed(a, b): do the documents list a and b together?

# What joins the items of one list: a middle dot or a slash ("tight": items of one group),
# a comma, the particles 와/과 written on the item before, 및 and 그리고 between spaces.
_TIGHT = "·ㆍ/"
_JOIN = r"(?:\s*[·ㆍ/,]\s*|(?:와|과)\s+|\s+(?:및|그리고)\s+)"
_WORD = r"[가-힣A-Za-z0-9]+"
# What may stand before an item's last word: "막스플랑크 등 ", "카네기멜런대학교(CMU) 등 ", "4개 ", "9개 해외 "
# (a modifier only after a number: in "헬스케어, 자동차, 에너지 융합 교육" 융합 is no item)
_LEAD = r"(?:[^\s,·ㆍ/]+ 등 )?(?:[0-9][0-9.,]*[가-힣]* (?:[가-힣A-Za-z]+ )?)?"
_MAX_BETWEEN = 6      # items of a list between the two words
# The second word may carry a particle ("헬스케어와", "헬스케어의"), then its word ends.
_PARTICLE = r"(?:와|과|의|은|는|이|가|을|를|도|에|에서|로|으로|까지|만|등)"
_HEAD = r"(?<![가-힣A-Za-z0-9])"
_JOIN_RE = re.compile(_JOIN)
_MORE_AFTER = re.compile(f"{_JOIN}{_LEAD}{_WORD}")
_MORE_BEFORE = re.compile(f"{_HEAD}{_WORD}{_JOIN}{_LEAD}$")


def listed_together(a: str, b: str, texts: Iterable[str]) -> bool:
    """Do the texts list `a` and `b` as items of one list (either order, up to six items apart)?

    >>> listed_together("NHN", "GIST", ["NHN과 GIST가 협약을 맺었다."])
    True
    >>> listed_together("기업", "대학", ["7개 글로벌 기업과 막스플랑크 등 4개 연구소, 카네기멜런대학교(CMU) 등 9개 해외 대학"])
    True
    >>> listed_together("에너지", "자동차", ["신재생에너지·자동차 부품"])   # 에너지 ends a longer word
    False

    A word joined to a group of tight items is paired with the group, not listed in it; two
    words joined by a comma alone are items only where the list goes on ("4개 과제, 에너지의
    경우 ..." joins two clauses):

    >>> listed_together("AI", "에너지", ["AI와 자동차·에너지"]), listed_together("AI", "자동차", ["AI와 자동차·에너지"])
    (False, False)
    >>> listed_together("과제", "에너지", ["4개 과제, 에너지의 경우"]), listed_together("과제", "에너지", ["과제, 에너지, 인력"])
    (False, True)
    """
    a, b = a.strip(), b.strip()
    if not a or not b or a == b or a in b or b in a:
        return False
    return any(_listed(first, second, text) for text in texts if a in text and b in text
               for first, second in ((a, b), (b, a)))


def listed_in(texts: Iterable[str]) -> Listed:
    """listed(a, b) = listed_together(a, b, texts), the texts read once into a list."""
    texts = list(texts)
    return lambda a, b: listed_together(a, b, texts)


def _listed(first: str, second: str, text: str) -> bool:
    """Does `first` come before `second` in one list of `text`?"""
    for m in _pattern(first, second).finditer(text):
        kinds = [_kind(j) for j in _JOIN_RE.findall(m.group("between"))]
        if "tight" in kinds and set(kinds) != {"tight"}:
            continue   # "자동차·에너지와 AI": the dotted group is one item, its words are not AI's siblings
        after, before = text[m.end():m.end() + 1], text[m.start() - 1:m.start()]
        grouped = bool(after) and after in _TIGHT and not m.group("tail") or bool(before) and before in _TIGHT
        if "tight" not in kinds and grouped:
            continue   # "AI와 자동차·에너지": 자동차 begins the group AI is paired with
        if kinds != ["comma"]:
            return True
        # "A, B": a list only where another item follows B ("A, B, C", "A, B와 C") or comes before A
        if _MORE_AFTER.match(text, m.end() - len(m.group("tail"))) or _MORE_BEFORE.search(text, 0, m.start()):
            return True
    return False


def _kind(join: str) -> str:
    """ "·" -> "tight", ", " -> "comma", "와 " -> "and" """
    j = join.strip()
    return "tight" if j and j in _TIGHT else "comma" if j == "," else "and"


def _pattern(first: str, second: str) -> re.Pattern:
    between = f"(?:{_JOIN}{_LEAD}{_WORD}){{0,{_MAX_BETWEEN}}}?{_JOIN}{_LEAD}"
    return re.compile(f"{_HEAD}{re.escape(first)}(?P<between>{between}){re.escape(second)}"
                      f"(?P<tail>{_PARTICLE}?)(?![가-힣A-Za-z0-9])")
