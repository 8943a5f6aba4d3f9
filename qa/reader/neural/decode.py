"""Start/end logits -> best context span, against the null (no-answer) score.

SQuAD 2.0 style: position 0 (`<s>`) stands for "not in this window"; its
start+end logit sum is the null score a span must beat.

    >>> import numpy as np
    >>> s = np.array([1.0, 0, 0, 0, 5.0, 0, 0]); e = np.array([1.0, 0, 0, 0, 0, 4.0, 0])
    >>> best_spans(s, e, ctx_first=4, n_ctx=2)[0]
    (9.0, 4, 5)
    >>> null_score(s, e)
    2.0
"""
from __future__ import annotations

import numpy as np


def null_score(start_logits: np.ndarray, end_logits: np.ndarray) -> float:
    return float(start_logits[0] + end_logits[0])


def best_spans(start_logits: np.ndarray, end_logits: np.ndarray, ctx_first: int, n_ctx: int,
               max_tokens: int = 30, top: int = 20) -> list[tuple[float, int, int]]:
    """The `top` (score, start, end) spans inside the context, end >= start, at most `max_tokens` long,
    best first (equal scores: the earlier start, then the shorter span).

    Only the band of allowed spans is scored (n x max_tokens, not n x n) and only its `top` are
    sorted: on a 240-token window the full matrix and its sort cost ~4 ms a window.
    """
    lo, hi = ctx_first, ctx_first + n_ctx
    s = np.asarray(start_logits[lo:hi], dtype=np.float64)
    e = np.asarray(end_logits[lo:hi], dtype=np.float64)
    n = len(s)
    if not n or top < 1 or max_tokens < 1:
        return []
    width = min(max_tokens, n)
    ends = np.arange(n)[:, None] + np.arange(width)[None, :]          # band[a, k]: span (a, a + k)
    band = np.where(ends < n, s[:, None] + np.concatenate([e, np.full(width, -np.inf)])[ends], -np.inf)
    flat = band.ravel()
    k = min(top, int(np.isfinite(flat).sum()))
    if k == 0:                                                  # every score NaN or infinite
        return []
    cut = flat[np.argpartition(-flat, k - 1)[k - 1]]           # the k-th best score
    above = np.flatnonzero(flat > cut)
    picked = np.concatenate([above, np.flatnonzero(flat == cut)[:k - len(above)]])   # ties: earlier first
    picked = picked[np.lexsort((picked, -flat[picked]))]       # by score, then flat index (start, length)
    return [(float(flat[f]), lo + int(f) // width, lo + int(f) // width + int(f) % width) for f in picked]
