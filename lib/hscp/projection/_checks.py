"""The projection's error and its column check (private)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp.errors import HscpError


class ProjectionError(HscpError, ValueError):
    """Projection inputs that cannot be used: the message names the file/column/problem."""


def require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """KeyError naming the columns a table lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"the {what} table lacks column(s) {', '.join(missing)}")
