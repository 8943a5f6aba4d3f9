"""Training data of the neural span reader: SQuAD-format files -> examples, dev-b overlap, no-answer pairs.

    examples = squad_examples(Path("korean_tydiqa_train.json"), "tydi-ko")
    -> [Example(id, question, context (normalized, tags stripped), ((answer, char start),), source, group), ...]
    add_negatives(examples, 0.3, seed=13)    -> the same questions paired with a similar passage that lacks the answer
    absent_negatives(examples, 0.5, seed=13) -> the same questions on their own passage without the answer's sentences

Used by eval/train_neural_reader.py; nothing here imports torch.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.korean import normalize_text


@dataclass(frozen=True)
class Example:
    id: str
    question: str
    context: str
    answers: tuple[tuple[str, int], ...]    # (text, char start); () = no answer in this context
    source: str
    group: str                              # article key, for the held-out split


_TAG = re.compile(r"</?b>")


def strip_tags(context: str, answers: list[tuple[str, int]]) -> tuple[str, list[tuple[str, int]]]:
    """Remove stray bold tags, moving answer starts left by the tag characters before them.

    >>> strip_tags("a</b>bc", [("bc", 5)])
    ('abc', [('bc', 1)])
    """
    cuts = [(m.start(), m.end() - m.start()) for m in _TAG.finditer(context)]
    fixed = [(t, s - sum(n for at, n in cuts if at < s)) for t, s in answers]
    return _TAG.sub("", context), fixed


def normalized(context: str, answers) -> tuple[str, list[tuple[str, int]]]:
    """The context as the reader sees it (normalize_text) with each answer re-found near its old start."""
    clean = normalize_text(context)
    out = []
    for text, start in answers:
        t = normalize_text(text)
        hits = [m.start() for m in re.finditer(re.escape(t), clean)] if t else []
        if hits:
            out.append((t, min(hits, key=lambda h: abs(h - start))))
    return clean, out


def squad_examples(path: Path, source: str, keep=lambda ai, context: True) -> list[Example]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out = []
    for ai, art in enumerate(data):
        for pi, para in enumerate(art["paragraphs"]):
            if not keep(ai, para["context"]):
                continue
            for qa in para["qas"]:
                ctx, answers = strip_tags(para["context"], [(a["text"], a["answer_start"]) for a in qa["answers"]])
                ctx, answers = normalized(ctx, answers)
                if answers:
                    out.append(Example(str(qa["id"]), qa["question"], ctx, tuple(answers), source,
                                       f"{source}:{ai}"))
    return out


def dev_b_runs(korquad: Path, n: int = 30) -> set[str]:
    """Every n-character run of KorQuAD dev-b contexts (odd articles), to drop overlapping training passages."""
    data = json.loads(korquad.read_text(encoding="utf-8"))["data"]
    runs = set()
    for art in data[1::2]:
        for para in art["paragraphs"]:
            c = para["context"]
            runs.update(c[i:i + n] for i in range(0, max(1, len(c) - n + 1)))
    return runs


def overlaps(context: str, runs: set[str], n: int = 30) -> bool:
    c = _TAG.sub("", context)
    return any(c[i:i + n] in runs for i in range(0, max(1, len(c) - n + 1)))


def add_negatives(examples: list[Example], ratio: float, seed: int) -> list[Example]:
    """For a share of questions, the most similar other passage (char-bigram tf-idf) without any answer."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    contexts = sorted({e.context for e in examples})
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 2), min_df=2, sublinear_tf=True)
    m = vec.fit_transform(contexts)
    rng = random.Random(seed)
    chosen = [e for e in examples if rng.random() < ratio]
    q = vec.transform([e.question for e in chosen])
    sims = (q @ m.T).toarray()
    out = []
    for e, row in zip(chosen, sims):
        for j in np.argsort(-row)[:10]:
            c = contexts[j]
            if c != e.context and not any(t in c for t, _ in e.answers):
                out.append(Example(e.id + "#neg", e.question, c, (), e.source + "-neg", e.group))
                break
    return out


def absent_negatives(examples: list[Example], ratio: float, seed: int, split=None) -> list[Example]:
    """For a share of questions, their own passage without the sentences that hold an answer.

    The thing asked about is then missing from a passage on the very topic ("NHN 주가는?" against
    the article that gives NHN's investment but no share price): add_negatives' other passages
    seldom teach that, and the shipped model still scored a margin above 3 on a quarter of such
    reads. Skipped when under two sentences would remain or an answer's text still occurs in them.
    `split(text)` -> sentence (start, end) spans (default: Kiwi's, qa.korean.sentence_spans).

    >>> e = Example("q1", "투자액은?", "NHN이 투자한다. 규모는 2100억원이다. 광주에 짓는다. 내년 완공이다.",
    ...             (("2100억원", 14),), "korquad", "korquad:0")
    >>> [n.context for n in absent_negatives([e], 1.0, 0, split=_period_split)]
    ['NHN이 투자한다. 광주에 짓는다. 내년 완공이다.']
    """
    if split is None:
        from qa.korean import sentence_spans as split
    rng = random.Random(seed)
    out = []
    for e in examples:
        if not e.answers or rng.random() >= ratio:
            continue
        answer_chars = [(s, s + len(t)) for t, s in e.answers]
        kept = [e.context[a:b] for a, b in split(e.context)
                if not any(a < end and start < b for start, end in answer_chars)]
        context = " ".join(k.strip() for k in kept if k.strip())
        if len(kept) < 2 or any(t in context for t, _ in e.answers):
            continue
        out.append(Example(e.id + "#absent", e.question, context, (), e.source + "-absent", e.group))
    return out


def _period_split(text: str) -> list[tuple[int, int]]:
    """Sentence spans at ". " (doctests)."""
    spans, start = [], 0
    for m in re.finditer(r"\.(?:\s|$)", text):
        spans.append((start, m.end()))
        start = m.end()
    return spans
