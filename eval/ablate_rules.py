"""Ablation of the rule reader's ranker features, by module, alone and inside the hybrid.

    python eval/ablate_rules.py                # own set + held-out dev-a, ~2 min on 2 cores
    python eval/ablate_rules.py --limit 100    # a quick look
    python eval/ablate_rules.py --exact        # the readers themselves, per module; ~17 min

Replay (the default): each question is read once and the options are re-ranked without each
module; fast, but only the ranker and the combiner are replayed, so every step after them
(the answer's asked suffix, a sure span model answering, the typed cascade) is left out and
the "none" row sits below `qa eval`. `--exact` builds the rule reader and the hybrid again
with each module's weights zeroed and asks every question through them, as `qa eval` does:
its "none" row is `qa eval`'s own numbers.

Replay details:

Each question is read once by the hybrid: every option (rule candidates with
their ranker features and confidence, and the model-only spans) with the
combiner's features is recorded. Then each module's features are zeroed in the
ranker (no refit: the other weights stay as trained, so this is what the module
adds to *this* ranker; the combiner's type features go with the type module)
and both readers are scored again: the rule reader alone, and the hybrid (its
shipped combiner over the options, rule scores recomputed). Abstention on our
own set is the rule reader's own-best confidence, as in HybridReader. Held-out dev-a = the
articles eval/train_neural_reader.py never trained on; the ranker was fit on all
of dev-a, so the rule column there is optimistic.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.evaluation.metrics import exact_match, f1  # noqa: E402
from qa.reader.hybrid import HybridReader  # noqa: E402

# ranker feature -> the module that computes it (names as in qa/reader/ranker.json)
MODULES = {
    "coverage and evidence (evidence.py, rule_reader.py)": lambda k: k in {
        "sent_cov", "chunk_cov", "clause_cov", "cov_gap", "best_sent", "prev_gain", "rank_prior", "entity_gap"},
    "proximity to question words (features.py)": lambda k: k in {"prox", "left_near", "right_near"},
    "answer type x candidate kind (question.py, candidates.py)": lambda k: k.startswith("k=") or k in {
        "type", "type_clash", "has_digit"},
    "neighbour morphemes prev=/next= (features.py)": lambda k: k.startswith(("prev=", "next=")),
    "focus and examples (focus.py)": lambda k: k in {
        "focus_before", "focus_after", "focus_suffix", "beside_focus", "in_group", "example_of", "list_part",
        "head_match", "head_only"},
    "slot neighbours (slot.py)": lambda k: k in {"slot_left", "slot_right", "particle_match"},
    "news cues (features.py: called, designated, time_edge, quoted_speaker, date_tense, in_quote)": lambda k: k in {
        "called", "designated", "time_edge", "quoted_speaker", "date_tense", "in_quote"},
    "aliases (aliases.py)": lambda k: k == "alias",
    "kind answers (kind.py)": lambda k: k == "says_kind",
    "span shape (features.py: words, log_chars, boundary, novelty)": lambda k: k in {
        "words", "log_chars", "boundary", "novelty", "novel_zero"},
}


class Recorder(HybridReader):
    """The hybrid, recording each question's options as (ranker features or None, confidence, combiner
    features, text); None marks a span only the model proposed."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.rows: list[list[tuple]] = []

    def options(self, *args, **kwargs):
        options = super().options(*args, **kwargs)
        self.rows.append([(dict(o.scored.features) if o.features["is_rule"] else None, o.scored.confidence,
                           dict(o.features), o.scored.cand.text) for o in options])
        return options

    def candidates_of(self, run) -> list[tuple]:
        """Run `run()` (one question through this reader); its candidates, [] when it found none."""
        n = len(self.rows)
        run()
        return self.rows[-1] if len(self.rows) > n else []


def record_own(reader: Recorder) -> list[dict]:
    from qa.conversation import Conversation
    from qa.evaluation.dataset import load_records
    from qa.pipeline import load_pipeline
    from qa.settings import Settings
    pipeline = load_pipeline(Settings.from_env(), reader=reader)
    out = []
    for record in load_records():
        conversation = Conversation() if record.dialogue else None
        for item in record.items:
            cands = reader.candidates_of(lambda: pipeline.ask(item.question, conversation=conversation))
            out.append({"cands": cands, "answers": list(item.answers), "answerable": item.answerable,
                        "abstains": True})
    return out


def record_held_out(reader: Recorder, limit: int | None) -> list[dict]:
    from qa.conversation import Resolved
    from qa.evaluation.korquad import gold_passages, load_korquad, questions, split_articles
    out = []
    for q, doc, hit in gold_passages(questions(split_articles(load_korquad(), "dev-a")[::5], limit)):
        resolved = Resolved(q.question, q.question)
        cands = reader.candidates_of(lambda: reader.read(q.question, resolved, [hit], {doc.id: doc}))
        out.append({"cands": cands, "answers": list(q.answers), "answerable": True, "abstains": False})
    return out


def score(rows: list[dict], weights: dict, dropped, combiner, threshold: float,
          trust: float = math.inf) -> tuple[float, float]:
    """EM / F1 (answerable questions; an abstention scores 0) with the `dropped` features' weights zeroed.

    combiner None: the rule reader alone; else the hybrid's combiner over all options, except
    where the rule reader's best is at least `trust` confident (HybridReader's cascade).
    """
    em = f = n = 0.0
    for r in rows:
        def rule(c):
            return sum(weights.get(k, 0.0) * v for k, v in c[0].items() if not dropped(k))
        text = None
        cands = [c for c in r["cands"] if c[0] is not None]
        if cands:
            best = max(cands, key=rule)
            pick = best if combiner is None or best[1] >= trust else max(r["cands"], key=lambda c: combiner.score(
                {**c[2], **({"rule_rel": rule(c) - rule(best)} if c[0] is not None else {}),
                 **{k: 0.0 for k in ("type", "type_clash") if dropped(k)}}))
            if not r["abstains"] or best[1] >= threshold:
                text = pick[3]
        if r["answerable"]:
            n += 1
            em += exact_match(text, r["answers"])
            f += f1(text, r["answers"])
    return 100 * em / n, 100 * f / n


def zeroed(ranker, dropped):
    """A copy of `ranker` with the weights of the `dropped` features set to 0 (meta kept).

    >>> from qa.reader.ranker import LinearRanker
    >>> zeroed(LinearRanker({"type": 2.0, "prox": 1.0}), lambda k: k == "type").weights
    {'type': 0.0, 'prox': 1.0}
    """
    from qa.reader.ranker import LinearRanker
    return LinearRanker({k: 0.0 if dropped(k) else v for k, v in ranker.weights.items()}, ranker.bias,
                        dict(ranker.meta))


def exact(limit: int | None, only: list[str] | None = None) -> int:
    """Each module's weights zeroed in the real readers; our two sets through the pipeline, held-out dev-a
    through the KorQuAD reader mode (gold paragraph, never abstaining)."""
    from qa.evaluation.dataset import load_records
    from qa.evaluation.korquad import evaluate_reader, load_korquad, questions, split_articles
    from qa.evaluation.runner import evaluate
    from qa.pipeline import load_pipeline
    from qa.reader.factory import make_neural_reader, shipped_combiner
    from qa.reader.ranker import LinearRanker
    from qa.reader.rule_reader import RuleReader
    from qa.settings import Settings
    settings = Settings.from_env()
    neural = make_neural_reader(settings)
    ranker, combiner = LinearRanker.load_default(), shipped_combiner()
    sets = {"own set": load_records(), "held-out set": load_records([ROOT / "eval" / "heldout.jsonl"])}
    dev = questions(split_articles(load_korquad(), "dev-a")[::5], limit)
    pipeline = load_pipeline(settings, reader=RuleReader())

    def readers(dropped, threshold):
        """The rule reader and the hybrid over it (RuleReader keeps no state between questions)."""
        rule = RuleReader(abstain_threshold=threshold, ranker=zeroed(ranker, dropped))
        types = {"type", "type_clash"} if dropped("type") else set()   # the type module's combiner features
        hybrid = HybridReader(rule, neural.scorer, zeroed(combiner, lambda k: k in types),
                              calibration=(neural.slope, neural.bias), spill=settings.read_spill)
        return rule, hybrid

    print(f"{sum(len(r.items) for r in sets['own set'])} own-set and "
          f"{sum(len(r.items) for r in sets['held-out set'])} held-out-set questions through the pipeline, "
          f"{len(dev)} held-out dev-a questions on their gold paragraph; EM / F1\n")
    names = [*sets, "held-out dev-a"]
    print("| features removed | n | " + " | ".join(f"{s}: rule | {s}: hybrid" for s in names) + " |")
    print("|---|---|" + "---|---|" * len(names), flush=True)
    modules = [(n, d) for n, d in MODULES.items() if not only or any(w in n for w in only)]
    for name, dropped in [("none", lambda k: False), *modules]:
        reports = []
        answering = readers(dropped, settings.abstain_threshold)
        for records in sets.values():
            for reader in answering:
                pipeline.reader = reader
                reports.append(evaluate(pipeline, records))
        reports += [evaluate_reader(dev, reader=reader, progress=False) for reader in readers(dropped, 0.0)]
        cells = [f"{100 * r['em']:.1f} / {100 * r['f1']:.1f}" for r in reports]
        print(f"| {name} | {sum(map(dropped, ranker.weights))} | " + " | ".join(cells) + " |", flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, help="only this many held-out dev-a questions")
    ap.add_argument("--exact", action="store_true", help="ask through the real readers, one build per module")
    ap.add_argument("--modules", nargs="+", metavar="WORD",
                    help="--exact: only the modules whose name holds one of these words (the 'none' row always)")
    args = ap.parse_args()
    if args.exact:
        return exact(args.limit, args.modules)
    from qa.reader.neural.scorer import load_span_scorer
    from qa.reader.ranker import LinearRanker
    from qa.reader.rule_reader import RuleReader
    from qa.settings import Settings
    threshold = Settings.from_env().abstain_threshold
    scorer = load_span_scorer()
    # trust inf: every question's options are recorded; score() applies the shipped trust (not typed_trust:
    # this table leaves out the typed-number cascade)
    no_cascade = {"trust": math.inf, "typed_trust": math.inf}
    sets = {"own set": record_own(Recorder(RuleReader(abstain_threshold=threshold), scorer, **no_cascade)),
            "held-out dev-a": record_held_out(Recorder(RuleReader(abstain_threshold=0.0), scorer, **no_cascade),
                                              args.limit)}
    weights = LinearRanker.load_default().weights
    combiner = LinearRanker.load_default("hybrid.json")
    trust = HybridReader(RuleReader(), scorer, combiner).trust
    print(f"{len(sets['own set'])} own-set questions, {len(sets['held-out dev-a'])} held-out dev-a questions; "
          "EM / F1\n")
    print("| features removed | n | " + " | ".join(f"{s}: rule | {s}: hybrid" for s in sets) + " |")
    print("|---|---|" + "---|---|" * len(sets))
    for name, dropped in [("none", lambda k: False), *MODULES.items()]:
        cells = [f"{em:.1f} / {f:.1f}" for rows in sets.values() for c in (None, combiner)
                 for em, f in [score(rows, weights, dropped, c, threshold, trust)]]
        print(f"| {name} | {sum(map(dropped, weights))} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
