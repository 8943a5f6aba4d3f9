"""Duplicate removal and sentence-window chunking.

    docs, report = dedupe(load_paths([...]))   # each fact kept once
    chunks = chunk_documents(docs, max_chars=500, overlap=1)

Invariant (tested): `chunk.text == document.text[chunk.start:chunk.end]`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from .korean import content_tokens, sentence_spans
from .types import Chunk, Document, Span

# Bump when the cleaning or chunking rules change: indexes built under another
# version are stale (2: restated headlines dropped).
CHUNKING_VERSION = 2
NEAR_DUP_JACCARD = 0.9   # char-trigram overlap above which two sentences are "the same"
_MIN_NEAR_DUP_LEN = 20   # short lines ("2021-02-04 21:48") only count as exact duplicates


@dataclass(frozen=True)
class DedupeReport:
    """How many sentences were read and how many were dropped as duplicates."""

    sentences: int
    dropped: int
    dropped_paragraphs: int
    restated: int = 0      # short sentences whose every fact a longer sentence states (headlines)


def dedupe_key(sentence: str) -> str:
    """Text with spacing, punctuation and case removed.

    >>> dedupe_key("NHN, 2100억 투자!") == dedupe_key("NHN 2100억  투자")
    True
    """
    s = unicodedata.normalize("NFKC", sentence).lower()
    return "".join(ch for ch in s if ch.isalnum())


def _trigrams(key: str) -> frozenset[str]:
    return frozenset(key[i:i + 3] for i in range(max(1, len(key) - 2)))


class _Seen:
    """Sentences kept so far, with an inverted trigram index for near-duplicates."""

    def __init__(self):
        self.keys: set[str] = set()
        self.grams: list[frozenset[str]] = []
        self.by_gram: dict[str, list[int]] = {}

    def is_duplicate(self, key: str) -> bool:
        if not key or key in self.keys:
            return True
        if len(key) < _MIN_NEAR_DUP_LEN:
            return False
        grams = _trigrams(key)
        counts: dict[int, int] = {}
        for g in grams:
            for idx in self.by_gram.get(g, ()):
                counts[idx] = counts.get(idx, 0) + 1
        for idx, inter in counts.items():
            union = len(grams) + len(self.grams[idx]) - inter
            if inter / union >= NEAR_DUP_JACCARD:
                return True
        return False

    def add(self, key: str) -> None:
        self.keys.add(key)
        if len(key) >= _MIN_NEAR_DUP_LEN:
            grams = _trigrams(key)
            idx = len(self.grams)
            self.grams.append(grams)
            for g in grams:
                self.by_gram.setdefault(g, []).append(idx)


def dedupe(docs: list[Document]) -> tuple[list[Document], DedupeReport]:
    """Drop exact and near-exact duplicate paragraphs and sentences, keeping the first.

    Works across documents too, so a fact copied into two files is indexed
    once. A document whose every sentence is a duplicate is dropped.
    """
    seen = _Seen()
    out, total, dropped, dropped_par, restated = [], 0, 0, 0, 0
    for doc in docs:
        kept_paragraphs = []
        for para in doc.text.split("\n"):
            spans = sentence_spans(para)
            kept = []
            for s, e in spans:
                key = dedupe_key(para[s:e])
                if seen.is_duplicate(key):
                    dropped += 1
                else:
                    seen.add(key)
                    kept.append(para[s:e])
            total += len(spans)
            kept_paragraphs.append(kept)
            if spans and not kept:
                dropped_par += 1
        kept_paragraphs, n_restated = drop_restated(kept_paragraphs)
        restated += n_restated
        paragraphs = [" ".join(k) for k in kept_paragraphs if k]
        if paragraphs:
            out.append(replace(doc, text="\n".join(paragraphs)))
    return out, DedupeReport(total, dropped, dropped_par, restated)


RESTATED_COVERAGE = 0.85   # share of a sentence's words another sentence must hold


def drop_restated(paragraphs: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop sentences whose facts a longer sentence of the same document states.

    News headlines restate the body ("NHN 2100억 투자 데이터센터, 국내최고슈퍼컴
    3배성능" vs "NHN이 2100억원을 투자해 ... 3배 이상 빠른"): indexing both puts
    the same fact in two passages, and the terse one wins BM25. A sentence goes
    when another, longer one holds all of its numbers and 85% of its words.
    """
    sentences = [s for p in paragraphs for s in p]
    terms = [_fact_terms(s) for s in sentences]
    drop: set[str] = set()
    for i, s in enumerate(sentences):
        if terms[i] and any(len(t) > len(s) and t not in drop and _restates(terms[i], terms[j])
                            for j, t in enumerate(sentences) if j != i):
            drop.add(s)
    return [[s for s in p if s not in drop] for p in paragraphs], len(drop)


def _fact_terms(sentence: str) -> frozenset[str]:
    return frozenset(t for t in content_tokens(sentence) if len(t) >= 2 or t.isdigit())


def _restates(short: frozenset[str], long: frozenset[str]) -> bool:
    if any(any(c.isdigit() for c in t) and t not in long for t in short):
        return False
    held = sum(1 for t in short if t in long or any(len(u) >= 2 and len(t) >= 2 and (u.startswith(t) or t.startswith(u))
                                                 for u in long))
    return held / len(short) >= RESTATED_COVERAGE


def chunk_document(doc: Document, max_chars: int = 500, overlap: int = 1, first_id: int = 0) -> list[Chunk]:
    """Windows of whole sentences, each at most `max_chars` (a longer sentence stands alone).

    Consecutive windows share `overlap` sentences so an answer that needs two
    neighbouring sentences is whole in some window.
    """
    spans = sentence_spans(doc.text)
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j = i + 1
        while j < len(spans) and spans[j][1] - spans[i][0] <= max_chars:
            j += 1
        start, end = spans[i][0], spans[j - 1][1]
        sents = tuple(Span(s - start, e - start) for s, e in spans[i:j])
        chunks.append(Chunk(id=first_id + len(chunks), doc_id=doc.id, title=doc.title,
                            text=doc.text[start:end], start=start, end=end, sentences=sents))
        if j >= len(spans):
            break
        i = max(i + 1, j - overlap)
    return chunks


def chunk_documents(docs: list[Document], max_chars: int = 500, overlap: int = 1) -> list[Chunk]:
    """All documents' chunks with ids 0..n-1 in corpus order."""
    chunks: list[Chunk] = []
    for doc in docs:
        chunks.extend(chunk_document(doc, max_chars, overlap, first_id=len(chunks)))
    return chunks


