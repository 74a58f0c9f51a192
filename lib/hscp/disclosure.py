"""Statistical disclosure control of every published number.

Every table a report publishes goes through `protect` (report.table calls it):
small counts are suppressed so that no one can be identified from them, and
enough other cells are suppressed that a suppressed count cannot be worked out
by subtraction from a total. The threshold is a run parameter
(params/defaults.yaml, key disclosure.threshold; default 10).

Rule (after the PHS Statistical Disclosure Control Protocol):
- Primary suppression: a count c with 0 < c < threshold is suppressed. Zeros are
  published: they disclose no one.
- Secondary suppression: cells that add up to a published or derivable total form
  a group. Whenever a group has exactly one suppressed cell, its value could be
  recovered from the others and the total, so the smallest unsuppressed cell of
  the group (non-zero if there is one) is suppressed too; this is repeated until
  no group has exactly one suppressed cell. A total that is itself a cell of the
  table (an "All" row or a total column) is just another member of its group.
- A rate or percentage derived from counts is suppressed wherever any of its
  counts is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10


@dataclass(frozen=True)
class Protected:
    """A table after disclosure control.

    data: a copy of the table with suppressed cells set to missing (NA).
    suppressed: True where a cell of a count or derived column was suppressed.
    n_primary / n_secondary: how many count cells were suppressed as small
    counts / to protect them (derived cells are not counted).
    """

    data: pd.DataFrame
    suppressed: pd.DataFrame
    n_primary: int
    n_secondary: int
    kinds: dict[str, str] = field(default_factory=dict)  # column -> declared kind

    @property
    def n_suppressed(self) -> int:
        return self.n_primary + self.n_secondary


#: What a published column can be (the audit's contract, docs/disclosure-audit.md):
#: a count of people or events (suppressed when small), derived from counts
#: (suppressed with them), safe (not a count of people: populations, dates, years,
#: parameters, rates of published counts), or a label (text).
KINDS = ("count", "derived", "safe", "label")
#: Columns that are never counts of people, by name, in every table (a year, a
#: population estimate, the month of the year): declared once here.
SAFE_NAMES = frozenset(
    {"year", "financial_year", "population_year", "month_number", "calendar_month"}
)
SAFE_PREFIXES = ("population",)


class UndeclaredColumnError(ValueError):
    """A numeric column a table or chart would publish that no declaration covers."""


def column_kinds(
    table: pd.DataFrame,
    counts: Sequence[str],
    derived: Mapping[str, Sequence[str]] | None = None,
    safe: Sequence[str] = (),
    *,
    what: str = "table",
) -> dict[str, str]:
    """The declared kind of every column of a table to publish. Text and booleans are
    labels, dates are safe; every numeric column must be a count, derived from
    counts, or declared safe (or be one of SAFE_NAMES), unless `counts` is empty: a
    table declared to hold no counts. An undeclared one is an error, not a leak."""
    kinds: dict[str, str] = {}
    undeclared = []
    for column in table.columns:
        values = table[column]
        if column in counts:
            kinds[column] = "count"
        elif derived and column in derived:
            kinds[column] = "derived"
        elif _safe(column, values, safe) or (not counts and not derived):
            # counts=[]: the author declares a table of no counts (model results,
            # parameters, published rates); every number in it is safe
            kinds[column] = "safe"
        elif pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            kinds[column] = "label"
        else:
            undeclared.append(column)
    if undeclared:
        raise UndeclaredColumnError(
            f"{what}: numeric column(s) {undeclared} are not declared: name each in counts= "
            "(counts of people or events), derived= (computed from counts) or safe= (not a "
            "count of people: populations, parameters, rates of published counts)"
        )
    return kinds


def _safe(column, values: pd.Series, safe: Sequence[str]) -> bool:
    named = column in safe or column in SAFE_NAMES or str(column).startswith(SAFE_PREFIXES)
    return named or pd.api.types.is_datetime64_any_dtype(values)


def protect(
    table: pd.DataFrame,
    counts: str | Sequence[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    dims: Sequence[str] | None = None,
    across: bool = False,
    derived: Mapping[str, Sequence[str]] | None = None,
) -> Protected:
    """Suppress small counts, and the cells that would give them away.

    table: the table to publish. counts: its count columns.
    threshold: counts from 1 to threshold - 1 are suppressed (primary).
    dims: for a tidy table, its dimension columns (e.g. ["month", "reason_group"]).
      For each dimension, the cells sharing all the other dimensions' values (and
      the same count column) form a group: e.g. the reasons of one month, and the
      months of one reason. Without dims (a wide table), each count column, across
      the rows, is a group.
    across: also make each row's count columns a group (a wide table whose columns
      add up, e.g. with a row total column).
    derived: {derived column: [count columns it is computed from]}; a derived
      cell is suppressed wherever any of its counts is in the same row.

    Groups with exactly one suppressed cell are resolved one at a time, visiting
    groups in a fixed order (column groups or dims groups in the order of `dims`,
    then row groups), and suppressing the smallest unsuppressed member (non-zero
    if possible; the first such cell on ties), until none is left. Missing
    counts are left as they are and never chosen.
    """
    counts = [counts] if isinstance(counts, str) else list(counts)
    derived = dict(derived or {})
    dims = None if dims is None else ([dims] if isinstance(dims, str) else list(dims))
    _validate(table, counts, threshold, dims, derived)

    values = table[counts].apply(pd.to_numeric).to_numpy(dtype=float, na_value=np.nan)
    n_rows, n_cols = values.shape
    flat = values.ravel()  # cell id = row * n_cols + column
    primary = (flat > 0) & (flat < threshold)
    groups = _groups(table, n_rows, n_cols, dims, across)
    suppressed = _secondary(flat, primary.copy(), groups)

    mask = pd.DataFrame(suppressed.reshape(n_rows, n_cols), index=table.index, columns=counts)
    for column, sources in derived.items():
        mask[column] = mask[list(sources)].any(axis=1)

    data = table.copy()
    for column in mask.columns:
        if pd.api.types.is_integer_dtype(data[column]) and not isinstance(
            data[column].dtype, pd.api.extensions.ExtensionDtype
        ):
            data[column] = data[column].astype("Int64")
        data[column] = data[column].mask(mask[column].to_numpy())
    n_primary = int(primary.sum())
    return Protected(data, mask, n_primary, int(suppressed.sum()) - n_primary)


def _validate(
    table: pd.DataFrame,
    counts: list[str],
    threshold: int,
    dims: list[str] | None,
    derived: dict[str, Sequence[str]],
) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, Integral) or threshold < 1:
        raise ValueError(
            f"threshold must be a positive whole number (params/defaults.yaml "
            f"disclosure.threshold), not {threshold!r}"
        )
    if not counts:
        raise ValueError("protect: name at least one count column")
    named = {
        "counts": counts,
        "dims": dims or [],
        "derived": list(derived),
    }
    for argument, columns in named.items():
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise KeyError(
                f"protect: column {', '.join(map(repr, missing))} (in {argument}) is not in "
                f"the table; its columns are {', '.join(map(str, table.columns))}"
            )
    for column, sources in derived.items():
        if isinstance(sources, str):
            raise ValueError(f"protect: derived[{column!r}] must be a list of count columns")
        unknown = [s for s in sources if s not in counts]
        if unknown or not sources:
            raise ValueError(
                f"protect: derived column {column!r} is computed from "
                f"{', '.join(map(repr, unknown)) or 'nothing'}, which must be among the "
                f"count columns ({', '.join(counts)})"
            )
    for column in counts:
        if not pd.api.types.is_numeric_dtype(table[column]) or pd.api.types.is_bool_dtype(
            table[column]
        ):
            raise TypeError(f"protect: count column {column!r} is not numeric")
        if (table[column] < 0).any():
            raise ValueError(f"protect: count column {column!r} has negative values")


def _groups(
    table: pd.DataFrame, n_rows: int, n_cols: int, dims: list[str] | None, across: bool
) -> list[np.ndarray]:
    """Each group as an array of cell ids (row * n_cols + column), in visiting order."""
    rows = np.arange(n_rows)
    groups: list[np.ndarray] = []
    if dims is None:
        groups += [rows * n_cols + j for j in range(n_cols)]
    else:
        for dim in dims:
            others = [d for d in dims if d != dim]
            if others:
                key = table.groupby(others, dropna=False, sort=False).ngroup().to_numpy()
            else:
                key = np.zeros(n_rows, dtype=np.int64)
            order = np.argsort(key, kind="stable")
            bounds = np.flatnonzero(np.diff(key[order])) + 1
            for members in np.split(order, bounds):
                groups += [members * n_cols + j for j in range(n_cols)]
    if across:
        groups += [r * n_cols + np.arange(n_cols) for r in range(n_rows)]
    return [g for g in groups if len(g) > 1]


def _secondary(values: np.ndarray, suppressed: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Suppress cells until no group has exactly one suppressed cell (where it can be helped)."""
    if not groups:
        return suppressed
    group_of = np.concatenate([np.full(len(g), i) for i, g in enumerate(groups)])
    cell_of = np.concatenate(groups)
    known = ~np.isnan(values)
    while True:
        per_group = np.bincount(group_of, weights=suppressed[cell_of], minlength=len(groups))
        for g in np.flatnonzero(per_group == 1):
            members = groups[g]
            candidates = members[~suppressed[members] & known[members]]
            if not len(candidates):
                continue  # nothing left to suppress in this group
            non_zero = candidates[values[candidates] > 0]
            pool = non_zero if len(non_zero) else candidates
            suppressed[pool[np.argmin(values[pool])]] = True
            break
        else:
            return suppressed
