"""System dynamics: a stock-and-flow engine and the older people's pathway model.

- `hscp.flow.engine`: the engine (Model, Results, FlowError, dt_convergence).
- `hscp.flow.older_people`: the model of care for older people, its settings
  (params/scenarios/system_dynamics.yaml) and its calibration.
- `hscp.flow.data`: what the model takes from an area's own data.
- `hscp.flow.scenarios`: scenarios, costs, value for money, the tornado, sliders.

docs/methods.md ("System dynamics model") has the structure and equations.
"""

from hscp.flow import data, older_people, scenarios
from hscp.flow.data import area_calibration
from hscp.flow.engine import (
    FlowError,
    Model,
    Results,
    check_dt_independence,
    dt_convergence,
)
from hscp.flow.older_people import Calibration, CalibrationError, build_model, load_settings

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
