"""A bare follow-up ("헬스케어는?", "그럼 해외 대학은?") asks the question before it again, of what it names.

    asks_again("헬스케어는?")                                    -> True
    substitute("에너지 분야 과제는 몇 개야?", "헬스케어는?", listed)
        -> ("헬스케어 분야 과제는 몇 개야?", "헬스케어")       (the documents list 자동차·에너지·헬스케어)
    with_ask("분야 과제 헬스케어는?", "에너지 분야 과제는 몇 개야?") -> "분야 과제 헬스케어는 몇 개야?"
"""
from __future__ import annotations

import re

from .followup_words import CUE_WORDS, particle_after, strip_markers, terms
from .korean import is_latin_text, morphemes
from .listing import Listed

# "헬스케어는?", "그럼 해외 대학은?": one or two words and a topic particle, nothing asked of their own
_BARE = re.compile(r"^\S+(?:\s\S+)?(?:은|는|도)요?\s*[?？]*$")   # "연구소는요?": polite, the same ask
# The words that say what a question asks for; the question's ask runs from the first of them
# ("에너지 분야 과제는 몇 개야?" -> "몇 개야?")
_ASK_WORDS = frozenset({"몇", "얼마", "얼마나", "언제", "어디", "누구", "무엇", "뭐", "무슨", "어느", "어떤", "어떻게", "왜"})


def asks_again(text: str) -> bool:
    """Is `text` a bare "X는?" that asks the question before it again, of X?

    >>> asks_again("헬스케어는?"), asks_again("그럼 해외 대학은?"), asks_again("헬스케어 과제는 몇 개야?")
    (True, True, False)
    >>> asks_again("연구소는요?")
    True
    """
    text = strip_markers(text.strip())
    return bool(_BARE.match(text)) and not any(m.form in _ASK_WORDS for m in morphemes(text))


def has_cue(text: str) -> bool:
    """Does `text` say what it asks for ("기간은?": a period; "헬스케어는?": nothing)?"""
    from .reader.question import analyze   # here: the reader package imports this module at load time
    return analyze(text).has_cue


def with_ask(resolved: str, typed: str) -> str:
    """The resolved follow-up with the ask of the question it repeats, so a reader of the text
    alone (the span model) knows what is asked: ("분야 과제 헬스케어는?", "에너지 분야 과제는 몇 개야?")
    -> "분야 과제 헬스케어는 몇 개야?" (unchanged when `typed` has no ask word: "NHN 투자액은?")."""
    start = next((m.start for m in morphemes(typed) if m.form in _ASK_WORDS), None)
    if start is None or is_latin_text(typed):
        return resolved
    return resolved.rstrip(" ?？") + " " + typed[start:].strip()


_PARTICLES = r"(?:은|는|이|가|을|를|와|과|도|의|에|에서|로|으로)"


def substitute(topic: str, text: str, listed: Listed | None) -> tuple[str, str] | None:
    """The topic question asked of the item a bare follow-up names, where the documents list that
    item with exactly one word of the topic; None otherwise. Returns (question, item).

    ("에너지 분야 과제는 몇 개야?", "헬스케어는?") -> ("헬스케어 분야 과제는 몇 개야?", "헬스케어")
    ("공동연구하는 글로벌 기업은 몇 곳이에요?", "연구소는?") -> ("공동연구하는 연구소는 몇 곳이에요?", "연구소")
    (the word written just before the replaced one goes with it: it qualified the old item)
    """
    if listed is None or is_latin_text(text):
        return None
    bare = re.sub(r"(?:은|는|도)요?\s*[?？]*$", "", strip_markers(text.strip())).strip()
    before = [f for f, _ in terms(topic)]
    new = [f for f, _ in terms(bare) if f not in before]
    for item in dict.fromkeys([bare] + new):
        olds = [f for f in before if f not in CUE_WORDS and f != item and listed(f, item)]
        if len(olds) == 2 and f"{olds[0]} {olds[1]}" in topic:
            olds = olds[1:]   # "해외 대학": one item of two words, its head replaced (its qualifier goes with it)
        if len(olds) != 1:
            continue
        m = re.search(rf"(?:(?<!\S)(\S+) )?(?<![가-힣A-Za-z0-9]){re.escape(olds[0])}({_PARTICLES}?)(?![가-힣A-Za-z0-9])",
                      topic)
        if m is None:
            continue
        start = m.start(2) - len(olds[0]) if m.group(1) not in before else m.start()
        particle = m.group(2) and particle_after(item, m.group(2))
        return topic[:start] + item + particle + topic[m.end():], item
    return None


def listed_items(previous: str, current: str, listed: Listed | None) -> set[str]:
    """The words of `previous` that a new word of `current` is listed with in the documents.

    ("자동차 분야 과제는 몇 개야?", "헬스케어는?") -> {"자동차"} when the documents write 자동차·에너지·헬스케어
    """
    if listed is None or is_latin_text(current):
        return set()
    before = [f for f, _ in terms(previous)]
    new = [f for f, _ in terms(current) if f not in before]
    items = {f for f in before if f not in CUE_WORDS and any(listed(f, n) for n in new)}
    # the word written just before an item goes with it ("글로벌 기업" -> "연구소": 글로벌 too)
    return items | {w for f in items for w in re.findall(rf"(?<!\S)(\S+) {re.escape(f)}", previous) if w in before}
