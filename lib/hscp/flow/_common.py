"""What the engine and its results share (private): the error and a step check."""

from __future__ import annotations

from hscp.errors import HscpError


class FlowError(HscpError, RuntimeError):
    """A model that cannot be built or run correctly: the message names the variable."""


def whole(x: float, what: str) -> int:
    n = round(x)
    if n < 1 or abs(n - x) > 1e-9 * max(1.0, abs(x)):
        raise FlowError(f"{what} must be a whole number of steps (got {x:g})")
    return int(n)


class CalibrationError(HscpError, ValueError):
    """Data and params that cannot make a baseline: the message says which value to change."""
