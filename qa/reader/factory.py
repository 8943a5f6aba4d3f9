"""The reader a `Settings` names: `rule`, `neural` (the trained span model) or `hybrid` (both).

    make_reader(Settings(reader="rule"))     -> RuleReader
    make_reader(Settings(reader="neural"))   -> NeuralReader (loads the span model; refuses a missing or
                                                mismatched weights file with how to fix it)
    make_reader(Settings(reader="hybrid"))   -> HybridReader (rule candidates re-ranked by the span model)
"""
from __future__ import annotations

from ..settings import Settings
from .base import Reader


def make_reader(settings: Settings) -> Reader:
    from .rule_reader import RuleReader
    if settings.reader == "rule":
        return RuleReader(abstain_threshold=settings.abstain_threshold)
    neural = make_neural_reader(settings)
    if settings.reader == "neural":
        return neural
    from .hybrid import HybridReader
    return HybridReader(RuleReader(abstain_threshold=settings.abstain_threshold), neural.scorer)


def make_neural_reader(settings: Settings):
    from .neural import NeuralReader, load_span_scorer
    from .neural.scorer import read_manifest
    cal = read_manifest().get("calibration") or {}
    return NeuralReader(load_span_scorer(), settings.abstain_threshold,
                        calibration=(float(cal.get("slope", 1.0)), float(cal.get("bias", 0.0))))
