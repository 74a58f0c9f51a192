"""Statistical process control charts in the Making Data Count look.

Control charts from hscp.spc drawn the way NHS England's Making Data Count teaches:
grey dots for common cause variation, orange for concern, blue for improvement,
purple for special cause that is neither; the mean solid, the process limits
dashed, each phase (after a test of change) with its own lines; the variation and
assurance icons beside the chart. Icons are drawn with matplotlib, so the report
needs no internet and no image files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from hscp.charts.style import (
    PHS,
    WIDTH,
    mark_suppressed,
    month_axis,
    nothing_to_show,
    wrap,
)

#: Point colours of NHSRplotthedots 0.2.2 (standardised with the Making Data Count team).
SPC_COLOURS = {
    "common_cause": "#A6A6A6",
    "special_cause_improvement": "#00B0F0",
    "special_cause_concern": "#E46C0A",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
PROVISIONAL = "provisional"  # hscp.spc.PROVISIONAL
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
    late = (data["point_type"] == PROVISIONAL).to_numpy()
    judged = data[~late]
    ax.plot(judged[x], judged["value"], color=SPC_COLOURS["common_cause"], linewidth=lw, zorder=2)
    if late.any():  # provisional months: dashed on from the last judged month, hollow dots
        tail = data.iloc[max(int(np.argmax(late)) - 1, 0) :]
        ax.plot(tail[x], tail["value"], color=SPC_COLOURS["common_cause"], linewidth=lw,
                linestyle=(0, (3, 2)), zorder=2)  # fmt: skip
        ax.scatter(data.loc[late, x], data.loc[late, "value"], s=point_size, zorder=3,
                   facecolors="white", edgecolors=SPC_LINE, linewidths=1.2)  # fmt: skip
    data = judged
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
    hidden = data.loc[data["value"].isna(), x]
    if len(hidden) == len(data):
        nothing_to_show(ax)
    else:
        mark_suppressed(ax, hidden)
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
            wrap(label, 34),
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
    if PROVISIONAL in present:
        handles.append(Line2D([], [], marker="o", linestyle=(0, (3, 2)), color=SPC_LINE,
                              markerfacecolor="white", label="Provisional (not judged)"))  # fmt: skip
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
            ax.set_title(wrap(str(f), 30), fontsize=9, pad=4)
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
                wrap((row_labels or {}).get(r, str(r)), 17),
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
            wrap(str(col), 22),
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
            wrap((row_labels or {}).get(r, str(r)), 30),
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
                wrap(ICON_MEANINGS[icon], 58),
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
