"""Compare fusion variants on KorQuAD open retrieval (dev-a by default; never tune on dev-b).

    python eval/bench_fusion.py [--split dev-a] [--limit N]
    python eval/bench_fusion.py --squad ../shared/data/tydiqa/korean_tydiqa_train.json   # any SQuAD file, whole

Each question is retrieved once per retriever (top 50 with scores); every
variant then fuses the same lists, so the table compares like with like.
Prints Recall@1/5 and MRR of the gold paragraph.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.evaluation.korquad import (load_korquad, open_pipeline, paragraph_documents,  # noqa: E402
                                   questions, split_articles, squad_split_name)
from qa.fusion import rrf, score_fusion  # noqa: E402
from qa.settings import Settings  # noqa: E402

DEPTH = 50


def variants():
    yield "bm25 only", lambda d, l: [r for r, _ in l]
    yield "dense only", lambda d, l: [r for r, _ in d]
    for dw in (0.5, 0.4, 0.3, 0.2):
        yield f"rrf {dw:.1f} dense / {1 - dw:.1f} bm25", (
            lambda d, l, dw=dw: [r for r, _ in rrf({"d": [x for x, _ in d], "l": [x for x, _ in l]},
                                                   {"d": dw, "l": 1 - dw})])
    for dw in (0.5, 0.4, 0.3, 0.2):
        yield f"score fusion {dw:.1f} dense / {1 - dw:.1f} bm25", (
            lambda d, l, dw=dw: [r for r, _ in score_fusion({"d": d, "l": l}, {"d": dw, "l": 1 - dw})])
    for dw in (0.5, 0.4, 0.3, 0.2):
        yield f"score fusion, BM25 floor 0, {dw:.1f} dense / {1 - dw:.1f} bm25", (
            lambda d, l, dw=dw: [r for r, _ in score_fusion({"d": d, "l": l}, {"d": dw, "l": 1 - dw},
                                                            floors={"l": 0.0})])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--korquad", type=Path, default=ROOT.parent / "shared/data/korquad/KorQuAD_v1.0_dev.json")
    ap.add_argument("--split", default="dev-a", choices=("dev-a", "dev-b"))
    ap.add_argument("--squad", type=Path, help="a SQuAD v1.1-format file read whole instead (TyDi train: tune "
                                               "there; TyDi dev is a measurement only)")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    if args.squad:
        articles = list(enumerate(load_korquad(args.squad, what="a SQuAD v1.1-format JSON file")["data"]))
        name = squad_split_name(args.squad)
    else:
        articles, name = split_articles(load_korquad(args.korquad), args.split), args.split
    qs = questions(articles, args.limit)
    pipe = open_pipeline(name, paragraph_documents(articles), Settings(), progress=True)
    store, embedder = pipe.store, pipe.retriever.embedder
    t0 = time.perf_counter()
    lists = []
    for q in qs:
        dense = store.dense_search(embedder.embed_queries([q.question])[0], DEPTH)
        lists.append((q.doc_id, dense, store.lexical_search(q.question, DEPTH)))
    print(f"retrieved {len(qs)} questions in {time.perf_counter() - t0:.0f} s ({name})\n")
    print("| variant | R@1 | R@5 | MRR |\n|---|---|---|---|")
    for name, fuse in variants():
        r1 = r5 = mrr = 0.0
        for gold, dense, lexical in lists:
            ids = [store.chunks[r].doc_id for r in fuse(dense, lexical)[:5]]
            if gold in ids:
                rank = ids.index(gold) + 1
                r1, r5, mrr = r1 + (rank == 1), r5 + 1, mrr + 1 / rank
        n = len(lists)
        print(f"| {name} | {100 * r1 / n:.1f} | {100 * r5 / n:.1f} | {100 * mrr / n:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
