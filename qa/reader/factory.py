"""The reader a `Settings` names: `rule`, `neural` (the trained span model) or `hybrid` (both).

    make_reader(Settings(reader="rule"))     -> RuleReader
    make_reader(Settings(reader="neural"))   -> NeuralReader (loads the span model; refuses a missing or
                                                mismatched weights file with how to fix it)
    make_reader(Settings(reader="hybrid"))   -> HybridReader (rule candidates and model spans, one learned ranking;
                                                refuses a combiner fit for other weights)
"""
from __future__ import annotations

from ..settings import Settings
from .base import Reader


def make_reader(settings: Settings) -> Reader:
    from .rule_reader import RuleReader
    if settings.reader == "rule":
        return RuleReader(abstain_threshold=settings.abstain_threshold)
    # The hybrid's cascade answers many questions without the model: its session is made on first use.
    neural = make_neural_reader(settings, lazy=settings.reader == "hybrid")
    if settings.reader == "neural":
        return neural
    from .hybrid import HybridReader
    return HybridReader(RuleReader(abstain_threshold=settings.abstain_threshold), neural.scorer, shipped_combiner(),
                        calibration=(neural.slope, neural.bias), spill=settings.read_spill)


def shipped_combiner():
    """hybrid.json, refused when it was fit for another span model or rule ranker than the shipped ones."""
    import hashlib
    from importlib import resources

    from ..errors import ModelError
    from .neural.scorer import read_manifest
    from .ranker import LinearRanker
    combiner = LinearRanker.load_default("hybrid.json")
    ranker = hashlib.sha256(resources.files("qa.reader").joinpath("ranker.json").read_bytes()).hexdigest()
    for what, key, expected in (("span model", "span_model_sha256", read_manifest()["weights"]["sha256"]),
                                ("rule ranker", "ranker_sha256", ranker)):
        if combiner.meta.get(key) != expected:
            raise ModelError(f"qa/reader/hybrid.json was fit for another {what} than the installed one: refit it "
                             "with `python eval/train_hybrid.py`, or use `--reader rule`")
    return combiner


def make_neural_reader(settings: Settings, lazy: bool = False):
    from .neural import NeuralReader, load_span_scorer
    from .neural.scorer import read_manifest
    cal = read_manifest().get("calibration") or {}
    return NeuralReader(load_span_scorer(engine=settings.span_engine, lazy=lazy), settings.abstain_threshold,
                        calibration=(float(cal.get("slope", 1.0)), float(cal.get("bias", 0.0))))
