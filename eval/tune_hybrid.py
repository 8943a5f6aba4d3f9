"""Choose HybridReader.WEIGHT on held-out KorQuAD dev-a (reader mode, gold paragraph given).

    python eval/tune_hybrid.py            # prints EM/F1 per weight; 0 = the rule reader alone

The held-out articles are the ones eval/train_neural_reader.py never trained on
(every 5th dev-a article). The rule reader's ranker was fit on all of dev-a,
so its own numbers here are optimistic; the weight is what is chosen.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.chunking import chunk_document  # noqa: E402
from qa.conversation import Resolved  # noqa: E402
from qa.evaluation.metrics import exact_match, f1  # noqa: E402
from qa.korean import normalize_text  # noqa: E402
from qa.reader.hybrid import HybridReader, agreement  # noqa: E402
from qa.reader.neural.reader import NeuralReader  # noqa: E402
from qa.reader.neural.scorer import load_span_scorer  # noqa: E402
from qa.reader.rule_reader import RuleReader  # noqa: E402
from qa.types import Document, Hit  # noqa: E402

KORQUAD = ROOT.parent / "shared" / "data" / "korquad" / "KorQuAD_v1.0_dev.json"
WEIGHTS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=474)
    args = ap.parse_args()
    data = json.loads(KORQUAD.read_text(encoding="utf-8"))["data"]
    rule = RuleReader(abstain_threshold=0.0)
    scorer = load_span_scorer()
    hybrid = HybridReader(rule, scorer)
    rows = []
    for ai in list(range(0, len(data), 2))[::5]:
        for pi, para in enumerate(data[ai]["paragraphs"]):
            doc = Document(f"{ai}:{pi}", data[ai]["title"], normalize_text(para["context"]))
            hit = Hit(1, 1.0, chunk_document(doc, max_chars=10**6, overlap=0)[0])
            for qa in para["qas"]:
                if len(rows) >= args.limit:
                    break
                q = qa["question"]
                scored = rule.candidates(Resolved(q, q), [hit], {doc.id: doc})
                votes = hybrid.votes(q, [hit])
                golds = [a["text"] for a in qa["answers"]]
                neural = NeuralReader(scorer, 0.0).read(q, Resolved(q, q), [hit], {doc.id: doc})
                rows.append((golds, [(s.score, agreement(s, votes), s.cand.text) for s in scored], neural.text))
    print(f"{len(rows)} held-out dev-a questions (reader mode)\n\n| weight | EM | F1 |\n|---|---|---|")
    n_em = sum(exact_match(t, g) for g, _, t in rows) / len(rows)
    n_f1 = sum(f1(t, g) for g, _, t in rows) / len(rows)
    print(f"| neural alone | {100 * n_em:.1f} | {100 * n_f1:.1f} |")
    for w in WEIGHTS:
        em = f = 0.0
        for golds, cands, _ in rows:
            text = max(cands, key=lambda c: c[0] + w * c[1])[2] if cands else None
            em += exact_match(text, golds)
            f += f1(text, golds)
        print(f"| {w:g} | {100 * em / len(rows):.1f} | {100 * f / len(rows):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
