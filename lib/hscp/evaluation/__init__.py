"""Evaluating a change (the phase 3 and 4 evidence packs).

- `its`: interrupted time series, segmented Poisson regression with a population offset,
  Fourier seasonality and quasi-Poisson overdispersion (`its`, `ItsResult`).
- `did`: difference in differences against areas that did not change, with the
  parallel-trends check (`difference_in_differences`, `DidResult`).
- `control`: control charts rebased at the change, its impact, the PDSA record.
- `balancing`: balancing measures checked for special cause after the change, and
  where pressure appeared.
- `implementation`: the month-by-month re-provision plan: capacity rising, beds closing,
  double running, occupancy against a safe threshold.

The models layer: nothing here draws or writes sentences. docs/methods.md ("Evaluating
a change") has the rules and sources.
"""

from hscp.evaluation.balancing import balancing_check, pressures
from hscp.evaluation.control import (
    before_after,
    measure_series,
    pdsa_record,
    pdsa_table,
    rebased_chart,
)
from hscp.evaluation.did import DidResult, difference_in_differences
from hscp.evaluation.implementation import (
    DoubleRunning,
    bed_trajectory,
    double_running,
    monthly_profile,
    reprovision_plan,
)
from hscp.evaluation.its import EvaluationError, ItsResult, harmonic_terms, its

__all__ = [
    "DidResult",
    "DoubleRunning",
    "EvaluationError",
    "ItsResult",
    "balancing_check",
    "bed_trajectory",
    "before_after",
    "difference_in_differences",
    "double_running",
    "harmonic_terms",
    "its",
    "measure_series",
    "monthly_profile",
    "pdsa_record",
    "pdsa_table",
    "pressures",
    "rebased_chart",
    "reprovision_plan",
]
