"""Index names: the one form a name may take, checked at every entry point.

A name becomes a directory directly under the index root, so it must never
be able to name the root itself (".", ""), a parent (".."), a path ("a/b",
"/abs") or a hidden build leftover (".x"). Hence one plain form:

    [A-Za-z0-9][A-Za-z0-9._-]{0,63}

>>> validate_index_name("news-2024")
'news-2024'
>>> validate_index_name("..")
Traceback (most recent call last):
...
qa.errors.InputError: invalid index name '..': a name is 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit (e.g. news-2024)
"""
from __future__ import annotations

import re

from .errors import InputError

NAME_FORM = "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit (e.g. news-2024)"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def validate_index_name(name: object, label: str = "index name") -> str:
    """`name` unchanged when it has the allowed form, else InputError naming `label`.

    `label` says where the name came from (e.g. "QA_INDEX_NAME") so the
    message points at what to fix.
    """
    # fullmatch, not match + "$": "$" also accepts a trailing newline.
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise InputError(f"invalid {label} {name!r}: a name is {NAME_FORM}")
    return name
