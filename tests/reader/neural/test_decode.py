"""Span decoding: only context positions, end >= start, bounded length, best first."""
import numpy as np

from qa.reader.neural.decode import best_spans, null_score


def test_best_spans_respect_the_context_and_order():
    s = np.array([9.0, 8.0, 0, 1.0, 2.0, 0.5])
    e = np.array([9.0, 8.0, 0, 0.5, 0.1, 3.0])
    spans = best_spans(s, e, ctx_first=3, n_ctx=3)
    assert spans[0] == (5.0, 4, 5)                      # 2.0 + 3.0; positions 0-2 (question) never used
    assert all(3 <= a <= b < 6 for _, a, b in spans)
    assert [x[0] for x in spans] == sorted((x[0] for x in spans), reverse=True)
    assert null_score(s, e) == 18.0


def test_max_length_and_empty_context():
    s = np.zeros(10); e = np.zeros(10); s[2] = 5; e[9] = 5
    assert all(b - a < 3 for _, a, b in best_spans(s, e, 2, 8, max_tokens=3))
    assert best_spans(s, e, 10, 0) == []
    assert best_spans(np.full(10, np.nan), e, 2, 8) == []            # a broken model's logits: no span


def _all_spans(s, e, ctx_first, n_ctx, max_tokens, top):
    """Every allowed span scored and sorted: what best_spans must return, the slow way."""
    spans = [(float(s[a] + e[b]), a, b) for a in range(ctx_first, ctx_first + n_ctx)
             for b in range(a, min(a + max_tokens, ctx_first + n_ctx))]
    return sorted(spans, key=lambda x: (-x[0], x[1], x[2]))[:top]


def test_best_spans_are_the_top_of_every_allowed_span():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 70))
        first = int(rng.integers(0, n))
        s, e = rng.normal(size=n).astype(np.float32), rng.normal(size=n).astype(np.float32)
        if rng.random() < 0.3:                          # ties: equal scores keep the earlier, shorter span
            s, e = np.round(s), np.round(e)
        max_tokens, top = int(rng.integers(1, 12)), int(rng.integers(1, 25))
        n_ctx = int(rng.integers(0, n - first + 1))
        got = best_spans(s.astype(np.float64), e.astype(np.float64), first, n_ctx, max_tokens, top)
        assert got == _all_spans(s.astype(np.float64), e.astype(np.float64), first, n_ctx, max_tokens, top)
