"""Errors with messages that say how to fix the problem.

The CLI and the API turn these into a one-line message / HTTP 4xx; anything
else is a bug and is logged with its traceback.
"""


class QAError(Exception):
    """Base class: a problem the user can fix; the message says how."""


class InputError(QAError):
    """Bad user input: empty question, missing path, unsupported file, k <= 0."""


class IndexStoreError(QAError):
    """Missing, corrupt, stale or mismatched index."""


class ModelError(QAError):
    """An embedding model cannot be loaded or does not match the index."""
