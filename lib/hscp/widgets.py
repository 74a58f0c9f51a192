"""Interactive panels for JupyterLab (ipywidgets): presentation, beside hscp.charts.

Nothing here is needed to read a rendered report: a notebook shows a panel only
when it runs in a Jupyter server (`in_jupyter_server`), never under papermill.
"""

from __future__ import annotations

from hscp.flow.calibration import Calibration
from hscp.flow.exploring import explore
from hscp.flow.runs import LEVER_LABELS


def slider_panel(calibration: Calibration):
    """An ipywidgets panel: a slider per lever; moving one reruns the model and redraws.

    For JupyterLab only (the rendered report shows response_curves instead)."""
    import io

    import ipywidgets as widgets
    import matplotlib.pyplot as plt
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
        figure = charts.scenario_timeline(daily)
        png = io.BytesIO()
        figure.savefig(png, format="png", bbox_inches="tight")
        plt.close(figure)
        with output:
            output.clear_output(wait=True)
            display(Image(data=png.getvalue(), format="png"))
            display(
                table.style.format(
                    {"baseline": "{:,.0f}", "scenario": "{:,.0f}", "change": "{:+,.0f}"}
                )
                .hide(axis="index")
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


def in_jupyter_server() -> bool:
    """True in a kernel started by a Jupyter server (JupyterLab), where widgets work;
    False when papermill or nbclient runs the notebook for a rendered report."""
    import os

    return bool(os.environ.get("JPY_SESSION_NAME"))
