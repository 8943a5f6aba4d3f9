"""Features of one hybrid option that are plain functions of text and spans (hybrid.FEATURES).

    echo("GIST AI대학원", "GIST의 한글 이름은?")            -> 0.375  (how much of it the question says)
    kind_of("NHN은 10년간 2100억원을 투자한다.", 10, 16)     -> 'money' (the rules' kind of a model span)
    agreement(candidate, votes)                              -> best overlap x weight of the model's votes
"""
from __future__ import annotations

from .candidates import spans as sentence_spans
from .pieces import doc_span


def echo(text: str, question: str) -> float:
    """Share of the text's character bigrams (spaces ignored; a 1-char text: itself) found in the question.

    >>> echo("GIST AI대학원", "GIST의 한글 이름은?")
    0.375
    >>> echo("광주과학기술원", "GIST의 한글 이름은?")
    0.0
    """
    t, q = text.replace(" ", ""), question.replace(" ", "")
    grams = [t[i:i + 2] for i in range(len(t) - 1)] or [t]
    return sum(g in q for g in grams) / len(grams) if t else 0.0


def kind_of(sentence: str, start: int, end: int) -> str:
    """The kind the rules' candidate extraction gives sentence[start:end] (else that text read
    alone); "phrase" when it is no candidate of either.

    >>> kind_of("NHN은 10년간 2100억원을 투자한다.", 10, 16)
    'money'
    >>> kind_of("NHN은 10년간 2100억원을 투자한다.", 0, 3)
    'name'
    """
    text = sentence[start:end]
    for source, span in ((sentence, (start, end)), (text, (0, len(text)))):
        for c in sentence_spans(source) if text else ():
            if (c.start, c.end) == span and c.kind != "purpose":
                return c.kind
    return "phrase"


def agreement(s, votes) -> float:
    """max over votes of overlap(candidate, vote) / union x vote weight.

    >>> from types import SimpleNamespace as N
    >>> c = N(cand=N(start=2, text="2100억원"), sent_start=10, hit=N(chunk=N(doc_id="d")))
    >>> agreement(c, [("d", 12, 18, 1.0), ("d", 12, 20, 0.5)])
    1.0
    """
    doc_id, start, end = doc_span(s)
    best = 0.0
    for doc, a, b, w in votes:
        if doc != doc_id:
            continue
        inter = min(end, b) - max(start, a)
        if inter > 0:
            best = max(best, w * inter / (max(end, b) - min(start, a)))
    return best
