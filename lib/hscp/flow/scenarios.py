"""Scenarios of the older people's pathway in one namespace: run changes, compare, cost,
rank, test the answer, and put it in tables, sentences and the diagram.

The work is done in `runs` (lever sets and their parameters), `summaries` (a run's
numbers, value for money, the baseline against the data), `sensitivity` (the
tornado), `exploring` (response curves, the slider panel's numbers), `tables`,
`sentences` and `diagram`; the slider panel itself is presentation
(`hscp.widgets.slider_panel`).
"""

from hscp.flow.diagram import DIAGRAM_FLOWS, DIAGRAM_STOCKS, diagram_table
from hscp.flow.exploring import explore, response_curves_table
from hscp.flow.runs import (
    BASELINE,
    LEVER_LABELS,
    OUTPUTS,
    LeverSet,
    defined_scenarios,
    options,
    population_growth,
    run_scenarios,
    scenario_params,
)
from hscp.flow.sensitivity import sensitivity, tornado_table
from hscp.flow.sentences import recommendation, sensitivity_sentences
from hscp.flow.summaries import (
    baseline_check,
    model_vs_data_table,
    monthly_fit,
    people_in_settings_table,
    rank_options,
    summarise,
    summarise_rows,
    value_for_money,
)
from hscp.flow.tables import (
    WAITING_IN_HOSPITAL,
    assumptions_table,
    calibration_table,
    ranking_table,
    scenario_table,
    waiting_table,
)

__all__ = [
    "BASELINE",
    "DIAGRAM_FLOWS",
    "DIAGRAM_STOCKS",
    "LEVER_LABELS",
    "OUTPUTS",
    "WAITING_IN_HOSPITAL",
    "LeverSet",
    "assumptions_table",
    "baseline_check",
    "calibration_table",
    "defined_scenarios",
    "diagram_table",
    "explore",
    "model_vs_data_table",
    "monthly_fit",
    "options",
    "people_in_settings_table",
    "population_growth",
    "rank_options",
    "ranking_table",
    "recommendation",
    "response_curves_table",
    "run_scenarios",
    "scenario_params",
    "scenario_table",
    "sensitivity",
    "sensitivity_sentences",
    "summarise",
    "summarise_rows",
    "tornado_table",
    "value_for_money",
    "waiting_table",
]
