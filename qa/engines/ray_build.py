"""Distributed index builds on Ray Data: Kiwi morphemes, embeddings and BM25 weights on Ray workers.

    writer = ray_writer(make_embedder_fn, "local")      # or "ray://head:10001" / "auto"
    MilvusStore.build(uri, "news", docs, embedder, opts, writer=writer)

The driver cleans, deduplicates and cuts the documents into chunks (dedupe
keeps the first copy of a sentence across the whole corpus, an inherently
ordered step; chunk rows are numbered in corpus order there, so row ids are
the local engine's). Then, over Ray workers:

    1. map_batches(tokenize)        Kiwi content morphemes per chunk
    2. map_batches(partial_stats)   chunk count, token count, document frequencies
       (merged on the driver into the corpus's BM25 statistics)
    3. map_batches(Embed, actors)   dense vectors (one embedder per worker) + sparse BM25 weights
    4. upsert to Milvus in batches as results stream back, with a progress bar of
       documents and passages done

Rows an interrupted run already wrote are skipped; writes are upserts keyed by
row, so a rerun finishes without duplicates. The upserts go through the
driver: a milvus-lite file has one writer, and for a server the embedding,
not the write, is the slow step.
"""
from __future__ import annotations

import json
import logging
from collections import Counter

import numpy as np

from ..errors import IndexStoreError
from .sparse_bm25 import BM25Stats, chunk_tokens, doc_vector

log = logging.getLogger(__name__)
EMBED_BATCH = 64
LOCAL_CPUS = 2
START_TRIES = 2      # a local start that timed out is tried once more


def init_ray(address: str):
    """Connect to the Ray cluster at `address`, or start a local one ("local") with LOCAL_CPUS CPUs.

    A local start whose node misses Ray's 30 s start-up deadline (seen on 2 busy cores: Ray raises a
    bare Exception then) is tried once more; a second miss, or a cluster that refuses us, is one
    IndexStoreError that says what to do.
    """
    try:
        import ray
    except ImportError:
        raise IndexStoreError("--ray needs the scale extra: pip install -e \".[scale]\"") from None
    if ray.is_initialized():
        return ray
    for attempt in range(1, START_TRIES + 1):
        try:
            if address == "local":
                ray.init(num_cpus=LOCAL_CPUS, include_dashboard=False, log_to_driver=False,
                         logging_level=logging.WARNING)
            else:
                ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
            break
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise IndexStoreError(f"cannot join the Ray cluster at {address} ({e}): start it with "
                                  f"`ray start --head` on the head node, or use --ray without an address for a "
                                  f"local one") from None
        except Exception as e:  # noqa: BLE001 (Ray's own start-up timeout is a bare Exception)
            ray.shutdown()
            if attempt == START_TRIES:
                raise IndexStoreError(f"the Ray cluster at {address} did not start in {START_TRIES} tries ({e}): "
                                      f"retry when the machine is less busy, or start one with `ray start --head` "
                                      f"and pass its address to --ray") from None
            log.warning("Ray did not start (%s); trying once more", e)
    ray.data.DataContext.get_current().enable_progress_bars = False   # ours counts documents and passages
    logging.getLogger("ray.data").setLevel(logging.WARNING)           # no per-dataset plan/progress INFO lines
    return ray


def _tokenize(batch: dict) -> dict:
    """Kiwi content morphemes of each chunk, as one JSON list per row (Arrow-friendly)."""
    batch["tokens"] = np.array([json.dumps(chunk_tokens(t), ensure_ascii=False) for t in batch["text"]])
    return batch


def _partial_stats(batch: dict) -> dict:
    """(chunks, tokens, document frequencies) of one batch, merged by BM25Stats.merge."""
    tokens = [json.loads(t) for t in batch["tokens"]]
    df = Counter(t for ts in tokens for t in set(ts))
    return {"n": np.array([len(tokens)]), "total": np.array([sum(map(len, tokens))]),
            "df": np.array([json.dumps(df, ensure_ascii=False)])}


class _Embed:
    """A Ray actor: one embedder per worker; adds dense vectors and BM25 sparse weights."""

    def __init__(self, make_embedder, fingerprint: str, stats: BM25Stats):
        self.embedder = make_embedder()
        if self.embedder.fingerprint != fingerprint:      # every worker must produce the driver's vectors
            raise IndexStoreError(f"a Ray worker loaded embedder {self.embedder.fingerprint}, the build uses "
                                  f"{fingerprint}: install the same model on every node")
        self.stats = stats

    def __call__(self, batch: dict) -> dict:
        batch["dense"] = self.embedder.embed_passages(list(batch["text"])).astype(np.float32)
        batch["sparse"] = np.array([json.dumps(doc_vector(json.loads(t), self.stats)) for t in batch["tokens"]])
        return batch


def ray_writer(make_embedder, address: str = "local", embed_batch: int = EMBED_BATCH):
    """A `writer` for MilvusStore.build that embeds on Ray workers.

    `make_embedder()` must build, in a worker process, the embedder the driver uses.
    """
    def write(client, collection, clean, chunks, embedder, progress=False):
        from tqdm import tqdm

        from . import milvus
        ray = init_ray(address)
        docs = {d.id: d for d in clean}
        rows = [{"row": c.id, "text": c.text} for c in chunks]
        ds = ray.data.from_items(rows).map_batches(_tokenize, batch_format="numpy").materialize()
        parts = ds.map_batches(_partial_stats, batch_format="numpy").take_all()
        stats = BM25Stats.merge([(int(p["n"]), int(p["total"]), Counter(json.loads(p["df"]))) for p in parts])
        done = set(milvus.existing_rows(client, collection, len(chunks)))
        # Materialized, so the embedding actors (one per CPU) never wait for a task that needs a CPU.
        todo = ds.filter(lambda r: int(r["row"]) not in done).materialize() if done else ds
        left = Counter(c.doc_id for c in chunks)
        for c in chunks:
            if c.id in done:
                left[c.doc_id] -= 1
        bar_docs = tqdm(total=len(left), initial=sum(1 for n in left.values() if n == 0), desc="documents",
                        unit="doc", disable=not progress, position=0)
        bar = tqdm(total=len(chunks), initial=len(done), desc="passages", unit="p", disable=not progress,
                   position=1)
        embedded = todo.map_batches(_Embed, fn_constructor_args=(make_embedder, embedder.fingerprint, stats),
                                    batch_size=embed_batch, batch_format="numpy",
                                    compute=ray.data.ActorPoolStrategy(size=_workers(ray)),
                                    num_cpus=1)
        for batch in embedded.iter_batches(batch_size=milvus.WRITE_BATCH, batch_format="numpy"):
            out = []
            for row, vec, sparse in zip(batch["row"], batch["dense"], batch["sparse"]):
                c = chunks[int(row)]
                weights = {int(k): float(v) for k, v in json.loads(sparse).items()}
                out.append(milvus.chunk_row(c, milvus.chunk_uid(docs[c.doc_id], c), vec, weights))
                left[c.doc_id] -= 1
                if left[c.doc_id] == 0:
                    bar_docs.update(1)
            client.upsert(collection, out)
            bar.update(len(out))
        bar.close()
        bar_docs.close()
    return write


def _workers(ray) -> int:
    """One embedding actor per CPU of the cluster (at least one)."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
