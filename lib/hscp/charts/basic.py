"""Charts for any monthly or categorical table: lines, stacked bars, small multiples, bars."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from hscp.charts.style import (
    COMPARATOR_GREY,
    PALETTE,
    PHS,
    WIDTH,
    bar_grid,
    legend,
    legend_below,
    mark_suppressed,
    month_axis,
    nothing_to_show,
    suppressed_legend,
    thousands,
    wrap,
)


def monthly_lines(
    data: pd.DataFrame,
    y: str,
    *,
    x: str = "month",
    hue: str | None = None,
    ylabel: str = "",
    hue_order: Sequence[str] | None = None,
    highlight: str | None = None,
    markers: bool = True,
    height: float = 4.2,
) -> plt.Figure:
    """Monthly trend lines, one per `hue` group. `highlight` draws one group bold and
    the others as grey comparators."""
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    groups = [(None, data)] if hue is None else list(data.groupby(hue, sort=False, observed=True))
    if hue_order is not None:
        order = {g: i for i, g in enumerate(hue_order)}
        groups.sort(key=lambda g: order.get(g[0], len(order)))
    for i, (name, group) in enumerate(groups):
        group = group.sort_values(x)
        style = {"color": PALETTE[i % len(PALETTE)], "linewidth": 2}
        if highlight is not None:
            mine = name == highlight
            style = {
                "color": PHS["purple"] if mine else COMPARATOR_GREY,
                "linewidth": 2.6 if mine else 1.2,
                "alpha": 1 if mine else 0.7,
                "zorder": 3 if mine else 2,
            }
        ax.plot(
            group[x], group[y], marker="o" if markers else None, markersize=3, label=name, **style
        )
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.set_ylim(bottom=0)
    thousands(ax)
    month_axis(ax, data[x])
    hidden = data.loc[pd.to_numeric(data[y], errors="coerce").isna(), x].drop_duplicates()
    if data[y].isna().all():
        nothing_to_show(ax)
    elif len(hidden):
        mark_suppressed(ax, hidden)
    if hue is not None:
        legend(ax)
    if len(hidden) and data[y].notna().any():
        suppressed_legend(ax)
    fig.tight_layout()
    return fig


def trend(data: pd.DataFrame, *, title: str, ylabel: str = "") -> plt.Figure:
    """One area's values over its periods (months, or financial years as text), with
    the mean and process limits when the data have them (columns period, value, and
    mean, lpl, upl): the chart of the notebooks' explorers."""
    fig, ax = plt.subplots(figsize=(WIDTH, 3.4))
    data = data.sort_values("period")
    ax.plot(data["period"], data["value"], marker="o", markersize=3.5, color=PHS["purple"],
            linewidth=2, label="this area")  # fmt: skip
    if {"mean", "lpl", "upl"} <= set(data.columns):
        ax.plot(data["period"], data["mean"], color="#595959", linewidth=1, label="mean")
        for limit in ("lpl", "upl"):
            ax.plot(data["period"], data[limit], color="#595959", linewidth=1, linestyle="--",
                    label="process limits" if limit == "upl" else None)  # fmt: skip
        legend(ax)
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    thousands(ax)
    if pd.api.types.is_datetime64_any_dtype(data["period"]):
        month_axis(ax, data["period"])
    fig.tight_layout()
    return fig


def stacked_monthly(
    data: pd.DataFrame,
    y: str,
    *,
    by: str,
    x: str = "month",
    ylabel: str = "",
    order: Sequence[str] | None = None,
    height: float = 4.2,
) -> plt.Figure:
    """Monthly stacked bars of `y` split by `by` (suppressed cells show as gaps)."""
    # min_count=1: a suppressed cell stays missing (a plain sum would make it 0)
    wide = data.groupby([x, by], observed=True)[y].sum(min_count=1).unstack(by)
    if order is not None:
        wide = wide[[c for c in order if c in wide.columns]]
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    bottom = pd.Series(0.0, index=wide.index)
    width = 24  # days
    partial = wide.isna().any(axis=1).to_numpy()  # a month with a part not shown
    for i, col in enumerate(wide.columns):
        values = wide[col].fillna(0).astype(float)
        colour = PALETTE[i % len(PALETTE)]
        ax.bar(wide.index[~partial], values[~partial], width=width, bottom=bottom[~partial],
               label=col, color=colour)  # fmt: skip
        # a month with a suppressed part: the known parts pale and hatched, so the short
        # bar is not read as a fall
        ax.bar(wide.index[partial], values[partial], width=width, bottom=bottom[partial],
               color=colour, alpha=0.35, hatch="//", edgecolor="white", linewidth=0)  # fmt: skip
        bottom = bottom + values
    ax.set_ylabel(ylabel)
    thousands(ax)
    month_axis(ax, pd.Series(wide.index))
    legend(ax)
    if partial.any():
        mark_suppressed(ax, wide.index[partial], heights=bottom[partial])
        suppressed_legend(ax, partial=True)
    fig.tight_layout()
    return fig


def small_multiples(
    data: pd.DataFrame,
    y: str,
    *,
    facet: str,
    x: str = "month",
    hue: str | None = None,
    ncols: int = 3,
    ylabel: str = "",
    sharey: bool = True,
    facet_order: Sequence[str] | None = None,
) -> plt.Figure:
    """One small panel per `facet` value, same axes, for comparing at a glance."""
    facets = list(facet_order) if facet_order is not None else list(pd.unique(data[facet]))
    ncols = min(ncols, len(facets))
    nrows = math.ceil(len(facets) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(WIDTH, 2.6 * nrows + 0.6), sharex=True, sharey=sharey, squeeze=False
    )
    hues = list(pd.unique(data[hue])) if hue else [None]
    for ax, name in zip(axes.flat, facets, strict=False):
        panel = data[data[facet] == name]
        for i, h in enumerate(hues):
            part = panel if h is None else panel[panel[hue] == h]
            part = part.sort_values(x)
            ax.plot(part[x], part[y], color=PALETTE[i % len(PALETTE)], linewidth=1.6, label=h)
        mark_suppressed(ax, panel.loc[panel[y].isna(), x].drop_duplicates())
        ax.set_title(wrap(str(name), 34), fontsize=10)
        ax.set_ylim(bottom=0)
        thousands(ax)
        month_axis(ax, data[x])
    for ax in list(axes.flat)[len(facets) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    if hue:
        legend_below(fig, axes.flat[0], 0.06, most=4)
    else:
        fig.tight_layout()
    return fig


def bars(
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    hue: str | None = None,
    horizontal: bool = True,
    xlabel: str = "",
    highlight: str | None = None,
    height: float | None = None,
) -> plt.Figure:
    """Bars for categories (horizontal by default, so long names stay readable)."""
    n = data[y if horizontal else x].nunique()
    fig, ax = plt.subplots(figsize=(WIDTH, height or max(2.5, 0.42 * n + 1.2)))
    colours = None
    bar_hue = hue
    if highlight is not None and hue is None:
        # One colour a bar by its own category (seaborn wants the hue for a palette).
        bar_hue = y if horizontal else x
        colours = {v: PHS["purple"] if v == highlight else COMPARATOR_GREY for v in data[bar_hue]}
    if horizontal:
        sns.barplot(
            data=data,
            x=x,
            y=y,
            hue=bar_hue,
            ax=ax,
            orient="h",
            palette=colours if colours else None,
            color=None if (colours or hue) else PHS["purple"],
            legend=hue is not None,
        )
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        bar_grid(ax)
        thousands(ax, "x")
    else:
        sns.barplot(
            data=data,
            x=x,
            y=y,
            hue=bar_hue,
            ax=ax,
            palette=colours if colours else None,
            color=None if (colours or hue) else PHS["purple"],
            legend=hue is not None,
        )
        ax.set_ylabel(xlabel)
        ax.set_xlabel("")
        thousands(ax)
    if hue:
        legend(ax)
    elif ax.get_legend():
        ax.get_legend().remove()
    if hue is None:
        values = pd.to_numeric(data[x if horizontal else y], errors="coerce")
        hidden = [i for i, v in enumerate(values) if pd.isna(v)]
        mark_suppressed(ax, hidden, horizontal=horizontal)
    fig.tight_layout()
    return fig
