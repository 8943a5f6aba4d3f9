"""BM25 as sparse vectors: the local engine's bm25s scores, as an inner product.

bm25s (method "lucene", k1/b from qa.lexical) scores a chunk d for query terms
q1..qn (repeats counted) as

    sum_i idf(qi) * tf(qi, d) / (tf(qi, d) + k1 * (1 - b + b * |d| / avgdl))
    idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))

so a chunk vector holding that product per term, and a query vector holding
each term's count, give the same score as a dot product. Terms are the same
Kiwi content morphemes (`content_tokens`); their vector index is a 32-bit
hash, since a cluster-wide vocabulary table would not scale.

    stats = BM25Stats.from_tokens([["투자", "NHN"], ["투자"]])
    doc_vector(["투자", "NHN"], stats)   -> {term_id("투자"): 0.18..., term_id("NHN"): 0.69...}
    query_vector("NHN 투자액은?")         -> {term_id("NHN"): 1.0, term_id("투자"): 1.0, ...}
"""
from __future__ import annotations

import math
import zlib
from collections import Counter
from dataclasses import dataclass, field

from ..korean import content_tokens
from ..lexical import B, K1

EMPTY = "\u2205"   # qa.lexical's stand-in token for a chunk without content words


def term_id(term: str) -> int:
    """A stable 32-bit id for a term (Milvus sparse indices are uint32).

    >>> term_id("투자") == term_id("투자") and 0 <= term_id("투자") < 2 ** 32
    True
    """
    return zlib.crc32(term.encode("utf-8"))


def chunk_tokens(text: str) -> list[str]:
    """A chunk's BM25 terms, exactly as qa.lexical indexes them."""
    return content_tokens(text) or [EMPTY]


@dataclass(frozen=True)
class BM25Stats:
    """Corpus statistics BM25 needs: chunk count, mean length, document frequencies."""

    n: int
    avgdl: float
    df: dict = field(compare=False, hash=False)

    @classmethod
    def from_tokens(cls, token_lists) -> "BM25Stats":
        """Stats of tokenized chunks.

        >>> s = BM25Stats.from_tokens([["a", "b", "a"], ["b"]]); (s.n, s.avgdl, s.df["a"], s.df["b"])
        (2, 2.0, 1, 2)
        """
        df: Counter = Counter()
        n = total = 0
        for tokens in token_lists:
            n += 1
            total += len(tokens)
            df.update(set(tokens))
        return cls(n, total / n if n else 0.0, dict(df))

    @classmethod
    def merge(cls, parts: list[tuple[int, int, Counter]]) -> "BM25Stats":
        """Stats from per-batch (chunks, tokens, df) partial counts (a distributed build)."""
        df: Counter = Counter()
        n = total = 0
        for pn, ptotal, pdf in parts:
            n += pn
            total += ptotal
            df.update(pdf)
        return cls(n, total / n if n else 0.0, dict(df))

    def idf(self, term: str) -> float:
        d = self.df[term]
        return math.log(1 + (self.n - d + 0.5) / (d + 0.5))


def doc_vector(tokens: list[str], stats: BM25Stats) -> dict[int, float]:
    """{term id: BM25 weight} of one tokenized chunk."""
    norm = K1 * (1 - B + B * len(tokens) / stats.avgdl)
    out: dict[int, float] = {}
    for term, tf in Counter(tokens).items():
        out[term_id(term)] = stats.idf(term) * tf / (tf + norm)
    return out


def query_vector(query: str) -> dict[int, float]:
    """{term id: count} of the query's content morphemes (empty when it has none).

    >>> query_vector("투자 투자") == {term_id("투자"): 2.0}
    True
    """
    return {term_id(t): float(c) for t, c in Counter(content_tokens(query)).items()}
