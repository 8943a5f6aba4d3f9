"""Frozen values that cross module boundaries.

Every stage of the pipeline takes and returns these, so a stage can be swapped
without touching the others:

    Document -> Chunk -> Hit -> Answer
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One source document after cleanup.

    `text` is the cleaned text (NFC, tidy whitespace, duplicate paragraphs and
    sentences removed); every offset elsewhere points into it.
    """

    id: str
    title: str
    text: str
    source: str = ""
    metadata: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Span:
    """A character span `[start, end)` of a document's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A window of whole sentences: `document.text[start:end] == text`."""

    id: int
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    # Sentence boundaries relative to `text`, so the reader needs no re-split.
    sentences: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A ranked chunk with the evidence of each retriever.

    Ranks are 1-based; `None` means that retriever did not return the chunk.
    """

    rank: int
    score: float
    chunk: Chunk
    dense_rank: int | None = None
    dense_score: float | None = None
    lexical_rank: int | None = None
    lexical_score: float | None = None

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": round(float(self.score), 6),
            "doc_id": c.doc_id,
            "title": c.title,
            "text": c.text,
            "start": c.start,
            "end": c.end,
        }


@dataclass(frozen=True)
class Citation:
    """A supporting sentence: `document.text[start:end] == text`."""

    doc_id: str
    title: str
    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Answer:
    """What the reader concluded for one question.

    `start`/`end` locate `text` in the source document (`doc_id`);
    `sentence` is the supporting sentence. When `abstained` is true, `text`
    is None and `passages` holds the closest passages found.
    """

    question: str
    resolved_question: str
    text: str | None
    confidence: float
    abstained: bool
    doc_id: str | None = None
    title: str | None = None
    start: int | None = None
    end: int | None = None
    sentence: Citation | None = None
    passages: tuple[Hit, ...] = ()

    def to_json(self) -> dict:
        """The `qa ask --json` / `POST /api/ask` shape."""
        citations = [self.sentence.to_json()] if self.sentence else []
        if self.abstained:
            citations = [_hit_citation(h) for h in self.passages[:3]]
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(float(self.confidence), 4),
            "citations": citations,
        }


def _hit_citation(hit: Hit) -> dict:
    c = hit.chunk
    return Citation(c.doc_id, c.title, c.text, c.start, c.end).to_json()
