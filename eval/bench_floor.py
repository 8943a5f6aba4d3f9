"""Warm ask latency without the host's noise: each question's fastest of several rounds.

    python eval/bench_floor.py                  # the default reader, 100 questions x 3 rounds
    python eval/bench_floor.py --rounds 5 --questions 50

On a shared VM a few asks in a hundred stall for tens of milliseconds (steal time), so eval/bench.py's
p95 moves by 100 ms between runs of the same code. The fastest of a question's rounds is what the
code itself costs: if its p95 is over a target, noise is not the reason. Prints, for retrieval and
for whole asks, p50 / p95 / max of the per-question minimum, the same over every round, and the
questions slowest at their fastest.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from bench import questions  # noqa: E402
from qa.conversation import Conversation  # noqa: E402
from qa.evaluation.metrics import percentile  # noqa: E402
from qa.pipeline import load_pipeline  # noqa: E402
from qa.settings import Settings  # noqa: E402


def timed(fn) -> float:
    """Milliseconds one call of fn() takes."""
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def summary(name: str, runs: dict[str, list[float]]) -> str:
    """One row: p50 / p95 / max of each question's fastest round, then p50 / p95 over all rounds."""
    floor = [min(v) for v in runs.values()]
    every = [x for v in runs.values() for x in v]
    return (f"| {name} | {statistics.median(floor):.1f} / {percentile(floor, 95):.1f} / {max(floor):.1f} | "
            f"{statistics.median(every):.1f} / {percentile(every, 95):.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--questions", type=int, default=100)
    args = ap.parse_args()
    if args.rounds < 1 or args.questions < 1:
        ap.error("--rounds and --questions must be at least 1")
    pipe = load_pipeline(Settings.from_env())
    pipe.reader.warm()
    qs = list(dict.fromkeys(questions(args.questions)))
    for q in qs[:5]:
        pipe.ask(q, Conversation())          # first calls load Kiwi's and the model's lazy parts
    retrieve: dict[str, list[float]] = {q: [] for q in qs}
    ask: dict[str, list[float]] = {q: [] for q in qs}
    for r in range(args.rounds):
        for q in (qs if r % 2 == 0 else qs[::-1]):   # reversed every other round: drift is shared
            retrieve[q].append(timed(lambda: pipe.retriever.retrieve(q, pipe.settings.k)))
            ask[q].append(timed(lambda: pipe.ask(q, Conversation())))
    print(f"{len(qs)} questions x {args.rounds} rounds, ms\n")
    print("| stage | fastest round per question: p50 / p95 / max | every round: p50 / p95 |")
    print("|---|---|---|")
    print(summary("retrieval", retrieve))
    print(summary("whole ask", ask))
    print("\nslowest at their fastest:")
    for q in sorted(qs, key=lambda q: -min(ask[q]))[:8]:
        print(f"  {min(ask[q]):6.1f} ms  {q}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
