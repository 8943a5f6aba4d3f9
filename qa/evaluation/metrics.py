"""Answer and retrieval metrics: pure functions, no model, no I/O.

Answer scoring follows the official KorQuAD 1.0 script:

    exact_match("2100억원", ["2,100억원"])   -> 1.0   (ASCII punctuation dropped)
    f1("향후 10년간", ["10년"])              -> 0.666...  (character F1)

Retrieval: the rank of the first gold passage per question (None = not
retrieved), then `recall_at_k(ranks, k)` and `mrr(ranks)` over questions.
"""
from __future__ import annotations

import math
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

# KorQuAD replaces these with a space (they often glue a title to a word:
# 《광장》은 -> " 광장 은"); other ASCII punctuation is deleted outright.
_SPACED = "'\"《》<>〈〉()‘’"
_SPACE_TABLE = str.maketrans({ch: " " for ch in _SPACED})
_DROP_TABLE = str.maketrans("", "", string.punctuation)


def normalize_answer(text: str) -> str:
    """KorQuAD 1.0 answer normalization, step for step as the official script.

    Replace ' " 《 》 < > 〈 〉 ( ) ‘ ’ with a space, lower-case, drop ASCII
    punctuation, collapse whitespace.

    >>> normalize_answer("《광장》(1960)")
    '광장 1960'
    >>> normalize_answer("  NHN, 2,100억원! ")
    'nhn 2100억원'
    >>> normalize_answer("‘AI 중심도시’")
    'ai 중심도시'
    """
    text = text.translate(_SPACE_TABLE).lower().translate(_DROP_TABLE)
    return " ".join(text.split())


def _prepare(text: str) -> str:
    # The pipeline NFC-normalizes every document, so compare in NFC too; for
    # NFC input (all of KorQuAD) this is exactly the official normalization.
    return normalize_answer(unicodedata.normalize("NFC", text))


def _check_golds(golds: Sequence[str]) -> None:
    if isinstance(golds, str):
        raise TypeError("golds must be a list of answer strings, not one string")
    if not golds:
        raise ValueError("no gold answers: an unanswerable question is scored by abstention, not by EM/F1")


def exact_match(pred: str | None, golds: Sequence[str]) -> float:
    """1.0 when the normalized prediction equals any normalized gold, else 0.0.

    `pred=None` (an abstention) is always wrong.

    >>> exact_match("(주)NHN", ["주 NHN"]), exact_match("2100억", ["2100억원"]), exact_match(None, ["x"])
    (1.0, 0.0, 0.0)
    """
    _check_golds(golds)
    if pred is None:
        return 0.0
    p = _prepare(pred)
    return float(any(p == _prepare(g) for g in golds))


def em_nospace(pred: str | None, golds: Sequence[str]) -> float:
    """Exact match that also ignores spacing (Korean spacing is often optional).

    >>> em_nospace("광주 과학기술원", ["광주과학기술원"]), exact_match("광주 과학기술원", ["광주과학기술원"])
    (1.0, 0.0)
    """
    _check_golds(golds)
    if pred is None:
        return 0.0
    p = _prepare(pred).replace(" ", "")
    return float(any(p == _prepare(g).replace(" ", "") for g in golds))


def _char_f1(pred: str, gold: str) -> float:
    # Whitespace-split words exploded into characters == the non-space characters.
    p_chars = list(_prepare(pred).replace(" ", ""))
    g_chars = list(_prepare(gold).replace(" ", ""))
    same = sum((Counter(p_chars) & Counter(g_chars)).values())
    if same == 0:
        return 0.0
    precision = same / len(p_chars)
    recall = same / len(g_chars)
    return 2 * precision * recall / (precision + recall)


def f1(pred: str | None, golds: Sequence[str]) -> float:
    """KorQuAD character-level F1, the max over `golds`; `pred=None` scores 0.

    "향후 10년간" vs "10년": 3 shared characters, precision 3/6, recall 3/3 -> 2/3.

    >>> round(f1("향후 10년간", ["10년"]), 4), f1("NHN", ["NHN", "엔에이치엔"]), f1("가", ["나"])
    (0.6667, 1.0, 0.0)
    """
    _check_golds(golds)
    if pred is None:
        return 0.0
    return max(_char_f1(pred, g) for g in golds)


def contains_answer(passage: str, golds: Iterable[str]) -> bool:
    """True when the passage contains any gold answer verbatim (both in NFC).

    >>> contains_answer("NHN은 2100억원을 투자한다.", ["2100억원"]), contains_answer("없음", ["2100억원"])
    (True, False)
    """
    text = unicodedata.normalize("NFC", passage)
    return any(g and unicodedata.normalize("NFC", g) in text for g in golds)


def first_rank(flags: Iterable[bool]) -> int | None:
    """1-based position of the first true flag, None when there is none.

    >>> first_rank([False, True, True]), first_rank([False])
    (2, None)
    """
    for i, ok in enumerate(flags, start=1):
        if ok:
            return i
    return None


def recall_at_k(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose gold passage is ranked within the top `k`.

    >>> recall_at_k([1, 3, None, 6], 3), recall_at_k([], 5)
    (0.5, 0.0)
    """
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr(ranks: Sequence[int | None]) -> float:
    """Mean reciprocal rank (a missing gold passage contributes 0).

    >>> mrr([1, 2, None, 4])
    0.4375
    """
    if not ranks:
        return 0.0
    return sum(1.0 / r for r in ranks if r is not None) / len(ranks)


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean, 0.0 for no values (keeps reports in [0, 1]).

    >>> mean([1.0, 0.0, 0.5]), mean([])
    (0.5, 0.0)
    """
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation, like numpy's default.

    >>> percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 95), percentile([], 50)
    (25.0, 38.5, 0.0)
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q must be within [0, 100], got {q}")
    if not values:
        return 0.0
    xs = sorted(float(v) for v in values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
