"""The house look of every chart: PHS palette, plain sans serif, readable axes.

Chart functions (the other modules of hscp.charts) take a tidy DataFrame, already
disclosure-controlled by `report.figure`, and return a matplotlib Figure without a
title: `report.figure` writes the numbered caption, which says the finding.
"""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import pandas as pd
import seaborn as sns

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


def legend(ax, title: str | None = None) -> None:
    """The axes' legend outside, to the right of the plot."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most about `width` characters, at spaces."""
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


def legend_below(fig, ax, space: float, most: int | None = None) -> None:
    """One legend for all panels, centred below them (`space`: the share of the figure's
    height it takes), from the labels of `ax`, in at most `most` columns."""
    handles, labels = ax.get_legend_handles_labels()
    ncol = len(labels) if most is None else min(most, len(labels))
    fig.legend(handles, labels, loc="lower center", ncol=ncol, frameon=False)
    fig.tight_layout(rect=(0, space, 1, 1))


def bar_grid(ax) -> None:
    """Grid lines across the bars of a horizontal bar chart only (vertical lines)."""
    ax.grid(axis="x", color="#E6E6E6")
    ax.grid(axis="y", visible=False)


# --- suppressed values: marked, never drawn as a gap, a short bar or a zero -------------

#: The mark of a value not shown for confidentiality (as in the tables).
SUPPRESSED_MARK = "c"
SUPPRESSED_COLOUR = "#C73918"  # PHS rust


def mark_suppressed(ax, positions, *, horizontal: bool = False, heights=None) -> None:
    """Write 'c' where a value is suppressed: at the foot of the value axis (or just
    above the known part of a bar, `heights`), so a reader sees a withheld value,
    not a zero or a dip."""
    positions = list(positions)
    if not positions:
        return
    heights = [None] * len(positions) if heights is None else list(heights)
    for pos, height in zip(positions, heights, strict=True):
        style = {"ha": "center", "va": "bottom", "fontsize": 9, "fontweight": "bold",
                 "color": SUPPRESSED_COLOUR, "annotation_clip": False}  # fmt: skip
        if horizontal:
            xy, coords = (0, pos), ("axes fraction", "data")
            style |= {"ha": "left", "va": "center"}
            ax.annotate(SUPPRESSED_MARK, xy=xy, xycoords=coords, xytext=(3, 0),
                        textcoords="offset points", **style)  # fmt: skip
        elif height is None or not height:
            ax.annotate(SUPPRESSED_MARK, xy=(pos, 0), xycoords=("data", "axes fraction"),
                        xytext=(0, 2), textcoords="offset points", **style)  # fmt: skip
        else:
            ax.annotate(SUPPRESSED_MARK, xy=(pos, height), xycoords="data", xytext=(0, 2),
                        textcoords="offset points", **style)  # fmt: skip


def suppressed_legend(ax, partial: bool = False) -> None:
    """A legend entry explaining the 'c' marks."""
    from matplotlib.lines import Line2D

    text = (
        "c: part of the bar not shown (confidentiality); the bar is shorter than the total"
        if partial
        else "c: not shown (confidentiality)"
    )
    handle = Line2D([], [], linestyle="", marker="$c$", color=SUPPRESSED_COLOUR, label=text)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, handle], labels=[*labels, text], frameon=False, fontsize=8)


def nothing_to_show(ax) -> None:
    """Every value is suppressed: say so on the chart instead of drawing zeros."""
    ax.text(0.5, 0.5, "Every value is suppressed (small numbers): nothing to draw",
            transform=ax.transAxes, ha="center", va="center", fontsize=11,
            color=SUPPRESSED_COLOUR)  # fmt: skip
    ax.set_yticks([])


def stamp(fig, title: str, source: str) -> None:
    """The chart's title above it and its source below, inside the image, so a chart
    pasted alone into a board paper still says what it shows and where it comes from.
    Placed outside everything already drawn (legends below the axes included)."""
    import textwrap

    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)  # display units
    to_figure = fig.transFigure.inverted()
    (left, bottom), (_, top) = to_figure.transform([(box.x0, box.y0), (box.x1, box.y1)])
    chars = max(40, int(fig.get_figwidth() * 12))
    fig.text(left, top + 0.01, textwrap.fill(title, chars), ha="left", va="bottom",
             fontsize=11, fontweight="bold", color="#1f1f1f")  # fmt: skip
    fig.text(left, bottom - 0.01, textwrap.fill(source, int(chars * 1.3)), ha="left",
             va="top", fontsize=8, color="#595959")  # fmt: skip
