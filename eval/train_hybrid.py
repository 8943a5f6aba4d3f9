"""Fit the hybrid reader's combiner (qa/reader/hybrid.json) on held-out KorQuAD dev-a.

    python eval/train_hybrid.py                 # table of choices, then writes qa/reader/hybrid.json
    python eval/train_hybrid.py --dry-run       # the table only
    python eval/train_hybrid.py --span-engine onnx --keep-settings   # new weights, the shipped choices
    python eval/train_hybrid.py --keep-settings --sentences 0        # the same, the top passage read whole

The held-out articles are the ones eval/train_neural_reader.py never trained
on (every 5th dev-a article, 474 questions): on any other question the span
model's scores are those of a model that has seen the answer. Each question is
read in the passages retrieved for it from all held-out paragraphs, as the
product reads a user's documents (`--mode reader`: in its own paragraph alone,
as the fits before the fifteenth session were made). Every question
is read once per number of sentences the model reads (0 = whole passages);
the options (rule candidates + the model's best spans no rule candidate is)
get HybridReader's FEATURES, labelled 1 when they exactly match a gold answer.
A conditional logit (softmax over one question's options, L2, L-BFGS; no
randomness) is scored by 5-fold cross-validation over articles for each
(sentences, whole_below, proposals): whole_below is the rule confidence under
which the model reads the passage whole instead of the candidates' sentences.
The best by CV EM + F1 then gets the strongest type-clash penalty (the weight of
`type_clash`, held fixed at one of CLASH_GRID) whose CV EM and F1 stay within
NO_COST points of the free fit: KorQuAD's questions rarely name their
answer's type, so the data leaves that weight loose (free it comes out slightly
positive), while a user's "NHN 투자 기간은?" answered by 2100억원 is plainly wrong.
That fit is refit on all 474 and written
with its data's sha256 and its scores, and with `trust`: the lowest rule-reader confidence
from which the rule reader's own best answer may stand alone without costing CV EM or F1
(more than NO_COST; none: never), and `typed_trust`: the same for answers that are the very
kind of number (or the purpose) the question asks for (alone.states_asked_form). The rule reader's ranker was fit on
all of dev-a, so its column here is optimistic.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.conversation import Resolved  # noqa: E402
from qa.embedding.onnx_export import file_sha256  # noqa: E402
from qa.evaluation.cli import write_json_atomic  # noqa: E402
from qa.evaluation.korquad import (DEFAULT_PATH, gold_passages, load_korquad, open_pipeline,  # noqa: E402
                                   paragraph_documents, questions, split_articles)
from qa.evaluation.metrics import exact_match, f1  # noqa: E402
from qa.reader.alone import rules_alone  # noqa: E402
from qa.reader.hybrid import FEATURES, HybridReader, best_rule, threshold  # noqa: E402
from qa.reader.neural.scorer import MANIFEST, load_span_scorer, read_manifest  # noqa: E402
from qa.reader.ranker import LinearRanker  # noqa: E402
from qa.reader.rule_reader import RuleReader, question_info  # noqa: E402
from qa.settings import Settings  # noqa: E402

OUT = ROOT / "qa" / "reader" / "hybrid.json"
RANKER = ROOT / "qa" / "reader" / "ranker.json"
L2 = 0.01
FOLDS = 5
TRUST_GRID = (0.95, 0.9, 0.85, 0.8, 0.7, 0.6)
WHOLE_GRID = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8)     # rule confidence under which the model reads the passage whole
CLASH_GRID = (-0.5, -1.0, -2.0, -4.0)            # fixed type_clash weights tried, weakest first
TYPED_GRID = (0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.0)  # typed_trust thresholds tried, highest first
# CV points (EM and F1) within which a choice counts as free: one question of 474 is 0.21
NO_COST = 0.25


def record(path: Path, sentences: list[int], scorer, mode: str = "open") -> tuple[list[dict], dict[int, float]]:
    """Per held-out question: its article, golds, rule candidates and the model's spans per sentences read.

    mode "reader": each question's own paragraph is the one passage; "open": the passages retrieved for
    it from all held-out paragraphs, as the product reads (a question whose paragraph is not retrieved
    has no right option and teaches the fit nothing)."""
    rule = RuleReader(abstain_threshold=0.0)
    readers = {n: HybridReader(rule, scorer, LinearRanker({}), sentences=n, proposals=0) for n in sentences}
    seconds = dict.fromkeys(sentences, 0.0)
    rows = []
    articles = split_articles(load_korquad(path), "dev-a")[::5]
    for q, docs, hits in passages(articles, mode):
        resolved = Resolved(q.question, q.question)
        scored = rule.candidates(resolved, hits, docs)
        spans = {}
        for n, reader in readers.items():
            t0 = time.perf_counter()
            spans[n] = reader.spans(q.question, scored, hits) if scored else []
            seconds[n] += time.perf_counter() - t0
        rows.append({"article": q.doc_id.split(":")[0], "question": q.question, "golds": list(q.answers), "scored": scored, "spans": spans})
    return rows, {n: 1000 * s / len(rows) for n, s in seconds.items()}


def passages(articles: list, mode: str):
    """(question, documents by id, hits) per question of `articles`, in `mode` (reader | open)."""
    held_out = questions(articles)
    if mode == "reader":
        for q, doc, hit in gold_passages(held_out):
            yield q, {doc.id: doc}, [hit]
        return
    # only the retriever and the store are used: the rule reader keeps a new span model's refit
    # from being refused for the very hybrid.json it is about to replace
    settings = Settings(reader="rule")
    pipeline = open_pipeline("dev-a-held", paragraph_documents(articles), settings, progress=False)
    for q in held_out:
        yield q, pipeline.store.documents, pipeline.retriever.retrieve(q.question, settings.k)


def groups(rows: list[dict], reader: HybridReader) -> list[tuple]:
    """(article, X options x FEATURES, exact-match labels, texts, golds) per question.

    The model's spans are the reader's: whole-passage ones (sentences 0) where the rule
    reader's best confidence is under reader.whole_below."""
    out = []
    for r in rows:
        whole = r["scored"] and best_rule(r["scored"]).confidence < reader.whole_below
        opts = reader.options(r["question"], r["scored"], r["spans"][0 if whole else reader.sentences]) if r["scored"] else []
        X = np.array([[o.features[k] for k in FEATURES] for o in opts]).reshape(len(opts), len(FEATURES))
        texts = [o.scored.cand.text for o in opts]
        out.append((r["article"], X, np.array([exact_match(t, r["golds"]) for t in texts]), texts, r["golds"]))
    return out


def fit(train: list[tuple], l2: float = L2, fixed: dict[str, float] | None = None) -> np.ndarray:
    """Weights maximizing sum log softmax(X w)[gold options] - l2/2 |w|^2 (questions with a gold option only);
    `fixed` features keep the weight given."""
    from scipy.optimize import minimize
    data = [(X, y / y.sum()) for _, X, y, _, _ in train if len(y) and y.sum() > 0]

    def loss(w):
        value, grad = 0.5 * l2 * w @ w, l2 * w
        for X, target in data:
            s = X @ w
            p = np.exp(s - s.max())
            z = p.sum()
            value -= (target @ s - s.max() - np.log(z)) / len(data)
            grad = grad + X.T @ (p / z - target) / len(data)
        return value, grad

    fixed = fixed or {}
    w0 = np.zeros(len(FEATURES))
    w0[FEATURES.index("rule_rel")] = 1.0          # start from the rule reader
    for k, v in fixed.items():
        w0[FEATURES.index(k)] = v
    bounds = [(fixed[k], fixed[k]) if k in fixed else (None, None) for k in FEATURES]
    return minimize(loss, w0, jac=True, method="L-BFGS-B", bounds=bounds).x


def quality(test: list[tuple], w: np.ndarray) -> tuple[float, float]:
    """EM, F1 (in %) of the argmax option."""
    em = f = 0.0
    for _, X, _, texts, golds in test:
        text = texts[int(np.argmax(X @ w))] if texts else None
        em += exact_match(text, golds)
        f += f1(text, golds)
    return 100 * em / len(test), 100 * f / len(test)


def cross_validated(gs: list[tuple], fixed: dict[str, float] | None = None) -> tuple[float, float]:
    """Pooled EM, F1 over FOLDS folds of whole articles."""
    texts = cv_answers(gs, fixed)
    return (100 * sum(exact_match(t, g[4]) for t, g in zip(texts, gs)) / len(gs),
            100 * sum(f1(t, g[4]) for t, g in zip(texts, gs)) / len(gs))


def cv_answers(gs: list[tuple], fixed: dict[str, float] | None = None) -> list[str | None]:
    """Each question's answer from the combiner fit on the other folds (FOLDS folds of whole articles)."""
    articles = sorted({g[0] for g in gs}, key=lambda a: int(a))
    fold = {a: i % FOLDS for i, a in enumerate(articles)}
    out: list[str | None] = [None] * len(gs)
    for k in range(FOLDS):
        if any(fold[g[0]] == k for g in gs):
            w = fit([g for g in gs if fold[g[0]] != k], fixed=fixed)
            for i, (article, X, _, texts, _) in enumerate(gs):
                if fold[article] == k and texts:
                    out[i] = texts[int(np.argmax(X @ w))]
    return out


def choose_clash(gs: list[tuple], free: tuple[float, float]) -> tuple[float | None, tuple[float, float]]:
    """The most negative CLASH_GRID weight whose CV EM and F1 are within NO_COST of `free`
    (the free fit's), and its CV; (None, free) when even the weakest costs more."""
    chosen, scores = None, free
    print("\n| type_clash weight | CV EM / F1 |\n|---|---|\n| free | %.1f / %.1f |" % free)
    for c in CLASH_GRID:
        em, f = cross_validated(gs, {"type_clash": c})
        print(f"| {c} | {em:.1f} / {f:.1f} |")
        if em < free[0] - NO_COST or f < free[1] - NO_COST:
            break
        chosen, scores = c, (em, f)
    print(f"type_clash: {'free' if chosen is None else chosen}")
    return chosen, scores


def choose_trust(rows: list[dict], gs: list[tuple], grid=TRUST_GRID, fixed: dict[str, float] | None = None,
                 combined: list[str | None] | None = None) -> tuple[float, list[tuple]]:
    """The lowest rule confidence from which the rule reader may answer alone at no CV cost.

    At or above the threshold the rule reader's best candidate is the answer, below it the
    combiner's (fit on the other folds; `combined`: those answers, when already computed).
    Returns (threshold or inf, [(t, n alone, EM, F1)]).
    """
    rule = [best_rule(r["scored"]) if r["scored"] else None for r in rows]
    combined = combined if combined is not None else cv_answers(gs, fixed)
    return _lowest_free(rule, combined, gs, grid, lambda i, t: rule[i] is not None and
                        rules_alone(None, rows[i]["scored"], rule[i], t, math.inf))


def choose_typed_trust(rows: list[dict], gs: list[tuple], trust: float, grid=TYPED_GRID,
                       fixed: dict[str, float] | None = None,
                       combined: list[str | None] | None = None) -> tuple[float, list[tuple]]:
    """The lowest rule confidence from which a rule answer that is the asked kind of number or purpose
    (alone.states_asked_form) may stand alone at no CV cost, on top of `trust`.

    Returns (threshold or inf, [(t, n alone, EM, F1)])."""
    rule = [best_rule(r["scored"]) if r["scored"] else None for r in rows]
    infos = [question_info(Resolved(r["question"], r["question"])) for r in rows]
    combined = combined if combined is not None else cv_answers(gs, fixed)
    return _lowest_free(rule, combined, gs, grid, lambda i, t: rule[i] is not None and
                        rules_alone(infos[i], rows[i]["scored"], rule[i], trust, t))


def _lowest_free(rule: list, combined: list, gs: list[tuple], grid, alone_at) -> tuple[float, list[tuple]]:
    """Thresholds from inf down the grid: question i takes the rule reader's answer where
    alone_at(i, t), else the combiner's; the lowest before the first that costs more than
    NO_COST CV points (EM or F1) against inf, and the table [(t, n alone, EM, F1)]."""
    table, chosen, base = [], math.inf, None
    for t in (math.inf, *sorted(grid, reverse=True)):
        alone = [alone_at(i, t) for i in range(len(rule))]
        texts = [b.cand.text if a else c for a, b, c in zip(alone, rule, combined)]
        em = round(100 * sum(exact_match(x, g[4]) for x, g in zip(texts, gs)) / len(gs), 1)
        f = round(100 * sum(f1(x, g[4]) for x, g in zip(texts, gs)) / len(gs), 1)
        table.append((t, sum(alone), em, f))
        base = base or (em, f)
        if em < base[0] - NO_COST or f < base[1] - NO_COST:
            break
        chosen = t
    return chosen, table


def kept_settings(meta: dict) -> dict:
    """The choices a --keep-settings refit takes from a hybrid.json's meta, thresholds as HybridReader
    reads them (None: inf), with the reads to record (whole reads, 0, when the reader makes them) and
    where they came from.

    >>> k = kept_settings({"sentences": 2, "proposals": 1, "whole_below": 0.6, "trust": 0.85,
    ...                    "typed_trust": None, "type_clash_fixed": -1.0, "date": "2026-12-01"})
    >>> k["recorded"], k["trust"], k["typed_trust"], k["type_clash"], k["source"]["date"]
    ([0, 2], 0.85, inf, -1.0, '2026-12-01')
    >>> kept_settings({"sentences": 0, "proposals": 1, "settings_from": {"date": "2026-11-30"}})["source"]
    {'date': '2026-11-30'}
    """
    whole_below = float(meta.get("whole_below") or 0.0)
    return {"sentences": int(meta["sentences"]), "proposals": int(meta["proposals"]), "whole_below": whole_below,
            "trust": threshold(meta.get("trust")), "typed_trust": threshold(meta.get("typed_trust")),
            "type_clash": meta.get("type_clash_fixed"),
            "recorded": sorted({int(meta["sentences"]), *([0] if whole_below else [])}),
            "source": meta.get("settings_from") or settings_source(meta)}


def settings_source(meta: dict) -> dict:
    """Where a hybrid.json's choices were made: its date, CV and the span model whose spans it was fit
    on (a combiner carried over to a new model names the old one in fit_on_span_model_sha256).
    A --keep-settings refit passes its own "settings_from" on unchanged, so chained refits keep the origin.

    >>> settings_source({"date": "2026-12-01", "span_model_sha256": "new", "fit_on_span_model_sha256": "old"})
    {'date': '2026-12-01', 'span_model_sha256': 'old', 'span_engine': None, 'cv_em': None, 'cv_f1': None}
    """
    return {"date": meta.get("date"),
            "span_model_sha256": meta.get("fit_on_span_model_sha256") or meta.get("span_model_sha256"),
            **{k: meta.get(k) for k in ("span_engine", "cv_em", "cv_f1")}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--korquad", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--sentences", type=int, nargs="+",
                    help="sentences the model reads around the best candidates, 0: the top passage whole "
                         "(default: 0 2; with --keep-settings, the kept value unless given)")
    ap.add_argument("--proposals", type=int, nargs="+",
                    help="model-only spans offered (default: 0 1 3 5; with --keep-settings, the kept value unless given)")
    ap.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    # The shipped combiner is fit on the int8 export's spans (`--keep-settings --sentences 0`, Dec 2);
    # the reader runs on float32 spans: refits on float32 spans scored lower on the held-out
    # announcement set (README, "Readers side by side" and "Training").
    ap.add_argument("--span-engine", default="onnx-int8", choices=["onnx-int8", "onnx"],
                    help="whose spans the combiner is fit on (default: onnx-int8, the shipped fit)")
    ap.add_argument("--keep-settings", action="store_true",
                    help="refit only the weights: sentences, whole_below, proposals, trust, typed_trust and the "
                         "type-clash weight are taken from the current hybrid.json (for a new span model whose "
                         "CV choices should not move with dev-a's noise)")
    ap.add_argument("--mode", choices=["reader", "open"], default="open",
                    help="open (default, the shipped fit): each question read in the passages retrieved for it "
                         "from all held-out paragraphs, as the product reads; reader: in its own paragraph alone")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    kept = None
    if args.keep_settings:
        meta = json.loads(OUT.read_text(encoding="utf-8"))["meta"]
        if args.sentences:      # a kept choice overridden: whole reads (0) need no whole_below
            meta = {**meta, "sentences": args.sentences[0], **({"whole_below": 0.0} if not args.sentences[0] else {})}
        if args.proposals:
            meta = {**meta, "proposals": args.proposals[0]}
        kept = kept_settings(meta)
        args.proposals, args.sentences = [kept["proposals"]], kept["recorded"]
    else:
        args.sentences, args.proposals = args.sentences or [0, 2], args.proposals or [0, 1, 3, 5]
    scorer = load_span_scorer(engine=args.span_engine)
    t0 = time.perf_counter()
    rows, ms = record(args.korquad, args.sentences, scorer, args.mode)
    print(f"{len(rows)} held-out dev-a questions read in {time.perf_counter() - t0:.0f} s")
    rule_only = np.zeros(len(FEATURES))
    rule_only[FEATURES.index("rule_rel")] = 1.0
    base = groups(rows, HybridReader(RuleReader(), scorer, LinearRanker({}), sentences=args.sentences[0], proposals=0))
    print("rule reader alone: EM %.1f / F1 %.1f\n" % quality(base, rule_only))
    print("| sentences read | whole passage below rule confidence | proposals | CV EM / F1 | whole reads |\n"
          "|---|---|---|---|---|")
    results = {}
    confidence = [best_rule(r["scored"]).confidence if r["scored"] else 1.0 for r in rows]
    for n in ([kept["sentences"]] if kept else args.sentences):
        grid = WHOLE_GRID if n and 0 in args.sentences else (0.0,)
        for t in ((kept["whole_below"],) if kept else grid):
            for p in args.proposals:
                reader = HybridReader(RuleReader(), scorer, LinearRanker({}), sentences=n, proposals=p, whole_below=t)
                gs = groups(rows, reader)
                results[(n, t, p)] = (cross_validated(gs), gs)
                (em, f), _ = results[(n, t, p)]
                whole = len(rows) if not n else sum(c < t for c in confidence)
                print(f"| {n or 'whole passages'} | {t if n else '-'} | {p} | {em:.1f} / {f:.1f} | {whole} |")
    print("model ms / question: " + ", ".join(f"{n or 'whole passages'}: {v:.0f}" for n, v in ms.items()))
    (n, whole_below, p), ((em, f), gs) = max(results.items(), key=lambda kv: sum(kv[1][0]))
    print(f"\nchosen: sentences {n}, whole below {whole_below}, proposals {p} (CV {em:.1f} / {f:.1f})")
    if kept:
        clash = kept["type_clash"]
        print(f"type_clash: {clash} (kept)")
    else:
        clash, (em, f) = choose_clash(gs, (em, f))
    fixed = {"type_clash": clash} if clash is not None else {}
    w = fit(gs, fixed=fixed)
    print(f"refit on all {len(gs)}: " + "EM %.1f / F1 %.1f" % quality(gs, w))
    print("weights: " + ", ".join(f"{k} {v:+.3f}" for k, v in zip(FEATURES, w)))
    combined = cv_answers(gs, fixed)           # the combiner's CV answers, for both cascades
    trust_grid = [kept["trust"]] if kept else [t for t in TRUST_GRID if t >= whole_below]
    trust, table = choose_trust(rows, gs, trust_grid, combined=combined)
    print("\n| rule answers alone at confidence >= | questions | CV EM / F1 |\n|---|---|---|")
    for t, k, e, ff in table:
        print(f"| {t} | {k} | {e} / {ff} |")
    if kept:   # the table above is for information: the kept threshold stands
        trust = kept["trust"]
    print(f"trust: {trust} ({'kept' if kept else 'the lowest at no CV cost'})")
    typed_trust, table = choose_typed_trust(rows, gs, trust, combined=combined,
                                            grid=[kept["typed_trust"]] if kept else TYPED_GRID)
    print("\n| the asked kind of number answered alone at confidence >= | questions alone | CV EM / F1 |\n|---|---|---|")
    for t, k, e, ff in table:
        print(f"| {t} | {k} | {e} / {ff} |")
    if kept:
        typed_trust = kept["typed_trust"]
    print(f"typed_trust: {typed_trust} ({'kept' if kept else 'the lowest at no CV cost'})")
    if args.dry_run:
        return 0
    meta = {"trained_on": "KorQuAD 1.0 dev-a held-out articles (every 5th even article)", "questions": len(gs),
            "mode": args.mode,
            "korquad_sha256": file_sha256(args.korquad), "span_model_sha256": read_manifest(MANIFEST)["weights"]["sha256"],
            "ranker_sha256": file_sha256(RANKER), "span_engine": args.span_engine,
            "sentences": n, "proposals": p, "whole_below": whole_below,
            "trust": None if math.isinf(trust) else trust, "type_clash_fixed": clash,
            "typed_trust": None if math.isinf(typed_trust) else typed_trust, "l2": L2, "seed": None,
            "cv_em": round(em, 2), "cv_f1": round(f, 2), "date": date.today().isoformat(),
            "command": " ".join(["python eval/train_hybrid.py", *sys.argv[1:]])}
    if kept:
        meta["settings_from"] = kept["source"]
    # The abstention threshold (eval/fit_abstention.py) is fit on the combiner's answers: carried over,
    # and worth refitting after a new combiner.
    previous = json.loads(args.out.read_text(encoding="utf-8"))["meta"] if args.out.is_file() else {}
    if previous.get("abstention"):
        meta["abstention"] = previous["abstention"]
        print("abstention block carried over: rerun `python eval/fit_abstention.py` to refit it")
    write_json_atomic(args.out, LinearRanker({k: round(float(v), 5) for k, v in zip(FEATURES, w)}, 0.0, meta).to_json())
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
