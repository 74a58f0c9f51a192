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
    # whole ticks as 1,234; a tick between whole numbers (2.5 on a small axis) keeps its decimal
    fmt = mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}")
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
    ax.set_yticks([n - 1 - i for i in range(n)])
    ax.set_yticklabels([_wrap(str(c), 40) for c in categories])
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)
    _legend(ax)
    fig.tight_layout()
    return fig


# --- statistical process control: the Making Data Count look ---------------------------------
#
# Control charts from hscp.spc drawn the way NHS England's Making Data Count teaches:
# grey dots for common cause variation, orange for concern, blue for improvement,
# purple for special cause that is neither; the mean solid, the process limits
# dashed, each phase (after a test of change) with its own lines; the variation and
# assurance icons beside the chart. Icons are drawn with matplotlib, so the report
# needs no internet and no image files.

#: Point colours of NHSRplotthedots 0.2.2 (standardised with the Making Data Count team).
SPC_COLOURS = {
    "common_cause": "#A6A6A6",
    "special_cause_improvement": "#00B0F0",
    "special_cause_concern": "#E46C0A",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
SPC_TARGET = "#DE1B1B"
SPC_LINE = "#7F7F7F"
SPC_POINT_LABELS = {
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: neither good nor bad",
    "special_cause_neutral_low": "Special cause: neither good nor bad",
    "common_cause": "Common cause",
}
#: Icon colours (the Making Data Count icon set): ring, letter and the last two dots.
ICON_COLOURS = {
    "improvement": "#0072C6",
    "concern": "#E46C0A",
    "neutral": "#490092",
    "common": "#7F7F7F",
    "pass": "#0072C6",
    "fail": "#E46C0A",
    "inconsistent": "#7F7F7F",
}
#: What each icon says, for a reader who has never seen Making Data Count.
ICON_MEANINGS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause improvement: higher than expected, and higher is better",
    "improvement_low": "Special cause improvement: lower than expected, and lower is better",
    "concern_high": "Special cause concern: higher than expected, and lower is better",
    "concern_low": "Special cause concern: lower than expected, and higher is better",
    "neutral_high": "Special cause: higher than expected (neither good nor bad)",
    "neutral_low": "Special cause: lower than expected (neither good nor bad)",
    "pass": "The target will consistently be met (it lies beyond the limits on the good side)",
    "fail": "The target will consistently be missed (it lies beyond the limits on the bad side)",
    "inconsistent": "Hit and miss: the target lies between the limits, so it will sometimes be met",
}
_DOTS_X = (-0.5, -0.25, 0.0, 0.25, 0.5)
_DOTS_Y = {
    "common": (0.02, -0.2, 0.08, -0.16, 0.0),
    "high": (-0.5, -0.38, -0.52, -0.12, -0.02),
    "low": (-0.02, -0.14, -0.02, -0.4, -0.52),
}


def _draw_icon(ax, icon: str | None, cx: float, cy: float, r: float, ppu: float) -> None:
    """One Making Data Count icon of radius r at (cx, cy), in data units of an axes
    with equal aspect; ppu = points per data unit (sizes lines and letters)."""
    from matplotlib.patches import Circle

    if icon is None:
        return
    if icon in ("pass", "fail", "inconsistent"):
        colour, letter = ICON_COLOURS[icon], {"pass": "P", "fail": "F", "inconsistent": "?"}[icon]
    elif icon == "common_cause":
        colour, letter = ICON_COLOURS["common"], ""
    else:
        kind, level = icon.split("_")
        colour, letter = ICON_COLOURS[kind], "H" if level == "high" else "L"
    ax.add_patch(
        Circle((cx, cy), r, facecolor="white", edgecolor=colour, linewidth=0.1 * r * ppu, zorder=5)
    )
    if letter:
        ax.text(
            cx,
            cy + 0.33 * r,
            letter,
            ha="center",
            va="center",
            color=colour,
            fontsize=0.62 * r * ppu,
            fontweight="bold",
            zorder=6,
        )
    xs = [cx + r * x for x in _DOTS_X]
    if icon in ("pass", "fail", "inconsistent"):
        # the target (dashed) and the process (grey): above it, below it, or across it
        ax.plot(
            [cx - 0.68 * r, cx + 0.68 * r],
            [cy - 0.3 * r] * 2,
            color=colour,
            linewidth=0.05 * r * ppu,
            linestyle=(0, (2.5, 1)),
            zorder=6,
        )
        wave = {
            "pass": (-0.08, -0.02, -0.1, -0.04, -0.08),
            "fail": (-0.5, -0.58, -0.48, -0.56, -0.5),
            "inconsistent": (-0.1, -0.5, -0.08, -0.52, -0.12),
        }[icon]
        ax.plot(xs, [cy + r * y for y in wave], color=SPC_LINE, linewidth=0.06 * r * ppu, zorder=7)
        return
    level = "common" if icon == "common_cause" else icon.split("_")[1]
    ys = [cy + r * y for y in _DOTS_Y[level]]
    if level == "common":
        ys = [y - 0.15 * r for y in ys]
    ax.plot(xs, ys, color=SPC_LINE, linewidth=0.035 * r * ppu, zorder=6)
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        dot = colour if (level != "common" and i >= 3) else SPC_LINE
        ax.plot(x, y, "o", color=dot, markersize=0.2 * r * ppu, markeredgewidth=0, zorder=7)


def _points_per_unit(fig, rect, x_units: float, y_units: float) -> float:
    """Points per data unit of an equal-aspect axes at `rect` (figure fraction): the
    box shrinks to the tighter of its width and height."""
    width_in, height_in = rect[2] * fig.get_figwidth(), rect[3] * fig.get_figheight()
    return min(width_in / x_units, height_in / y_units) * 72


def _icon_panel(fig, rect, icons: Sequence[str | None], captions: Sequence[str]) -> None:
    """Icons side by side, each over its caption, in their own axes at `rect`
    (figure fraction); an icon that is None is left out."""
    shown = [(i, c) for i, c in zip(icons, captions, strict=False) if i]
    if not shown:
        return
    n = len(shown)
    rect = (rect[0], rect[1], rect[2] * n / len(icons), rect[3])  # same size for one or two
    ax = fig.add_axes(rect)
    ax.set_xlim(0, 2.4 * n)
    ax.set_ylim(-0.75, 1.25)
    ax.set_aspect("equal")
    ax.set_anchor("NW")
    ax.axis("off")
    ppu = _points_per_unit(fig, rect, 2.4 * n, 2.0)
    for i, (icon, caption) in enumerate(shown):
        cx = 1.2 + 2.4 * i
        _draw_icon(ax, icon, cx, 0.25, 0.95, ppu)
        ax.text(cx, -0.72, caption, ha="center", va="top", fontsize=8, color="#404040")


def _phase_runs(data: pd.DataFrame, x: str) -> list[pd.DataFrame]:
    return [part for _, part in data.groupby("phase", sort=True)] if "phase" in data else [data]


def _draw_spc(ax, data: pd.DataFrame, x: str, *, point_size: float = 30, lw: float = 1.2) -> None:
    """Dots, mean and process limits of one chart (every phase) on an axes."""
    data = data.sort_values(x)
    ax.plot(data[x], data["value"], color=SPC_COLOURS["common_cause"], linewidth=lw, zorder=2)
    kinds = data["point_type"].fillna("common_cause")
    for kind, colour in SPC_COLOURS.items():
        points = data[kinds == kind]
        if len(points):
            ax.scatter(
                points[x], points["value"], s=point_size, color=colour, zorder=3, linewidths=0
            )
    for part in _phase_runs(data, x):
        span = [part[x].iloc[0], part[x].iloc[-1]]
        ax.plot(span, [part["mean"].iloc[0]] * 2, color="black", linewidth=lw, zorder=1)
        for limit in ("lpl", "upl"):
            ax.plot(
                span,
                [part[limit].iloc[0]] * 2,
                color=SPC_LINE,
                linewidth=lw * 0.9,
                linestyle=(0, (4, 2)),
                zorder=1,
            )
    starts = [part[x].iloc[0] for part in _phase_runs(data, x)][1:]
    for start in starts:
        ax.axvline(start - pd.Timedelta(days=15), color="#595959", linewidth=0.8, linestyle=":")


def _spc_ylim(ax, data: pd.DataFrame) -> None:
    """Let the chart fit the data and limits, but not below zero for a measure that
    cannot be negative."""
    values = data["value"].dropna()
    bottom, top = ax.get_ylim()
    if len(values) and values.min() >= 0 and bottom < 0:
        ax.set_ylim(0, top)


def _value_axis(ax, percent: bool) -> None:
    if percent:
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:.0f}%"))
    else:
        ax.yaxis.set_major_formatter(
            mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}")
        )


def spc_chart(
    data: pd.DataFrame,
    *,
    x: str = "month",
    ylabel: str = "",
    annotations: Sequence[tuple[pd.Timestamp, str]] = (),
    icons: Sequence[str | None] | None = None,
    percent: bool = False,
    height: float = 4.8,
) -> plt.Figure:
    """A Making Data Count control chart from hscp.spc.xmr's columns (value, phase,
    mean, lpl, upl, point_type, optionally target) and an `x` date column.

    `annotations` are (date, label) pairs, e.g. the tests of change: a dash-dotted
    line where each began, labelled above the chart. `icons` = (variation icon,
    assurance icon) from hscp.spc.summary (None or left out: not drawn), drawn at
    the right of the chart.
    """
    fig = plt.figure(figsize=(WIDTH, height))
    right = 0.8 if icons else 0.97
    ax = fig.add_axes((0.1, 0.3, right - 0.1, 0.56))
    _draw_spc(ax, data, x)
    target = data["target"].dropna() if "target" in data else pd.Series(dtype=float)
    if len(target):
        ax.axhline(target.iloc[-1], color=SPC_TARGET, linewidth=1.2, linestyle=(0, (6, 3)))
    _spc_ylim(ax, data)
    level, previous = 0, None
    for when, label in sorted(annotations, key=lambda a: pd.Timestamp(a[0])):
        when = pd.Timestamp(when) - pd.Timedelta(days=15)
        close = previous is not None and (when - previous).days < 200
        level = level + 1 if close else 0
        previous = when
        ax.axvline(when, color=PHS["purple"], linewidth=1.2, linestyle="-.")
        ax.annotate(
            _wrap(label, 34),
            xy=(when, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 3 + 22 * level),
            textcoords="offset points",
            va="bottom",
            fontsize=8,
            color=PHS["purple"],
            annotation_clip=False,
        )
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    _value_axis(ax, percent)
    month_axis(ax, data[x])
    _spc_legend(fig, data, bool(len(target)), bool(annotations))
    if icons:
        _icon_panel(fig, (0.82, 0.5, 0.17, 0.34), icons, ("Variation", "Assurance"))
    return fig


def _spc_legend(fig, data: pd.DataFrame, target: bool, annotated: bool) -> None:
    from matplotlib.lines import Line2D

    present = set(data["point_type"].dropna())
    handles = []
    shown = set()
    for kind, label in SPC_POINT_LABELS.items():
        if kind in present and label not in shown:
            shown.add(label)
            handles.append(
                Line2D([], [], marker="o", linestyle="", color=SPC_COLOURS[kind], label=label)
            )
    handles.append(Line2D([], [], color="black", label="Mean"))
    handles.append(Line2D([], [], color=SPC_LINE, linestyle=(0, (4, 2)), label="Process limits"))
    if target:
        handles.append(Line2D([], [], color=SPC_TARGET, linestyle=(0, (6, 3)), label="Target"))
    if annotated:
        handles.append(Line2D([], [], color=PHS["purple"], linestyle="-.", label="Test of change"))
    fig.legend(
        handles=handles, loc="lower center", ncol=min(4, len(handles)), frameon=False, fontsize=9
    )


def spc_small_multiples(
    data: pd.DataFrame,
    *,
    facet: str = "area",
    row: str | None = None,
    x: str = "month",
    facet_order: Sequence[str] | None = None,
    row_order: Sequence[str] | None = None,
    row_labels: dict[str, str] | None = None,
    percent_rows: Sequence[str] = (),
    icons: dict | None = None,
    highlight: str | None = None,
    ncols: int = 3,
) -> plt.Figure:
    """Small control charts to compare areas at a glance: one panel per `facet`
    value, or a grid (rows: `row` values, e.g. measures; columns: facets). Each
    panel has its own y axis (areas differ in size) and, from `icons` ({(row,
    facet): icon} in a grid, {facet: icon} otherwise), its variation icon in the
    top corner, above the data. `highlight` frames the panels of one facet (the
    area the report is about)."""
    facets = list(facet_order) if facet_order is not None else list(pd.unique(data[facet]))
    if row is None:
        rows = [None]
        ncol = min(ncols, len(facets))
        nrow = math.ceil(len(facets) / ncol)
        cells = [(None, f) for f in facets]
    else:
        rows = list(row_order) if row_order is not None else list(pd.unique(data[row]))
        ncol, nrow = len(facets), len(rows)
        cells = [(r, f) for r in rows for f in facets]
    # layout in inches: row labels on the left, column titles on top
    left = 1.55 if row is not None else 0.55
    top, bottom, gap_x, gap_y = 0.6, 0.35, 0.5, 0.28
    panel_h = 1.3 if row is not None else 1.9
    panel_w = (WIDTH - left - 0.1 - gap_x * (ncol - 1)) / ncol
    height = top + bottom + nrow * panel_h + (nrow - 1) * gap_y
    fig = plt.figure(figsize=(WIDTH, height))
    span = (data[x].min(), data[x].max())
    placed = []
    for k, (r, f) in enumerate(cells):
        i, j = divmod(k, ncol)
        x0 = left + j * (panel_w + gap_x)
        y0 = height - top - (i + 1) * panel_h - i * gap_y
        ax = fig.add_axes((x0 / WIDTH, y0 / height, panel_w / WIDTH, panel_h / height))
        part = data[data[facet] == f] if r is None else data[(data[facet] == f) & (data[row] == r)]
        if part.empty or part["value"].isna().all():
            ax.axis("off")
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
            continue
        _draw_spc(ax, part, x, point_size=9, lw=0.8)
        _spc_ylim(ax, part)
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.45 * (high - low))  # headroom for the icon
        ax.set_xlim(span[0] - pd.Timedelta(days=20), span[1] + pd.Timedelta(days=20))
        _value_axis(ax, r in percent_rows)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        if i < nrow - 1 and row is not None:
            ax.tick_params(labelbottom=False)
        if f == highlight:
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_edgecolor(PHS["purple"])
                spine.set_linewidth(1.6)
        if row is None or i == 0:
            ax.set_title(_wrap(str(f), 30), fontsize=9, pad=4)
        icon = (icons or {}).get((r, f) if row is not None else f)
        if icon:
            radius = 0.15 * panel_h
            placed.append(
                (icon, x0 + panel_w - radius - 0.04, y0 + panel_h - radius - 0.04, radius)
            )
    # the icons on one overlay in inches (equal aspect by construction): no axes per icon
    overlay = fig.add_axes((0, 0, 1, 1), zorder=10)
    overlay.set_xlim(0, WIDTH)
    overlay.set_ylim(0, height)
    overlay.axis("off")
    for icon, cx, cy, radius in placed:
        _draw_icon(overlay, icon, cx, cy, radius, 72)
    if row is not None:
        for i, r in enumerate(rows):
            centre = height - top - i * (panel_h + gap_y) - panel_h / 2
            fig.text(
                0.08 / WIDTH,
                centre / height,
                _wrap((row_labels or {}).get(r, str(r)), 17),
                ha="left",
                va="center",
                fontsize=8.5,
                fontweight="bold",
                color="#262626",
            )
    return fig


def spc_icon_matrix(
    data: pd.DataFrame,
    *,
    row: str = "measure",
    column: str = "area",
    variation: str = "variation_icon",
    assurance: str = "assurance_icon",
    row_order: Sequence[str] | None = None,
    column_order: Sequence[str] | None = None,
    row_labels: dict[str, str] | None = None,
    highlight: str | None = None,
    key: bool = True,
) -> plt.Figure:
    """The Making Data Count summary: a row per measure, a column per area, each
    cell the variation icon and (where there is a target) the assurance icon, with
    a key to the icons below (`key=True`)."""
    rows = list(row_order) if row_order is not None else list(pd.unique(data[row]))
    cols = list(column_order) if column_order is not None else list(pd.unique(data[column]))
    label_w, cell_w, cell_h, head_h = 4.2, 2.0, 1.0, 1.2
    key_items = _key_items(data, variation, assurance) if key else []
    key_rows = math.ceil(len(key_items) / 2)
    key_h = (0.75 * key_rows + 0.6) if key_items else 0.0
    width_units = label_w + cell_w * len(cols)
    height_units = head_h + cell_h * len(rows) + key_h
    scale = min(WIDTH / width_units, 0.7)  # inches per unit
    fig = plt.figure(figsize=(max(WIDTH, width_units * scale), height_units * scale))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, fig.get_figwidth() / scale)
    ax.set_ylim(-height_units, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    ppu = scale * 72
    lookup = data.set_index([row, column])
    for j, col in enumerate(cols):
        cx = label_w + cell_w * (j + 0.5)
        weight = "bold" if col == highlight else "normal"
        ax.text(
            cx,
            -head_h + 0.1,
            _wrap(str(col), 22),
            ha="center",
            va="bottom",
            fontsize=8.5,
            fontweight=weight,
            color=PHS["purple"] if col == highlight else "#262626",
        )
    for i, r in enumerate(rows):
        cy = -head_h - cell_h * (i + 0.5)
        if i % 2 == 0:
            ax.add_patch(
                plt.Rectangle((0, cy - cell_h / 2), width_units, cell_h, color="#F4F4F8", zorder=0)
            )
        ax.text(
            0.1,
            cy,
            _wrap((row_labels or {}).get(r, str(r)), 30),
            ha="left",
            va="center",
            fontsize=9,
        )
        for j, col in enumerate(cols):
            cx = label_w + cell_w * (j + 0.5)
            if (r, col) not in lookup.index:
                ax.text(cx, cy, "no data", ha="center", va="center", fontsize=7, color=SPC_LINE)
                continue
            cell = lookup.loc[(r, col)]
            v, a = _icon_name(cell[variation]), _icon_name(cell.get(assurance))
            if a is None:
                _draw_icon(ax, v, cx, cy, 0.36, ppu)
            else:
                _draw_icon(ax, v, cx - 0.42, cy, 0.36, ppu)
                _draw_icon(ax, a, cx + 0.42, cy, 0.36, ppu)
    if key_items:
        top = -head_h - cell_h * len(rows) - 0.35
        ax.text(0.1, top, "Key", ha="left", va="top", fontsize=9, fontweight="bold")
        half = width_units / 2
        for k, icon in enumerate(key_items):
            kx = 0.45 + half * (k % 2)
            ky = top - 0.65 - 0.75 * (k // 2)
            _draw_icon(ax, icon, kx, ky, 0.3, ppu)
            ax.text(
                kx + 0.5,
                ky,
                _wrap(ICON_MEANINGS[icon], 58),
                ha="left",
                va="center",
                fontsize=8.5,
            )
    return fig


def _icon_name(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    return str(value)


def _key_items(data: pd.DataFrame, variation: str, assurance: str) -> list[str]:
    """The icons a key explains: always common cause and the assurance icons in use,
    plus every variation icon that appears."""
    used = {_icon_name(v) for v in data[variation]} | {
        _icon_name(v) for v in data.get(assurance, pd.Series(dtype=object))
    }
    order = list(ICON_MEANINGS)
    return [icon for icon in order if icon in used or icon == "common_cause"]


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
