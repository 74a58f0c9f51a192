"""System dynamics: a stock-and-flow engine and the older people's pathway model.

- `engine`, `results`: the engine (Model, Results, FlowError, dt_convergence).
- `pathway`: the older people's pathway as a stock-and-flow model (build_model).
- `settings`: params/scenarios/system_dynamics.yaml, read and checked.
- `observed`, `data`: an area's observed year, and how it is measured from its data.
- `calibration`: the steady state that reproduces the observed year, and its refinement.
- `older_people`: the model's names gathered in one namespace.
- `runs`, `summaries`, `sensitivity`, `exploring`: scenarios, their numbers, value for
  money, the tornado and the response curves; `tables`, `sentences` and `diagram` put
  them in the report; `scenarios` gathers these names in one namespace.

The models layer: nothing here draws or shows (hscp.charts and hscp.widgets do).
docs/methods.md ("System dynamics model") has the structure and equations.
"""

from hscp.flow import data, older_people, scenarios
from hscp.flow._common import CalibrationError, FlowError
from hscp.flow.calibration import Calibration
from hscp.flow.data import area_calibration
from hscp.flow.engine import Model, Results
from hscp.flow.pathway import build_model
from hscp.flow.results import check_dt_independence, dt_convergence
from hscp.flow.settings import load_settings

__all__ = [
    "Calibration",
    "CalibrationError",
    "FlowError",
    "Model",
    "Results",
    "area_calibration",
    "build_model",
    "check_dt_independence",
    "data",
    "dt_convergence",
    "load_settings",
    "older_people",
    "scenarios",
]
