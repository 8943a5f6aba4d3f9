"""Span boundaries the Korean way: a span does not end on a particle, copula or ending.

The span model reads sub-word pieces, so it sometimes keeps what hangs off
the last word ("2100억원을", "2023년이다"). Kiwi's morphemes of the passage say
where the word proper ends.

    >>> trim_particles("NHN은 2100억원을 투자한다.", 5, 12)
    (5, 11)
"""
from __future__ import annotations

from ...korean import morphemes

# Particles (J*), the copula (VCP) and endings (E*) never end an answer; nor do suffixes that only
# make a verb of a noun (XSV, XSA: "투자하" -> "투자").
_TRAILING = ("J", "E", "VCP", "XSV", "XSA")


def trim_particles(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) of `text` without trailing particles/endings; unchanged when nothing would remain."""
    inside = [m for m in morphemes(text) if m.start >= start and m.end <= end]
    # the last morpheme may straddle `end` when the model cut mid-word: only whole morphemes count
    new_end = end
    while inside and inside[-1].tag.startswith(_TRAILING):
        inside.pop()
        if inside:
            new_end = inside[-1].end
    if not inside or new_end <= start:
        return start, end
    return start, new_end


# Quote marks that open and close a quoted phrase or title. The ASCII apostrophe is left out: it is
# also the apostrophe of English names ("A Hard Day's Night").
_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("《", "》"), ("〈", "〉"))


def inside_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) cut at a quote mark it opens or closes but does not match: the quoted part
    is the answer, the words outside the quote are the sentence around it. One dev-a answer in
    3,316 has an unmatched quote (an apostrophe); the model's spans cross quotes now and then
    ('문 대통령은 AI데이터센터가 "대한민국 AI의 핵심거점').

    >>> t = '문 대통령은 AI데이터센터가 "대한민국 AI의 핵심거점"이라며'
    >>> s, e = inside_quotes(t, 0, t.index('"이라며')); t[s:e]
    '대한민국 AI의 핵심거점'
    >>> inside_quotes('그는 "좋다"고 했다', 3, 7)
    (3, 7)
    """
    span = text[start:end]
    if span.count('"') % 2:
        k = start + span.index('"')
        if text.count('"', 0, k) % 2 == 0:   # an opening mark: the quote goes on after the span
            start = k + 1
        else:
            end = k
    for open_, close in _PAIRS:
        span = text[start:end]
        o, c = span.rfind(open_), span.find(close)
        if o >= 0 and close not in span[o:]:
            start = start + o + 1
        elif c >= 0 and open_ not in span[:c]:
            end = start + c
    return start, end


def starts_mid_word(text: str, start: int) -> bool:
    """Does a span at `start` begin inside a Hangul word? No answer does (1 of 3,316 dev-a golds,
    "정부는[경장사업]"); the model's sub-word pieces do ("티맥스[소프트]").

    >>> starts_mid_word("티맥스소프트는", 3), starts_mid_word("NHN은 2100억원", 5)
    (True, False)
    """
    return 0 < start < len(text) and _hangul(text[start - 1]) and _hangul(text[start])


def _hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"
