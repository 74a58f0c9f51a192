"""Age bands given by their lower bounds, and the age groups reports name.

Bands are written by their youngest ages, [0, 65, 75] -> "0-64", "65-74",
"75+": each band runs to the year before the next one starts, the last is open.
The groups reports quote are "18+" (adults, the delayed discharge rules), "65+"
and "75+" (older people; national indicator 19 counts delayed bed days of people
75+).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: NRS population estimates and projections give single years of age to 89, then 90+.
NRS_OLDEST_AGE = 90
ADULTS = 18
OLDER_PEOPLE = 65
OLDEST_OLD = 75


def group_label(youngest: int, oldest: int | None = None) -> str:
    """'18+' for 18 and over, '18-74' for 18 to 74 inclusive."""
    return f"{youngest}+" if oldest is None else f"{youngest}-{oldest}"


def check_bands(bounds: Sequence[int], *, oldest: int | None = None) -> list[int]:
    """The lower bounds as whole numbers: from 0, increasing, the last at most `oldest`
    (when the ages stop there, e.g. 90 meaning 90 and over). ValueError otherwise."""
    values = [int(b) for b in bounds]
    if not values or values[0] != 0:
        raise ValueError(f"age bands must start at 0, not {values[:1]}")
    if any(b <= a for a, b in zip(values[:-1], values[1:], strict=True)):
        raise ValueError(f"age bands must increase: {values}")
    if oldest is not None and values[-1] > oldest:
        raise ValueError(
            f"the last age band must start at {oldest} or younger ({oldest} is {oldest}+)"
        )
    return values


def band_labels(bounds: Sequence[int]) -> list[str]:
    """Labels for bands given by their lower bounds: [0, 65, 75] -> 0-64, 65-74, 75+."""
    values = check_bands(bounds)
    labels = [group_label(lo, hi - 1) for lo, hi in zip(values[:-1], values[1:], strict=True)]
    return [*labels, group_label(values[-1])]


def band_of(ages, bounds: Sequence[int]) -> pd.Categorical:
    """The band of each age (an ordered categorical of band_labels)."""
    values = check_bands(bounds)
    codes = np.searchsorted(np.asarray(values), np.asarray(ages, dtype=float), side="right") - 1
    return pd.Categorical.from_codes(
        codes.astype(int), categories=band_labels(values), ordered=True
    )


__all__ = [
    "ADULTS",
    "NRS_OLDEST_AGE",
    "OLDER_PEOPLE",
    "OLDEST_OLD",
    "band_labels",
    "band_of",
    "check_bands",
    "group_label",
]
