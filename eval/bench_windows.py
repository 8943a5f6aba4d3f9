"""The span model's windows: one padded batch against batches of about one length (`batches()`), side by side.

    python eval/bench_windows.py              # the hybrid's reads over our own set, 3 alternating rounds
    python eval/bench_windows.py --rounds 5

Records every read the hybrid reader hands the span model while it answers the
announcement set (question + its pieces), then times the same reads batched with several slacks
(padded tokens allowed per real token) in one process, alternating, and checks
that padding leaves the logits as they are.
Prints one markdown table. Numbers depend on the machine: compare within a run.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.evaluation.dataset import load_records  # noqa: E402
from qa.pipeline import load_pipeline  # noqa: E402
from qa.reader.neural import scorer as scorer_module  # noqa: E402
from qa.reader.neural.scorer import SLACK  # noqa: E402
from qa.settings import Settings  # noqa: E402

def recorded_reads(pipeline) -> list[tuple[str, list[str]]]:
    """(question, contexts) of every span-model read while the hybrid answers the set's single questions."""
    reads, plain = [], scorer_module.WindowScorer.predict

    def record(self, question, contexts, top=5):
        reads.append((question, list(contexts)))
        return plain(self, question, contexts, top)

    scorer_module.WindowScorer.predict = record
    try:
        for r in load_records():
            if not r.dialogue:
                pipeline.ask(r.items[0].question)
    finally:
        scorer_module.WindowScorer.predict = plain
    return reads


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    pipeline = load_pipeline(Settings.from_env().with_(reader="hybrid"))
    scorer = pipeline.reader.scorer
    scorer.warm()
    reads = recorded_reads(pipeline)
    windows = [[w for _, w in scorer.windows(q, contexts)] for q, contexts in reads]
    real = sum(len(w.ids) for ws in windows for w in ws)
    pad = sum(len(ws) * max(len(w.ids) for w in ws) for ws in windows)
    worst = max(float(np.abs(a - b).max()) for ws in windows
                for (a0, a1), (b0, b1) in zip(scorer.window_logits(ws, math.inf), scorer.window_logits(ws, 1.0))
                for a, b in ((a0, b0), (a1, b1)))
    ways = {f"slack {x}{' (shipped)' if x == SLACK else ''}{' = one padded batch' if math.isinf(x) else ''}": x
            for x in (math.inf, 1.5, SLACK, 1.1, 1.05, 1.0)}
    times: dict[str, list[float]] = {k: [] for k in ways}
    for _ in range(args.rounds):
        for name, slack in ways.items():
            for ws in windows:
                t = time.perf_counter()
                scorer.window_logits(ws, slack)
                times[name].append(1000 * (time.perf_counter() - t))
    print(f"{len(reads)} reads of the hybrid over our set, {sum(map(len, windows))} windows, "
          f"{pad} padded tokens for {real} real ({pad / real:.2f}x); largest logit difference {worst:.2g}; "
          f"{args.rounds} alternating rounds\n")
    print("| batches (`batches()` slack) | ms per read: mean | p50 | p95 |\n|---|---|---|---|")
    for name, ms in times.items():
        q = statistics.quantiles(ms, n=20)
        print(f"| {name} | {statistics.fmean(ms):.1f} | {statistics.median(ms):.1f} | {q[18]:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
