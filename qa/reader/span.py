"""A candidate answer: a typed span of one sentence (the value passed between reader stages).

    Candidate(10, 17, "2100억원", "money")
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A span `[start, end)` of the sentence text and its kind."""

    start: int
    end: int
    text: str
    kind: str
    counter: str | None = None
