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
    """The `top` (score, start, end) spans inside the context, end >= start, at most `max_tokens` long."""
    lo, hi = ctx_first, ctx_first + n_ctx
    s = np.asarray(start_logits[lo:hi], dtype=np.float64)
    e = np.asarray(end_logits[lo:hi], dtype=np.float64)
    if not len(s):
        return []
    scores = s[:, None] + e[None, :]
    i, j = np.indices(scores.shape)
    scores = np.where((j >= i) & (j - i < max_tokens), scores, -np.inf)
    flat = np.argsort(scores, axis=None)[::-1][:top]
    out = []
    for f in flat:
        a, b = divmod(int(f), len(s))
        if not np.isfinite(scores[a, b]):
            break
        out.append((float(scores[a, b]), lo + a, lo + b))
    return out
