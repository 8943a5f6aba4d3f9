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
