"""The one base of every error the project raises on purpose.

Bad data, bad parameters, unknown names and inputs a model cannot use all derive
from `HscpError`, so a caller (the batch, a notebook) can tell "the input is
wrong, and the message says how" from a bug. Each subclass also keeps the
built-in base it had (ValueError, RuntimeError), so older `except` clauses
still work.
"""

from __future__ import annotations


class HscpError(Exception):
    """An input the project cannot use: the message names the file, column or key,
    and the problem."""


__all__ = ["HscpError"]
