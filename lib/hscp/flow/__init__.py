"""System dynamics: a stock-and-flow engine and the older people's pathway model.

`hscp.flow.engine` is the engine (Model, Results, FlowError, dt_convergence);
`hscp.flow.older_people` builds, calibrates and runs the model of care for
older people. docs/methods.md ("System dynamics model") has the equations.
"""

from hscp.flow.engine import (
    FlowError,
    Model,
    Results,
    check_dt_independence,
    dt_convergence,
)

__all__ = ["FlowError", "Model", "Results", "check_dt_independence", "dt_convergence"]
