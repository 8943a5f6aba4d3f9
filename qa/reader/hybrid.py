"""HybridReader: the rule reader's candidates, re-ranked with the span model's votes.

    reader = HybridReader(RuleReader(), scorer)
    reader.read(question, resolved, hits, documents)

The rule reader knows Korean answer forms (amounts, dates, counters, names)
and how to abstain on our documents; the span model knows which part of a
passage the question points at. Each rule candidate gets the span model's
agreement: the best, over the model's top spans, of (character overlap with
the candidate) x exp(span score - best span score), a number in [0, 1].
The candidate's score is the rule score + WEIGHT x agreement; the confidence
(and so abstention) stays the rule reader's for the chosen candidate.
WEIGHT is chosen on held-out KorQuAD dev-a (`eval/tune_hybrid.py`).
"""
from __future__ import annotations

import math

from ..conversation import Resolved
from ..types import Answer, Document, Hit
from .rule_reader import RuleReader

WEIGHT = 8.0      # held-out dev-a EM: 0 -> 50.8, 2 -> 60.5, 4 -> 64.3, 8 -> 66.5, 12 -> 66.5, 20 -> 65.4


class HybridReader:
    def __init__(self, rule: RuleReader, scorer, weight: float = WEIGHT, max_passages: int = 3):
        self.rule = rule
        self.scorer = scorer
        self.weight = weight
        self.max_passages = max_passages

    def read(self, question: str, resolved: Resolved, hits: list[Hit],
             documents: dict[str, Document] | None = None) -> Answer:
        scored = self.rule.candidates(resolved, hits, documents)
        if not scored:
            return self.rule.answer(question, resolved, None, hits, documents)
        votes = self.votes(resolved.text, hits[:self.max_passages])
        best = max(scored, key=lambda s: s.score + self.weight * agreement(s, votes))
        return self.rule.answer(question, resolved, best, hits, documents)

    def votes(self, question: str, hits: list[Hit]) -> list[tuple[str, int, int, float]]:
        """(doc id, start, end, weight in (0, 1]) of the span model's top spans, in document offsets."""
        preds = self.scorer.predict(question, [h.chunk.text for h in hits], top=20)
        flat = [(h.chunk.doc_id, h.chunk.start + p.start, h.chunk.start + p.end, p.score)
                for h, ps in zip(hits, preds) for p in ps]
        if not flat:
            return []
        top = max(f[3] for f in flat)
        return [(d, a, b, math.exp(s - top)) for d, a, b, s in flat]


def agreement(s, votes) -> float:
    """max over votes of overlap(candidate, vote) / union x vote weight.

    >>> from types import SimpleNamespace as N
    >>> c = N(cand=N(start=2, text="2100억원"), sent_start=10, hit=N(chunk=N(doc_id="d")))
    >>> agreement(c, [("d", 12, 18, 1.0), ("d", 12, 20, 0.5)])
    1.0
    """
    start = s.sent_start + s.cand.start
    end = start + len(s.cand.text)
    best = 0.0
    for doc, a, b, w in votes:
        if doc != s.hit.chunk.doc_id:
            continue
        inter = min(end, b) - max(start, a)
        if inter > 0:
            best = max(best, w * inter / (max(end, b) - min(start, a)))
    return best
