"""Fit when the span model may answer what the rule reader's evidence would abstain on
(hybrid.json's "abstention" block, `model_trust`).

    python eval/fit_abstention.py            # table, then writes model_trust into qa/reader/hybrid.json
    python eval/fit_abstention.py --dry-run  # the table only

The held-out dev-a questions of eval/train_hybrid.py (never trained on), in open mode over all
held-out paragraphs, are each read twice by the shipped hybrid reader:
- as retrieved: answerable (KorQuAD has no unanswerable questions);
- with the question's own paragraph removed from the hits: a near miss, passages on the same
  subject that do not say the answer (SQuAD 2.0's kind of no-answer). A near miss whose passages
  still hold a gold answer verbatim is skipped.
For each model_trust in GRID (inf: the rule reader's evidence alone, the shipped behaviour before
Dec 2) it prints the false abstentions on answerable reads, the abstain recall on near misses and
their joint EM (an abstention is right on a near miss, an answer right when it matches a gold).
The chosen threshold is the highest whose joint EM is within NO_COST points of the best: among
thresholds the data cannot tell apart, the one that answers least on a near miss. The abstention
threshold itself (QA_ABSTAIN_THRESHOLD, 0.35) stays as it is.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.conversation import Resolved  # noqa: E402
from qa.embedding.onnx_export import file_sha256  # noqa: E402
from qa.evaluation.cli import write_json_atomic  # noqa: E402
from qa.evaluation.korquad import (DEFAULT_PATH, load_korquad, open_pipeline, paragraph_documents,  # noqa: E402
                                   questions, split_articles)
from qa.evaluation.metrics import exact_match  # noqa: E402
from qa.reader.rule_reader import question_info  # noqa: E402
from qa.settings import Settings  # noqa: E402

OUT = ROOT / "qa" / "reader" / "hybrid.json"
# model_trust values tried (under the abstain threshold, 0.35, the rules' threshold decides anyway)
GRID = (math.inf, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35)
NO_COST = 0.5         # joint EM points within which thresholds count as equal (one read of ~830 is 0.12)
SPARE = 10            # extra passages retrieved, so a near miss still has k after its paragraph is dropped


@dataclass(frozen=True)
class Read:
    """One read of a question: what answer_confidence() needs, and the answer given when answering."""

    question: str
    info: object             # the question's analysis (question_info), made once per read
    answerable: bool
    golds: tuple[str, ...]
    rule_confidence: float
    margin: float | None
    text: str | None
    hits: list
    documents: dict
    unfit: bool = False      # the pick does not fit the question (Choice.unfit)


def record(path: Path, settings: Settings) -> tuple[list[Read], object]:
    """Both reads of every held-out dev-a question, and the reader (abstaining never) that made them."""
    from qa.reader.factory import make_reader
    articles = split_articles(load_korquad(path), "dev-a")[::5]
    # the pipeline lends only its retriever and store (no reader is built twice)
    pipeline = open_pipeline("dev-a-held", paragraph_documents(articles), settings.with_(reader="rule"), progress=False)
    reader = make_reader(settings.with_(reader="hybrid", abstain_threshold=0.0))
    docs = pipeline.store.documents
    reads = []
    for q in questions(articles):
        hits = pipeline.retriever.retrieve(q.question, settings.k + SPARE)
        near = [h for h in hits if h.chunk.doc_id != q.doc_id][:settings.k]
        reads.append(read(reader, q.question, True, q.answers, hits[:settings.k], docs))
        if not any(g in h.chunk.text for h in near for g in q.answers):
            reads.append(read(reader, q.question, False, q.answers, near, docs))
    return reads, reader


def read(reader, question: str, answerable: bool, golds, hits: list, docs: dict) -> Read:
    """The hybrid's pick (the answer when it answers) with the rule confidence and the model's margin."""
    resolved = Resolved(question, question)
    choice = reader.choose(resolved, hits, docs)
    if choice is None:
        return Read(question, question_info(resolved), answerable, tuple(golds), 0.0, None, None, hits, docs)
    return Read(question, choice.info, answerable, tuple(golds), choice.rule_confidence, choice.margin,
                choice.best.cand.text, hits, docs, choice.unfit)


def answers(reader, r: Read, model_trust: float, abstain_threshold: float) -> bool:
    """Does the hybrid answer this read with `model_trust` (the product's answer_confidence())?"""
    reader.model_trust = model_trust
    conf = reader.answer_confidence(r.rule_confidence, r.margin, r.info, r.hits, r.documents, r.question, r.unfit)
    return conf >= abstain_threshold


def table(reads: list[Read], reader, abstain_threshold: float) -> list[dict]:
    """Per GRID threshold: false abstentions (answerable), abstain recall (near misses), joint EM, in %."""
    ans = [r for r in reads if r.answerable]
    near = [r for r in reads if not r.answerable]
    out = []
    for t in GRID:
        said = [answers(reader, r, t, abstain_threshold) for r in reads]
        right = sum(exact_match(r.text, r.golds) if a else 0.0 for r, a in zip(reads, said) if r.answerable)
        kept_out = sum(not a for r, a in zip(reads, said) if not r.answerable)
        out.append({"model_trust": None if math.isinf(t) else t,
                    "false_abstain": round(100 * sum(not a for r, a in zip(reads, said) if r.answerable) / len(ans), 1),
                    "abstain_recall": round(100 * kept_out / len(near), 1),
                    "answerable_em": round(100 * right / len(ans), 1),
                    "joint_em": round(100 * (right + kept_out) / len(reads), 1)})
    return out


def choose(rows: list[dict]) -> dict:
    """The highest threshold whose joint EM is within NO_COST of the best.

    >>> choose([{"model_trust": None, "joint_em": 66.7}, {"model_trust": 0.7, "joint_em": 72.5},
    ...         {"model_trust": 0.5, "joint_em": 72.8}])["model_trust"]
    0.7
    """
    best = max(r["joint_em"] for r in rows)
    return next(r for r in rows if r["joint_em"] >= best - NO_COST)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--korquad", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    settings = Settings()
    t0 = time.perf_counter()
    reads, reader = record(args.korquad, settings)
    n_ans = sum(r.answerable for r in reads)
    print(f"{n_ans} answerable and {len(reads) - n_ans} near-miss reads of held-out dev-a in "
          f"{time.perf_counter() - t0:.0f} s (abstain threshold {settings.abstain_threshold})\n")
    rows = table(reads, reader, settings.abstain_threshold)
    print("| model answers from | false abstentions | abstain recall (near misses) | answerable EM | joint EM |\n"
          "|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model_trust'] or 'never (rules alone)'} | {r['false_abstain']} | {r['abstain_recall']} | "
              f"{r['answerable_em']} | {r['joint_em']} |")
    chosen = choose(rows)
    print(f"\nmodel_trust: {chosen['model_trust']} (the highest within {NO_COST} joint EM of the best)")
    if args.dry_run:
        return 0
    data = json.loads(args.out.read_text(encoding="utf-8"))
    data["meta"]["abstention"] = {
        "model_trust": chosen["model_trust"], "abstain_threshold": settings.abstain_threshold,
        "answerable_reads": n_ans, "near_miss_reads": len(reads) - n_ans,
        "korquad_sha256": file_sha256(args.korquad), "chosen": chosen, "rules_alone": rows[0],
        "date": date.today().isoformat(),
        "command": " ".join(["python eval/fit_abstention.py", *sys.argv[1:]])}
    write_json_atomic(args.out, data)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
