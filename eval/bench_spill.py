"""Warm asks with the hybrid reading a passage a little over one window whole, or only the sentences
that fit one window (`read_spill`), side by side in one process.

    python eval/bench_spill.py                    # spill 0 (the default) against 64, 3 rounds
    python eval/bench_spill.py --spills 0 32 64 128 --rounds 5

Asks the announcement set's single questions (as eval/bench.py does) with each spill in turn,
question by question, the order reversed every other round, so the machine's drift is shared.
Prints one markdown table: p50 / p95 / mean ms per spill and how many answers differ from the first
spill's. Numbers depend on the machine: compare within a run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.conversation import Conversation  # noqa: E402
from qa.evaluation.dataset import load_records  # noqa: E402
from qa.evaluation.metrics import percentile  # noqa: E402
from qa.pipeline import load_pipeline  # noqa: E402
from qa.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spills", type=int, nargs="+", default=[0, 64])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    pipeline = load_pipeline(Settings.from_env().with_(reader="hybrid"))
    reader = pipeline.reader
    reader.warm()
    questions = [r.items[0].question for r in load_records() if not r.dialogue]
    for q in questions[:5]:                       # first reads fill caches (Kiwi, tokens)
        pipeline.ask(q, Conversation())
    times = {s: [] for s in args.spills}
    answers = {s: {} for s in args.spills}
    for r in range(args.rounds):
        for q in questions:
            for spill in (args.spills if r % 2 == 0 else args.spills[::-1]):
                reader.spill = spill
                t = time.perf_counter()
                answers[spill][q] = pipeline.ask(q, Conversation()).text
                times[spill].append((time.perf_counter() - t) * 1000)
    first = args.spills[0]
    print(f"`python eval/bench_spill.py --spills {' '.join(map(str, args.spills))} --rounds {args.rounds}`: "
          f"{len(questions)} questions x {args.rounds} rounds\n")
    print("| read_spill | p50 ms | p95 ms | mean ms | answers unlike spill " + str(first) + " |")
    print("|---|---|---|---|---|")
    for s, ms in times.items():
        differ = sum(answers[s][q] != answers[first][q] for q in questions)
        print(f"| {s} | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} | {statistics.mean(ms):.1f} | {differ} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
