"""The phase packs' charts: options' beds by year, the implementation plan month by
month, and an evaluation's interrupted time series and difference in differences."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from hscp.charts.style import (
    COMPARATOR_GREY,
    PALETTE,
    PHS,
    WIDTH,
    legend,
    legend_below,
    month_axis,
    thousands,
    wrap,
)


def option_fans(
    data: pd.DataFrame,
    *,
    x: str = "year",
    group: str = "label",
    low: str = "beds_freed_p10",
    median: str = "beds_freed_p50",
    high: str = "beds_freed_p90",
    ylabel: str = "",
    height: float = 4.6,
) -> plt.Figure:
    """One line per group (its median) with a light band for its 10th-90th centiles."""
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    for i, (name, part) in enumerate(data.groupby(group, sort=False)):
        part = part.sort_values(x)
        colour = PALETTE[i % len(PALETTE)]
        ax.fill_between(part[x], part[low], part[high], color=colour, alpha=0.15, linewidth=0)
        ax.plot(part[x], part[median], color=colour, linewidth=2, label=wrap(str(name), 40))
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.set_ylim(bottom=0)
    thousands(ax)
    legend_below(fig, ax, 0.26, most=2)
    return fig


def implementation_plan(
    data: pd.DataFrame,
    *,
    milestones: pd.DataFrame | None = None,
    capacity_label: str = "Community capacity",
    height: float = 6.4,
) -> plt.Figure:
    """Two panels by month: the community capacity in place (top), and occupied beds
    against the beds available with the months above a safe occupancy marked (bottom).
    `data`: month, community_capacity, occupied_beds, beds_available, over_safe;
    `milestones`: month, label (drawn as numbered lines, listed in the caption's table)."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(WIDTH, height), sharex=True, gridspec_kw={"height_ratios": [1, 1.4]}
    )
    top.plot(data["month"], data["community_capacity"], color=PHS["teal"], linewidth=2.2)
    top.set_ylabel(wrap(capacity_label, 24))
    top.set_ylim(bottom=0)
    thousands(top)
    bottom.plot(data["month"], data["beds_available"], color=COMPARATOR_GREY, linewidth=2,
                drawstyle="steps-post", label="Beds available")  # fmt: skip
    bottom.plot(data["month"], data["occupied_beds"], color=PHS["purple"], linewidth=2.2,
                marker="o", markersize=3, label="Occupied beds (average day)")  # fmt: skip
    over = data[data["over_safe"].astype(bool)]
    if len(over):
        bottom.scatter(over["month"], over["occupied_beds"], color=PHS["rust"], s=50, zorder=4,
                       label="Above the safe occupancy")  # fmt: skip
    bottom.set_ylabel("Beds")
    bottom.set_ylim(bottom=0)
    thousands(bottom)
    if milestones is not None:
        for i, m in enumerate(milestones.itertuples(index=False), start=1):
            for ax in (top, bottom):
                ax.axvline(m.month, color=PHS["magenta"], linewidth=1, linestyle=":")
            top.annotate(str(i), xy=(m.month, 1.0), xycoords=("data", "axes fraction"),
                         xytext=(0, 3), textcoords="offset points", ha="center",
                         fontsize=8, color=PHS["magenta"], annotation_clip=False)  # fmt: skip
    month_axis(bottom, data["month"])
    legend(bottom)
    fig.tight_layout()
    return fig


def interrupted_series(
    data: pd.DataFrame,
    *,
    change: pd.Timestamp,
    ylabel: str = "",
    height: float = 4.4,
) -> plt.Figure:
    """An interrupted time series: observed counts (points), the model's fit (line) and
    what it expects without the change (dashed, from the change). `data`: month,
    observed, fitted, counterfactual."""
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    ax.scatter(data["month"], data["observed"], color=COMPARATOR_GREY, s=18, label="Observed")
    ax.plot(data["month"], data["fitted"], color=PHS["purple"], linewidth=2, label="Model")
    after = data[data["month"] >= change]
    ax.plot(after["month"], after["counterfactual"], color=PHS["rust"], linewidth=1.8,
            linestyle="--", label="Expected without the change")  # fmt: skip
    ax.axvline(change - pd.Timedelta(days=15), color=PHS["purple"], linestyle="-.", linewidth=1)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    thousands(ax)
    month_axis(ax, data["month"])
    legend_below(fig, ax, 0.22)
    return fig


def difference_lines(
    data: pd.DataFrame,
    *,
    change: pd.Timestamp,
    treated_label: str,
    control_label: str,
    ylabel: str = "",
    height: float = 4.4,
) -> plt.Figure:
    """The changed area and the mean of the areas that did not change, by month, with
    the change marked. `data`: month, treated, control."""
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    ax.plot(data["month"], data["treated"], color=PHS["purple"], linewidth=2.2, marker="o",
            markersize=3, label=wrap(treated_label, 50))  # fmt: skip
    ax.plot(data["month"], data["control"], color=COMPARATOR_GREY, linewidth=1.8,
            label=wrap(control_label, 50))  # fmt: skip
    ax.axvline(change - pd.Timedelta(days=15), color=PHS["purple"], linestyle="-.", linewidth=1)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    thousands(ax)
    month_axis(ax, data["month"])
    legend_below(fig, ax, 0.22)
    return fig
