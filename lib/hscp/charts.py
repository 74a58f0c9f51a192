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


# --- unscheduled care: funnel plots, rate intervals, heat maps ------------------------------


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
    import numpy as np
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
            _wrap(str(row[label]), 26),
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
            _legend(ax)
    ax.set_yticks(positions)
    ax.set_yticklabels([_wrap(str(v), 40) for v in data[y]])
    ax.set_xlabel(xlabel)
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)
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

    wide = data.pivot_table(
        index=row, columns=column, values=value, aggfunc="sum", observed=False, dropna=False
    )
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
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(colorbar_label)
    bar.ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    fig.tight_layout()
    return fig


def share_bars(
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
    ax.set_yticks([n - 1 - i for i in range(n)])
    ax.set_yticklabels([_wrap(str(c), 40) for c in categories])
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)
    _legend(ax)
    fig.tight_layout()
    return fig
