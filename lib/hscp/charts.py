"""One look for every chart: PHS palette, plain sans serif, readable month axes.

Chart functions take a tidy DataFrame (already disclosure-controlled by
`report.figure`) and return a matplotlib Figure. The figure carries no title:
`report.figure` writes the numbered caption, which says the finding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no screen on batch machines; notebooks display via report.figure

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

#: Public Health Scotland palette (phsstyles), in the order PHS uses it.
PHS = {
    "purple": "#3F3685",
    "magenta": "#9B4393",
    "blue": "#0078D4",
    "green": "#83BB26",
    "graphite": "#948DA3",
    "teal": "#1E7F84",
    "liberty": "#6B5C85",
    "rust": "#C73918",
}
PALETTE = list(PHS.values())
#: Tints of PHS purple for a sequence (light to dark).
PURPLE_TINTS = ["#ECEBF3", "#C5C3DA", "#9F9BC2", "#65619F", "#3F3685"]
COMPARATOR_GREY = "#8A8A8A"
WIDTH = 9.0  # inches: fills the report column at 110 dpi


def set_style() -> None:
    """The house look: white background, light horizontal grid, PHS colours."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        font="sans-serif",
        rc={
            "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#595959",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "grid.color": "#E6E6E6",
            "axes.grid.axis": "y",
            "legend.frameon": False,
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.facecolor": "white",
        },
    )


def month_axis(ax, dates: pd.Series | None = None) -> None:
    """Months as 'Jan 2024'; not more than about a dozen labels."""
    span = 0
    if dates is not None and len(dates):
        span = (dates.max().year - dates.min().year) * 12 + dates.max().month - dates.min().month
    step = max(1, math.ceil((span + 1) / 12))
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    for label in ax.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")


def thousands(ax, axis: str = "y") -> None:
    fmt = mticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _legend(ax, title: str | None = None) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.0, 1.0))


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
    if hue is not None:
        _legend(ax)
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
    wide = data.pivot_table(
        index=x, columns=by, values=y, aggfunc="sum", observed=True, dropna=False
    )
    if order is not None:
        wide = wide[[c for c in order if c in wide.columns]]
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    bottom = pd.Series(0.0, index=wide.index)
    width = 24  # days
    for i, col in enumerate(wide.columns):
        values = wide[col].fillna(0).astype(float)
        ax.bar(
            wide.index,
            values,
            width=width,
            bottom=bottom,
            label=col,
            color=PALETTE[i % len(PALETTE)],
        )
        bottom = bottom + values
    ax.set_ylabel(ylabel)
    thousands(ax)
    month_axis(ax, pd.Series(wide.index))
    _legend(ax)
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
        ax.set_title(_wrap(str(name), 34), fontsize=10)
        ax.set_ylim(bottom=0)
        thousands(ax)
        month_axis(ax, data[x])
    for ax in list(axes.flat)[len(facets) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    if hue:
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False)
        fig.tight_layout(rect=(0, 0.06, 1, 1))
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
    if highlight is not None and hue is None:
        cat = y if horizontal else x
        colours = [PHS["purple"] if v == highlight else COMPARATOR_GREY for v in data[cat]]
    if horizontal:
        sns.barplot(
            data=data,
            x=x,
            y=y,
            hue=hue,
            ax=ax,
            orient="h",
            palette=colours if colours else None,
            color=None if (colours or hue) else PHS["purple"],
        )
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        ax.grid(axis="x", color="#E6E6E6")
        ax.grid(axis="y", visible=False)
        thousands(ax, "x")
    else:
        sns.barplot(
            data=data,
            x=x,
            y=y,
            hue=hue,
            ax=ax,
            palette=colours if colours else None,
            color=None if (colours or hue) else PHS["purple"],
        )
        ax.set_ylabel(xlabel)
        ax.set_xlabel("")
        thousands(ax)
    if hue:
        _legend(ax)
    elif ax.get_legend():
        ax.get_legend().remove()
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


# --- projections and forecasts (hscp.projection, hscp.forecast) ---------------------------


def _year_axis(ax, years: Sequence[int], step: int | None = None) -> None:
    """Projection years as financial years ('2035/36'), not more than about eight labels."""
    years = sorted({int(y) for y in years})
    step = step or max(1, math.ceil(len(years) / 8))
    ticks = years[::-1][::step][::-1]  # counted back from the horizon, so it is labelled
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{y}/{(y + 1) % 100:02d}" for y in ticks])
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
        _legend(ax)
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
    labels = [_wrap(str(s), 16) for s in data[step]]
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
    _legend(ax)
    fig.tight_layout()
    return fig


# --- delayed discharges (issue 3): shares with a comparator, seasonality ---------------------


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
    import numpy as np

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
    ax.set_yticklabels([_wrap(str(c), 38) for c in rows[category]])
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, min(100, top * 1.15 + 4))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{math.floor(v + 0.5):.0f}%"))
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)
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
    import numpy as np

    values = (pd.to_numeric(data[index], errors="coerce").astype(float) - 1) * 100
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    colours = [PHS["purple"] if v >= 0 else PHS["teal"] for v in values.fillna(0)]
    ax.bar(data[x].astype(str), values.fillna(0), color=colours, width=0.7)
    ax.axhline(0, color="#595959", linewidth=1)
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
        ax.set_title(_wrap(str(name), 40), fontsize=11)
        ax.set_ylim(bottom=0)
        thousands(ax)
        if years >= 3:
            ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(years / 6))))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:
            month_axis(ax, months)
    axes.flat[0].set_ylabel(ylabel)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
