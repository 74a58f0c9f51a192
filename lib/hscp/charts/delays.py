"""Delayed discharges: shares beside a comparator, seasonality, areas side by side."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from hscp.charts.style import (
    PALETTE,
    PHS,
    WIDTH,
    bar_grid,
    legend_below,
    mark_suppressed,
    month_axis,
    thousands,
    wrap,
)


def share_bars(
    data: pd.DataFrame,
    category: str,
    share: str,
    *,
    comparator: str | None = None,
    comparator_label: str = "Scotland",
    area_label: str = "This area",
    xlabel: str = "Share of delayed bed days",
    total: str | None = "All",
) -> plt.Figure:
    """Horizontal bars of each category's share (a fraction, shown as %), in the table's
    order, with the comparator's share of the same category as a black tick. A
    suppressed (missing) share has no bar but a "c"; a category without a comparator
    value no tick. The table's total row (category `total`) is not drawn, nor are
    categories that are zero here and in the comparator."""

    rows = data[data[category].astype(str) != total] if total else data
    values = pd.to_numeric(rows[share], errors="coerce").astype(float) * 100
    marks = pd.Series(np.nan, index=rows.index)
    if comparator is not None and comparator in rows.columns:
        marks = pd.to_numeric(rows[comparator], errors="coerce").astype(float) * 100
    empty = values.eq(0) & marks.fillna(0).eq(0)
    rows, values, marks = rows[~empty], values[~empty], marks[~empty]

    n = len(rows)
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.2, 0.42 * n + 1.1)))
    positions = list(range(n))[::-1]  # first category on top
    ax.barh(positions, values.fillna(0), color=PHS["purple"], height=0.62, label=area_label)
    if marks.notna().any():
        shown = marks.notna().to_numpy()
        ax.scatter(
            marks[shown],
            [p for p, s in zip(positions, shown, strict=True) if s],
            marker="|",
            s=420,
            linewidths=2.6,
            color="#1A1A1A",
            zorder=3,
            label=comparator_label,
        )
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    top = np.nanmax([1.0, *values.dropna(), *marks.dropna()])
    for pos, v, m in zip(positions, values, marks, strict=True):
        if pd.notna(v) and v >= top * 0.12:  # inside the end of a long bar, in white
            ax.text(
                v - top * 0.012,
                pos,
                f"{math.floor(v + 0.5):.0f}%",
                va="center",
                ha="right",
                fontsize=9,
                color="white",
                fontweight="bold",
            )
            continue
        label = f"{math.floor(v + 0.5):.0f}%" if pd.notna(v) else "c (not shown)"
        right = np.nanmax([0.0, v, m])  # clear of both the bar and the tick
        ax.text(right + top * 0.015, pos, label, va="center", fontsize=9, color="#333333")
    ax.set_yticks(positions)
    ax.set_yticklabels([wrap(str(c), 38) for c in rows[category]])
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, min(100, top * 1.15 + 4))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{math.floor(v + 0.5):.0f}%"))
    bar_grid(ax)
    fig.tight_layout()
    return fig


def seasonal_bars(
    data: pd.DataFrame,
    *,
    x: str = "month_name",
    index: str = "seasonal_index",
    ylabel: str = "% above or below the year's level",
) -> plt.Figure:
    """A seasonal index by calendar month as bars above (purple) or below (teal) the
    level of the year around it (index 1 = 0%)."""

    values = (pd.to_numeric(data[index], errors="coerce").astype(float) - 1) * 100
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    colours = [PHS["purple"] if v >= 0 else PHS["teal"] for v in values.fillna(0)]
    ax.bar(data[x].astype(str), values.fillna(0), color=colours, width=0.7)
    ax.axhline(0, color="#595959", linewidth=1)
    mark_suppressed(ax, [i for i, v in enumerate(values) if pd.isna(v)])
    for i, v in enumerate(values):
        if pd.notna(v):
            ax.text(
                i,
                v + (0.4 if v >= 0 else -0.4),
                f"{v:+.0f}%" if round(v) else "0%",
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=9,
            )
    span = max(5.0, float(np.nanmax(np.abs(values))) * 1.3) if values.notna().any() else 5.0
    ax.set_ylim(-span, span)
    ax.yaxis.set_major_formatter(
        mticker.FuncFormatter(lambda v, _: f"{v:+.0f}%" if round(v) else "0%")
    )
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    fig.tight_layout()
    return fig


def area_panels(
    data: pd.DataFrame,
    y: str,
    *,
    panel: str,
    hue: str,
    x: str = "month",
    ylabel: str = "",
    panel_order: Sequence[str] | None = None,
) -> plt.Figure:
    """Side-by-side panels (e.g. a partnership and Scotland), each on its own scale, with a
    line per `hue` group in the same colours in every panel; years on the x axis for long
    series. For comparing the shape of trends of areas of very different size."""
    panels = list(panel_order) if panel_order is not None else list(pd.unique(data[panel]))
    hues = list(pd.unique(data[hue]))
    fig, axes = plt.subplots(1, len(panels), figsize=(WIDTH, 3.8), squeeze=False)
    months = pd.to_datetime(data[x])
    years = months.dt.year.max() - months.dt.year.min()
    for ax, name in zip(axes.flat, panels, strict=True):
        part = data[data[panel] == name]
        for i, h in enumerate(hues):
            line = part[part[hue] == h].sort_values(x)
            ax.plot(line[x], line[y], color=PALETTE[i % len(PALETTE)], linewidth=1.6, label=h)
        ax.set_title(wrap(str(name), 40), fontsize=11)
        ax.set_ylim(bottom=0)
        thousands(ax)
        if years >= 3:
            ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(years / 6))))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:
            month_axis(ax, months)
    axes.flat[0].set_ylabel(ylabel)
    legend_below(fig, axes.flat[0], 0.08)
    return fig
