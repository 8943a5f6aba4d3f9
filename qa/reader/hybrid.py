"""HybridReader: the rule reader's candidates, re-ranked with the span model's votes.

    reader = HybridReader(RuleReader(), scorer)
    reader.read(question, resolved, hits, documents)

The rule reader knows Korean answer forms (amounts, dates, counters, names)
and how to abstain on our documents; the span model knows which part of a
passage the question points at. Each rule candidate gets the span model's
agreement: the best, over the model's top spans, of (character overlap with
the candidate) x exp(span score - best span score), a number in [0, 1].
The candidate's score is the rule score + WEIGHT x agreement; the confidence
(and so abstention) is the rule reader's for its own best candidate.
The model reads only the sentences of the SENTENCES best rule candidates
(each with the sentence before it), not whole passages: a third of the time,
better on held-out dev-a, a little worse on dev-b and TyDi dev (README).
WEIGHT and SENTENCES are chosen on held-out KorQuAD dev-a (`eval/tune_hybrid.py`).
"""
from __future__ import annotations

import math
from dataclasses import replace

from ..conversation import Resolved
from ..types import Answer, Document, Hit
from .rule_reader import RuleReader

WEIGHT = 8.0      # held-out dev-a EM, whole passages read: 0 -> 50.8, 2 -> 60.5, 4 -> 64.3, 8 -> 66.5, 12 -> 66.5, 20 -> 65.4
# Sentences of the best rule candidates the model reads (0: whole passages). Held-out dev-a
# (474 q., weight 8), EM / F1: 0 -> 66.5 / 79.5, 1 -> 65.2 / 77.8, 2 -> 67.9 / 81.1, 3 -> 66.7 / 79.8;
# model time per question on a quiet machine: 94 ms for whole passages, 34 ms for 2 sentences.
SENTENCES = 2


class HybridReader:
    def __init__(self, rule: RuleReader, scorer, weight: float = WEIGHT, max_passages: int = 3,
                 sentences: int = SENTENCES):
        if sentences < 0:
            raise ValueError("sentences must be >= 0 (0: read whole passages)")
        self.rule = rule
        self.scorer = scorer
        self.weight = weight
        self.max_passages = max_passages
        self.sentences = sentences    # > 0: the model reads only the sentences of the best rule candidates

    def read(self, question: str, resolved: Resolved, hits: list[Hit],
             documents: dict[str, Document] | None = None) -> Answer:
        scored = self.rule.candidates(resolved, hits, documents)
        if not scored:
            return self.rule.answer(question, resolved, None, hits, documents)
        votes = self.votes(resolved.text, scored, hits)
        best = max(scored, key=lambda s: s.score + self.weight * agreement(s, votes))
        # Whether the documents answer at all is the rule reader's call on its own best
        # candidate: a vote for a span the rules rank lower must not turn an answer into
        # an abstention (own set: false abstentions 9.2% -> 1.6%, abstain recall 93.8 -> 100).
        rule_best = max(scored, key=lambda s: s.score)
        return self.rule.answer(question, resolved, replace(best, confidence=rule_best.confidence), hits, documents)

    def votes(self, question: str, scored, hits: list[Hit]) -> list[tuple[str, int, int, float]]:
        """(doc id, start, end, weight in (0, 1]) of the span model's top spans, in document offsets.

        The model reads the sentences of the `sentences` best rule candidates (a vote can
        only lift a candidate it overlaps), or the top passages whole when `sentences` is 0.
        """
        if self.sentences:
            pieces = _candidate_pieces(scored, self.sentences)
        else:
            pieces = [(h.chunk.doc_id, h.chunk.start, h.chunk.text) for h in hits[:self.max_passages]]
        preds = self.scorer.predict(question, [text for _, _, text in pieces], top=20)
        flat = [(doc, off + p.start, off + p.end, p.score) for (doc, off, _), ps in zip(pieces, preds) for p in ps]
        if not flat:
            return []
        top = max(f[3] for f in flat)
        return [(d, a, b, math.exp(score - top)) for d, a, b, score in flat]


def _candidate_pieces(scored, n: int) -> list[tuple[str, int, str]]:
    """(doc id, document offset, text) of runs of chunk sentences holding the n best candidates' sentences.

    Each chosen sentence brings the one before it (it may name what this one calls 그);
    adjacent sentences of one chunk are merged into one piece. A candidate from a sentence
    outside its hit's chunk (an alias definition read from the document) gets no piece.
    """
    chosen: dict[int, tuple] = {}          # id(hit) -> (hit, sentence indexes)
    picked: set[tuple[int, int]] = set()
    for s in sorted(scored, key=lambda s: -s.score):
        chunk = s.hit.chunk
        k = next((i for i, sp in enumerate(chunk.sentences) if chunk.start + sp.start == s.sent_start), None)
        if k is None or (id(s.hit), k) in picked:
            continue
        if len(picked) == n:
            break
        picked.add((id(s.hit), k))
        chosen.setdefault(id(s.hit), (s.hit, set()))[1].update({max(0, k - 1), k})
    out = []
    for hit, ks in chosen.values():
        runs: list[list[int]] = []         # [first, last] sentence index of each run
        for k in sorted(ks):
            if runs and k == runs[-1][1] + 1:
                runs[-1][1] = k
            else:
                runs.append([k, k])
        for first, last in runs:
            a, b = hit.chunk.sentences[first].start, hit.chunk.sentences[last].end
            out.append((hit.chunk.doc_id, hit.chunk.start + a, hit.chunk.text[a:b]))
    return out


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
