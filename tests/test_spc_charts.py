"""The Making Data Count charts draw what the chart data say (colours, phases, icons)."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from hscp import charts, spc


@pytest.fixture
def chart_data():
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    values = pd.Series([100, 104] * 6 + [100, 104, 100, 130] + [104, 100] * 4, index=months)
    chart = spc.xmr(values, rebase=["2024-01"], improvement="decrease", target=90)
    return chart.reset_index(names="month")


def point_colours(fig):
    ax = fig.axes[0]
    found = set()
    for collection in ax.collections:
        for colour in collection.get_facecolors():
            found.add(mcolors.to_hex(colour).upper())
    return found


def test_points_are_coloured_by_their_type(chart_data):
    # 130 in Apr 2024 is above phase 2's upper limit: a concern (lower is better); it
    # lifts phase 2's mean, so the eight months after it are a run below: improvement
    kinds = set(chart_data["point_type"])
    assert kinds == {"common_cause", "special_cause_concern", "special_cause_improvement"}
    fig = charts.spc_chart(chart_data, ylabel="Admissions", icons=("concern_high", "pass"))
    assert point_colours(fig) == {charts.SPC_COLOURS[k] for k in kinds}
    plt.close(fig)


def test_each_phase_has_its_own_mean_line(chart_data):
    fig = charts.spc_chart(chart_data)
    means = [
        line.get_ydata()[0]
        for line in fig.axes[0].lines
        if line.get_color() == "black" and len(line.get_xdata()) == 2
    ]
    assert sorted(means) == sorted(chart_data.groupby("phase")["mean"].first())
    plt.close(fig)


def test_a_suppressed_point_is_a_gap_not_an_error(chart_data):
    chart_data.loc[3, "value"] = np.nan
    fig = charts.spc_chart(chart_data, annotations=[(pd.Timestamp("2024-01-01"), "A change")])
    plt.close(fig)


def test_icon_matrix_and_key_draw_every_icon():
    icons = list(charts.ICON_MEANINGS)
    variation = [i for i in icons if i not in ("pass", "fail", "inconsistent")]
    data = pd.DataFrame(
        {
            "measure": [f"m{i}" for i in range(len(variation))],
            "area": "A",
            "variation_icon": variation,
            "assurance_icon": ["pass", "fail", "inconsistent", None, None, None, None],
        }
    )
    fig = charts.spc_icon_matrix(data)
    texts = {t.get_text() for t in fig.axes[0].texts}
    # every icon's meaning is in the key, once
    for icon in icons:
        assert sum(charts.ICON_MEANINGS[icon].split()[0] in t for t in texts) >= 1
    assert "Key" in texts
    plt.close(fig)


def test_small_multiples_grid(chart_data):
    frames = []
    for measure in ("a", "b"):
        for area in ("X", "Y", "Z"):
            frames.append(chart_data.assign(measure=measure, area=area))
    fig = charts.spc_small_multiples(
        pd.concat(frames), row="measure", icons={("a", "X"): "improvement_low"}, highlight="Y"
    )
    assert len([ax for ax in fig.axes if ax.get_visible()]) >= 6
    plt.close(fig)
