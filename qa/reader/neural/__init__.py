"""The neural span reader (torch is imported only when a model is loaded).

    from qa.reader.neural import NeuralReader, load_span_scorer
"""
from .reader import NeuralReader
from .scorer import SpanPrediction, SpanScorer, load_span_scorer

__all__ = ["NeuralReader", "SpanPrediction", "SpanScorer", "load_span_scorer"]
