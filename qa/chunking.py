"""Duplicate removal and sentence-window chunking.

    docs, report = dedupe(load_paths([...]))   # each fact kept once
    chunks = chunk_documents(docs, max_chars=500, overlap=1)

Invariants (tested, also on arbitrary Unicode): `chunk.text ==
document.text[chunk.start:chunk.end]` and `0 < len(chunk.text) <= max_chars`.
Both steps take time linear in the text: sentences are compared through hash
buckets, never all pairs, so a megabyte file of one repeated line cleans in seconds.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

import numpy as np

from .korean import content_tokens, iter_sentence_spans, sentence_spans
from .types import Chunk, Document, Span

# Bump when the cleaning or chunking rules change: indexes built under another
# version are stale (2: restated headlines dropped; 3: sentences and chunks
# capped at max_chars, long lines split in blocks).
CHUNKING_VERSION = 3
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


# MinHash LSH for near-duplicates: 20 bands of 5 hashes. Two sentences with
# trigram Jaccard >= 0.9 share a band with probability 1 - (1 - 0.9**5)**20
# > 0.99999998; candidates are then checked exactly, so nothing dissimilar is
# dropped. Each new sentence is compared with its bucket-mates only, never with
# every sentence kept so far (that was quadratic on big repetitive files).
_BANDS, _ROWS = 20, 5
_BUCKET_CAP = 32          # kept sentences checked per bucket: bounds the work on adversarial text
_SALTS = np.random.default_rng(20240601).integers(1, 2**63, size=(2, _BANDS * _ROWS), dtype=np.uint64)


def _minhash(key: str) -> np.ndarray:
    """MinHash signature of the character trigrams of `key` (deterministic across runs)."""
    cp = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    codes = np.unique((cp[:-2] << np.uint64(42)) | (cp[1:-1] << np.uint64(21)) | cp[2:])   # exact trigram ids
    mixed = (codes[:, None] ^ _SALTS[0]) * _SALTS[1]       # wrapping multiply: one hash per column
    mixed ^= mixed >> np.uint64(29)
    return mixed.min(axis=0)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


class _Seen:
    """Sentences kept so far: exact keys in a set, near-duplicates through LSH buckets."""

    def __init__(self):
        self.keys: set[str] = set()
        self.grams: list[frozenset[str]] = []
        self.buckets: dict[bytes, list[int]] = {}

    def is_duplicate(self, key: str) -> bool:
        if not key or key in self.keys:
            return True
        if len(key) < _MIN_NEAR_DUP_LEN:
            return False
        grams = _trigrams(key)
        checked: set[int] = set()
        for band in self._bands(key):
            for idx in self.buckets.get(band, ()):
                if idx not in checked:
                    checked.add(idx)
                    if _jaccard(grams, self.grams[idx]) >= NEAR_DUP_JACCARD:
                        return True
        return False

    def add(self, key: str) -> None:
        self.keys.add(key)
        if len(key) >= _MIN_NEAR_DUP_LEN:
            idx = len(self.grams)
            self.grams.append(_trigrams(key))
            for band in self._bands(key):
                bucket = self.buckets.setdefault(band, [])
                if len(bucket) < _BUCKET_CAP:
                    bucket.append(idx)

    def _bands(self, key: str) -> list[bytes]:
        sig = _minhash(key)
        return [bytes([b]) + sig[b * _ROWS:(b + 1) * _ROWS].tobytes() for b in range(_BANDS)]


def dedupe(docs: list[Document], progress: bool = False) -> tuple[list[Document], DedupeReport]:
    """Drop exact and near-exact duplicate paragraphs and sentences, keeping the first.

    Works across documents too, so a fact copied into two files is indexed
    once. A document whose every sentence is a duplicate is dropped. Time is
    linear in the text (a bar over its characters shows with `progress`).

    >>> docs = [Document("a", "a", "같은 문장이다. 같은 문장이다! 다른 문장이다.")]
    >>> [d.text for d in dedupe(docs)[0]], dedupe(docs)[1].dropped
    (['같은 문장이다. 다른 문장이다.'], 1)
    """
    from tqdm import tqdm
    seen = _Seen()
    out, total, dropped, dropped_par, restated = [], 0, 0, 0, 0
    with tqdm(total=sum(len(d.text) + 1 for d in docs), desc="cleaning", unit="char", unit_scale=True,
              disable=not progress) as bar:
        for doc in docs:
            kept_paragraphs = []
            for para in doc.text.split("\n"):
                kept, n_spans, done = [], 0, 0
                for s, e in iter_sentence_spans(para):
                    n_spans += 1
                    key = dedupe_key(para[s:e])
                    if seen.is_duplicate(key):
                        dropped += 1
                    else:
                        seen.add(key)
                        kept.append(para[s:e])
                    bar.update(e - done)
                    done = e
                bar.update(len(para) + 1 - done)
                total += n_spans
                kept_paragraphs.append(kept)
                if n_spans and not kept:
                    dropped_par += 1
            kept_paragraphs, n_restated = drop_restated(kept_paragraphs, progress)
            restated += n_restated
            paragraphs = [" ".join(k) for k in kept_paragraphs if k]
            if paragraphs:
                out.append(replace(doc, text="\n".join(paragraphs)))
    return out, DedupeReport(total, dropped, dropped_par, restated)


RESTATED_COVERAGE = 0.85   # share of a sentence's words another sentence must hold


def drop_restated(paragraphs: list[list[str]], progress: bool = False) -> tuple[list[list[str]], int]:
    """Drop sentences whose facts a longer sentence of the same document states.

    News headlines restate the body ("NHN 2100억 투자 데이터센터, 국내최고슈퍼컴
    3배성능" vs "NHN이 2100억원을 투자해 ... 3배 이상 빠른"): indexing both puts
    the same fact in two passages, and the terse one wins BM25. A sentence goes
    when another, longer one holds all of its numbers and 85% of its words.
    Only sentences sharing its rarest words are compared (see `_TermIndex`).

    >>> drop_restated([["NHN 2100억 투자"], ["NHN이 2100억원을 광주에 투자한다."]])
    ([[], ['NHN이 2100억원을 광주에 투자한다.']], 1)
    """
    from tqdm import tqdm
    sentences = [s for p in paragraphs for s in p]
    bar = tqdm(sentences, desc="headlines", unit="sentence", leave=False,
               disable=not progress or len(sentences) < 1000)   # only a big document takes long
    terms = [_fact_terms(s) for s in bar]
    index = _TermIndex(terms)
    drop: set[str] = set()
    for i, s in enumerate(sentences):
        if terms[i] and any(len(sentences[j]) > len(s) and sentences[j] not in drop
                            and _restates(terms[i], index.by_key[j]) for j in index.candidates(i)):
            drop.add(s)
    return [[s for s in p if s not in drop] for p in paragraphs], len(drop)


def _fact_terms(sentence: str) -> frozenset[str]:
    return frozenset(t for t in content_tokens(sentence) if len(t) >= 2 or t.isdigit())


def _term_key(term: str) -> str:
    """Terms that can "hold" each other (equal, or one a prefix of the other, both
    >= 2 characters) always share this key: their first two characters."""
    return term[:2]


_MAX_RESTATE_CANDIDATES = 64    # longer sentences compared per sentence: bounds adversarial text


class _TermIndex:
    """Which sentences hold which term keys, to find the few that may restate a sentence.

    A sentence S is restated by L only if L holds 85% of S's terms; so L must
    share a key with any set of S's terms larger than the 15% allowed to be
    missing (prefix filtering). Taking the rarest keys keeps the candidates few.
    """

    def __init__(self, terms: list[frozenset[str]]):
        self.terms = terms
        self.by_key: list[dict[str, list[str]]] = []
        self.postings: dict[str, list[int]] = {}
        for j, ts in enumerate(terms):
            keyed: dict[str, list[str]] = {}
            for t in ts:
                keyed.setdefault(_term_key(t), []).append(t)
            self.by_key.append(keyed)
            for k in keyed:
                self.postings.setdefault(k, []).append(j)

    def candidates(self, i: int) -> list[int]:
        keyed = self.by_key[i]
        n = len(self.terms[i])
        may_miss = n - _min_held(n)
        out: set[int] = set()
        covered = 0
        for k in sorted(keyed, key=lambda k: (len(self.postings[k]), k)):
            for j in self.postings[k]:
                if j != i:
                    out.add(j)
                    if len(out) >= _MAX_RESTATE_CANDIDATES:    # text too uniform to narrow down: stop
                        return sorted(out)
            covered += len(keyed[k])
            if covered > may_miss:
                break
        return sorted(out)


def _min_held(n: int) -> int:
    """Fewest of `n` terms another sentence must hold to restate it."""
    return next(h for h in range(n + 1) if h / n >= RESTATED_COVERAGE)


def _restates(short: frozenset[str], long: dict[str, list[str]]) -> bool:
    """Does a sentence with terms `long` (grouped by `_term_key`) hold all numbers and
    85% of the terms `short`? A term is held as written or as a prefix either way."""
    def held(t: str) -> bool:
        return any(u == t or (len(u) >= 2 and len(t) >= 2 and (u.startswith(t) or t.startswith(u)))
                   for u in long.get(_term_key(t), ()))
    if any(any(c.isdigit() for c in t) and t not in long.get(_term_key(t), ()) for t in short):
        return False
    return sum(1 for t in short if held(t)) / len(short) >= RESTATED_COVERAGE


def chunk_document(doc: Document, max_chars: int = 500, overlap: int = 1, first_id: int = 0) -> list[Chunk]:
    """Windows of whole sentences, each at most `max_chars` characters.

    A sentence longer than `max_chars` is cut at spaces first (see
    `korean.cap_span`), so the bound always holds. Consecutive windows share
    `overlap` sentences so an answer that needs two neighbouring sentences is
    whole in some window.
    """
    spans = sentence_spans(doc.text, max_chars=max_chars)
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


def chunk_documents(docs: list[Document], max_chars: int = 500, overlap: int = 1,
                    progress: bool = False) -> list[Chunk]:
    """All documents' chunks with ids 0..n-1 in corpus order (a bar over documents with `progress`)."""
    from tqdm import tqdm
    chunks: list[Chunk] = []
    for doc in tqdm(docs, desc="chunking", unit="doc", disable=not progress):
        chunks.extend(chunk_document(doc, max_chars, overlap, first_id=len(chunks)))
    return chunks


