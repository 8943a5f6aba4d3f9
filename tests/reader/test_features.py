"""Ranker features of a candidate span (qa/reader/features.py)."""
from qa.reader.candidates import spans
from qa.reader.features import _clause_coverage
from qa.reader.rule_reader import _read_sentence

SENTENCE = "산업별 AI융합은 자동차의 경우 자율주행 등 4개 과제, 헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다."


def _coverage(terms: dict[str, float], text: str, occurrence: int = 0) -> float:
    ctx = _read_sentence(SENTENCE, terms, None, 1, 0.0)
    cand = [c for c in spans(SENTENCE) if c.text == text][occurrence]
    return _clause_coverage(ctx, cand, terms)


def test_clause_coverage_counts_the_span_own_clause_only():
    terms = {"헬스케어": 1.0, "과제": 1.0}
    assert _coverage(terms, "6개") == 1.0
    assert _coverage(terms, "4개") == 0.5          # 과제 only: 헬스케어 is in the next clause


def test_the_sentence_opening_topic_belongs_to_every_clause():
    # "산업별 AI융합은" is what both clauses are about: 융합 counts for 6개 as for 4개
    terms = {"헬스케어": 1.0, "융합": 1.0}
    assert _coverage(terms, "6개") == 1.0
    assert _coverage(terms, "4개") == 0.5
