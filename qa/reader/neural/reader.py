"""NeuralReader: the span model reads the top passages; its null score decides abstention.

    reader = NeuralReader(load_span_scorer())
    reader.read("NHN 투자액은?", resolved, hits, documents)   -> Answer("2100억원", confidence 0.9x, ...)

Each of the top passages is read whole (a chunk is <= 500 characters, about
one window). The best span over all of them is compared with the lowest null
("not in this window") score; the margin, passed through a logistic curve
fitted on held-out data, is the confidence, and the reader abstains below
the threshold. Offsets are the chunk's plus the span's, so
`document.text[answer.start:answer.end] == answer.text` holds.
"""
from __future__ import annotations

import math
import re

from ...conversation import Resolved
from ...types import Answer, Citation, Document, Hit
from ..boundary import balanced, cut_before_stem, dangling_object, starts_mid_word, trim_particles
from ..numbers import amount_start
from .scorer import SpanPrediction, SpanScorer

MAX_PASSAGES = 3
_EDGE = " \t\n.,;:!?·\"'()[]「」『』“”‘’<>《》〈〉"
_LOOSE = " \t\n.,;:!?·"


class NeuralReader:
    """`Reader` backed by a `SpanScorer` (the trained span model, or a fake in tests)."""

    def __init__(self, scorer: SpanScorer, abstain_threshold: float = 0.35, max_passages: int = MAX_PASSAGES,
                 calibration: tuple[float, float] = (1.0, 0.0), trim: bool = True):
        if not 0.0 <= abstain_threshold <= 1.0:
            raise ValueError("abstain_threshold must be within [0, 1]")
        if max_passages < 1:
            raise ValueError("max_passages must be at least 1")
        self.scorer = scorer
        self.abstain_threshold = abstain_threshold
        self.max_passages = max_passages
        self.slope, self.bias = calibration
        self.trim = trim            # drop trailing particles/endings (boundary.py)

    def confidence(self, margin: float) -> float:
        """Best span score minus the null score -> probability-like confidence.

        >>> NeuralReader(None).confidence(0.0)
        0.5
        """
        return model_confidence(margin, (self.slope, self.bias))

    def read(self, question: str, resolved: Resolved, hits: list[Hit], documents: dict[str, Document]) -> Answer:
        hits = list(hits[:self.max_passages])
        if not hits:
            return Answer(question, resolved.text, None, 0.0, True)
        preds = self.scorer.predict(resolved.text, [h.chunk.text for h in hits])
        found = [(p, h) for h, ps in zip(hits, preds) for p in ps if trim_edges(h.chunk.text, p) is not None]
        if not found:
            return Answer(question, resolved.text, None, 0.0, True, passages=tuple(hits))
        null = min(p.null for ps in preds for p in ps) if any(preds) else 0.0
        best, hit = max(found, key=lambda ph: (ph[0].score, -ph[1].rank))
        conf = self.confidence(best.score - null)
        if conf < self.abstain_threshold:
            return Answer(question, resolved.text, None, conf, True, passages=tuple(hits))
        start, end = trim_edges(hit.chunk.text, best)
        if self.trim:
            start, end = trim_particles(hit.chunk.text, start, end)
        chunk = hit.chunk
        doc = documents.get(chunk.doc_id)
        text = chunk.text[start:end]
        d_start, d_end = chunk.start + start, chunk.start + end
        if doc is not None and doc.text[d_start:d_end] != text:
            raise AssertionError("chunk offsets disagree with the document")  # the store validates this on load
        return Answer(question, resolved.text, text, conf, False, chunk.doc_id, chunk.title, d_start, d_end,
                      _sentence(hit, start, end), tuple(hits))


def model_confidence(margin: float, calibration: tuple[float, float]) -> float:
    """The span model's calibrated confidence: logistic(slope x (best span - null score) + bias),
    calibration = (slope, bias) from the manifest.

    >>> model_confidence(0.0, (1.0, 0.0))
    0.5
    >>> round(model_confidence(10.0, (0.3585, -2.4419)), 3)
    0.758
    """
    z = calibration[0] * margin + calibration[1]
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def trim_edges(text: str, p: SpanPrediction) -> tuple[int, int] | None:
    """The span without surrounding spaces and punctuation, cut at a quote or bracket it holds half of
    (boundary.balanced), an ordinal's 째 kept; None when nothing is left, it begins inside a word
    (boundary.starts_mid_word), ends before a verb stem glued to it (boundary.cut_before_stem), or
    holds two phrases, an object and a bare noun phrase after it (boundary.dangling_object).

    >>> trim_edges("값은 (2100억원).", SpanPrediction(2, 12, 1.0, 0.0))
    (4, 10)
    >>> trim_edges("티맥스소프트는", SpanPrediction(3, 6, 1.0, 0.0)) is None
    True
    >>> trim_edges("6번째 타자", SpanPrediction(0, 2, 1.0, 0.0))
    (0, 3)
    """
    s, e = _strip(text, p.start, p.end, _EDGE)
    # halves of quotes and brackets: cut off, or the trimmed partner given back; then what a cut
    # left at the edges, brackets and quotes kept
    s, e = _strip(text, *balanced(text, s, e), _LOOSE)
    s = amount_start(text, s)   # "905명" of "36만 905명": the whole number
    if text[e:e + 1] == "째" and re.search(r"\d[가-힣]?$", text[s:e]):
        e += 1   # "6번째": the ordinal's 째 is the answer's, as the rules' number spans keep it
    if e <= s or starts_mid_word(text, s) or cut_before_stem(text, e) or dangling_object(text, s, e):
        return None
    return s, e


def _strip(text: str, s: int, e: int, chars: str) -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _sentence(hit: Hit, start: int, end: int) -> Citation:
    """The chunk sentence holding the span (the whole chunk when sentences are unknown)."""
    c = hit.chunk
    for s in c.sentences:
        if s.start <= start and end <= s.end:
            return Citation(c.doc_id, c.title, c.text[s.start:s.end], c.start + s.start, c.start + s.end)
    return Citation(c.doc_id, c.title, c.text, c.start, c.end)
