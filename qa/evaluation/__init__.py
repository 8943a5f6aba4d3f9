"""Evaluation harness: metrics, evaluation sets, the runner and KorQuAD.

    from qa.evaluation import evaluate, load_records, format_table
    report = evaluate(load_pipeline(), load_records())   # bundled eval/announcement.jsonl
    print(format_table(report))

Command line: `qa eval --help`. Nothing heavy is imported here.
"""
from .dataset import Item, Record, load_records
from .metrics import em_nospace, exact_match, f1, normalize_answer
from .runner import check_thresholds, evaluate, format_table

__all__ = ["Item", "Record", "check_thresholds", "em_nospace", "evaluate", "exact_match", "f1", "format_table",
           "load_records", "normalize_answer"]
