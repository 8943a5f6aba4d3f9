"""The `Reader` protocol, so a neural reader can replace the rule-based one."""
from __future__ import annotations

from typing import Protocol

from ..conversation import Resolved
from ..types import Answer, Document, Hit

NOT_FOUND = "문서에서 찾을 수 없습니다"


class Reader(Protocol):
    """Extracts the answer span for a (resolved) question from ranked passages."""

    def read(self, question: str, resolved: Resolved, hits: list[Hit],
             documents: dict[str, Document]) -> Answer: ...
