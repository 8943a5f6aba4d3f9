"""Neural reader engines side by side: load time, latency, and accuracy on held-out dev-a.

    python eval/bench_neural.py                  # torch fp32 / dynamic int8, onnxruntime fp32 / int8
    python eval/bench_neural.py --questions 200 --engines onnx torch

Accuracy: reader mode on the held-out fifth of KorQuAD dev-a (the articles
train_neural_reader.py never trained on), so an engine that loses accuracy
shows it. Latency: one question over the 3 passages the pipeline hands the
reader for questions about the bundled announcement.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.evaluation.metrics import exact_match, f1  # noqa: E402
from qa.korean import normalize_text  # noqa: E402

KORQUAD = ROOT.parent / "shared" / "data" / "korquad" / "KorQuAD_v1.0_dev.json"


def held_out(n: int) -> list[tuple[str, str, list[str]]]:
    """(question, context, answers) of the held-out dev-a articles (every 5th even article)."""
    data = json.loads(KORQUAD.read_text(encoding="utf-8"))["data"]
    out = []
    for ai in list(range(0, len(data), 2))[::5]:
        for para in data[ai]["paragraphs"]:
            for qa in para["qas"]:
                out.append((qa["question"], normalize_text(para["context"]), [a["text"] for a in qa["answers"]]))
    return out[:n]


def announcement_contexts(questions: list[str]) -> list[tuple[str, list[str]]]:
    from qa import load_pipeline
    pipe = load_pipeline()
    return [(q, [h.chunk.text for h in pipe.retrieve(q, 3)]) for q in questions]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engines", nargs="+", default=["torch", "torch-int8", "onnx", "onnx-int8"])
    ap.add_argument("--questions", type=int, default=300)
    args = ap.parse_args()
    from qa.reader.neural.reader import trim_edges
    from qa.reader.neural.scorer import load_span_scorer
    qs = held_out(args.questions)
    probe = announcement_contexts(["NHN 투자액은?", "데이터센터 연면적은?", "GIST AI대학원은 언제 개원해?",
                                   "누가 AI 민주화를 선언했어?", "AI 집적단지 사업비는?"])
    rows = []
    for engine in args.engines:
        t0 = time.perf_counter()
        scorer = load_span_scorer(engine=engine)
        load = time.perf_counter() - t0
        scorer.predict(*probe[0])                     # warm-up
        lat = []
        for _ in range(4):
            for q, ctxs in probe:
                t = time.perf_counter()
                scorer.predict(q, ctxs)
                lat.append((time.perf_counter() - t) * 1000)
        ems, f1s = [], []
        for q, ctx, golds in qs:
            (preds,) = scorer.predict(q, [ctx])
            best = next((p for p in preds if trim_edges(ctx, p)), None)
            text = ctx[slice(*trim_edges(ctx, best))] if best else ""
            ems.append(exact_match(text, golds))
            f1s.append(f1(text, golds))
        lat.sort()
        rows.append((engine, load, statistics.median(lat), lat[int(0.95 * (len(lat) - 1))],
                     100 * statistics.mean(ems), 100 * statistics.mean(f1s)))
        print(f"{engine}: done", file=sys.stderr, flush=True)
    print(f"\n{len(qs)} held-out dev-a questions (reader mode, gold paragraph); latency: one question over "
          "3 announcement passages\n")
    print("| engine | load s | predict p50 ms | p95 ms | EM | F1 |\n|---|---|---|---|---|---|")
    for e, load, p50, p95, em, f in rows:
        print(f"| {e} | {load:.1f} | {p50:.1f} | {p95:.1f} | {em:.1f} | {f:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
