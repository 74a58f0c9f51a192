"""A small stock-and-flow (system dynamics) engine.

A model is declared the way its diagram is drawn: stocks (boxes), flows (pipes
from one stock to another, or from/to a cloud outside the model), auxiliaries
(named intermediate quantities), inputs (time series such as population and
seasonality) and capacities (a limit on the people a group of stocks can hold):

    m = Model("one ward")
    m.stock("in_ward", initial=lambda v: v.admissions * v.length_of_stay)
    m.capacity("beds", stocks=["in_ward"], limit=lambda v: v.bed_count)
    m.flow("admitted", None, "in_ward", lambda v: v.admissions, limited_by="beds")
    m.flow("discharged", "in_ward", None, lambda v: v.in_ward / v.length_of_stay)
    run = m.run({"admissions": 5.0, "length_of_stay": 4.0, "bed_count": 18}, length=60, dt=0.25)

Each equation is a function of one argument, `v`, through which it reads the
current value of any stock, flow, auxiliary, input or parameter by name
(`v.in_ward`), and `v.time` and `v.dt`. The engine works out the order in which
to evaluate the equations from what each one reads, so they may be declared in
any order; a loop of equations with no stock in it is an error.

Integration is Euler's method with an explicit time step DT: at each step the
flows are worked out from the stocks, then every stock moves by
DT x (inflows - outflows). A flow `limited_by` a capacity is a flow into a
service that can be full: it takes MIN(demand, spare capacity), where the
spare capacity over the step is the empty places, (limit - occupied) / DT, plus
the places freed by the group's outflows during the step, less the group's
unlimited inflows. Several limited flows into one group share the spare
capacity in proportion to their demands. The demand that is not met waits in
the flow's source stock (this is where queues and delays come from); each
limited flow's demand is recorded as `<flow>__demand`.

Runs are vectorised over parameter sets: every parameter may be a number or an
array of values, one per run, so a sweep of hundreds of scenarios is one
integration whose steps work on arrays (see benchmarks/flow_runs.py).

Checks built in: no stock goes negative and no flow runs backwards
(`FlowError` names the variable and run); every stock equals its initial value
plus its inflows minus its outflows over the whole run (`Results.check_conservation`);
and `dt_convergence` shows how results change as DT shrinks.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hscp.flow._common import FlowError, whole
from hscp.flow.results import Results

Equation = Callable[[object], object]
#: Names an equation may read besides the model's variables and parameters.
RESERVED = ("time", "dt")


@dataclass(frozen=True)
class Stock:
    name: str
    initial: float | Equation
    label: str
    unit: str


@dataclass(frozen=True)
class Flow:
    name: str
    source: str | None  # None: from a cloud outside the model
    target: str | None  # None: to a cloud outside the model
    rate: Equation
    limited_by: str | None
    label: str
    fraction: str | float | None = None  # rate = source x fraction (a parameter or number)


@dataclass(frozen=True)
class Auxiliary:
    name: str
    equation: Equation
    label: str
    parts: tuple[str, ...] = ()  # a sum of these variables (worked out as one dot product)


@dataclass(frozen=True)
class Input:
    name: str
    label: str


@dataclass(frozen=True)
class Capacity:
    name: str
    stocks: tuple[str, ...]
    limit: float | Equation
    label: str


class _Values:
    """The `v` an equation reads: attributes bound to the current values."""


class _Tracer:
    """Stands in for `v` while finding out which names an equation reads."""

    def __init__(self, known: Mapping[str, object]):
        object.__setattr__(self, "_known", known)
        object.__setattr__(self, "_read", [])

    def __getattr__(self, name: str):
        self._read.append(name)
        if name not in self._known:
            raise _UnknownName(name)
        return self._known[name]


class _UnknownName(Exception):
    pass


def _fractional(source: str, fraction: str | float) -> Equation:
    if isinstance(fraction, str):
        return lambda v: getattr(v, source) * getattr(v, fraction)
    return lambda v: getattr(v, source) * fraction


def _call(equation: float | Equation, values) -> object:
    return equation(values) if callable(equation) else equation


class Model:
    """A stock-and-flow model: declare stocks, flows, auxiliaries, inputs, capacities; run it."""

    def __init__(self, name: str, time_unit: str = "day"):
        self.name = name
        self.time_unit = time_unit
        self.stocks: dict[str, Stock] = {}
        self.flows: dict[str, Flow] = {}
        self.auxiliaries: dict[str, Auxiliary] = {}
        self.inputs: dict[str, Input] = {}
        self.capacities: dict[str, Capacity] = {}
        self._plans: dict[frozenset, _Plan] = {}

    # --- declaring ------------------------------------------------------------------------

    def _new_name(self, name: str) -> str:
        if not name.isidentifier() or name.startswith("_"):
            raise FlowError(f"{name!r} cannot name a variable: use letters, digits and _")
        if name in RESERVED or "__" in name:
            raise FlowError(f"{name!r} is reserved (time, dt, names with '__')")
        for kind, table in self._tables().items():
            if name in table:
                raise FlowError(f"{name!r} is already a {kind} of model {self.name!r}")
        self._plans.clear()
        return name

    def _tables(self) -> dict[str, dict]:
        return {
            "stock": self.stocks,
            "flow": self.flows,
            "auxiliary": self.auxiliaries,
            "input": self.inputs,
            "capacity": self.capacities,
        }

    def stock(
        self, name: str, initial: float | Equation = 0.0, *, label: str = "", unit: str = "people"
    ) -> str:
        """A stock: people (or anything) accumulating. `initial` is a number or an
        equation of the parameters, the inputs at the start and earlier stocks."""
        self.stocks[self._new_name(name)] = Stock(name, initial, label or name, unit)
        return name

    def flow(
        self,
        name: str,
        source: str | None,
        target: str | None,
        rate: Equation | None = None,
        *,
        fraction: str | float | None = None,
        limited_by: str | None = None,
        label: str = "",
    ) -> str:
        """A flow from `source` to `target` (None: a cloud outside the model), at `rate`
        per time unit, or at `fraction` of the source stock per time unit (a parameter
        name or a number: the first-order outflow, e.g. 1 / length of stay). With
        `limited_by`, the rate is the demand and the flow takes what the capacity
        allows (`target` must be one of the capacity's stocks).

        Fractional flows depend only on stocks and parameters, so the engine works
        them all out at once at the start of each step."""
        if (rate is None) == (fraction is None):
            raise FlowError(f"flow {name!r}: give a rate or a fraction, not both or neither")
        if fraction is not None:
            if source is None:
                raise FlowError(f"flow {name!r}: a fraction needs a source stock")
            rate = _fractional(source, fraction)
        for end in (source, target):
            if end is not None and end not in self.stocks:
                raise FlowError(f"flow {name!r}: {end!r} is not a stock (declare stocks first)")
        if source is None and target is None:
            raise FlowError(f"flow {name!r} needs a source or a target stock")
        if source == target:
            raise FlowError(f"flow {name!r} runs from {source!r} to itself")
        if limited_by is not None:
            if limited_by not in self.capacities:
                raise FlowError(f"flow {name!r}: no capacity {limited_by!r} (declare it first)")
            if target not in self.capacities[limited_by].stocks:
                raise FlowError(
                    f"flow {name!r} is limited by {limited_by!r} but flows into {target!r}, "
                    f"which is not one of its stocks {list(self.capacities[limited_by].stocks)}"
                )
            if source in self.capacities[limited_by].stocks:
                raise FlowError(
                    f"flow {name!r} moves people within capacity {limited_by!r}: "
                    "it frees no place and takes none, so it cannot be limited by it"
                )
        self.flows[self._new_name(name)] = Flow(
            name, source, target, rate, limited_by, label or name, fraction
        )
        return name

    def auxiliary(self, name: str, equation: Equation, *, label: str = "") -> str:
        """A named quantity worked out from other variables at each step."""
        self.auxiliaries[self._new_name(name)] = Auxiliary(name, equation, label or name)
        return name

    def total(self, name: str, parts: Sequence[str], *, label: str = "") -> str:
        """An auxiliary that adds up stocks, flows or other auxiliaries (deaths a day,
        beds occupied...). Parameters cannot be parts."""
        parts = tuple(parts)
        getters = [operator.attrgetter(p) for p in parts]
        self.auxiliaries[self._new_name(name)] = Auxiliary(
            name, lambda v: sum(g(v) for g in getters), label or name, parts
        )
        return name

    def input(self, name: str, *, label: str = "") -> str:
        """A time series given when the model is run (population, seasonality...)."""
        self.inputs[self._new_name(name)] = Input(name, label or name)
        return name

    def capacity(
        self, name: str, stocks: Sequence[str], limit: float | Equation, *, label: str = ""
    ) -> str:
        """A limit on the total held by `stocks` (beds, places, packages of care).

        Equations may read it by name (its current limit); it is recorded too."""
        for s in stocks:
            if s not in self.stocks:
                raise FlowError(f"capacity {name!r}: {s!r} is not a stock")
        self.capacities[self._new_name(name)] = Capacity(name, tuple(stocks), limit, label or name)
        return name

    # --- describing ----------------------------------------------------------------------

    def structure(self) -> pd.DataFrame:
        """The diagram as a table: one row per flow (from, to, limited by), for reading."""
        rows = [
            {
                "flow": f.name,
                "label": f.label,
                "from": f.source or "(outside)",
                "to": f.target or "(outside)",
                "limited_by": f.limited_by or "",
            }
            for f in self.flows.values()
        ]
        return pd.DataFrame(rows, columns=["flow", "label", "from", "to", "limited_by"])

    def inflows(self, stock: str) -> list[str]:
        return [f.name for f in self.flows.values() if f.target == stock]

    def outflows(self, stock: str) -> list[str]:
        return [f.name for f in self.flows.values() if f.source == stock]

    # --- running -------------------------------------------------------------------------

    def run(
        self,
        params: Mapping[str, object] | pd.DataFrame,
        *,
        length: float,
        dt: float,
        start: str | pd.Timestamp | None = None,
        inputs: Mapping[str, object] | None = None,
        record: Iterable[str] | None = None,
        record_every: float | None = None,
        runs: Sequence | None = None,
        check: bool = True,
    ) -> Results:
        """Integrate the model from time 0 to `length` with step `dt`.

        `params`: a value (number or one per run) for every parameter the equations
        read, or a DataFrame with one row per run. `inputs`: for each declared input a
        number, a function of time (an array of step times in, values out), or a
        Series indexed by date (each value holds from its date to the next; needs
        `start`). `record`: the variables to keep (all by default); `record_every`:
        the interval the records average over (a multiple of dt; dt by default).
        With `check`, a negative stock or flow raises FlowError and, when every flow
        is recorded, so does a conservation failure.
        """
        values, n_runs, run_labels = _parameter_values(params, runs)
        n_steps = whole(length / dt, "length / dt")
        every = whole((record_every or dt) / dt, "record_every / dt")
        if n_steps % every:
            raise FlowError(f"length {length} is not a whole number of record_every {record_every}")
        plan = self._plan(frozenset(values))
        start_ts = pd.Timestamp(start) if start is not None else None
        if start_ts is not None and self.time_unit != "day":
            raise FlowError(f"a start date needs the time unit to be a day, not {self.time_unit!r}")
        series = _input_values(self.inputs, inputs or {}, n_steps, dt, start_ts)
        return plan.integrate(
            values, series, n_runs, n_steps, dt, every, record, start_ts, run_labels, check
        )

    def _plan(self, param_names: frozenset) -> _Plan:
        if param_names not in self._plans:
            self._plans[param_names] = _Plan(self, param_names)
        return self._plans[param_names]


def _parameter_values(params, runs) -> tuple[dict[str, np.ndarray], int, list]:
    if isinstance(params, pd.DataFrame):
        labels = list(params.index) if runs is None else list(runs)
        raw = {c: params[c].to_numpy(dtype=float) for c in params.columns}
    else:
        raw = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in params.items()}
        labels = list(runs) if runs is not None else None
    sizes = {len(a) for a in raw.values() if a.ndim == 1 and len(a) != 1}
    if len(sizes) > 1 or any(a.ndim != 1 for a in raw.values()):
        raise FlowError(f"parameters must be numbers or 1-D arrays of one length; sizes {sizes}")
    n_runs = sizes.pop() if sizes else 1
    values = {k: np.broadcast_to(a, (n_runs,)).copy() for k, a in raw.items()}
    if labels is None:
        labels = list(range(n_runs))
    if len(labels) != n_runs:
        raise FlowError(f"{len(labels)} run labels for {n_runs} runs")
    return values, n_runs, labels


def _input_values(declared, given, n_steps, dt, start) -> dict[str, np.ndarray]:
    missing = [name for name in declared if name not in given]
    if missing:
        raise FlowError(f"no values given for input(s) {missing}")
    unknown = [name for name in given if name not in declared]
    if unknown:
        raise FlowError(f"input(s) {unknown} are not declared in the model")
    times = np.arange(n_steps) * dt
    out = {}
    for name, value in given.items():
        if isinstance(value, pd.Series):
            if start is None:
                raise FlowError(f"input {name!r} is indexed by date: give the run a start date")
            index = pd.DatetimeIndex(value.index)
            if not index.is_monotonic_increasing:
                raise FlowError(f"input {name!r}: dates must be in order")
            when = (start + pd.to_timedelta(times, unit="D")).to_numpy()
            pos = np.searchsorted(index.to_numpy(), when, side="right") - 1
            series = value.to_numpy(dtype=float)[np.clip(pos, 0, len(index) - 1)]
        elif callable(value):
            series = np.broadcast_to(np.asarray(value(times), dtype=float), (n_steps,))
        else:
            series = np.full(n_steps, float(value))
        if not np.all(np.isfinite(series)):
            raise FlowError(f"input {name!r} has missing or infinite values")
        out[name] = np.asarray(series, dtype=float)
    return out


@dataclass
class _Plan:
    """The model compiled for one set of parameter names: rows, order and incidence."""

    model: Model
    param_names: frozenset
    rows: dict[str, int] = field(init=False)
    kinds: dict[str, str] = field(init=False)

    def __post_init__(self):
        m = self.model
        clash = [p for p in self.param_names if p in self._all_names() or p in RESERVED]
        if clash:
            raise FlowError(f"parameter(s) {clash} have the name of a model variable")
        # Flows: unlimited first, then each capacity's limited flows together, so a
        # capacity's demands and flows are contiguous rows.
        limited = [f for c in m.capacities for f in m.flows.values() if f.limited_by == c]
        unlimited = [f for f in m.flows.values() if not f.limited_by]
        self.stock_names = list(m.stocks)
        self.flow_names = [f.name for f in [*unlimited, *limited]]
        self.demand_names = [f"{f.name}__demand" for f in limited]
        order = [
            *[(n, "stock") for n in self.stock_names],
            *[(n, "flow") for n in self.flow_names],
            *[(n, "demand") for n in self.demand_names],
            *[(n, "auxiliary") for n in m.auxiliaries],
            *[(n, "capacity") for n in m.capacities],
            *[(n, "input") for n in m.inputs],
        ]
        self.rows = {n: i for i, (n, _) in enumerate(order)}
        self.kinds = dict(order)
        self.n_stocks, self.n_flows = len(self.stock_names), len(self.flow_names)
        # Incidence: stock x flow, +1 for an inflow, -1 for an outflow.
        self.incidence = np.zeros((self.n_stocks, self.n_flows))
        for j, f in enumerate(m.flows[n] for n in self.flow_names):
            if f.source is not None:
                self.incidence[self.stock_names.index(f.source), j] -= 1
            if f.target is not None:
                self.incidence[self.stock_names.index(f.target), j] += 1
        self.steps = self._order()
        self._check_initial_values()

    def _check_initial_values(self) -> None:
        """An initial value may read parameters, inputs and stocks declared before it."""
        m = self.model
        earlier: list[str] = []
        for s in m.stocks.values():
            for name in self._reads(f"initial value of stock {s.name!r}", s.initial):
                later = name in m.stocks and name not in earlier
                if later or name in m.flows or name in m.auxiliaries or name in m.capacities:
                    raise FlowError(
                        f"the initial value of stock {s.name!r} reads {name!r}: it may read only "
                        "parameters, inputs and stocks declared before it"
                    )
            earlier.append(s.name)

    def _all_names(self) -> set[str]:
        m = self.model
        return {*m.stocks, *m.flows, *m.auxiliaries, *m.inputs, *m.capacities}

    # Node names of the dependency graph: "aux:x", "flow:x" (unlimited flow or a limited
    # flow's demand), "cap:x" (a capacity: settles its limited flows).
    def _node_of(self, name: str) -> str | None:
        m = self.model
        if name in m.auxiliaries:
            return f"aux:{name}"
        if name in m.flows:
            f = m.flows[name]
            return f"cap:{f.limited_by}" if f.limited_by else f"flow:{name}"
        if name in m.capacities:
            return f"cap:{name}"
        return None  # stocks, inputs, parameters, time and dt are known at the start of a step

    def _reads(self, what: str, equation) -> list[str]:
        if not callable(equation):
            return []
        names = [*self._all_names(), *self.param_names, *RESERVED]
        tracer = _Tracer({name: np.ones(1) for name in names})
        try:
            with np.errstate(all="ignore"):
                equation(tracer)
        except _UnknownName as err:
            raise FlowError(
                f"{what} reads {err.args[0]!r}, which is not a stock, flow, auxiliary, input "
                f"or capacity of model {self.model.name!r}, nor a parameter given to the run "
                f"(given: {sorted(self.param_names)})"
            ) from None
        except Exception as err:  # noqa: BLE001 - report the equation that failed
            raise FlowError(f"{what}: the equation failed: {type(err).__name__}: {err}") from err
        return tracer._read

    def _order(self) -> list[tuple]:
        m = self.model
        deps: dict[str, set[str]] = {}
        for a in m.auxiliaries.values():
            deps[f"aux:{a.name}"] = self._deps(f"auxiliary {a.name!r}", a.equation)
        for f in m.flows.values():
            node = f"demand:{f.name}" if f.limited_by else f"flow:{f.name}"
            deps[node] = self._deps(f"flow {f.name!r}", f.rate)
            if f.fraction is not None:
                if isinstance(f.fraction, str) and f.fraction not in self.param_names:
                    raise FlowError(
                        f"flow {f.name!r}: its fraction {f.fraction!r} must be a parameter given "
                        f"to the run (given: {sorted(self.param_names)})"
                    )
                deps.pop(node)  # worked out at the start of each step, with the others
        for c in m.capacities.values():
            need = self._deps(f"capacity {c.name!r}", c.limit)
            for f in m.flows.values():
                leaves = f.source in c.stocks and f.target not in c.stocks
                enters = f.target in c.stocks and f.source not in c.stocks
                if leaves or (enters and not f.limited_by):
                    need.add(self._node_of(f.name))
                if f.limited_by == c.name:
                    need.add(f"demand:{f.name}")
            need.discard(f"cap:{c.name}")
            deps[f"cap:{c.name}"] = need
        order, state = [], {}

        def visit(node: str, path: list[str]):
            if state.get(node) == "done":
                return
            if state.get(node) == "active":
                cycle = path[path.index(node) :] + [node]
                raise FlowError(
                    "these equations depend on each other with no stock between them: "
                    + " -> ".join(n.split(":", 1)[1] for n in cycle)
                )
            state[node] = "active"
            for d in sorted(deps.get(node, ())):
                visit(d, [*path, node])
            state[node] = "done"
            order.append(node)

        for node in deps:
            visit(node, [])
        return [tuple(n.split(":", 1)) for n in order]

    def _deps(self, what: str, equation) -> set[str]:
        return {n for n in map(self._node_of, self._reads(what, equation)) if n is not None}

    # --- integrating -----------------------------------------------------------------------

    def integrate(self, params, inputs, n_runs, n_steps, dt, every, record, start, labels, check):
        m = self.model
        V = np.zeros((len(self.rows), n_runs))
        v = _Values()
        for name, row in self.rows.items():
            setattr(v, name, V[row])
        for name, value in params.items():
            setattr(v, name, value)
        v.dt, v.time = dt, 0.0
        input_rows = [self.rows[n] for n in m.inputs]
        input_table = np.array([inputs[n] for n in m.inputs]).reshape(len(input_rows), n_steps)
        lo_in = min(input_rows) if input_rows else 0
        V[lo_in : lo_in + len(input_rows)] = input_table[:, :1]
        with np.errstate(divide="raise", invalid="raise"):
            for s in m.stocks.values():
                try:
                    V[self.rows[s.name]] = _call(s.initial, v)
                except FloatingPointError as err:
                    raise FlowError(f"stock {s.name!r}: initial value: {err}") from err
        bad = [s for s in m.stocks if not np.all(np.isfinite(V[self.rows[s]]))]
        if bad:
            raise FlowError(f"stock(s) {bad} have missing or infinite initial values")

        ops = self._operations(V, v, dt)
        fractional = [f for f in m.flows.values() if f.fraction is not None]
        frac_source = np.array([self.rows[f.source] for f in fractional], dtype=int)
        frac_target = np.array(
            [self.rows[f"{f.name}__demand" if f.limited_by else f.name] for f in fractional],
            dtype=int,
        )
        frac_rate = np.array(
            [
                params[f.fraction] if isinstance(f.fraction, str) else np.full(n_runs, f.fraction)
                for f in fractional
            ]
        ).reshape(len(fractional), n_runs)
        S = V[: self.n_stocks]
        F = V[self.n_stocks : self.n_stocks + self.n_flows]
        step_change = self.incidence * dt
        names = list(self.rows) if record is None else list(dict.fromkeys(record))
        unknown = [n for n in names if n not in self.rows]
        if unknown:
            raise FlowError(f"cannot record {unknown}: not variables of model {m.name!r}")
        rec_rows = np.array([self.rows[n] for n in names], dtype=int)
        contiguous = len(rec_rows) == len(self.rows)
        n_records = n_steps // every
        acc = np.zeros((n_records, len(rec_rows), n_runs))
        at = np.zeros((n_records + 1, self.n_stocks, n_runs))
        at[0] = S
        low_stock = S.copy()
        low_flow = np.full((self.n_flows, n_runs), np.inf)

        for n in range(n_steps):
            v.time = n * dt
            V[lo_in : lo_in + len(input_rows)] = input_table[:, n : n + 1]
            V[frac_target] = V[frac_source] * frac_rate
            for op in ops:
                op()
            k = n // every
            acc[k] += V if contiguous else V[rec_rows]
            np.minimum(low_flow, F, out=low_flow)
            S += step_change @ F
            np.minimum(low_stock, S, out=low_stock)
            if (n + 1) % every == 0:
                at[k + 1] = S
        acc /= every

        results = Results(
            model=m,
            names=names,
            kinds=[self.kinds[n] for n in names],
            data=acc,
            stocks_at=at,
            stock_names=list(self.stock_names),
            dt=dt,
            every=every * dt,
            start=start,
            runs=labels,
            minimum_stock=low_stock,
            minimum_flow=low_flow,
            flow_names=list(self.flow_names),
        )
        if check:
            results.check_non_negative()
            if all(f in names for f in self.flow_names):
                results.check_conservation()
        return results

    def _operations(self, V: np.ndarray, v: _Values, dt: float) -> list[Callable[[], None]]:
        """One closure per step of the evaluation order."""
        m = self.model
        ops = []
        for kind, name in self.steps:
            if kind == "aux" and m.auxiliaries[name].parts:
                parts = m.auxiliaries[name].parts
                unknown = [p for p in parts if p not in self.rows or p in m.inputs]
                if unknown:
                    raise FlowError(
                        f"total {name!r} adds up {unknown}: not stocks, flows or auxiliaries"
                    )
                ops.append(_add_up(V, self.rows[name], [self.rows[p] for p in parts]))
            elif kind == "aux":
                ops.append(_evaluate(V, self.rows[name], m.auxiliaries[name].equation, v))
            elif kind in ("flow", "demand") and m.flows[name].fraction is not None:
                continue  # fractional: all worked out together at the start of the step
            elif kind == "flow":
                ops.append(_evaluate(V, self.rows[name], m.flows[name].rate, v))
            elif kind == "demand":
                ops.append(_evaluate(V, self.rows[f"{name}__demand"], m.flows[name].rate, v))
            else:
                ops.append(self._settle(V, v, m.capacities[name], dt))
        return ops

    def _settle(self, V, v, cap: Capacity, dt: float) -> Callable[[], None]:
        """MIN(demand, spare capacity) for the flows limited by one capacity.

        spare = (limit - held) / dt + outflows of the group - unlimited inflows into it:
        one dot product of a weight vector with all the values."""
        m = self.model
        weights = np.zeros(len(self.rows))
        for s in cap.stocks:
            weights[self.rows[s]] = -1 / dt
        for f in m.flows.values():
            if f.source in cap.stocks and f.target not in cap.stocks:
                weights[self.rows[f.name]] += 1
            elif f.target in cap.stocks and f.source not in cap.stocks and not f.limited_by:
                weights[self.rows[f.name]] -= 1
        limited = [n for n in self.flow_names if m.flows[n].limited_by == cap.name]
        first, last = self.rows[limited[0]], self.rows[limited[-1]] + 1
        d_first = self.rows[f"{limited[0]}__demand"]
        final, demand = V[first:last], V[d_first : d_first + len(limited)]
        limit, places = cap.limit, V[self.rows[cap.name]]
        inv_dt = 1 / dt

        def settle():
            places[...] = limit(v) if callable(limit) else limit
            spare = np.maximum(places * inv_dt + weights @ V, 0.0)
            total = demand.sum(axis=0)
            np.multiply(
                demand, np.where(total > spare, spare / np.maximum(total, 1e-300), 1.0), out=final
            )

        def record_limit():
            places[...] = limit(v) if callable(limit) else limit

        return settle if limited else record_limit


def _add_up(V: np.ndarray, row: int, parts: list[int]) -> Callable[[], None]:
    weights = np.zeros(V.shape[0])
    np.add.at(weights, parts, 1.0)
    target = V[row]

    def add_up():
        target[...] = weights @ V

    return add_up


def _evaluate(V: np.ndarray, row: int, equation: Equation, v: _Values) -> Callable[[], None]:
    target = V[row]

    def evaluate():
        target[...] = equation(v)

    return evaluate
