"""What every open data reader shares: the error that names the file and its problems."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hscp.errors import HscpError
from hscp.extracts import Problem

#: How many example values a problem message shows.
_EXAMPLES = 3


class OpenDataError(HscpError, ValueError):
    """An open data file that is not in its published layout: names the file and every problem."""

    def __init__(self, path: Path | str, what: str, problems: list[Problem]):
        self.path, self.problems = Path(path), problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: not a {what} in the published layout:\n{lines}")


def _examples(values: pd.Series) -> list:
    return values.drop_duplicates().head(_EXAMPLES).tolist()
