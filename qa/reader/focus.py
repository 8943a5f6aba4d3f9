"""Where the span stands to the question's focus noun and slot neighbours (pure functions).

    focus_suffix(Candidate(0, 6, "데이터기본법", "name"), question_slot("...한 법은?"))  -> 1.0
    designated("작년 사업자로 선정된 NHN이", Candidate(12, 15, "NHN", "name"), slot)     -> 1.0

The focus is the noun the question asks to identify (slot.py); these features
say whether a span is a kind of it, stands near it, is designated as it or
stands beside it as someone else, and whether the question word's neighbours
sit beside the span as they sit beside the question word.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from ..korean import morphemes
from .candidates import TITLES
from .slot import QuestionSlot
from .span import Candidate


def focus_suffix(cand: Candidate, slot: QuestionSlot) -> float:
    """1 when the span names a kind of the focus noun (법 -> 데이터기본법)."""
    if not slot.focus or cand.text in (slot.focus, slot.focus_tail):
        return 0.0
    last = cand.text.split()[-1]
    if last in (slot.focus, slot.focus_tail) and last in TITLES:
        return 0.0   # "김하늘 시장": the question's own title tacked on, not a kind of it
    key = slot.focus_tail or slot.focus
    if cand.kind in ("list", "phrases") and re.split(r", |·", cand.text)[-1] in (slot.focus, slot.focus_tail):
        return 0.0   # "헬스케어, 자동차, 에너지" holds the asked 에너지; it is no kind of it
    if cand.kind == "coord":   # "개발도구와 AI반도체" is not a kind of 반도체: each side must be
        return 1.0 if all(side.strip().endswith(key) for side in _COORD_SPLIT.split(cand.text)) else 0.0
    return 1.0 if last.endswith(key) else 0.0


_COORD_SPLIT = re.compile(r"(?<=\w)[와과] ")


def focus_near(text: str, cand: Candidate, slot: QuestionSlot, before: bool) -> float:
    """How close the focus noun stands to the span, on one side, within the same clause.

    "사업자로 선정된 NHN" (before), "티맥스소프트 등 기업" (after): the focus
    describes the span. exp(-gap/8) over the gap in characters; 0 past a comma.
    """
    if not slot.focus:
        return 0.0
    keys = {slot.focus, slot.focus_tail or slot.focus}
    best = 0.0
    for key in keys:
        for mt in re.finditer(re.escape(key), text):
            if before and mt.end() <= cand.start:
                gap = text[mt.end():cand.start]
            elif not before and mt.start() >= cand.end:
                gap = text[cand.end:mt.start()]
            else:
                continue
            if any(ch in gap for ch in ',."\'“”'):
                continue
            best = max(best, math.exp(-len(gap) / 8.0))
    return best


_DESIGNATING = r"(?:으로|로)\s?(?:선정|지정|임명|선임|선출|채택|낙점|추대|발탁)(?:된|됐던|되었던|한)\s|(?:인|이던|였던)\s"


def designated(text: str, cand: Candidate, slot: QuestionSlot) -> float:
    """1 when the sentence names the span as the very thing asked for: "사업자로 선정된 NHN".

    For "민간사업자는 어디야?" (focus 사업자) the designation is the answer's
    evidence, even where the sentence shares few other words with the question.
    """
    if not slot.focus:
        return 0.0
    before = text[max(0, cand.start - 40):cand.start]
    keys = {re.escape(slot.focus), re.escape(slot.focus_tail or slot.focus)}
    return 1.0 if re.search(r"(?:" + "|".join(keys) + r")(?:" + _DESIGNATING + r")$", before) else 0.0


def beside_focus(text: str, cand: Candidate, slot: QuestionSlot) -> float:
    """1 when the span is joined by 와/과 (or a comma) to the very noun the question asks to identify.

    "광주시와 민간사업자가 ..." for "민간사업자는 어디야?": 광주시 stands beside
    the 민간사업자, so it is someone else.
    """
    if not slot.focus:
        return 0.0
    m = _JOINED.match(text, cand.end)
    return 1.0 if m and (slot.focus in m.group(1) or (slot.focus_tail or slot.focus) in m.group(1)) else 0.0


_JOINED = re.compile(r"(?:와|과|, | 및 )\s?(\w+)")


def anchor(text: str, cand: Candidate, word: str | None, before: bool) -> float:
    """How closely the question word's neighbour stands beside the span, on the same side.

    "대한민국 AI의 무엇이라고" vs "대한민국 AI의 핵심거점이라며": ai sits right
    before the span, as it sits right before the question word. exp(-gap/6).
    """
    if not word:
        return 0.0
    best = 0.0
    for start, end in _word_spans(text, word):
        if before and end <= cand.start:
            best = max(best, math.exp(-(cand.start - end) / 6.0))
        elif not before and start >= cand.end:
            best = max(best, math.exp(-(start - cand.end) / 6.0))
    return best


@lru_cache(maxsize=8192)
def _word_spans(text: str, word: str) -> tuple[tuple[int, int], ...]:
    """Spans of the sentence's morphemes that match `word` (equal, or one a prefix of the other)."""
    out = []
    for m in morphemes(text):
        form = m.form.lower()
        if form == word or (len(word) >= 2 and len(form) >= 2 and (form.startswith(word) or word.startswith(form))):
            out.append((m.start, m.end))
    return tuple(out)
