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


# --- system dynamics (hscp.flow) -------------------------------------------------------------


def model_vs_data(
    data: pd.DataFrame,
    *,
    y: str = "beds",
    x: str = "month",
    source: str = "source",
    facet: str = "measure",
    ylabel: str = "Beds occupied, average a day",
) -> plt.Figure:
    """The model against the data, month by month: one panel per measure, the observed
    values as a solid line with points and the model as a dashed line."""
    facets = list(pd.unique(data[facet]))
    fig, axes = plt.subplots(1, len(facets), figsize=(WIDTH, 3.6), sharex=True, squeeze=False)
    style = {
        "Observed": {"color": PHS["purple"], "marker": "o", "linewidth": 2, "markersize": 4},
        "Model": {"color": PHS["magenta"], "linestyle": "--", "linewidth": 2},
    }
    for ax, name in zip(axes.flat, facets, strict=True):
        panel = data[data[facet] == name]
        for label, part in panel.groupby(source, sort=False):
            part = part.sort_values(x)
            ax.plot(part[x], part[y], label=label, **style.get(label, {}))
        ax.set_title(_wrap(str(name), 40), fontsize=10)
        ax.set_ylim(bottom=0)
        thousands(ax)
        month_axis(ax, data[x])
    axes[0, 0].set_ylabel(ylabel)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def tornado(
    data: pd.DataFrame,
    *,
    label: str = "label",
    low: str = "at_low",
    high: str = "at_high",
    base: float | None = None,
    low_value: str | None = "low_value",
    high_value: str | None = "high_value",
    xlabel: str = "",
) -> plt.Figure:
    """A tornado chart: for each uncertain value (rows, widest swing at the top), a bar
    from the base result to the result with the value at its low end and one to the
    result at its high end; the values used are written at the bar ends."""
    rows = data.iloc[::-1].reset_index(drop=True)  # widest at the top
    base = float(base if base is not None else rows["base"].iloc[0])
    fig, ax = plt.subplots(figsize=(WIDTH, 0.42 * len(rows) + 1.4))
    positions = range(len(rows))
    for column, colour, name, values in (
        (low, PHS["purple"], "Low end of the range", low_value),
        (high, PHS["magenta"], "High end of the range", high_value),
    ):
        ends = rows[column].astype(float)
        ax.barh(positions, ends - base, left=base, color=colour, height=0.6, label=name)
        if values is not None:
            for pos, end, value in zip(positions, ends, rows[values], strict=True):
                if abs(end - base) < 1e-9 * max(abs(base), 1):
                    continue  # no bar: the range is written once, below
                right = end >= base
                ax.annotate(
                    _short_number(value),
                    (end, pos),
                    xytext=(4 if right else -4, 0),
                    textcoords="offset points",
                    ha="left" if right else "right",
                    va="center",
                    fontsize=8,
                    color="#404040",
                )
    if low_value is not None and high_value is not None:
        for pos, a, b, lv, hv in zip(
            positions, rows[low], rows[high], rows[low_value], rows[high_value], strict=True
        ):
            if abs(a - base) < 1e-9 * max(abs(base), 1) and abs(b - base) < 1e-9 * max(
                abs(base), 1
            ):
                ax.annotate(
                    f"{_short_number(lv)} to {_short_number(hv)}: no change",
                    (base, pos),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                    color="#404040",
                )
    ax.axvline(base, color="#404040", linewidth=1)
    ax.set_yticks(list(positions))
    names = [
        f"{t} ({u})" if u in ("days", "hours", "£") else str(t)
        for t, u in zip(
            rows[label], rows["unit"] if "unit" in rows else [""] * len(rows), strict=True
        )
    ]
    ax.set_yticklabels([_wrap(t, 45) for t in names])
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)
    lo, hi = ax.get_xlim()
    pad = 0.08 * (hi - lo)
    ax.set_xlim(lo - pad, hi + pad)
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def people_in_settings(
    data: pd.DataFrame,
    *,
    x: str = "people",
    y: str = "label",
    by: str = "setting",
    xlabel: str = "People on an average day",
) -> plt.Figure:
    """Horizontal stacked bars: for each scenario (rows), the people in each setting."""
    wide = data.pivot_table(index=y, columns=by, values=x, aggfunc="sum", observed=True, sort=False)
    order = list(pd.unique(data[y]))
    wide = wide.reindex(order).iloc[::-1]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.5 * len(wide) + 1.8))
    left = pd.Series(0.0, index=wide.index)
    for i, column in enumerate(wide.columns):
        values = wide[column].fillna(0).astype(float)
        ax.barh(
            [_wrap(str(t), 40) for t in wide.index],
            values,
            left=left,
            color=PALETTE[i % len(PALETTE)],
            label=column,
            height=0.65,
        )
        left = left + values
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)
    thousands(ax, "x")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.6 / len(wide)),
        ncol=3,
        frameon=False,
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def scenario_comparison(
    data: pd.DataFrame,
    measures: dict[str, str],
    *,
    y: str = "label",
    baseline: str | None = None,
    ncols: int = 2,
) -> plt.Figure:
    """One panel of horizontal bars per measure (columns of `data`, titled by `measures`),
    a bar per scenario; the baseline bar grey, with a line at its value for reference."""
    names = list(measures)
    nrows = math.ceil(len(names) / ncols)
    height = 0.32 * len(data) * nrows + 1.2 * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH, height), sharey=True, squeeze=False)
    labels = [_wrap(str(t), 34) for t in data[y]][::-1]
    for ax, column in zip(axes.flat, names, strict=False):
        values = data[column].astype(float).to_numpy()[::-1]
        colours = [
            COMPARATOR_GREY if (baseline is not None and lab == baseline) else PHS["purple"]
            for lab in data[y].iloc[::-1]
        ]
        ax.barh(labels, values, color=colours, height=0.65)
        if baseline is not None and (data[y] == baseline).any():
            ax.axvline(
                float(data.loc[data[y] == baseline, column].iloc[0]),
                color="#404040",
                linewidth=1,
                linestyle=":",
            )
        ax.set_title(_wrap(measures[column], 40), fontsize=10)
        ax.grid(axis="x", color="#E6E6E6")
        ax.grid(axis="y", visible=False)
        thousands(ax, "x")
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def response_curves(
    data: pd.DataFrame,
    *,
    x: str = "value",
    y: str = "change",
    hue: str = "measure",
    facet: str = "label",
    ylabel: str = "Change from today",
    ncols: int = 3,
) -> plt.Figure:
    """How results respond as each change is dialled up: one small panel per change, its
    size (a share, shown as %) along the bottom and each measure's change from today
    (a share, shown as %) up the side."""
    facets = list(pd.unique(data[facet]))
    hues = list(pd.unique(data[hue]))
    ncols = min(ncols, len(facets))
    nrows = math.ceil(len(facets) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(WIDTH, 2.7 * nrows + 0.8), sharey=True, squeeze=False
    )
    for ax, name in zip(axes.flat, facets, strict=False):
        panel = data[data[facet] == name]
        for i, h in enumerate(hues):
            part = panel[panel[hue] == h].sort_values(x)
            ax.plot(
                part[x],
                part[y],
                color=PALETTE[i % len(PALETTE)],
                marker="o",
                markersize=3,
                linewidth=2,
                label=h,
            )
        ax.axhline(0, color="#404040", linewidth=0.8)
        ax.set_title(_wrap(str(name), 34), fontsize=10)
        ax.xaxis.set_major_formatter(mticker.PercentFormatter(xmax=1, decimals=0))
        ax.yaxis.set_major_formatter(mticker.PercentFormatter(xmax=1, decimals=0))
    for ax in list(axes.flat)[len(facets) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def scenario_timeline(
    data: pd.DataFrame,
    *,
    x: str = "date",
    y: str = "value",
    hue: str = "scenario",
    facet: str = "measure",
) -> plt.Figure:
    """Day by day over a year, baseline and scenario side by side: one panel per measure
    (the slider panel of the system dynamics notebook draws this)."""
    facets = list(pd.unique(data[facet]))
    fig, axes = plt.subplots(1, len(facets), figsize=(WIDTH * 1.15, 3.2), squeeze=False)
    for ax, name in zip(axes.flat, facets, strict=True):
        panel = data[data[facet] == name]
        for i, (label, part) in enumerate(panel.groupby(hue, sort=False)):
            ax.plot(
                part[x],
                part[y],
                label=label,
                color=COMPARATOR_GREY if i == 0 else PHS["purple"],
                linewidth=1.6 if i == 0 else 2.2,
            )
        ax.set_title(_wrap(str(name), 34), fontsize=10)
        ax.set_ylim(bottom=0)
        thousands(ax)
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=3))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        for label in ax.get_xticklabels():
            label.set_rotation(45)
            label.set_horizontalalignment("right")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def _short_number(value: float) -> str:
    """A parameter value for a chart label: 1,100 / 14 / 0.15."""
    value = float(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:g}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def stock_flow_diagram(
    data: pd.DataFrame, *, box_width: float = 1.35, box_height: float = 0.62
) -> plt.Figure:
    """A stock-and-flow diagram: `data` rows of kind "stock" (name, label, x, y, text)
    are boxes; rows of kind "flow" (source, target, text, bend, offset) are arrows
    between them, labelled with their text (how many a day). `bend` curves an arrow
    (arc3 radius); `offset` moves a straight one sideways, to the left of its way."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    stocks = data[data["kind"] == "stock"].set_index("name")
    flows = data[data["kind"] == "flow"]
    fig, ax = plt.subplots(figsize=(WIDTH, 5.2))
    ax.set_axis_off()
    for _, s in stocks.iterrows():
        ax.add_patch(
            FancyBboxPatch(
                (s["x"] - box_width / 2, s["y"] - box_height / 2),
                box_width,
                box_height,
                boxstyle="round,pad=0.02,rounding_size=0.06",
                facecolor=PURPLE_TINTS[0],
                edgecolor=PHS["purple"],
                linewidth=1.4,
            )
        )
        ax.text(
            s["x"],
            s["y"] + 0.1,
            _wrap(str(s["label"]), 22),
            ha="center",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color=PHS["purple"],
        )
        ax.text(
            s["x"],
            s["y"] - 0.19,
            str(s["text"]),
            ha="center",
            va="center",
            fontsize=8,
            color="#333333",
        )

    def edge(centre, towards):
        """Where the line from a box's centre towards a point leaves the box."""
        (cx, cy), (tx, ty) = centre, towards
        dx, dy = tx - cx, ty - cy
        t = min(
            (box_width / 2 + 0.04) / abs(dx) if dx else math.inf,
            (box_height / 2 + 0.04) / abs(dy) if dy else math.inf,
        )
        return cx + t * dx, cy + t * dy

    for f in flows.itertuples():
        a, b = stocks.loc[f.source], stocks.loc[f.target]
        bend = float(getattr(f, "bend", 0.0) or 0.0)
        # an offset moves a straight arrow sideways (two arrows between the same boxes)
        shift = float(getattr(f, "offset", 0.0) or 0.0)
        length = math.hypot(b["x"] - a["x"], b["y"] - a["y"]) or 1.0
        nx, ny = -(b["y"] - a["y"]) / length * shift, (b["x"] - a["x"]) / length * shift
        start = edge((a["x"], a["y"]), (b["x"], b["y"]))
        end = edge((b["x"], b["y"]), (a["x"], a["y"]))
        start, end = (start[0] + nx, start[1] + ny), (end[0] + nx, end[1] + ny)
        arrow = FancyArrowPatch(
            start,
            end,
            connectionstyle=f"arc3,rad={bend}",
            arrowstyle="-|>",
            mutation_scale=12,
            color=PHS["magenta"],
            linewidth=1.3,
            shrinkA=0,
            shrinkB=0,
        )
        ax.add_patch(arrow)
        # label at the middle of the (possibly bent) arrow
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        dx, dy = end[0] - start[0], end[1] - start[1]
        mx, my = mx + bend * dy / 2, my - bend * dx / 2
        if shift:
            mx, my = mx + nx * 1.6, my + ny * 1.6
        ax.text(
            mx,
            my,
            "c" if pd.isna(f.text) else str(f.text),  # suppressed by disclosure control
            ha="center",
            va="center",
            fontsize=7.5,
            color="#333333",
            bbox={
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.9,
            },
        )
    xs, ys = stocks["x"], stocks["y"]
    ax.set_xlim(xs.min() - box_width / 2 - 0.1, xs.max() + box_width / 2 + 0.1)
    ax.set_ylim(ys.min() - box_height / 2 - 0.15, ys.max() + box_height / 2 + 0.15)
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig
