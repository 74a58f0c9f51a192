"""One look for every chart: PHS palette, plain sans serif, readable month axes.

Chart functions take a tidy DataFrame (already disclosure-controlled by
`report.figure`) and return a matplotlib Figure. The figure carries no title:
`report.figure` writes the numbered caption, which says the finding. Charts
only draw: the tables they draw are built by the models (e.g.
`projection.waterfall_table` for `charts.waterfall`).

- `style`: palette, set_style, month and thousands axes
- `basic`: monthly lines, stacked monthly bars, small multiples, bars
- `unscheduled`: funnel plots, rate intervals, heat maps, grouped shares
- `control`: SPC charts, small multiples and icon matrix (Making Data Count)
- `projections`: fan charts, S-curves, waterfalls, forecasts
- `delays`: shares beside a comparator, seasonal bars, area panels
- `phases`: the phase packs' options by year, implementation plan, interrupted time
  series and difference in differences
- `system_dynamics`: model against data, tornado, people in settings, scenarios,
  response curves, timelines, the stock-and-flow diagram
"""

import matplotlib

matplotlib.use("Agg")  # before pyplot: no screen on batch machines; report.figure displays

from hscp.charts.basic import (  # noqa: E402
    bars,
    monthly_lines,
    small_multiples,
    stacked_monthly,
    trend,
)
from hscp.charts.control import (
    ICON_COLOURS,
    ICON_MEANINGS,
    SPC_COLOURS,
    SPC_LINE,
    SPC_POINT_LABELS,
    SPC_TARGET,
    spc_chart,
    spc_icon_matrix,
    spc_small_multiples,
)
from hscp.charts.delays import area_panels, seasonal_bars, share_bars
from hscp.charts.phases import (  # noqa: E402
    difference_lines,
    implementation_plan,
    interrupted_series,
    option_fans,
)
from hscp.charts.projections import fan_chart, forecast_chart, s_curve, waterfall
from hscp.charts.style import (
    COMPARATOR_GREY,
    PALETTE,
    PHS,
    PURPLE_TINTS,
    WIDTH,
    legend,
    month_axis,
    set_style,
    stamp,
    thousands,
    wrap,
)
from hscp.charts.system_dynamics import (
    model_vs_data,
    people_in_settings,
    response_curves,
    scenario_comparison,
    scenario_timeline,
    stock_flow_diagram,
    tornado,
)
from hscp.charts.unscheduled import funnel_plot, grouped_share_bars, heatmap, interval_plot

__all__ = [
    "difference_lines",
    "implementation_plan",
    "interrupted_series",
    "option_fans",
    "COMPARATOR_GREY",
    "ICON_COLOURS",
    "ICON_MEANINGS",
    "PALETTE",
    "PHS",
    "PURPLE_TINTS",
    "SPC_COLOURS",
    "SPC_LINE",
    "SPC_POINT_LABELS",
    "SPC_TARGET",
    "WIDTH",
    "area_panels",
    "bars",
    "fan_chart",
    "forecast_chart",
    "funnel_plot",
    "grouped_share_bars",
    "heatmap",
    "interval_plot",
    "legend",
    "model_vs_data",
    "month_axis",
    "monthly_lines",
    "people_in_settings",
    "response_curves",
    "s_curve",
    "scenario_comparison",
    "scenario_timeline",
    "seasonal_bars",
    "set_style",
    "stamp",
    "share_bars",
    "small_multiples",
    "spc_chart",
    "spc_icon_matrix",
    "spc_small_multiples",
    "stacked_monthly",
    "trend",
    "stock_flow_diagram",
    "thousands",
    "tornado",
    "waterfall",
    "wrap",
]
