"""What a run of the engine recorded (`Results`), and how results depend on the time step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from hscp.flow._common import FlowError, whole

if TYPE_CHECKING:
    from hscp.flow.engine import Model


@dataclass
class Results:
    """What a run recorded: each variable's average over each record interval, per run.

    `data` has shape (records, variables, runs); `stocks_at` holds every stock at the
    record boundaries (records + 1), which the conservation check uses.
    """

    model: Model
    names: list[str]
    kinds: list[str]
    data: np.ndarray
    stocks_at: np.ndarray
    stock_names: list[str]
    dt: float
    every: float
    start: pd.Timestamp | None
    runs: list
    minimum_stock: np.ndarray  # stocks x runs: the lowest value at any step
    minimum_flow: np.ndarray  # flows x runs
    flow_names: list[str] = field(default_factory=list)  # the rows of minimum_flow

    @property
    def time(self) -> np.ndarray:
        """Start of each record interval, in model time units."""
        return np.arange(self.data.shape[0]) * self.every

    @property
    def dates(self) -> pd.DatetimeIndex:
        if self.start is None:
            raise FlowError("the run was given no start date")
        return self.start + pd.to_timedelta(self.time, unit="D")

    def __getitem__(self, name: str) -> np.ndarray:
        """A variable's record averages: array (records, runs)."""
        if name not in self.names:
            raise KeyError(f"{name!r} was not recorded (recorded: {self.names})")
        return self.data[:, self.names.index(name), :]

    def values(self, name: str, run=0) -> pd.Series:
        """One variable of one run (by label) as a Series indexed by time (or date)."""
        col = self.runs.index(run)
        index = self.dates if self.start is not None else pd.Index(self.time, name="time")
        return pd.Series(self[name][:, col], index=index, name=name)

    def total(self, name: str, start: float = 0.0, end: float | None = None) -> np.ndarray:
        """Integral of a variable over [start, end) per run: bed days from occupied beds,
        people from a flow. start and end are in model time and fall on record bounds."""
        lo, hi = self._span(start, end)
        return self[name][lo:hi].sum(axis=0) * self.every

    def mean(self, name: str, start: float = 0.0, end: float | None = None) -> np.ndarray:
        """Time-average of a variable over [start, end) per run."""
        lo, hi = self._span(start, end)
        return self[name][lo:hi].mean(axis=0)

    def _span(self, start, end) -> tuple[int, int]:
        n = self.data.shape[0]
        lo = whole(start / self.every + 1, "start / record interval") - 1 if start else 0
        hi = n if end is None else whole(end / self.every, "end / record interval")
        if not 0 <= lo < hi <= n:
            raise FlowError(f"span {start} to {end} is outside the run (0 to {n * self.every})")
        return lo, hi

    def tidy(self, variables: Iterable[str] | None = None) -> pd.DataFrame:
        """Every recorded variable over time, long: run, time, (date), variable, kind, value.

        A stock's value is its average over the record interval (people on an average
        day); a flow's is its average rate (people per time unit)."""
        names = list(variables) if variables is not None else self.names
        cols = [self.names.index(n) for n in names]
        n_rec, n_runs = self.data.shape[0], self.data.shape[2]
        block = self.data[:, cols, :]  # records x variables x runs
        frame = pd.DataFrame(
            {
                "run": np.tile(np.repeat(np.array(self.runs, dtype=object), 1), n_rec * len(cols)),
                "time": np.repeat(self.time, len(cols) * n_runs),
                "variable": np.tile(np.repeat(np.array(names, dtype=object), n_runs), n_rec),
                "kind": np.tile(
                    np.repeat(np.array([self.kinds[c] for c in cols], dtype=object), n_runs),
                    n_rec,
                ),
                "value": block.reshape(-1),
            }
        )
        if self.start is not None:
            frame.insert(2, "date", self.start + pd.to_timedelta(frame["time"], unit="D"))
        return frame

    def wide(self, run=0) -> pd.DataFrame:
        """One run: a row per record interval, a column per variable."""
        col = self.runs.index(run)
        index = self.dates if self.start is not None else pd.Index(self.time, name="time")
        return pd.DataFrame(self.data[:, :, col], index=index, columns=self.names)

    # --- checks --------------------------------------------------------------------------

    def check_non_negative(self, tolerance: float = 1e-9) -> None:
        """No stock went below zero and no flow ran backwards, at any step of any run."""
        for kind, names, low in (
            ("stock", self.stock_names, self.minimum_stock),
            ("flow", self.flow_names, self.minimum_flow),
        ):
            bad = [
                (n, self.runs[int(row.argmin())], row.min())
                for n, row in zip(names, low, strict=True)
                if row.min() < -tolerance
            ]
            if bad:
                listed = ", ".join(f"{n} ({x:.3g} in run {r!r})" for n, r, x in bad[:5])
                raise FlowError(
                    f"model {self.model.name!r}: {kind}(s) went negative: {listed}. An outflow "
                    f"faster than 1/DT empties a stock within a step: use a smaller dt "
                    f"(now {self.dt:g}) or check the equations."
                )

    def conservation_error(self) -> pd.DataFrame:
        """For each stock: the largest gap, over the run, between the stock and its initial
        value plus cumulated inflows minus outflows (worked out from the recorded flows)."""
        missing = [f for f in self.model.flows if f not in self.names]
        if missing:
            raise FlowError(f"conservation needs every flow recorded; missing {missing[:5]}")
        rows = []
        for i, s in enumerate(self.stock_names):
            net = sum(self[f] for f in self.model.inflows(s)) - sum(
                self[f] for f in self.model.outflows(s)
            )
            cumulative = np.cumsum(np.asarray(net, dtype=float) * self.every, axis=0)
            expected = self.stocks_at[0, i] + cumulative
            actual = self.stocks_at[1:, i]
            gap = np.abs(actual - expected)
            scale = np.maximum(np.abs(self.stocks_at[:, i]).max(axis=0), 1.0)
            rows.append(
                {"stock": s, "max_gap": float(gap.max()), "relative": float((gap / scale).max())}
            )
        return pd.DataFrame(rows)

    def check_conservation(self, relative: float = 1e-9) -> None:
        """Every stock = initial + inflows - outflows, at every record boundary of every run."""
        errors = self.conservation_error()
        bad = errors[errors["relative"] > relative]
        if len(bad):
            raise FlowError(
                f"model {self.model.name!r}: stock(s) not conserved: "
                + ", ".join(f"{r.stock} (off by {r.max_gap:.3g})" for r in bad.itertuples())
            )


def dt_convergence(
    model: Model,
    params: Mapping[str, object] | pd.DataFrame,
    *,
    length: float,
    dts: Sequence[float] = (1.0, 0.5, 0.25, 0.125),
    variables: Sequence[str] | None = None,
    record_every: float = 1.0,
    **run_options,
) -> pd.DataFrame:
    """How results change as DT shrinks: for each dt, the largest difference of each
    variable from the run at the smallest dt, absolute and relative to that
    variable's largest value. Euler's method is first order, so the difference
    should roughly halve with each halving of dt."""
    dts = sorted(dts, reverse=True)
    runs = {
        dt: model.run(params, length=length, dt=dt, record_every=record_every, **run_options)
        for dt in dts
    }
    finest = runs[dts[-1]]
    names = list(variables) if variables is not None else list(model.stocks)
    rows = []
    for dt in dts[:-1]:
        for name in names:
            diff = np.abs(runs[dt][name] - finest[name]).max()
            scale = max(np.abs(finest[name]).max(), 1e-12)
            rows.append(
                {"dt": dt, "variable": name, "max_difference": diff, "relative": diff / scale}
            )
    return pd.DataFrame(rows)


def check_dt_independence(
    model: Model,
    params: Mapping[str, object] | pd.DataFrame,
    *,
    length: float,
    dt: float,
    tolerance: float = 0.01,
    variables: Sequence[str] | None = None,
    **run_options,
) -> pd.DataFrame:
    """Results at `dt` are within `tolerance` (relative) of those at dt/4; else FlowError."""
    table = dt_convergence(
        model, params, length=length, dts=(dt, dt / 4), variables=variables, **run_options
    )
    worst = table.loc[table["relative"].idxmax()]
    if worst["relative"] > tolerance:
        raise FlowError(
            f"results depend on dt: {worst['variable']} differs by {100 * worst['relative']:.2f}% "
            f"between dt={dt:g} and dt={dt / 4:g} (tolerance {100 * tolerance:.2f}%)"
        )
    return table
