"""Compare fusion variants on KorQuAD open retrieval (dev-a by default; never tune on dev-b).

    python eval/bench_fusion.py [--split dev-a] [--limit N]

Prints Recall@1/5 and MRR of the gold paragraph for BM25 only, dense only and
weighted RRF variants, side by side, over one cached index of the split.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.evaluation.korquad import (load_korquad, open_pipeline, paragraph_documents,  # noqa: E402
                                   questions, split_articles)
from qa.retrieval import HybridRetriever  # noqa: E402
from qa.settings import Settings  # noqa: E402

VARIANTS = [("bm25 only", 0.0, 1.0), ("dense only", 1.0, 0.0), ("rrf 0.5/0.5", 0.5, 0.5),
            ("rrf 0.3 dense/0.7 bm25", 0.3, 0.7), ("rrf 0.2/0.8", 0.2, 0.8), ("rrf 0.4/0.6", 0.4, 0.6)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--korquad", type=Path, default=ROOT.parent / "shared/data/korquad/KorQuAD_v1.0_dev.json")
    ap.add_argument("--split", default="dev-a", choices=("dev-a", "dev-b"))
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    articles = split_articles(load_korquad(args.korquad), args.split)
    qs = questions(articles, args.limit)
    pipe = open_pipeline(args.split, paragraph_documents(articles), Settings(), progress=True)
    print(f"| variant | R@1 | R@5 | MRR |  ({args.split}, {len(qs)} questions)\n|---|---|---|---|")
    for name, dw, lw in VARIANTS:
        r = HybridRetriever(pipe.store, pipe.retriever.embedder, dense_weight=dw, lexical_weight=lw)
        r1 = r5 = mrr = 0.0
        for q in qs:
            ids = [h.chunk.doc_id for h in r.retrieve(q.question, 5)]
            if q.doc_id in ids:
                rank = ids.index(q.doc_id) + 1
                r1 += rank == 1
                r5 += 1
                mrr += 1 / rank
        n = len(qs)
        print(f"| {name} | {100 * r1 / n:.1f} | {100 * r5 / n:.1f} | {100 * mrr / n:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
