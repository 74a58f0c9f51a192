"""How fast is the system dynamics model (hscp.flow)?

Measures, on the tiny synthetic Scotland's Clackmannanshire & Stirling:

1. one model run (the run-in year and the observed year, default DT) - the slider
   needs well under 0.5 s;
2. a sweep of 500 scenario runs, batched in one integration, against the baseline
   the issue names: a naive pure-Python loop implementation of the same model
   (one run at a time, Python floats, lists), checked to give the same answer;
3. the DT check: accuracy and time at DT = 1, 0.5 (the default), 0.25, 0.125;
4. what the report runs: calibration, 17 scenarios, and the sensitivity sweep
   (about 500 runs with recalibration) behind the tornado chart.

    .venv/bin/python benchmarks/flow_runs.py [--runs 500] [--naive-runs 5]

Prints a table and writes benchmarks/results/flow_runs.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from hscp import geography, store, synthetic
from hscp.flow import data, older_people, scenarios
from hscp.flow.engine import _input_values, _Plan

RESULTS = Path(__file__).parent / "results" / "flow_runs.json"


def timed(fn, repeat: int = 1):
    """Median seconds of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def naive_run(model, params: dict, inputs: dict, length: float, dt: float, start) -> dict:
    """The same model, integrated the obvious way: Python floats in a namespace, every
    equation called one by one each step, capacity limits in Python, values appended
    to lists. One run at a time. Returns each stock's values at every step."""
    plan = _Plan(model, frozenset(params))
    n_steps = round(length / dt)
    series = _input_values(model.inputs, inputs, n_steps, dt, pd.Timestamp(start))
    v = SimpleNamespace(**{k: float(x) for k, x in params.items()}, dt=dt, time=0.0)
    for name in model.inputs:
        setattr(v, name, float(series[name][0]))
    for s in model.stocks.values():
        setattr(v, s.name, float(s.initial(v) if callable(s.initial) else s.initial))
    history = {s: [getattr(v, s)] for s in model.stocks}
    for n in range(n_steps):
        v.time = n * dt
        for name in model.inputs:
            setattr(v, name, float(series[name][n]))
        demand = {}
        for kind, name in plan.steps:
            if kind == "aux":
                setattr(v, name, float(model.auxiliaries[name].equation(v)))
            elif kind in ("flow", "demand"):
                value = float(model.flows[name].rate(v))
                if kind == "demand":
                    demand[name] = value
                else:
                    setattr(v, name, value)
            else:  # a capacity: share the spare places between its limited flows
                cap = model.capacities[name]
                limit = float(cap.limit(v) if callable(cap.limit) else cap.limit)
                setattr(v, name, limit)
                spare = (limit - sum(getattr(v, s) for s in cap.stocks)) / dt
                for f in model.flows.values():
                    if f.source in cap.stocks and f.target not in cap.stocks:
                        spare += getattr(v, f.name)
                    elif f.target in cap.stocks and f.source not in cap.stocks and not f.limited_by:
                        spare -= getattr(v, f.name)
                spare = max(spare, 0.0)
                limited = [f.name for f in model.flows.values() if f.limited_by == name]
                for f in limited:  # demands of fractional limited flows were not evaluated yet
                    if f not in demand:
                        demand[f] = float(model.flows[f].rate(v))
                total = sum(demand[f] for f in limited)
                share = spare / total if total > spare else 1.0
                for f in limited:
                    setattr(v, f, demand[f] * share)
        for f in model.flows.values():  # first-order flows: stock x fraction
            if f.fraction is not None and not f.limited_by:
                setattr(v, f.name, float(f.rate(v)))
        change = dict.fromkeys(model.stocks, 0.0)
        for f in model.flows.values():
            rate = getattr(v, f.name)
            if f.source:
                change[f.source] -= rate
            if f.target:
                change[f.target] += rate
        for s, d in change.items():
            setattr(v, s, getattr(v, s) + d * dt)
            history[s].append(getattr(v, s))
    return history


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="runs in the sweep")
    parser.add_argument("--naive-runs", type=int, default=3, help="naive runs timed (then scaled)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        synthetic.generate(Path(folder) / "tiny", scale="tiny", seed=20261126)
        prepared = store.prepare(Path(folder) / "tiny", Path(folder) / "store", log=lambda *_: None)
        p = geography.partnership("S37000005")
        seconds_calibration, cal = timed(
            lambda: data.area_calibration(prepared.partnership(p.code), p, None, prepared.period[1])
        )
    model, settings = older_people.build_model(), cal.settings
    dt = float(settings.run["dt"])
    length = int(settings.run["run_in_days"]) + cal.observed.days
    cal.run()  # compile the model once

    single, _ = timed(lambda: cal.run(), repeat=7)
    single_outputs, _ = timed(lambda: cal.run(record=scenarios.OUTPUTS), repeat=7)

    # A sweep: the slider ranges sampled at random, every run with its own levers.
    rng = np.random.default_rng(7)
    levers = [
        {
            "care_at_home_increase": rng.uniform(0, 0.5),
            "intermediate_care_increase": rng.uniform(0, 1),
            "discharge_to_assess_share": rng.uniform(0, 1),
            "ppa_avoided": rng.uniform(0, 0.5),
            "los_reduction": rng.uniform(0, 0.2),
        }
        for _ in range(args.runs)
    ]
    table = pd.DataFrame([scenarios.scenario_params(cal, x) for x in levers])
    sweep, swept = timed(lambda: cal.run(table, record=["occupied_beds", "delayed_beds"]), repeat=3)

    # The naive baseline: a few runs, the same answers, scaled to the sweep.
    inputs = cal.inputs()
    naive_times, worst = [], 0.0
    for i in range(args.naive_runs):
        params = table.iloc[i].to_dict()
        seconds, history = timed(
            lambda params=params: naive_run(model, params, inputs, length, dt, cal.run_start())
        )
        naive_times.append(seconds)
        engine = cal.run(pd.DataFrame([params]))
        for j, s in enumerate(engine.stock_names):
            every = round(engine.every / dt)
            ours = engine.stocks_at[:, j, 0]
            theirs = np.array(history[s])[::every]
            scale = max(np.abs(theirs).max(), 1.0)
            worst = max(worst, float(np.abs(ours - theirs).max() / scale))
    naive_single = statistics.median(naive_times)

    # DT: accuracy against DT = 1/16 day, and time.
    finest = cal.run(dt=1 / 16, record=["occupied_beds", "delayed_beds"])
    dt_rows = []
    for step in (1.0, 0.5, 0.25, 0.125):
        seconds, run = timed(
            lambda step=step: cal.run(dt=step, record=["occupied_beds", "delayed_beds"]), repeat=3
        )
        diff = {
            name: float(np.abs(run[name] - finest[name]).max() / np.abs(finest[name]).max())
            for name in ("occupied_beds", "delayed_beds")
        }
        dt_rows.append(
            {
                "dt": step,
                "seconds": seconds,
                **{f"max_relative_difference_{k}": v for k, v in diff.items()},
            }
        )

    # What the report runs.
    options = scenarios.options(settings)
    seconds_options, _ = timed(
        lambda: scenarios.run_scenarios(cal, [scenarios.BASELINE, *options]), repeat=3
    )
    seconds_sensitivity, sens = timed(
        lambda: scenarios.sensitivity(cal.observed, settings, cal.capacities, options)
    )

    result = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_1min": os.getloadavg()[0],
        },
        "model": {
            "stocks": len(model.stocks),
            "flows": len(model.flows),
            "auxiliaries": len(model.auxiliaries),
            "days": length,
            "dt": dt,
            "steps": round(length / dt),
        },
        "single_run_seconds": single,
        "single_run_recording_outputs_seconds": single_outputs,
        "sweep": {
            "runs": args.runs,
            "batched_seconds": sweep,
            "naive_single_run_seconds": naive_single,
            "naive_sweep_seconds_estimated": naive_single * args.runs,
            "speed_up": naive_single * args.runs / sweep,
            "naive_vs_engine_max_relative_difference": worst,
        },
        "dt": dt_rows,
        "report": {
            "calibration_seconds": seconds_calibration,
            "options": len(options) + 1,
            "options_seconds": seconds_options,
            "sensitivity_runs": len(sens) + (len(sens) // len(options)),
            "sensitivity_seconds": seconds_sensitivity,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))

    s = result["sweep"]
    print(
        f"Model: {len(model.stocks)} stocks, {len(model.flows)} flows; {length} days at DT {dt} ({round(length / dt)} steps)"
    )
    print(
        f"One run:                         {single:.3f} s  ({single_outputs:.3f} s recording only the outputs)"
    )
    print(f"Sweep of {args.runs} runs, batched:     {sweep:.2f} s")
    print(
        f"Naive pure-Python loop, one run: {naive_single:.2f} s -> {args.runs} runs about {s['naive_sweep_seconds_estimated']:.0f} s"
    )
    print(
        f"Batched sweep is {s['speed_up']:.0f}x faster; naive and engine agree to {worst:.1e} (relative)"
    )
    print("DT     seconds  occupied beds  delayed beds   (largest difference from DT = 1/16)")
    for row in dt_rows:
        print(
            f"{row['dt']:<6g} {row['seconds']:7.3f}  {100 * row['max_relative_difference_occupied_beds']:11.3f}%  "
            f"{100 * row['max_relative_difference_delayed_beds']:11.3f}%"
        )
    r = result["report"]
    print(
        f"Report: calibration {r['calibration_seconds']:.2f} s; {r['options']} options {r['options_seconds']:.2f} s; "
        f"sensitivity ({r['sensitivity_runs']} runs, recalibrated) {r['sensitivity_seconds']:.2f} s"
    )
    print(f"Written to {RESULTS}")
    return result


if __name__ == "__main__":
    main()
