"""Interactive panels for JupyterLab (ipywidgets): presentation, beside hscp.charts.

Nothing here is needed to read a rendered report: a notebook shows a panel only
when its `explore` parameter says so (`hscp.report.exploring`: by default only in a
Jupyter server), never under papermill or the batch.

`explorer` is the panel of every analysis notebook: choose an area, a measure and a
period, and a chart and a table redraw from a tidy table the notebook has already
computed (`Series`). `slider_panel` is the system dynamics model's scenario knobs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from hscp.flow.calibration import Calibration
from hscp.flow.exploring import explore
from hscp.flow.runs import LEVER_LABELS


@dataclass(frozen=True)
class Series:
    """What an explorer shows: a tidy table with columns area, measure, period and value
    (and, for control charts, mean, lpl and upl), the areas in the order to offer them
    (the partnership first) and the area chosen at the start."""

    table: pd.DataFrame
    areas: list[str]
    area: str
    unit: str = ""  # the y axis, when every measure shares one
    period_name: str = "Months"


def _png(figure) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def explorer_view(series: Series, area: str, measure: str, first, last):
    """The chart and table for one choice: (matplotlib figure, table of every area's
    level over the months chosen, the chosen area first). Pure: the panel calls it on
    each change, and tests call it without widgets."""
    from hscp import charts

    t = series.table
    chosen = t[(t["measure"] == measure) & t["period"].between(first, last)]
    figure = charts.trend(chosen[chosen["area"] == area], title=f"{measure}, {area}",
                          ylabel=series.unit)  # fmt: skip
    levels = (
        chosen.sort_values("period")
        .groupby("area", sort=False)["value"]
        .agg(first="first", last="last", mean="mean")
        .reindex([a for a in series.areas if a in set(chosen["area"])])
    )
    levels["change"] = (levels["last"] - levels["first"]) / levels["first"].where(
        levels["first"] != 0
    )
    levels = levels.reset_index().rename(columns={"index": "area"})
    order = [area] + [a for a in levels["area"] if a != area]
    levels = levels.set_index("area").loc[order].reset_index()
    return figure, levels


#: The explorer table's headings.
HEADINGS = {
    "area": "Area",
    "first": "First of the months",
    "last": "Last of the months",
    "mean": "Average",
    "change": "Change, first to last",
}


def explorer(series: Series):
    """An ipywidgets panel: area, measure and period; the chart and table redraw (from
    the table in memory: a fraction of a second)."""
    import ipywidgets as widgets
    from IPython.display import Image, display

    t = series.table
    periods = sorted(t["period"].unique())
    labels = [f"{p:%b %Y}" if isinstance(p, pd.Timestamp) else str(p) for p in periods]
    area = widgets.Dropdown(options=series.areas, value=series.area, description="Area")
    measure = widgets.Dropdown(options=list(dict.fromkeys(t["measure"])), description="Measure",
                               layout=widgets.Layout(width="460px"))  # fmt: skip
    period = widgets.SelectionRangeSlider(
        options=list(zip(labels, periods, strict=True)), index=(0, len(periods) - 1),
        description=series.period_name, layout=widgets.Layout(width="460px"),
    )  # fmt: skip
    output = widgets.Output()

    def redraw(*_):
        first, last = period.value
        figure, levels = explorer_view(series, area.value, measure.value, first, last)
        with output:
            output.clear_output(wait=True)
            display(Image(data=_png(figure), format="png"))
            shown = levels.rename(columns=HEADINGS)
            display(
                shown.style.format(
                    {HEADINGS[c]: "{:,.1f}" for c in ("first", "last", "mean")}
                    | {HEADINGS["change"]: "{:+.1%}"},
                    na_rep="-",
                ).hide(axis="index")
            )

    for control in (area, measure, period):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [
            widgets.HTML(
                "<b>Explore:</b> choose an area, a measure and the months; the chart and "
                "the table (every area over the same months) redraw. Only in JupyterLab; "
                "a rendered report has the full set of charts instead."
            ),
            widgets.HBox([area, measure]),
            period,
            output,
        ],
        layout=widgets.Layout(border="1px solid #ccc", padding="8px"),
    )


def scenario_table(table: pd.DataFrame) -> pd.DataFrame:
    """The slider panel's table as text: counts to the unit, money in sensible units
    (£60.0m, not £60,037,286)."""
    from hscp import text

    def shown(measure: str, value: float, change: bool = False) -> str:
        if "£" in measure:
            words = text.money(abs(value), short=True)
            return (("+" if value > 0 else "−" if value < 0 else "") + words) if change else words
        return f"{value:+,.0f}" if change else f"{value:,.0f}"

    out = pd.DataFrame({"measure": table["measure"].str.replace(" (£)", "", regex=False)})
    for column in ("baseline", "scenario", "change"):
        out[column] = [
            shown(m, v, column == "change")
            for m, v in zip(table["measure"], table[column], strict=True)
        ]
    return out


def slider_panel(calibration: Calibration):
    """An ipywidgets panel: a slider per lever; moving one reruns the model and redraws.

    For JupyterLab only (the rendered report shows response_curves instead)."""
    import ipywidgets as widgets
    from IPython.display import Image, display

    from hscp import charts

    settings = calibration.settings
    sliders = {}
    for lever, (low, high, step) in settings.sliders.items():
        if lever == "population_year":
            if calibration.observed.growth is None or calibration.observed.growth.empty:
                continue
            years = sorted(calibration.observed.growth["year"].unique())
            sliders[lever] = widgets.IntSlider(
                value=int(years[0]),
                min=int(years[0]),
                max=int(min(high, years[-1])),
                step=int(step),
                description="Population of",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="520px"),
            )
        else:
            sliders[lever] = widgets.FloatSlider(
                value=0.0,
                min=low,
                max=high,
                step=step,
                description=LEVER_LABELS[lever],
                readout_format=".0%",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="520px"),
            )
    output = widgets.Output()

    def redraw(**levers):
        year = levers.get("population_year")
        if year is not None and year <= int(calibration.observed.end.year):
            levers["population_year"] = None
        daily, table = explore(calibration, **levers)
        png = _png(charts.scenario_timeline(daily))
        with output:
            output.clear_output(wait=True)
            display(Image(data=png, format="png"))
            display(
                scenario_table(table)
                .style.hide(axis="index")
                .set_properties(subset=["measure"], **{"text-align": "left"})
            )

    panel = widgets.interactive(redraw, {"manual": False}, **sliders)
    return widgets.VBox(
        [
            widgets.HTML(
                "<b>Move a slider: the model reruns with the changes (a fraction of a second).</b>"
            ),
            panel,
            output,
        ]
    )
