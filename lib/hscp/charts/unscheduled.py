"""Unscheduled care: funnel plots, rate intervals, heat maps, grouped shares."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from hscp.charts.style import (
    COMPARATOR_GREY,
    PHS,
    PURPLE_TINTS,
    SUPPRESSED_COLOUR,
    SUPPRESSED_MARK,
    WIDTH,
    bar_grid,
    legend,
    mark_suppressed,
    thousands,
    wrap,
)


def funnel_plot(
    data: pd.DataFrame,
    *,
    target: float,
    x: str = "population",
    y: str = "rate",
    label: str = "area",
    per: float = 1000,
    highlight: str | None = None,
    xlabel: str = "Population",
    ylabel: str = "",
    target_label: str = "Partnership rate",
    height: float = 4.8,
) -> plt.Figure:
    """A funnel plot: each area's rate against its population, with the exact Poisson
    95% and 99.8% control limits around `target` (hscp.measures.funnel_limits).

    Points outside the 99.8% limits are drawn in rust, outside the 95% limits in
    magenta, within them in purple; `highlight` (an area's label) is drawn larger
    and its label bold. The y axis is zoomed on the points and the limits around
    them (it does not start at 0). Rows with a missing rate (suppressed) are not drawn.
    """
    from matplotlib.lines import Line2D

    from hscp.measures.funnel import (
        ABOVE_95,
        ABOVE_998,
        BELOW_95,
        BELOW_998,
        funnel_limits,
        funnel_position,
    )

    fig, ax = plt.subplots(figsize=(WIDTH, height))
    shown = data.dropna(subset=[x, y])
    shown = shown[shown[x] > 0].reset_index(drop=True)
    high = float(shown[x].max()) if len(shown) else 10_000.0
    low = float(shown[x].min()) if len(shown) else 1_000.0
    # from small populations, so the funnel's mouth shows (clipped by the zoom below)
    grid = np.linspace(max(high * 0.02, 1), high * 1.15, 300)
    limits = funnel_limits(target, grid, per=per)
    grey = PHS["graphite"]
    ax.axhline(target, color=grey, linewidth=1.4)
    for column, style in (("95", "--"), ("99_8", ":")):
        for side in ("lower", "upper"):
            ax.plot(grid, limits[f"{side}_{column}"], color=grey, linestyle=style, linewidth=1.1)
    colours = {
        ABOVE_998: PHS["rust"],
        BELOW_998: PHS["rust"],
        ABOVE_95: PHS["magenta"],
        BELOW_95: PHS["magenta"],
    }
    counts = (shown[y] * shown[x] / per).to_numpy()
    position = funnel_position(counts, shown[x].to_numpy(), target, per=per)
    for i, row in shown.iterrows():
        mine = highlight is not None and row[label] == highlight
        ax.scatter(
            row[x],
            row[y],
            s=110 if mine else 55,
            zorder=4,
            color=colours.get(position.iloc[i], PHS["purple"]),
            edgecolor="black" if mine else "white",
            linewidth=1.4 if mine else 0.8,
        )
        ax.annotate(
            wrap(str(row[label]), 26),
            (row[x], row[y]),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            fontweight="bold" if mine else "normal",
            color="#333333",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    # zoom on the points and the 99.8% limits at the smallest area
    at_small = funnel_limits(target, [low], per=per).iloc[0]
    values = [*shown[y].tolist(), at_small["lower_99_8"], at_small["upper_99_8"], target]
    spread = max(values) - min(values) or max(target, 1) * 0.1
    ax.set_ylim(max(min(values) - 0.12 * spread, 0), max(values) + 0.12 * spread)
    ax.set_xlim(0, high * 1.15)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", color="#E6E6E6")
    handles = [
        Line2D([], [], color=grey, linewidth=1.4, label=target_label),
        Line2D([], [], color=grey, linestyle="--", label="95% limits"),
        Line2D([], [], color=grey, linestyle=":", label="99.8% limits"),
        Line2D([], [], marker="o", linestyle="", color=PHS["purple"], label="Within 95% limits"),
        Line2D([], [], marker="o", linestyle="", color=PHS["magenta"], label="Outside 95% limits"),
        Line2D([], [], marker="o", linestyle="", color=PHS["rust"], label="Outside 99.8% limits"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def interval_plot(
    data: pd.DataFrame,
    *,
    y: str = "area",
    rate: str = "rate",
    lower: str = "lower",
    upper: str = "upper",
    highlight: str | None = None,
    reference: float | None = None,
    reference_label: str = "",
    xlabel: str = "",
    height: float | None = None,
) -> plt.Figure:
    """Each area's rate as a dot with its 95% confidence interval (a horizontal line),
    in the order of `data`; `highlight` in purple, the others grey; an optional
    `reference` line (e.g. Scotland's rate). Missing (suppressed) rates are left blank."""
    n = len(data)
    fig, ax = plt.subplots(figsize=(WIDTH, height or max(2.4, 0.42 * n + 1.2)))
    positions = list(range(n))[::-1]
    for pos, (_, row) in zip(positions, data.iterrows(), strict=True):
        if pd.isna(row[rate]):
            mark_suppressed(ax, [pos], horizontal=True)
            continue
        mine = highlight is not None and row[y] == highlight
        colour = PHS["purple"] if mine else COMPARATOR_GREY
        if not (pd.isna(row[lower]) or pd.isna(row[upper])):
            ax.plot(
                [row[lower], row[upper]], [pos, pos], color=colour, linewidth=2.2 if mine else 1.6
            )
        ax.scatter(row[rate], pos, color=colour, s=60 if mine else 40, zorder=3)
    if reference is not None and not pd.isna(reference):
        ax.axvline(
            reference,
            color=PHS["rust"],
            linestyle="--",
            linewidth=1.2,
            label=reference_label or None,
        )
        if reference_label:
            legend(ax)
    ax.set_yticks(positions)
    ax.set_yticklabels([wrap(str(v), 40) for v in data[y]])
    ax.set_xlabel(xlabel)
    ax.set_xlim(left=0)
    bar_grid(ax)
    thousands(ax, "x")
    fig.tight_layout()
    return fig


def heatmap(
    data: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    row_order: Sequence | None = None,
    column_order: Sequence | None = None,
    xlabel: str = "",
    ylabel: str = "",
    colorbar_label: str = "",
    height: float = 3.6,
) -> plt.Figure:
    """A heat map of `value` by `row` x `column` (e.g. day of week x hour of arrival), in
    PHS purple tints; suppressed (missing) cells are left white."""
    from matplotlib.colors import LinearSegmentedColormap

    wide = data.groupby([row, column], observed=False)[value].sum(min_count=1).unstack(column)
    if row_order is not None:
        wide = wide.reindex(index=list(row_order))
    if column_order is not None:
        wide = wide.reindex(columns=list(column_order))
    cmap = LinearSegmentedColormap.from_list("phs_purple", ["#FFFFFF", *PURPLE_TINTS])
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    image = ax.imshow(wide.to_numpy(dtype=float), aspect="auto", cmap=cmap, interpolation="nearest")
    ax.set_xticks(range(len(wide.columns)))
    ax.set_xticklabels([str(c) for c in wide.columns], fontsize=9)
    ax.set_yticks(range(len(wide.index)))
    ax.set_yticklabels([str(i) for i in wide.index], fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(False)
    for i, j in zip(*np.nonzero(np.isnan(wide.to_numpy(dtype=float))), strict=True):
        ax.text(j, i, SUPPRESSED_MARK, ha="center", va="center", fontsize=8,
                color=SUPPRESSED_COLOUR, fontweight="bold")  # fmt: skip
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(colorbar_label)
    bar.ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    fig.tight_layout()
    return fig


def grouped_share_bars(
    data: pd.DataFrame,
    *,
    category: str,
    share: str,
    group: str,
    group_order: Sequence[str] | None = None,
    xlabel: str = "Share (%)",
    height: float | None = None,
) -> plt.Figure:
    """Horizontal bars of a share (0 to 1, shown as %) by category, one bar per group
    (e.g. the area and Scotland side by side), the first group in purple."""
    groups = list(group_order) if group_order is not None else list(pd.unique(data[group]))
    categories = list(pd.unique(data[category]))
    n, k = len(categories), len(groups)
    fig, ax = plt.subplots(figsize=(WIDTH, height or max(2.6, (0.18 * k + 0.22) * n + 1.2)))
    bar = 0.8 / max(k, 1)
    colours = [PHS["purple"], COMPARATOR_GREY, PHS["teal"], PHS["magenta"]]
    for j, name in enumerate(groups):
        part = data[data[group] == name].set_index(category)[share].reindex(categories)
        ys = [n - 1 - i + (k - 1) / 2 * bar - j * bar for i in range(n)]
        ax.barh(
            ys,
            100 * part.astype(float).fillna(0),
            height=bar,
            color=colours[j % len(colours)],
            label=name,
        )
        mark_suppressed(ax, [y for y, v in zip(ys, part, strict=True) if pd.isna(v)],
                        horizontal=True)  # fmt: skip
    ax.set_yticks([n - 1 - i for i in range(n)])
    ax.set_yticklabels([wrap(str(c), 40) for c in categories])
    ax.set_xlabel(xlabel)
    bar_grid(ax)
    legend(ax)
    fig.tight_layout()
    return fig
