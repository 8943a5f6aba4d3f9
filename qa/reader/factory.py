"""The reader a `Settings` names: `rule` (default) or `neural` (the trained span model).

    make_reader(Settings(reader="rule"))     -> RuleReader
    make_reader(Settings(reader="neural"))   -> NeuralReader (loads torch and the span model; refuses a
                                                missing or mismatched weights file with how to fix it)
"""
from __future__ import annotations

from ..settings import Settings
from .base import Reader


def make_reader(settings: Settings) -> Reader:
    if settings.reader == "neural":
        from .neural import NeuralReader, load_span_scorer
        from .neural.scorer import read_manifest
        cal = read_manifest().get("calibration") or {}
        return NeuralReader(load_span_scorer(), settings.abstain_threshold,
                            calibration=(float(cal.get("slope", 1.0)), float(cal.get("bias", 0.0))))
    from .rule_reader import RuleReader
    return RuleReader(abstain_threshold=settings.abstain_threshold)
