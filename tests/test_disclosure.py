"""Statistical disclosure control: worked examples (threshold 10 unless said).

Groups are cells that add up to a published or derivable total; a group with
exactly one suppressed cell gives it away, so its smallest other cell (non-zero
if possible) is suppressed too, until no group has exactly one.
"""

import pandas as pd
import pytest

from hscp.disclosure import protect


def shown(protected, column):
    """The published column, with suppressed cells as None."""
    return [None if pd.isna(v) else v for v in protected.data[column]]


def test_counts_from_1_to_9_are_suppressed_and_10_is_published():
    # one column, one group: 5 and 9 are below 10 (primary); 0 and 10 and 12 are published.
    # Two suppressed cells in the column: neither can be worked out, so no secondary.
    result = protect(pd.DataFrame({"n": [5, 12, 0, 10, 9]}), "n")
    assert shown(result, "n") == [None, 12, 0, 10, None]
    assert (result.n_primary, result.n_secondary) == (2, 0)


def test_zeros_are_published_and_the_secondary_is_the_smallest_non_zero_cell():
    # column [4, 0, 15, 30]: 4 is primary and alone in its group. The smallest other cell
    # is 0, but a zero protects nothing (4 + 0 = 4), so the smallest non-zero, 15, goes.
    result = protect(pd.DataFrame({"n": [4, 0, 15, 30]}), "n")
    assert shown(result, "n") == [None, 0, None, 30]
    assert (result.n_primary, result.n_secondary) == (1, 1)


def test_a_zero_is_suppressed_only_when_nothing_else_is_left():
    # column [3, 0]: the only other cell is a zero, so it is taken
    result = protect(pd.DataFrame({"n": [3, 0]}), "n")
    assert shown(result, "n") == [None, None]


def test_small_count_in_a_wide_table_with_row_totals_is_protected_in_row_and_column():
    #          a    b   total      across=True: each row (a + b = total) is a group,
    #   A      4   30     34       and each column across the rows is a group.
    #   B     20   25     45
    # 4 is primary. Column a {4, 20}: alone -> suppress 20. Column b has none yet; row A
    # {4, 30, 34}: alone -> the smallest other, 30. Column b {30, 25}: alone -> 25.
    # Row B {20, 25, 45} now has two. Totals 34 and 45 stay published: the 2x2 rectangle
    # a/b x A/B hides 4 (A's total gives only 4 + 30, column a only 4 + 20).
    table = pd.DataFrame({"area": ["A", "B"], "a": [4, 20], "b": [30, 25], "total": [34, 45]})
    result = protect(table, ["a", "b", "total"], across=True)
    assert shown(result, "a") == [None, None]
    assert shown(result, "b") == [None, None]
    assert shown(result, "total") == [34, 45]
    assert (result.n_primary, result.n_secondary) == (1, 3)


def test_a_secondary_suppression_that_leaves_another_group_exposed_is_followed_up():
    #         a    b    c       across=True, no totals
    #   r1    5   40   50
    #   r2   30   35   60
    #   r3   45   70   80
    # 5 is primary. Column a {5, 30, 45}: alone -> 30 (r2). Row r1 {5, 40, 50}: alone ->
    # 40. That exposes column b {40, 35, 70}: alone -> 35 (r2). Row r2 {30, 35, 60} now
    # has two. Column c and row r3 are untouched.
    table = pd.DataFrame({"a": [5, 30, 45], "b": [40, 35, 70], "c": [50, 60, 80]})
    result = protect(table, ["a", "b", "c"], across=True)
    assert shown(result, "a") == [None, None, 45]
    assert shown(result, "b") == [None, None, 70]
    assert shown(result, "c") == [50, 60, 80]
    assert (result.n_primary, result.n_secondary) == (1, 3)


def test_tidy_month_by_reason_table_is_protected_along_each_dimension():
    # delays by month and reason, with an "All" row per month (a member of its group):
    #              HSC   PF   C9   All
    #   January     40    6   25    71
    #   February    50   20   30   100
    # 6 is primary. dims month and reason give groups: each month's reasons (incl. All) and
    # each reason's months. January {40, 6, 25, 71}: alone -> 25 (C9). PF {6, 20}: alone
    # -> 20. C9 {25, 30}: alone -> 30. February {50, 20, 30, 100} now has two.
    table = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01"] * 4 + ["2024-02-01"] * 4),
            "reason": ["HSC", "PF", "C9", "All"] * 2,
            "delays": [40, 6, 25, 71, 50, 20, 30, 100],
        }
    )
    result = protect(table, "delays", dims=["month", "reason"])
    assert shown(result, "delays") == [40, None, None, 71, 50, None, None, 100]
    assert (result.n_primary, result.n_secondary) == (1, 3)


def test_a_rate_is_suppressed_wherever_its_count_is():
    # delays [4, 50, 60] per 1,000 population: 4 is primary, 50 its secondary (smallest
    # other). The rates of A and B would give them away (rate x population), so they go;
    # C's rate stays.
    table = pd.DataFrame(
        {"area": ["A", "B", "C"], "delays": [4, 50, 60], "population": [1000, 2000, 3000]}
    )
    table["rate"] = table["delays"] / table["population"] * 1000  # 4.0, 25.0, 20.0
    result = protect(table, "delays", derived={"rate": ["delays"]})
    assert shown(result, "rate") == [None, None, 20.0]
    assert result.suppressed["rate"].tolist() == [True, True, False]
    assert result.data["population"].tolist() == [1000, 2000, 3000]


def test_the_original_table_is_left_unchanged():
    table = pd.DataFrame({"n": [4, 15]})
    protect(table, "n")
    assert table["n"].tolist() == [4, 15]


def test_a_lower_threshold_suppresses_less():
    # threshold 5: only 4 is below it; alone in the column, it takes the smallest other
    # cell, 5, as its secondary; 9 and 15 are published
    result = protect(pd.DataFrame({"n": [4, 5, 9, 15]}), "n", threshold=5)
    assert shown(result, "n") == [None, None, 9, 15]


@pytest.mark.parametrize("threshold", [0, -1, 2.5, "10", True])
def test_threshold_must_be_a_positive_whole_number(threshold):
    with pytest.raises(ValueError, match="threshold"):
        protect(pd.DataFrame({"n": [4]}), "n", threshold=threshold)


def test_a_missing_column_is_named_in_the_error():
    with pytest.raises(KeyError, match="delays"):
        protect(pd.DataFrame({"n": [4]}), ["n", "delays"])


def test_a_missing_dimension_column_is_named_in_the_error():
    with pytest.raises(KeyError, match="reason"):
        protect(pd.DataFrame({"n": [4], "month": [1]}), "n", dims=["month", "reason"])
