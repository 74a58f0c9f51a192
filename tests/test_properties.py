"""Properties that must hold for any input (hypothesis): bed days are never negative and
their monthly split adds up to the stays; disclosure control never leaves a small count
published or a suppressed count recoverable from its group's total."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hscp import disclosure, measures

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
DAYS = (END - START).days


@st.composite
def stays(draw) -> pd.DataFrame:
    """Stays inside the period (some still open): admission and length in days."""
    n = draw(st.integers(1, 40))
    admitted = draw(st.lists(st.integers(0, DAYS), min_size=n, max_size=n))
    lengths = draw(st.lists(st.integers(0, 500), min_size=n, max_size=n))
    still_in = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    rows = []
    for a, length, open_ in zip(admitted, lengths, still_in, strict=True):
        admission = START + pd.Timedelta(days=a)
        discharge = min(admission + pd.Timedelta(days=length), END)
        rows.append({"admission_date": admission, "discharge_date": pd.NaT if open_ else discharge})
    frame = pd.DataFrame(rows)
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    return frame


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stays())
def test_bed_days_are_never_negative_and_the_months_add_up_to_the_stays(frame):
    monthly = measures.bed_days_by_month(frame, "2023-01", "2024-12")
    assert (monthly["bed_days"] >= 0).all()
    assert len(monthly) == 24
    # each stay's midnights: discharge - admission, an open stay to the period's end
    discharged = frame["discharge_date"].fillna(END)
    expected = (discharged - frame["admission_date"]).dt.days.sum()
    assert monthly["bed_days"].sum() == expected


def _groups_of_wide(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    columns = [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    rows = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    return [g for g in columns + rows if len(g) > 1]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 8).flatmap(
        lambda rows: st.integers(2, 5).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 40), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    st.integers(2, 20),
)
def test_no_small_count_is_published_and_no_suppressed_count_can_be_recovered(cells, threshold):
    table = pd.DataFrame(cells, columns=[f"c{i}" for i in range(len(cells[0]))])
    counts = list(table.columns)
    protected = disclosure.protect(table, counts, threshold=threshold, across=True)
    shown = protected.data[counts]
    # no count from 1 to threshold - 1 is published
    published = shown.to_numpy(dtype=float, na_value=np.nan)
    assert not ((published > 0) & (published < threshold)).any()
    # every column (its total is derivable) and every row (across=True) has no suppressed
    # cell, or at least two: one alone could be worked out from the group's total
    hidden = protected.suppressed[counts].to_numpy()
    for group in _groups_of_wide(*hidden.shape):
        assert sum(hidden[r, c] for r, c in group) != 1
    # zeros disclose no one: one is suppressed only when its group has no non-zero cell
    # to hide instead; and what is published is the table's own value
    original = table.to_numpy(dtype=float)
    assert np.array_equal(published[~hidden], original[~hidden])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=6, max_size=24))
def test_a_tidy_table_is_protected_along_each_dimension(values):
    months = len(values) // 3
    table = pd.DataFrame(
        {
            "month": np.repeat(np.arange(months), 3),
            "reason": ["a", "b", "c"] * months,
            "people": values[: months * 3],
        }  # fmt: skip
    )
    protected = disclosure.protect(table, "people", dims=["month", "reason"], threshold=10)
    hidden = protected.suppressed["people"]
    for _, group in table.assign(hidden=hidden).groupby("month"):
        assert group["hidden"].sum() != 1
    for _, group in table.assign(hidden=hidden).groupby("reason"):
        assert group["hidden"].sum() != 1 or len(group) == 1
