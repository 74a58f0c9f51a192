"""Options and their appraisal (the phase 2 and 3 evidence packs).

- `settings`: params/scenarios/options.yaml (options, bed day costs with their source
  and year, staffing ratios, criteria and weights, PDSA cycles), `AppraisalError`.
- `effects`: each option's effect on acute beds through the system dynamics model
  (hscp.flow) now and in a future year's population, and through the projections
  (hscp.projection) each year to the horizon, with ranges.
- `finance`: beds freed, whole wards closed (a step cost), net cash release, cash flows
  by year, the set-aside budget.
- `discounting`: the Green Book discount factors and net present value.
- `scoring`: weighted multi-criteria scores and the sensitivity of the ranking to the weights.
- `tables`: community services and staff needed, the appraisal of each option, the
  options table for consultation.

The models layer: nothing here draws, writes sentences or reads data files other than
params. docs/methods.md ("Options appraisal") has the rules and sources.
"""

from hscp.appraisal.discounting import GREEN_BOOK_RATE, GREEN_BOOK_SCHEDULE, discount_factors, npv
from hscp.appraisal.effects import (
    PROJECTION_KIND,
    flow_effects,
    option_levers,
    option_projections,
    projection_effects,
    projection_scenario,
)
from hscp.appraisal.finance import (
    CashRelease,
    beds_freed,
    cash_flows,
    cash_release,
    double_running_cost,
    phase_by_year,
    set_aside_bed_days,
    set_aside_budget,
    set_aside_shift,
    staffed_bed_cost,
    wards_closed,
)
from hscp.appraisal.scoring import weight_sensitivity, weight_to_flip, weighted_scores
from hscp.appraisal.settings import (
    AppraisalError,
    AppraisalSettings,
    Figure,
    Option,
    PdsaCycle,
    default_options_path,
    load_options,
)
from hscp.appraisal.tables import (
    appraise,
    beds_freed_by_year,
    community_requirements,
    options_table,
)

__all__ = [
    "GREEN_BOOK_RATE",
    "GREEN_BOOK_SCHEDULE",
    "PROJECTION_KIND",
    "AppraisalError",
    "AppraisalSettings",
    "CashRelease",
    "Figure",
    "Option",
    "PdsaCycle",
    "appraise",
    "beds_freed",
    "beds_freed_by_year",
    "cash_flows",
    "cash_release",
    "community_requirements",
    "default_options_path",
    "discount_factors",
    "double_running_cost",
    "flow_effects",
    "load_options",
    "npv",
    "option_levers",
    "option_projections",
    "options_table",
    "phase_by_year",
    "projection_effects",
    "projection_scenario",
    "set_aside_bed_days",
    "set_aside_budget",
    "set_aside_shift",
    "staffed_bed_cost",
    "wards_closed",
    "weight_sensitivity",
    "weight_to_flip",
    "weighted_scores",
]
