"""A linear ranker over candidate features, weights loaded from JSON.

    ranker = LinearRanker.load_default()
    ranker.score({"type": 1.0, "prox": 0.5, ...}) -> 2.31   (a logit)

The weights are trained by `python eval/train_reader.py` (logistic
regression on KorQuAD dev-a, articles at even positions only).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..errors import ModelError


class LinearRanker:
    """score(x) = bias + sum_i w_i * x_i over named features; unknown features weigh 0."""

    def __init__(self, weights: dict[str, float], bias: float = 0.0, meta: dict | None = None):
        self.weights = dict(weights)
        self.bias = float(bias)
        self.meta = meta or {}

    def score(self, feats: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(w.get(k, 0.0) * v for k, v in feats.items())

    def to_json(self) -> dict:
        return {"bias": self.bias, "weights": self.weights, "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict) -> "LinearRanker":
        return cls(data["weights"], data.get("bias", 0.0), data.get("meta"))

    @staticmethod
    def load_default(name: str = "ranker.json") -> "LinearRanker":
        """The shipped weights: ranker.json (the rule reader) or hybrid.json (the hybrid's combiner)."""
        return _default(name)


TRAINERS = {"ranker.json": "eval/train_reader.py", "hybrid.json": "eval/train_hybrid.py"}


@lru_cache(maxsize=4)
def _default(name: str) -> LinearRanker:
    try:
        raw = resources.files("qa.reader").joinpath(name).read_text(encoding="utf-8")
        return LinearRanker.from_json(json.loads(raw))
    except (FileNotFoundError, KeyError, TypeError, json.JSONDecodeError) as e:
        raise ModelError(f"reader weights qa/reader/{name} are missing or corrupt ({type(e).__name__}): reinstall "
                         f"the package or retrain with `python {TRAINERS.get(name, 'eval/train_reader.py')}`") from None
