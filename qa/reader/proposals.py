"""Which of the span model's own spans the hybrid may offer as answers (their votes count either way).

    offerable(chunk, start, end, names, framed_by, listed)   -> False for "티맥스소프트" when SoS Lab is asked

A span is not offered when the text lists it with the name asked about (sibling.is_sibling), when it lies
in a clause about another item than the one asked (sibling.in_other_frame) or in a sentence that opens on
another listed item (sibling.about_a_sibling), when it holds a purpose with what was done for it
(boundary.purpose_then_noun), or when it runs from one sentence into the next.
"""
from __future__ import annotations

from ..listing import Listed
from ..types import Chunk
from .boundary import purpose_then_noun
from .sibling import about_a_sibling, in_other_frame, is_sibling


def offerable(chunk: Chunk, start: int, end: int, names: tuple[str, ...], framed_by: list[str],
              listed: Listed | None) -> bool:
    """May chunk.text[start:end], a span of the model, be offered as an answer?"""
    text = chunk.text
    return not is_sibling(text, start, end, names) and not in_other_frame(*in_sentence(chunk, start, end), framed_by, listed) \
        and not purpose_then_noun(text, start, end) and not about_a_sibling(chunk, start, names, listed) \
        and not crosses_sentences(chunk, start, end)


def crosses_sentences(chunk: Chunk, start: int, end: int) -> bool:
    """Does the span run over a sentence end marked by . ! or ? ("… 기업이 언급됐다. SoS Lab은 GIST 학생들")?
    (A line without an end mark, a heading, does not count: Kiwi's splits there are less sure.)"""
    return any(start < s.end < end and chunk.text[s.end - 1] in ".!?" for s in chunk.sentences)


def in_sentence(chunk: Chunk, start: int, end: int) -> tuple[str, int, int]:
    """The sentence of the chunk where the span starts, and the span's offsets in it (to its end
    at most): clauses are compared within one sentence."""
    s = next((s for s in chunk.sentences if s.start <= start < s.end), None)
    if s is None:
        return chunk.text, start, end
    return text_of(chunk, s), start - s.start, min(end, s.end) - s.start


def text_of(chunk: Chunk, span) -> str:
    return chunk.text[span.start:span.end]
