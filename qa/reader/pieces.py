"""Which parts of the retrieved passages the span model reads: a piece is (hit, start, end) in
chunk offsets, and the model reads hit.chunk.text[start:end].

    candidate_pieces(scored, 2)        # the 2 best rule candidates' sentences, each with the one before
    fitting_piece(hit, scored, best, room, offsets, spill)   # a passage, or its sentences that fit one window

The hybrid reader (hybrid.py) chooses between them; the rule candidates each piece holds are
scored by the model exactly (candidates_in).
"""
from __future__ import annotations

import math

from ..types import Chunk, Hit
from .neural.windows import best_run, tokens_per_span


def chunk_key(hit: Hit) -> tuple[str, int]:
    """(doc id, chunk start): one passage, whichever Hit object carries it."""
    return hit.chunk.doc_id, hit.chunk.start


def sentence_index(chunk: Chunk, sent_start: int) -> int | None:
    """The index of the chunk's sentence starting at document offset `sent_start` (None: not in the chunk)."""
    return next((i for i, sp in enumerate(chunk.sentences) if chunk.start + sp.start == sent_start), None)


def doc_span(s) -> tuple[str, int, int]:
    """(doc id, start, end) of a rule candidate in its document: the key model spans are matched by.

    >>> from types import SimpleNamespace as N
    >>> doc_span(N(cand=N(start=2, text="2100억원"), sent_start=10, hit=N(chunk=N(doc_id="d"))))
    ('d', 12, 18)
    """
    start = s.sent_start + s.cand.start
    return s.hit.chunk.doc_id, start, start + len(s.cand.text)


def candidates_in(scored: list, hit: Hit, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of the rule candidates inside the piece hit.chunk.text[start:end], in piece offsets."""
    c = hit.chunk
    lo, hi = c.start + start, c.start + end           # the piece in document offsets
    return sorted({(a - lo, b - lo) for doc_id, a, b in map(doc_span, scored)
                   if doc_id == c.doc_id and lo <= a and b <= hi})


def candidate_pieces(scored: list, n: int) -> list[tuple[Hit, int, int]]:
    """(hit, start, end) in chunk offsets: runs of chunk sentences holding the n best candidates' sentences.

    Each chosen sentence brings the one before it (it may name what this one calls 그);
    adjacent sentences of one chunk are merged into one piece. (An alias definition the rule
    reader reads from elsewhere in the document comes with a Hit of its own sentence.)
    """
    chosen: dict[int, tuple] = {}          # id(hit) -> (hit, sentence indexes)
    picked: set[tuple[int, int]] = set()
    for s in sorted(scored, key=lambda s: -s.score):
        k = sentence_index(s.hit.chunk, s.sent_start)
        if k is None or (id(s.hit), k) in picked:
            continue
        if len(picked) == n:
            break
        picked.add((id(s.hit), k))
        chosen.setdefault(id(s.hit), (s.hit, set()))[1].update({max(0, k - 1), k})
    out = []
    for hit, ks in chosen.values():
        runs: list[list[int]] = []         # [first, last] sentence index of each run
        for k in sorted(ks):
            if runs and k == runs[-1][1] + 1:
                runs[-1][1] = k
            else:
                runs.append([k, k])
        for first, last in runs:
            out.append((hit, hit.chunk.sentences[first].start, hit.chunk.sentences[last].end))
    return out


def fitting_piece(hit: Hit, scored: list, best, room: int, offsets: list[tuple[int, int]],
                  spill: int) -> tuple[Hit, int, int]:
    """The passage whole, or, when its tokens (`offsets`) overflow one window's `room` by at most
    `spill`, the run of its sentences that fits with the most rule evidence: each sentence weighs
    exp(its best candidate's score - the `best` candidate's), whose sentence is always in."""
    chunk = hit.chunk
    whole = (hit, 0, len(chunk.text))
    if len(chunk.sentences) < 2 or not 0 < len(offsets) - room <= spill:
        return whole
    weights = [0.0] * len(chunk.sentences)
    mine = [s for s in scored if chunk_key(s.hit) == chunk_key(hit)]
    for s in mine:
        k = sentence_index(chunk, s.sent_start)
        if k is not None:
            weights[k] = max(weights[k], math.exp(s.score - best.score))
    keep = sentence_index(chunk, best.sent_start) if chunk_key(best.hit) == chunk_key(hit) else None
    sents = chunk.sentences
    run = best_run(tokens_per_span([(sp.start, sp.end) for sp in sents], offsets), weights, room, keep)
    return whole if run is None else (hit, sents[run[0]].start, sents[run[1]].end)
