"""Choose HybridReader's WEIGHT and SENTENCES on held-out KorQuAD dev-a (reader mode, gold paragraph given).

    python eval/tune_hybrid.py                     # EM/F1 per weight and per number of sentences read
    python eval/tune_hybrid.py --sentences 0 2     # 0 = the model reads whole passages

The held-out articles are the ones eval/train_neural_reader.py never trained on
(every 5th dev-a article). The rule reader's ranker was fit on all of dev-a,
so its own numbers here are optimistic; the weight is what is chosen.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.conversation import Resolved  # noqa: E402
from qa.evaluation.korquad import gold_passages, load_korquad, questions, split_articles  # noqa: E402
from qa.evaluation.metrics import exact_match, f1  # noqa: E402
from qa.reader.hybrid import HybridReader, agreement  # noqa: E402
from qa.reader.neural.reader import NeuralReader  # noqa: E402
from qa.reader.neural.scorer import load_span_scorer  # noqa: E402
from qa.reader.rule_reader import RuleReader  # noqa: E402

KORQUAD = ROOT.parent / "shared" / "data" / "korquad" / "KorQuAD_v1.0_dev.json"
WEIGHTS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=474)
    ap.add_argument("--sentences", type=int, nargs="+", default=[0, 1, 2, 3])
    args = ap.parse_args()
    rule = RuleReader(abstain_threshold=0.0)
    scorer = load_span_scorer()
    neural = NeuralReader(scorer, 0.0)
    hybrids = {n: HybridReader(rule, scorer, sentences=n) for n in args.sentences}
    rows, seconds = [], dict.fromkeys(args.sentences, 0.0)
    held_out = questions(split_articles(load_korquad(KORQUAD), "dev-a")[::5], args.limit)
    for q, doc, hit in gold_passages(held_out):
        resolved, docs = Resolved(q.question, q.question), {doc.id: doc}
        scored = rule.candidates(resolved, [hit], docs)
        agree = {}
        for n, hybrid in hybrids.items():
            t0 = time.perf_counter()
            votes = hybrid.votes(q.question, scored, [hit])
            seconds[n] += time.perf_counter() - t0
            agree[n] = [agreement(s, votes) for s in scored]
        answer = neural.read(q.question, resolved, [hit], docs)
        rows.append((list(q.answers), [s.score for s in scored], [s.cand.text for s in scored], agree, answer.text))
    n_em = sum(exact_match(r[-1], r[0]) for r in rows) / len(rows)
    n_f1 = sum(f1(r[-1], r[0]) for r in rows) / len(rows)
    print(f"{len(rows)} held-out dev-a questions (reader mode); neural alone: EM {100 * n_em:.1f} F1 {100 * n_f1:.1f}")
    print("\nEM / F1 by weight (0 = the rule reader alone) and sentences read (0 = whole passages)\n")
    print("| weight | " + " | ".join(f"sentences {n}" for n in args.sentences) + " |")
    print("|---|" + "---|" * len(args.sentences))
    for w in WEIGHTS:
        cells = []
        for n in args.sentences:
            em = f = 0.0
            for golds, scores, texts, agree, _ in rows:
                best = max(range(len(scores)), key=lambda i: scores[i] + w * agree[n][i], default=None)
                text = texts[best] if best is not None else None
                em += exact_match(text, golds)
                f += f1(text, golds)
            cells.append(f"{100 * em / len(rows):.1f} / {100 * f / len(rows):.1f}")
        print(f"| {w:g} | " + " | ".join(cells) + " |")
    print("| vote ms / question | " + " | ".join(f"{1000 * seconds[n] / len(rows):.0f}" for n in args.sentences) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
