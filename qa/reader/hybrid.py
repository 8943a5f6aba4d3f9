"""HybridReader: the span model finds the answer, the rule reader's evidence says whether to give it.

    reader = HybridReader(RuleReader(), NeuralReader(scorer))
    reader.read(question, resolved, hits, documents)

The span model is far better at finding spans in text it has not seen
(KorQuAD, TyDi), but its null score knows nothing of our documents' own
evidence: a question that names something the documents never mention
("NHN 대표의 아내는?"), or a type the sentence cannot answer. The rule reader
scores exactly that for every sentence it reads. So the answer is the span
model's, and its confidence is the geometric mean of the span model's
calibrated confidence and the rule reader's confidence for the sentence
holding the span (its best candidate there, or half its best anywhere when
it did not read that sentence): either one near zero vetoes the answer.
"""
from __future__ import annotations

import math
from dataclasses import replace

from ..conversation import Resolved
from ..types import Answer, Document, Hit
from .neural import NeuralReader
from .rule_reader import RuleReader


class HybridReader:
    def __init__(self, rule: RuleReader, neural: NeuralReader, abstain_threshold: float = 0.35):
        if not 0.0 <= abstain_threshold <= 1.0:
            raise ValueError("abstain_threshold must be within [0, 1]")
        self.rule = rule
        # the neural reader always proposes its span: abstention is decided here
        self.neural = NeuralReader(neural.scorer, 0.0, neural.max_passages, (neural.slope, neural.bias), neural.trim)
        self.abstain_threshold = abstain_threshold

    def read(self, question: str, resolved: Resolved, hits: list[Hit],
             documents: dict[str, Document] | None = None) -> Answer:
        documents = documents or {}
        answer = self.neural.read(question, resolved, hits, documents)
        scored = self.rule.candidates(resolved, hits, documents)
        if answer.abstained:          # no span at all: the rule reader's own answer, if it has one
            return self.rule.read(question, resolved, hits, documents)
        conf = math.sqrt(answer.confidence * self.rule_evidence(answer, scored))
        if conf < self.abstain_threshold:
            return Answer(question, resolved.text, None, conf, True, passages=answer.passages)
        return replace(answer, confidence=conf)

    @staticmethod
    def rule_evidence(answer: Answer, scored) -> float:
        """The rule reader's confidence for the sentence that holds the answer (see module doc)."""
        here = [s.confidence for s in scored if s.hit.chunk.doc_id == answer.doc_id
                and s.sent_start <= answer.start and answer.end <= s.sent_start + len(s.sent_text)]
        if here:
            return max(here)
        return 0.5 * max((s.confidence for s in scored), default=0.0)
