"""Run a pipeline over evaluation records and summarize it in one report dict.

    report = evaluate(load_pipeline(), load_records())
    print(format_table(report))
    check_thresholds(report, min_em=0.85)   -> [] or ["em 0.81 < 0.85"]

Every question counts once, whether single or a dialogue turn. Answerable
questions are scored by EM/F1 (an abstention is wrong); unanswerable ones
by whether the pipeline abstained.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..conversation import Conversation
from .dataset import Item, Record
from .metrics import contains_answer, em_nospace, exact_match, f1, first_rank, mean, mrr, percentile, recall_at_k

RECALL_K = 5


@dataclass(frozen=True)
class Outcome:
    """One asked question: what came back and how it scored."""

    id: str
    type: str
    in_dialogue: bool
    item: Item
    predicted: str | None
    abstained: bool
    latency_ms: float
    gold_rank: int | None      # first passage (of RECALL_K) holding a gold answer
    em: float = 0.0
    em_nospace: float = 0.0
    f1: float = 0.0

    @property
    def correct(self) -> bool:
        """EM-correct when answerable, abstained when not."""
        return self.em == 1.0 if self.item.answerable else self.abstained


def evaluate(pipeline, records: list[Record], progress: bool = False) -> dict:
    """Ask every question (dialogue turns share one Conversation) and build the report."""
    from tqdm import tqdm
    outcomes: list[Outcome] = []
    total = sum(len(r.items) for r in records)
    with tqdm(total=total, desc="eval", unit="q", disable=not progress) as bar:
        for record in records:
            conversation = Conversation() if record.dialogue else None
            for i, item in enumerate(record.items, start=1):
                qid = f"{record.id}#{i}" if record.dialogue else record.id
                outcomes.append(ask_one(pipeline, qid, record, item, conversation))
                bar.update(1)
    return summarize(outcomes)


def ask_one(pipeline, qid: str, record: Record, item: Item, conversation: Conversation | None) -> Outcome:
    """Ask one question, time it, and score it."""
    t0 = time.perf_counter()
    answer = pipeline.ask(item.question, conversation=conversation)
    latency = (time.perf_counter() - t0) * 1000
    predicted = None if answer.abstained else answer.text
    rank = _gold_rank(pipeline, answer, item) if item.answerable else None
    scores = {}
    if item.answerable:
        scores = {"em": exact_match(predicted, item.answers), "em_nospace": em_nospace(predicted, item.answers),
                  "f1": f1(predicted, item.answers)}
    return Outcome(qid, record.type, record.dialogue, item, predicted, bool(answer.abstained), latency, rank,
                   **scores)


def _gold_rank(pipeline, answer, item: Item) -> int | None:
    hits = list(answer.passages)
    # A pipeline configured with k < 5 hands the reader fewer passages; fetch
    # five for the same resolved question so recall@5 means what it says.
    if len(hits) < RECALL_K and hasattr(pipeline, "retrieve"):
        hits = pipeline.retrieve(answer.resolved_question or item.question, RECALL_K)
    return first_rank(contains_answer(h.chunk.text, item.answers) for h in hits[:RECALL_K])


def summarize(outcomes: list[Outcome]) -> dict:
    """The report dict (rates in [0, 1], latencies in ms)."""
    answerable = [o for o in outcomes if o.item.answerable]
    unanswerable = [o for o in outcomes if not o.item.answerable]
    turns = [o for o in outcomes if o.in_dialogue]
    ranks = [o.gold_rank for o in answerable]
    latencies = [o.latency_ms for o in outcomes]
    return {
        "n": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "em": mean([o.em for o in answerable]),
        "em_nospace": mean([o.em_nospace for o in answerable]),
        "f1": mean([o.f1 for o in answerable]),
        "recall@1": recall_at_k(ranks, 1),
        "recall@3": recall_at_k(ranks, 3),
        "recall@5": recall_at_k(ranks, 5),
        "mrr": mrr(ranks),
        "abstain_recall": mean([float(o.abstained) for o in unanswerable]),
        "false_abstain_rate": mean([float(o.abstained) for o in answerable]),
        "dialogue_turn_accuracy": mean([float(o.correct) for o in turns]),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "by_type": by_type(outcomes),
        "failures": [{"id": o.id, "question": o.item.question, "predicted": o.predicted,
                      "gold": list(o.item.answers)} for o in outcomes if not o.correct],
    }


def by_type(outcomes: list[Outcome]) -> dict:
    """Per type: counts, EM/F1 over its answerable questions, abstentions and accuracy.

    `accuracy` is the share correct (EM for answerable, abstained for unanswerable),
    so types made only of unanswerable questions still get one comparable number.
    """
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.type, []).append(o)
    out = {}
    for name in sorted(groups):
        group = groups[name]
        ans = [o for o in group if o.item.answerable]
        out[name] = {
            "n": len(group),
            "answerable": len(ans),
            "em": mean([o.em for o in ans]),
            "f1": mean([o.f1 for o in ans]),
            "abstained": sum(o.abstained for o in group),
            "false_abstained": sum(o.abstained for o in ans),
            "correctly_abstained": sum(o.abstained for o in group if not o.item.answerable),
            "accuracy": mean([float(o.correct) for o in group]),
        }
    return out


# ---- presentation -------------------------------------------------------

_ROWS = (("em", "EM", "pct"), ("em_nospace", "EM (no spaces)", "pct"), ("f1", "F1", "pct"),
         ("recall@1", "recall@1", "pct"), ("recall@3", "recall@3", "pct"), ("recall@5", "recall@5", "pct"),
         ("mrr", "MRR", "pct"), ("abstain_recall", "abstain recall", "pct"),
         ("false_abstain_rate", "false abstain rate", "pct"), ("dialogue_turn_accuracy", "dialogue turn acc.", "pct"),
         ("latency_ms_p50", "latency p50 (ms)", "ms"), ("latency_ms_p95", "latency p95 (ms)", "ms"))
MAX_SHOWN_FAILURES = 10


def format_table(report: dict) -> str:
    """A plain-text table: rates x100, then the per-type breakdown and a few failures."""
    lines = [f"questions: {report['n']} ({report['answerable']} answerable, {report['unanswerable']} unanswerable)"]
    for key, label, kind in _ROWS:
        v = report[key]
        lines.append(f"  {label:<20} {v * 100:7.2f}" if kind == "pct" else f"  {label:<20} {v:7.1f}")
    lines.append("")
    lines.append(f"  {'type':<14} {'n':>4} {'EM':>7} {'F1':>7} {'acc':>7} {'abst':>5}")
    for name, t in report["by_type"].items():
        em = f"{t['em'] * 100:7.2f}" if t["answerable"] else f"{'-':>7}"
        f1_ = f"{t['f1'] * 100:7.2f}" if t["answerable"] else f"{'-':>7}"
        lines.append(f"  {name:<14} {t['n']:>4} {em} {f1_} {t['accuracy'] * 100:7.2f} {t['abstained']:>5}")
    failures = report["failures"]
    if failures:
        lines.append("")
        lines.append(f"failures: {len(failures)} (first {min(len(failures), MAX_SHOWN_FAILURES)}; all in --json)")
        for f in failures[:MAX_SHOWN_FAILURES]:
            gold = " | ".join(f["gold"]) if f["gold"] else "(abstain)"
            pred = "(abstained)" if f["predicted"] is None else f["predicted"]
            lines.append(f"  {f['id']}: {f['question']}  -> {pred}  [gold: {gold}]")
    return "\n".join(lines)


# ---- thresholds ---------------------------------------------------------

_MINIMA = {"min_em": "em", "min_f1": "f1", "min_recall3": "recall@3", "min_abstain": "abstain_recall",
           "min_dialogue": "dialogue_turn_accuracy"}
_MAXIMA = {"max_false_abstain": "false_abstain_rate"}


def check_thresholds(report: dict, min_em: float | None = None, min_f1: float | None = None,
                     min_recall3: float | None = None, min_abstain: float | None = None,
                     max_false_abstain: float | None = None, min_dialogue: float | None = None) -> list[str]:
    """One message per missed threshold; `None` thresholds are not checked.

    >>> check_thresholds({"em": 0.81, "f1": 0.9}, min_em=0.85, min_f1=0.8)
    ['em 0.81 < 0.85']
    >>> check_thresholds({"false_abstain_rate": 0.125}, max_false_abstain=0.1)
    ['false_abstain_rate 0.125 > 0.1']
    """
    given = {"min_em": min_em, "min_f1": min_f1, "min_recall3": min_recall3, "min_abstain": min_abstain,
             "max_false_abstain": max_false_abstain, "min_dialogue": min_dialogue}
    failed = []
    for arg, threshold in given.items():
        if threshold is None:
            continue
        metric = _MINIMA.get(arg) or _MAXIMA[arg]
        value = report.get(metric)
        if value is None:
            failed.append(f"{metric} not measured in this run (threshold {threshold:g})")
        elif arg in _MINIMA and value < threshold:
            failed.append(f"{metric} {value:.4g} < {threshold:g}")
        elif arg in _MAXIMA and value > threshold:
            failed.append(f"{metric} {value:.4g} > {threshold:g}")
    return failed
