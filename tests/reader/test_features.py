"""Ranker features of a candidate span (qa/reader/features.py)."""
from qa.reader.candidates import spans
from qa.reader.features import _clause_coverage
from qa.reader.rule_reader import _read_sentence

SENTENCE = "자동차의 경우 자율주행 등 4개 과제, 헬스케어의 경우 유전체 분석 등 6개 과제로 추진된다."


def test_clause_coverage_counts_the_span_own_clause_only():
    terms = {"헬스케어": 1.0, "과제": 1.0}
    ctx = _read_sentence(SENTENCE, terms, None, 1, 0.0)
    by_text = {c.text: c for c in spans(SENTENCE)}
    assert _clause_coverage(ctx, by_text["6개"], terms) == 1.0
    assert _clause_coverage(ctx, by_text["4개"], terms) == 0.5     # 과제 only: 헬스케어 is in the next clause
