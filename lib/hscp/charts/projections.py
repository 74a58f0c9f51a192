"""Projections and forecasts (hscp.projection, hscp.forecast): fan charts, S-curves,
waterfalls, forecasts."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from hscp.charts.style import (
    COMPARATOR_GREY,
    PHS,
    PURPLE_TINTS,
    WIDTH,
    legend,
    month_axis,
    thousands,
    wrap,
)
from hscp.conventions.financial_years import financial_year_label


def _year_axis(ax, years: Sequence[int], step: int | None = None) -> None:
    """Projection years as financial years ('2035/36'), not more than about eight labels."""
    years = sorted({int(y) for y in years})
    step = step or max(1, math.ceil(len(years) / 8))
    ticks = years[::-1][::step][::-1]  # counted back from the horizon, so it is labelled
    ax.set_xticks(ticks)
    ax.set_xticklabels([financial_year_label(y) for y in ticks])
    ax.set_xlabel("Financial year")


def fan_chart(
    data: pd.DataFrame,
    *,
    x: str = "year",
    ylabel: str = "",
    low: str = "p10",
    median: str = "p50",
    high: str = "p90",
    central: str | None = "central",
    demography: str | None = "demography",
    height: float = 4.4,
) -> plt.Figure:
    """A fan chart: the 10th-90th percentile band of Monte Carlo runs, their median, the
    central projection (parameters at their means) and demography alone."""
    data = data.sort_values(x)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    ax.fill_between(
        data[x],
        data[low],
        data[high],
        color=PURPLE_TINTS[1],
        alpha=0.8,
        linewidth=0,
        label="10th to 90th percentile of runs",
    )
    ax.plot(data[x], data[median], color=PHS["purple"], linewidth=2.4, label="Median of runs")
    if central and central in data:
        ax.plot(
            data[x],
            data[central],
            color=PHS["magenta"],
            linewidth=1.6,
            linestyle="--",
            label="Central projection",
        )
    if demography and demography in data:
        ax.plot(
            data[x],
            data[demography],
            color=COMPARATOR_GREY,
            linewidth=1.6,
            linestyle=":",
            label="Demography alone",
        )
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    thousands(ax)
    _year_axis(ax, data[x])
    ax.legend(loc="lower right", frameon=True, facecolor="white", edgecolor="white")
    fig.tight_layout()
    return fig


def s_curve(
    data: pd.DataFrame,
    *,
    value: str = "value",
    probability: str = "probability",
    xlabel: str = "",
    reference: float | None = None,
    reference_label: str = "Central projection",
    height: float = 4.0,
) -> plt.Figure:
    """The distribution of Monte Carlo results as an S-curve (cumulative probability),
    with the 10th, 50th and 90th percentiles marked."""
    data = data.sort_values(value)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    ax.plot(data[value], data[probability], color=PHS["purple"], linewidth=2.4)
    values = data[value].to_numpy()
    for q, style in ((0.1, ":"), (0.5, "--"), (0.9, ":")):
        v = float(np.quantile(values, q))
        ax.axvline(v, color=COMPARATOR_GREY, linewidth=1, linestyle=style)
        ax.annotate(
            f"{q:.0%}: {v:,.0f}",
            xy=(v, q),
            xytext=(6, -4),
            textcoords="offset points",
            fontsize=9,
            color="#333333",
        )
    if reference is not None:
        ax.axvline(reference, color=PHS["magenta"], linewidth=1.6, label=reference_label)
        legend(ax)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_ylabel("Chance the result is this or lower")
    ax.set_xlabel(xlabel)
    thousands(ax, "x")
    ax.grid(axis="x", color="#E6E6E6")
    fig.tight_layout()
    return fig


def waterfall(
    data: pd.DataFrame,
    *,
    step: str = "step",
    change: str = "change",
    total: str = "total",
    kind: str = "kind",
    ylabel: str = "",
    height: float = 4.6,
) -> plt.Figure:
    """A waterfall: the base year, each step change floating from the running total, and
    the horizon. Rises in rust, falls in teal, totals in purple."""
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    labels = [wrap(str(s), 16) for s in data[step]]
    x = np.arange(len(data))
    for i, row in enumerate(data.itertuples(index=False)):
        value, running, what = getattr(row, change), getattr(row, total), getattr(row, kind)
        if what in ("base", "total"):
            bottom, height_, colour = 0.0, running, PHS["purple"]
        else:
            bottom = running - value if value >= 0 else running
            height_, colour = abs(value), PHS["rust"] if value >= 0 else PHS["teal"]
        ax.bar(x[i], height_, bottom=bottom, color=colour, width=0.62)
        text = f"{value:,.0f}" if what in ("base", "total") else f"{value:+,.0f}"
        ax.annotate(
            text,
            xy=(x[i], bottom + height_),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
        if i + 1 < len(data):
            ax.plot([x[i] + 0.31, x[i + 1] - 0.31], [running, running], color="#595959", lw=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels(labels, fontsize=9)
    ax.set_ylabel(ylabel)
    low = min(0.0, float(data[total].min()))
    top = float(data[total].max())
    ax.set_ylim(low, top * 1.08 if top > 0 else 1)
    thousands(ax)
    fig.tight_layout()
    return fig


def forecast_chart(
    data: pd.DataFrame,
    *,
    x: str = "month",
    history: str = "bed_days",
    baseline: str = "baseline",
    forecast: str = "forecast",
    low: str = "lower",
    high: str = "upper",
    ylabel: str = "",
    interval_label: str = "80% prediction interval",
    height: float = 4.4,
) -> plt.Figure:
    """A monthly history, its demographic baseline and a forecast with its interval."""
    data = data.sort_values(x)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    past = data[data[history].notna()]
    ahead = data[data[forecast].notna()]
    ax.plot(past[x], past[history], color=PHS["purple"], linewidth=2, label="History")
    if len(ahead):
        ax.fill_between(
            ahead[x],
            ahead[low],
            ahead[high],
            color=PURPLE_TINTS[1],
            alpha=0.8,
            linewidth=0,
            label=interval_label,
        )
        ax.plot(ahead[x], ahead[forecast], color=PHS["magenta"], linewidth=2, label="Forecast")
    if baseline in data and data[baseline].notna().any():
        base = data[data[baseline].notna()]
        ax.plot(
            base[x],
            base[baseline],
            color=COMPARATOR_GREY,
            linewidth=1.6,
            linestyle="--",
            label="Demographic baseline",
        )
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.set_ylim(bottom=0)
    thousands(ax)
    month_axis(ax, data[x])
    legend(ax)
    fig.tight_layout()
    return fig
