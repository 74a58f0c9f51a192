"""System dynamics (hscp.flow): the model against the data, scenarios, the tornado,
response curves and the stock-and-flow diagram."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd

from hscp.charts.style import (
    COMPARATOR_GREY,
    PALETTE,
    PHS,
    PURPLE_TINTS,
    WIDTH,
    bar_grid,
    legend_below,
    month_axis,
    thousands,
    wrap,
)
from hscp.text import short_number


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
        ax.set_title(wrap(str(name), 40), fontsize=10)
        ax.set_ylim(bottom=0)
        thousands(ax)
        month_axis(ax, data[x])
    axes[0, 0].set_ylabel(ylabel)
    legend_below(fig, axes[0, 0], 0.08)
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
                    short_number(value),
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
                    f"{short_number(lv)} to {short_number(hv)}: no change",
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
    ax.set_yticklabels([wrap(t, 45) for t in names])
    ax.set_xlabel(xlabel)
    bar_grid(ax)
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
            [wrap(str(t), 40) for t in wide.index],
            values,
            left=left,
            color=PALETTE[i % len(PALETTE)],
            label=column,
            height=0.65,
        )
        left = left + values
    ax.set_xlabel(xlabel)
    bar_grid(ax)
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
    labels = [wrap(str(t), 34) for t in data[y]][::-1]
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
        ax.set_title(wrap(measures[column], 40), fontsize=10)
        bar_grid(ax)
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
        ax.set_title(wrap(str(name), 34), fontsize=10)
        ax.xaxis.set_major_formatter(mticker.PercentFormatter(xmax=1, decimals=0))
        ax.yaxis.set_major_formatter(mticker.PercentFormatter(xmax=1, decimals=0))
    for ax in list(axes.flat)[len(facets) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    legend_below(fig, axes.flat[0], 0.07)
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
        ax.set_title(wrap(str(name), 34), fontsize=10)
        ax.set_ylim(bottom=0)
        thousands(ax)
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=3))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        for label in ax.get_xticklabels():
            label.set_rotation(45)
            label.set_horizontalalignment("right")
    legend_below(fig, axes[0, 0], 0.1)
    return fig


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
            wrap(str(s["label"]), 22),
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
