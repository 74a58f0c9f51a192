"""Charts show suppression honestly: a withheld value is marked 'c', never drawn as a
zero, a dip or a short bar without a word."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hscp import charts, spc

MONTHS = pd.date_range("2024-01-01", periods=6, freq="MS")


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_a_stacked_bar_with_a_suppressed_part_is_pale_and_marked():
    data = pd.DataFrame(
        {
            "month": np.repeat(MONTHS, 2),
            "reason": ["a", "b"] * 6,
            "bed_days": [100, 50, 110, np.nan, 90, 40, 95, 45, 100, 50, 105, 55],
        }  # fmt: skip
    )
    fig = charts.stacked_monthly(data, "bed_days", by="reason")
    ax = fig.axes[0]
    assert _texts(fig).count("c") == 1  # February, above its known part
    (mark,) = [t for t in ax.texts if t.get_text() == "c"]
    assert mark.xy[1] == 110  # at the top of what is shown
    pale = [p for p in ax.patches if p.get_alpha() == 0.35]
    assert len(pale) == 2 and all(p.get_hatch() == "//" for p in pale)
    assert any("shorter than the total" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close(fig)


def test_an_all_suppressed_control_chart_says_so_instead_of_zeros():
    chart = spc.xmr(pd.Series([np.nan] * 6, index=MONTHS, dtype=float)).reset_index()
    chart = chart.rename(columns={chart.columns[0]: "month"})
    fig = charts.spc_chart(chart)
    ax = fig.axes[0]
    assert any("Every value is suppressed" in t for t in _texts(fig))
    assert ax.get_yticks().size == 0  # no axis of 0, 0.0, 0.1
    # no point is drawn anywhere (every offset is masked)
    assert all(np.ma.getmaskarray(c.get_offsets()).all() for c in ax.collections)
    plt.close(fig)


def test_a_suppressed_month_in_a_line_is_marked_not_dropped():
    data = pd.DataFrame({"month": MONTHS, "admissions": [30, 31, np.nan, 29, 33, 35]})
    fig = charts.monthly_lines(data, "admissions")
    assert _texts(fig).count("c") == 1
    plt.close(fig)


def test_a_suppressed_bar_is_marked():
    data = pd.DataFrame({"reason": ["a", "b", "c"], "people": [40, np.nan, 25]})
    fig = charts.bars(data, x="people", y="reason")
    assert _texts(fig).count("c") == 1
    plt.close(fig)


def test_a_suppressed_heat_map_cell_is_marked_not_white():
    data = pd.DataFrame(
        {"day": ["Mon", "Mon", "Tue", "Tue"], "hour": [0, 1, 0, 1], "n": [12, np.nan, 0, 20]}
    )
    fig = charts.heatmap(data, row="day", column="hour", value="n")
    assert _texts(fig).count("c") == 1  # the zero stays a zero; the withheld cell says so
    plt.close(fig)
