"""Names a document gives two ways, "광주과학기술원(GIST)", and the questions about them.

    document_aliases("광주과학기술원(GIST) AI대학원")["gist"]   -> {"광주과학기술원"}
    asked_aliases("GIST의 한글 이름은?", {"doc": text})         -> {"광주과학기술원": ("doc", offset)}
    defining_sentence(text, offset)                            -> (start, end) of the sentence

Pure functions over document texts; the reader reads naming questions
("GIST의 한글 이름은?") from the sentence that defines the alias, and treats
an alias of something the question names as the question's own word.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..korean import sentence_spans
from .naming import name_asked_of

_PAREN_ALIAS = re.compile(r"([0-9A-Za-z가-힣&+]{2,})\(([0-9A-Za-z가-힣&+ ]{2,20})\)")


def flat_name(name: str) -> str:
    """A name as compared: spaces removed, lower-case ("SoS Lab" -> "soslab")."""
    return name.replace(" ", "").lower()


@lru_cache(maxsize=64)
def document_aliases(text: str) -> dict[str, set[str]]:
    """Names a text gives two ways, "X(Y)": both directions, lower-case, spaces removed.

    >>> document_aliases("광주과학기술원(GIST) AI대학원")["gist"]
    {'광주과학기술원'}
    """
    out: dict[str, set[str]] = {}
    for m in _PAREN_ALIAS.finditer(text):
        a, b = flat_name(m.group(1)), flat_name(m.group(2))
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def asked_aliases(question: str, texts: dict[str, str]) -> dict[str, tuple[str, int]]:
    """For a what-is-it-called question, the other names of its subject: alias -> (doc id, offset).

    >>> asked_aliases("GIST의 한글 이름은?", {"d": "광주과학기술원(GIST)은 4일 ..."})
    {'광주과학기술원': ('d', 0)}
    """
    subject = name_asked_of(question)
    if not subject:
        return {}
    name = flat_name(subject)
    out: dict[str, tuple[str, int]] = {}
    for doc_id, text in texts.items():
        for m in _PAREN_ALIAS.finditer(text):
            a, b = m.group(1), m.group(2)
            for this, other, at in ((a, b, m.start(2)), (b, a, m.start(1))):
                if flat_name(this) == name and flat_name(other) != name:
                    out.setdefault(flat_name(other), (doc_id, at))
    return out


def aliases_of(words: set[str], texts: list[str]) -> set[str]:
    """Other names the texts give the words ({"gist"} -> {"광주과학기술원"}), the words themselves left out."""
    out: set[str] = set()
    for text in texts:
        for name, others in document_aliases(text).items():
            if name in words:
                out |= others
    return out - words


def defining_sentence(text: str, offset: int) -> tuple[int, int] | None:
    """(start, end) of the sentence of `text` holding `offset`."""
    return next(((s, e) for s, e in _sentences(text) if s <= offset < e), None)


@lru_cache(maxsize=16)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentence_spans(text))   # cached: a whole document's split is not free
