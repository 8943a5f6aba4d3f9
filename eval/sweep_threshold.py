"""Choose the abstention threshold: count both kinds of error at each value.

    python eval/sweep_threshold.py [FILE.jsonl]

Runs the pipeline with abstention off, keeps each answer's confidence, then
prints for each threshold how many unanswerable questions would still get an
answer (missed abstentions) and how many answerable ones would be refused
(false abstentions, and how many of those were right). The default
(Settings.abstain_threshold = 0.35) sits where their sum is smallest.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa import Conversation, Settings, load_pipeline  # noqa: E402
from qa.evaluation.dataset import load_records  # noqa: E402
from qa.evaluation.metrics import exact_match  # noqa: E402

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval" / "announcement.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = load_pipeline(Settings(index_root=Path(tmp), abstain_threshold=0.0))
        rows = []
        for record in load_records([path]):
            conversation = Conversation()
            for item in record.items:
                answer = pipeline.ask(item.question, conversation)
                good = bool(item.answers) and exact_match(answer.text or "", item.answers)
                rows.append((answer.confidence, bool(item.answers), good))
    print("| threshold | missed abstentions | false abstentions (of them right) | correct answers kept |")
    print("|---|---|---|---|")
    for th in THRESHOLDS:
        missed = sum(1 for c, answerable, _ in rows if not answerable and c >= th)
        false_abs = [good for c, answerable, good in rows if answerable and c < th]
        kept = sum(1 for c, answerable, good in rows if good and c >= th)
        print(f"| {th:.2f} | {missed} | {len(false_abs)} ({sum(map(int, false_abs))}) | {kept} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
