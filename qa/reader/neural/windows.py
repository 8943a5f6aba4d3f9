"""Question + context -> fixed-size token windows with character offsets.

A span model reads `<s> question </s></s> context </s>` (the XLM-R pair
layout e5 was trained with). A context longer than one window is read in
overlapping windows; each context token keeps its character offsets into
the context, so a predicted token span maps back to exact text.

    >>> w = make_windows(FakeTokenizer(), "누구?", "가 나 다 라", max_len=8, stride=2)
    >>> [(win.ids[win.ctx_first:-1], win.offsets) for win in w]    # doctest: +NORMALIZE_WHITESPACE
    [((10, 11, 12), ((0, 1), (2, 3), (4, 5))), ((12, 13), ((4, 5), (6, 7)))]
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

BOS, PAD, EOS = 0, 1, 2   # e5 / XLM-R special ids


@dataclass(frozen=True)
class Window:
    """One model input: token ids, where the context starts, and each context token's char offsets."""

    ids: tuple[int, ...]
    ctx_first: int
    offsets: tuple[tuple[int, int], ...]

    @property
    def n_ctx(self) -> int:
        return len(self.offsets)

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Window positions (inclusive) of the context tokens covering chars [start, end); None if outside.

        >>> Window((0, 5, 2, 2, 7, 8, 2), 4, ((0, 2), (3, 5))).token_span(3, 5)
        (5, 5)
        """
        if not self.offsets or start < self.offsets[0][0] or end > self.offsets[-1][1]:
            return None
        starts, ends = self._bounds
        s = bisect_right(ends, start)             # the first token ending after `start`
        e = bisect_left(starts, end) - 1          # the last token starting before `end`
        if s >= len(ends) or e < s:
            return None
        return self.ctx_first + s, self.ctx_first + e

    @cached_property
    def _bounds(self) -> tuple[list[int], list[int]]:
        """The context tokens' start and end chars (both ascending), for token_span's binary searches:
        the hybrid asks one window about every rule candidate in it."""
        return [a for a, _ in self.offsets], [b for _, b in self.offsets]


def encode_plain(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids and char offsets of `text` without special tokens (a `tokenizers.Tokenizer`)."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    return list(enc.ids), [tuple(o) for o in enc.offsets]


def question_ids(tokenizer, question: str, max_question: int = 48) -> list[int]:
    """The question's token ids as a window holds them: its first `max_question` tokens."""
    return encode_plain(tokenizer, question)[0][:max_question]


def context_room(question_tokens: int, max_len: int = 256) -> int:
    """Context tokens one window holds after a question of `question_tokens` tokens: the rest of
    max_len after <s> question </s></s> and the closing </s>.

    >>> context_room(20, 256)
    232
    """
    return max_len - question_tokens - 4


def tokens_per_span(spans, offsets: list[tuple[int, int]]) -> list[int]:
    """How many tokens start inside each [start, end) char span (sentences of a tokenized text).

    >>> tokens_per_span([(0, 4), (5, 9)], [(0, 2), (2, 4), (5, 9)])
    [2, 1]
    """
    starts = [a for a, _ in offsets]
    return [bisect_left(starts, end) - bisect_left(starts, start) for start, end in spans]


def best_run(counts: list[int], weights: list[float], room: int, keep: int | None = None) -> tuple[int, int] | None:
    """(first, last) index of the run of consecutive items (sentences) that fits `room` tokens with the
    most weight, holding item `keep` if given; of equal weights the one with more tokens (context
    costs nothing while it fits), then the earliest. None when none fits.

    >>> best_run([100, 120, 90], [0.1, 1.0, 0.5], room=220)
    (1, 2)
    >>> best_run([100, 120, 90], [0.1, 1.0, 0.5], room=220, keep=0)
    (0, 1)
    >>> best_run([50, 120, 90], [0.0, 1.0, 0.0], room=220)
    (1, 2)
    >>> best_run([300], [1.0], room=220) is None
    True
    """
    best, found = None, None
    for i in range(len(counts)):
        size, weight = 0, 0.0
        for j in range(i, len(counts)):
            size, weight = size + counts[j], weight + weights[j]
            if size > room:
                break
            if (keep is None or i <= keep <= j) and (best is None or (weight, size) > best):
                best, found = (weight, size), (i, j)
    return found


def make_windows(tokenizer, question: str, context: str, max_len: int = 256, stride: int = 128,
                 max_question: int = 48, context_tokens=None) -> list[Window]:
    """Overlapping windows of `context` after `question`; each step moves `stride` tokens.

    `context_tokens` (ids, offsets) can be passed when one context serves many questions.
    """
    q_ids = question_ids(tokenizer, question, max_question)
    c_ids, c_off = context_tokens if context_tokens is not None else encode_plain(tokenizer, context)
    head = [BOS, *q_ids, EOS, EOS]
    room = context_room(len(q_ids), max_len)
    if room < 1:
        raise ValueError(f"max_len {max_len} leaves no room for the context after a {len(q_ids)}-token question")
    windows, first = [], 0
    while True:
        ids = c_ids[first:first + room]
        windows.append(Window(tuple(head + ids + [EOS]), len(head), tuple(c_off[first:first + room])))
        if first + room >= len(c_ids):
            return windows
        first += min(stride, room)


class FakeTokenizer:
    """Whitespace tokenizer for doctests and fast tests: token id = 10 + index of the word."""

    class _Enc:
        def __init__(self, ids, offsets):
            self.ids, self.offsets = ids, offsets

    def encode(self, text: str, add_special_tokens: bool = False):
        import re
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        return self._Enc([10 + i for i in range(len(spans))], spans)
