"""BM25 over Korean content morphemes: bm25s computes the weights, numpy reads them.

    idx = LexicalIndex.build(["NHN이 2100억원을 투자한다", ...])
    idx.search("NHN 투자액은?", k=5) -> [(chunk_row, score), ...]

bm25s (method "lucene") stores every (term, chunk) BM25 weight in a CSC matrix, so a
query's score is a sum of matrix rows. A loaded index reads bm25s's files itself and
sums those rows here: asks skip importing bm25s and SciPy (~0.3 s of a cold `qa ask`), and the
files on disk stay a bm25s index (`bm25s.BM25.load(dir)` opens them).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .korean import content_tokens

K1, B = 1.2, 0.75   # measured on KorQuAD dev-a; bm25s defaults (1.5) were slightly worse
METHOD = "lucene"   # an eager method without a non-occurrence term: a score is the sum of stored weights
_ARRAYS = ("data", "indices", "indptr")


class LexicalIndex:
    """BM25 weights of chunk texts tokenized by `content_tokens`: term -> (chunk rows, weights)."""

    def __init__(self, vocab: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 num_docs: int):
        self._vocab = vocab
        self._data, self._indices, self._indptr = data, indices, indptr
        self.num_docs = num_docs

    @classmethod
    def build(cls, texts: list[str], *, progress: bool = False) -> "LexicalIndex":
        import bm25s
        from tqdm import tqdm
        tokens = [content_tokens(t) or ["\u2205"] for t in tqdm(texts, desc="morphemes", disable=not progress)]
        bm25 = bm25s.BM25(k1=K1, b=B, method=METHOD)
        bm25.index(tokens, show_progress=False)
        s = bm25.scores
        return cls(rows_of(bm25.vocab_dict, len(s["indptr"]) - 1), s["data"], s["indices"], s["indptr"],
                   int(s["num_docs"]))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for `query` (zeros when no term is known)."""
        ids = [self._vocab[t] for t in content_tokens(query) if t in self._vocab]
        return sum_rows(self._data, self._indices, self._indptr, ids, self.num_docs)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Top-k (row, score) with score > 0, ties broken by row order."""
        return top_k(self.scores(query), k)

    def save(self, directory: Path) -> None:
        """Write bm25s's files (params, vocab, CSC arrays) through bm25s itself."""
        import bm25s
        bm25 = bm25s.BM25(k1=K1, b=B, method=METHOD)
        bm25.scores = {"data": self._data, "indices": self._indices, "indptr": self._indptr,
                       "num_docs": self.num_docs}
        bm25.vocab_dict = dict(self._vocab)
        bm25.vocab_dict.setdefault("", len(self._indptr) - 1)            # the empty token bm25s appends
        bm25.nonoccurrence_array = None                                  # "lucene" has none
        bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        """Read a saved index; ValueError when its files do not make one (the store says: rebuild)."""
        directory = Path(directory)
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != METHOD:
            raise ValueError(f"BM25 method {params.get('method')!r}, this code reads {METHOD!r}")
        vocab = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
        data, indices, indptr = (np.load(directory / f"{a}.csc.index.npy", allow_pickle=False) for a in _ARRAYS)
        num_docs = params.get("num_docs")
        check_csc(data, indices, indptr, num_docs)
        return cls(rows_of(vocab, len(indptr) - 1), data, indices, indptr, num_docs)


def rows_of(vocab: dict, n_terms: int) -> dict[str, int]:
    """The terms that have a weight row (bm25s adds an empty token after the last row).

    >>> rows_of({"a": 0, "b": 1, "": 2}, 2)
    {'a': 0, 'b': 1}
    """
    if not isinstance(vocab, dict) or not all(type(i) is int and i >= 0 for i in vocab.values()) \
            or len(set(vocab.values())) != len(vocab):
        raise ValueError("the vocabulary is not a term -> row map")
    return {t: i for t, i in vocab.items() if i < n_terms}


def check_csc(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs) -> None:
    """Raise ValueError unless the arrays are a term-major sparse matrix of `num_docs` columns.

    >>> check_csc(np.ones(2), np.array([0, 1]), np.array([0, 1, 2]), 2)
    >>> check_csc(np.ones(2), np.array([0, 5]), np.array([0, 1, 2]), 2)
    Traceback (most recent call last):
    ...
    ValueError: a chunk row outside 0..1
    """
    if not isinstance(num_docs, int) or isinstance(num_docs, bool) or num_docs < 0:
        raise ValueError(f"num_docs {num_docs!r} is not a count")
    if data.ndim != 1 or indices.ndim != 1 or indptr.ndim != 1 or len(data) != len(indices):
        raise ValueError("the weight arrays differ in shape")
    if indices.dtype.kind not in "iu" or indptr.dtype.kind not in "iu" or data.dtype.kind != "f":
        raise ValueError("the weight arrays have the wrong types")
    if len(indptr) == 0 or (indptr[0] != 0 or indptr[-1] != len(data) or np.any(np.diff(indptr) < 0)):
        raise ValueError("the term offsets are not increasing")
    if len(indices) and (indices.min() < 0 or indices.max() >= num_docs):
        raise ValueError(f"a chunk row outside 0..{num_docs - 1}")


def sum_rows(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, ids: list[int],
             num_docs: int) -> np.ndarray:
    """Per chunk, the sum of the stored weights of terms `ids` (a repeated term counts again).

    >>> sum_rows(np.array([1., 2., 4.]), np.array([0, 2, 2]), np.array([0, 2, 3]), [0, 1, 1], 3)
    array([ 1.,  0., 10.], dtype=float32)
    """
    scores = np.zeros(num_docs, dtype=np.float32)
    for t in ids:           # in query order, as bm25s adds them: the same float32 sums
        lo, hi = indptr[t], indptr[t + 1]
        np.add.at(scores, indices[lo:hi], data[lo:hi])
    return scores


def top_k(scores: np.ndarray, k: int, min_score: float = 0.0) -> list[tuple[int, float]]:
    """Indices of the k largest scores above `min_score`, deterministic on ties.

    >>> top_k(np.array([0.5, 2.0, 0.5, 0.0]), 3)
    [(1, 2.0), (0, 0.5), (2, 0.5)]
    """
    order = np.lexsort((np.arange(len(scores)), -scores))  # score desc, then row asc
    return [(int(i), float(scores[i])) for i in order[:k] if scores[i] > min_score]
