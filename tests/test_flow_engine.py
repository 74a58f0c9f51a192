"""The stock-and-flow engine (hscp.flow): answers worked out by hand.

Each test builds the smallest model that shows one behaviour and checks it
against a number worked out in the comment beside it.
"""

import math

import numpy as np
import pandas as pd
import pytest

from hscp.flow import FlowError, Model, check_dt_independence, dt_convergence


def decay() -> Model:
    m = Model("decay")
    m.stock("x", initial=lambda v: v.x0)
    m.flow("drain", "x", None, lambda v: v.x / v.tau)
    return m


def ward(queue: bool = False) -> Model:
    """Admissions at a fixed demand into a ward of fixed beds; discharges at stock / LOS."""
    m = Model("ward")
    if queue:
        m.stock("waiting", initial=0.0)
        m.flow("referred", None, "waiting", lambda v: v.demand)
    m.stock("in_ward", initial=0.0)
    m.capacity("beds", stocks=["in_ward"], limit=lambda v: v.bed_count)
    if queue:
        m.flow("admitted", "waiting", "in_ward", lambda v: v.waiting / v.dt, limited_by="beds")
    else:
        m.flow("admitted", None, "in_ward", lambda v: v.demand, limited_by="beds")
    m.flow("discharged", "in_ward", None, lambda v: v.in_ward / v.length_of_stay)
    return m


# --- a single stock draining at a fixed rate ---------------------------------------------


def test_euler_decay_is_one_minus_k_dt_to_the_power_of_the_steps():
    # x0 = 100, rate 1/tau = 0.1 a day, dt = 1: each step keeps 0.9 of the stock, so after
    # 10 days x = 100 x 0.9^10 = 34.8678...
    run = decay().run({"x0": 100.0, "tau": 10.0}, length=10, dt=1.0)
    assert run.stocks_at[-1, 0, 0] == pytest.approx(34.867844, rel=1e-7)


@pytest.mark.parametrize("dt", [1.0, 0.5, 0.25, 0.125, 0.0625])
def test_decay_approaches_the_analytic_answer_as_dt_shrinks(dt):
    # Analytic: x(10) = 100 e^(-10/10) = 36.7879. Euler's error is first order: about
    # x0 e^-1 x (k^2 t / 2) dt = 36.79 x 0.05 x dt = 1.84 dt (1.92 at dt=1 exactly:
    # 36.7879 - 34.8678), so it should be within 2 x dt.
    run = decay().run({"x0": 100.0, "tau": 10.0}, length=10, dt=dt)
    error = abs(run.stocks_at[-1, 0, 0] - 100 * math.exp(-1))
    assert error < 2.0 * dt
    assert error > 1.5 * dt  # and not much smaller: it is first order, not exact


def test_decay_error_halves_when_dt_halves():
    errors = [
        abs(
            decay().run({"x0": 100.0, "tau": 10.0}, length=10, dt=dt).stocks_at[-1, 0, 0]
            - 100 * math.exp(-1)
        )
        for dt in (0.5, 0.25, 0.125)
    ]
    assert errors[0] / errors[1] == pytest.approx(2, rel=0.05)
    assert errors[1] / errors[2] == pytest.approx(2, rel=0.05)


def test_dt_convergence_table_shrinks_with_dt():
    table = dt_convergence(
        decay(), {"x0": 100.0, "tau": 10.0}, length=20, dts=(1, 0.5, 0.25, 0.125)
    )
    rel = table.set_index("dt")["relative"]
    assert rel[1.0] > rel[0.5] > rel[0.25]
    # halving dt from 0.25 leaves less than 1% of the peak between dt=0.25 and dt=0.125
    assert rel[0.25] < 0.01


def test_check_dt_independence_fails_when_dt_is_too_coarse():
    with pytest.raises(FlowError, match="depend on dt"):
        check_dt_independence(
            decay(), {"x0": 100.0, "tau": 10.0}, length=20, dt=1.0, tolerance=0.01
        )
    check_dt_independence(decay(), {"x0": 100.0, "tau": 10.0}, length=20, dt=0.05, tolerance=0.01)


# --- capacity: a service that fills and then holds ------------------------------------------


def test_capacity_limited_ward_fills_then_admits_capacity_over_length_of_stay():
    # Demand 5 a day, length of stay 4 days: unconstrained the ward would hold 5 x 4 = 20,
    # but it has 18 beds. It fills (continuous time: 20(1 - e^(-t/4)) = 18 at
    # t = 4 ln 10 = 9.21 days), then admits only what discharges free: 18 / 4 = 4.5 a day.
    run = ward().run({"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0}, length=60, dt=0.125)
    frame = run.wide()
    before, after = frame.loc[frame.index < 9.0], frame.loc[frame.index >= 9.5]
    assert (before["admitted"] == 5.0).all()
    assert after["in_ward"].to_numpy() == pytest.approx(18.0)
    assert after["admitted"].to_numpy() == pytest.approx(4.5)
    assert after["admitted__demand"].to_numpy() == pytest.approx(5.0)  # the demand is recorded
    full_from = frame.index[np.argmax(frame["in_ward"].to_numpy() >= 18.0 - 1e-9)]
    assert full_from == pytest.approx(4 * math.log(10), abs=0.25)
    assert frame["beds"].to_numpy() == pytest.approx(18.0)  # the capacity is recorded too


def test_demand_a_full_service_cannot_take_waits_in_the_source_stock():
    # Referrals 5 a day into a queue; the ward (18 beds, LOS 4) takes 4.5 a day once full,
    # so the queue grows by 5 - 4.5 = 0.5 a day: from day 15 to day 55 by 0.5 x 40 = 20.
    run = ward(queue=True).run(
        {"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0}, length=60, dt=0.25
    )
    waiting = run.values("waiting")
    assert waiting.loc[55.0] - waiting.loc[15.0] == pytest.approx(20.0, rel=1e-6)


def test_limited_inflows_share_the_spare_capacity_in_proportion_to_demand():
    # An empty unit of 10 places with dt = 1 has 10 spare places for the step. Two queues
    # want 12 and 4 (16 in all): they get 10 x 12/16 = 7.5 and 10 x 4/16 = 2.5.
    m = Model("shared")
    m.stock("queue_a", initial=12.0)
    m.stock("queue_b", initial=4.0)
    m.stock("unit", initial=0.0)
    m.capacity("places", stocks=["unit"], limit=10.0)
    m.flow("from_a", "queue_a", "unit", lambda v: v.queue_a / v.dt, limited_by="places")
    m.flow("from_b", "queue_b", "unit", lambda v: v.queue_b / v.dt, limited_by="places")
    run = m.run({}, length=1, dt=1.0)
    assert run["from_a"][0, 0] == pytest.approx(7.5)
    assert run["from_b"][0, 0] == pytest.approx(2.5)
    assert run.stocks_at[-1, 2, 0] == pytest.approx(10.0)


def test_unlimited_inflow_into_a_full_service_leaves_less_for_the_limited_one():
    # 20 places, full, 2 leave a day (LOS 10). An unlimited inflow of 1.5 a day takes
    # priority, so the limited flow gets 2 - 1.5 = 0.5 a day and the unit stays at 20.
    m = Model("priority")
    m.stock("queue", initial=100.0)
    m.stock("unit", initial=20.0)
    m.capacity("places", stocks=["unit"], limit=20.0)
    m.flow("direct", None, "unit", lambda v: 1.5)
    m.flow("from_queue", "queue", "unit", lambda v: v.queue / 5, limited_by="places")
    m.flow("leaving", "unit", None, lambda v: v.unit / 10)
    run = m.run({}, length=10, dt=0.5)
    assert run["from_queue"][:, 0] == pytest.approx(0.5)
    assert run.stocks_at[:, 1, 0] == pytest.approx(20.0)


# --- Little's law --------------------------------------------------------------------------


def test_steady_state_stock_is_inflow_times_length_of_stay():
    # Little's law: 3 a day in, 7 days each -> 21 in the stock. Downstream, 30% go on to a
    # second stock of 2 days: 3 x 0.3 x 2 = 1.8.
    m = Model("two stages")
    m.stock("first", initial=0.0)
    m.stock("second", initial=0.0)
    m.flow("arrive", None, "first", lambda v: v.arrivals)
    m.flow("on", "first", "second", lambda v: v.first / v.los_first * v.share_on)
    m.flow("home", "first", None, lambda v: v.first / v.los_first * (1 - v.share_on))
    m.flow("leave", "second", None, lambda v: v.second / v.los_second)
    run = m.run(
        {"arrivals": 3.0, "los_first": 7.0, "share_on": 0.3, "los_second": 2.0},
        length=200,
        dt=0.25,
    )
    assert run.stocks_at[-1, 0, 0] == pytest.approx(21.0, rel=1e-6)
    assert run.stocks_at[-1, 1, 0] == pytest.approx(1.8, rel=1e-6)


# --- conservation and non-negativity ---------------------------------------------------------


def test_every_stock_is_initial_plus_inflows_minus_outflows():
    run = ward(queue=True).run(
        {"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0},
        length=30,
        dt=0.25,
        record_every=1,
    )
    errors = run.conservation_error()
    assert set(errors["stock"]) == {"waiting", "in_ward"}
    assert errors["relative"].max() < 1e-12
    # by hand for the ward: after 30 days, in_ward = 0 + admitted - discharged
    admitted, discharged = run.total("admitted")[0], run.total("discharged")[0]
    assert run.stocks_at[-1, 1, 0] == pytest.approx(admitted - discharged)


def test_conservation_check_catches_a_stock_that_moved_without_a_flow():
    run = ward().run({"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0}, length=10, dt=0.5)
    run.stocks_at[5, 0, 0] += 1.0  # someone appears in the ward with no admission
    with pytest.raises(FlowError, match="not conserved: in_ward"):
        run.check_conservation()


def test_a_stock_emptied_faster_than_dt_allows_is_an_error():
    # Rate 1/tau = 2 a day with dt = 1 takes twice the stock out in one step: x goes to -100.
    with pytest.raises(FlowError, match="stock.*went negative: x"):
        decay().run({"x0": 100.0, "tau": 0.5}, length=3, dt=1.0)


def test_a_flow_running_backwards_is_an_error():
    m = Model("backwards")
    m.stock("x", initial=10.0)
    m.flow("out", "x", None, lambda v: -1.0 + 0 * v.x)
    with pytest.raises(FlowError, match="flow.*went negative: out"):
        m.run({}, length=2, dt=1.0)


# --- declaring and ordering ---------------------------------------------------------------------


def test_equations_are_evaluated_in_dependency_order_whatever_the_declaration_order():
    # The flow reads `rate`, declared after it, which reads `half`, declared last.
    m = Model("order")
    m.stock("x", initial=10.0)
    m.flow("out", "x", None, lambda v: v.rate)
    m.auxiliary("rate", lambda v: v.half * 2)
    m.auxiliary("half", lambda v: v.x / 20)
    run = m.run({}, length=1, dt=1.0)
    assert run["out"][0, 0] == pytest.approx(1.0)  # 10 / 20 x 2


def test_equations_that_depend_on_each_other_without_a_stock_are_an_error():
    m = Model("loop")
    m.stock("x", initial=1.0)
    m.auxiliary("a", lambda v: v.b + 1)
    m.auxiliary("b", lambda v: v.a + 1)
    with pytest.raises(FlowError, match="depend on each other.*a -> b -> a|b -> a -> b"):
        m.run({}, length=1, dt=1.0)


def test_reading_an_unknown_name_names_it():
    m = Model("typo")
    m.stock("x", initial=1.0)
    m.flow("out", "x", None, lambda v: v.x / v.lenght_of_stay)
    with pytest.raises(FlowError, match="flow 'out' reads 'lenght_of_stay'"):
        m.run({"length_of_stay": 3.0}, length=1, dt=1.0)


def test_a_missing_parameter_is_named():
    with pytest.raises(FlowError, match=r"reads 'tau'.*nor a parameter given.*\['x0'\]"):
        decay().run({"x0": 1.0}, length=1, dt=1.0)


def test_declaring_a_flow_between_unknown_stocks_is_an_error():
    m = Model("bad")
    m.stock("x")
    with pytest.raises(FlowError, match="'y' is not a stock"):
        m.flow("f", "x", "y", lambda v: 1.0)
    with pytest.raises(FlowError, match="already a stock"):
        m.stock("x")


# --- inputs, vectorised runs, records ----------------------------------------------------------


def test_a_monthly_input_series_holds_each_value_for_its_month():
    # Arrivals of 10 a day in January and 20 a day in February: 31 x 10 + 28 x 20 = 870.
    m = Model("inputs")
    m.stock("arrived", initial=0.0)
    m.input("arrivals")
    m.flow("arrive", None, "arrived", lambda v: v.arrivals)
    arrivals = pd.Series([10.0, 20.0], index=pd.to_datetime(["2025-01-01", "2025-02-01"]))
    run = m.run({}, length=59, dt=0.5, start="2025-01-01", inputs={"arrivals": arrivals})
    assert run.stocks_at[-1, 0, 0] == pytest.approx(870.0)
    assert run.values("arrive").loc[pd.Timestamp("2025-02-10")] == 20.0


def test_an_input_may_be_a_function_of_time():
    # arrivals = time: the integral of t from 0 to 10 by Euler with dt = 1 is 0+1+...+9 = 45.
    m = Model("ramp")
    m.stock("arrived", initial=0.0)
    m.input("ramp")
    m.flow("arrive", None, "arrived", lambda v: v.ramp)
    run = m.run({}, length=10, dt=1.0, inputs={"ramp": lambda t: t})
    assert run.stocks_at[-1, 0, 0] == pytest.approx(45.0)


def test_a_sweep_is_the_same_as_separate_runs():
    params = pd.DataFrame(
        {
            "demand": [3.0, 5.0, 8.0],
            "length_of_stay": [4.0, 4.0, 2.0],
            "bed_count": [18.0, 18.0, 12.0],
        },
        index=["low", "mid", "high"],
    )
    sweep = ward().run(params, length=30, dt=0.25)
    for label, row in params.iterrows():
        alone = ward().run(row.to_dict(), length=30, dt=0.25)
        assert sweep.values("in_ward", run=label).to_numpy() == pytest.approx(
            alone.values("in_ward").to_numpy()
        )


def test_records_average_over_their_interval_and_totals_are_exact():
    # Ward filling from empty, recorded daily with dt = 0.25: the daily average of a stock
    # is the mean of its four step values, and total(admitted) over the run is the people
    # admitted, which must equal the final stock plus the discharges.
    run = ward().run(
        {"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0},
        length=20,
        dt=0.25,
        record_every=1,
    )
    fine = ward().run({"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0}, length=20, dt=0.25)
    assert run["in_ward"][3, 0] == pytest.approx(fine["in_ward"][12:16, 0].mean())
    assert run.total("admitted")[0] == pytest.approx(
        run.stocks_at[-1, 0, 0] + run.total("discharged")[0]
    )


def test_tidy_has_one_row_per_run_time_and_variable():
    run = ward().run(
        {"demand": [5.0, 6.0], "length_of_stay": 4.0, "bed_count": 18.0},
        length=4,
        dt=1.0,
        start="2025-04-01",
        runs=["a", "b"],
    )
    tidy = run.tidy()
    assert list(tidy.columns) == ["run", "time", "date", "variable", "kind", "value"]
    assert len(tidy) == 4 * 5 * 2  # 4 days x 5 variables x 2 runs
    row = tidy[(tidy.run == "b") & (tidy.time == 0) & (tidy.variable == "admitted")]
    assert row["value"].item() == 6.0 and row["kind"].item() == "flow"
    assert tidy["date"].max() == pd.Timestamp("2025-04-04")


def test_record_subset_and_structure():
    run = ward().run(
        {"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0},
        length=4,
        dt=1.0,
        record=["in_ward"],
    )
    assert run.names == ["in_ward"]
    table = ward(queue=True).structure()
    assert table.set_index("flow").loc["admitted", "limited_by"] == "beds"
    assert table.set_index("flow").loc["referred", "from"] == "(outside)"


# --- fractional flows and totals ------------------------------------------------------------------


def test_a_fractional_flow_is_the_stock_times_the_fraction():
    # fraction 0.25 a day of a stock of 40 -> 10 a day at the first step.
    m = Model("fraction")
    m.stock("x", initial=40.0)
    m.flow("out", "x", None, fraction="per_day")
    run = m.run({"per_day": 0.25}, length=1, dt=1.0)
    assert run["out"][0, 0] == pytest.approx(10.0)
    assert run.stocks_at[-1, 0, 0] == pytest.approx(30.0)


def test_a_fractional_flow_gives_the_same_run_as_its_equation():
    by_equation = ward(queue=True).run(
        {"demand": 5.0, "length_of_stay": 4.0, "bed_count": 18.0}, length=30, dt=0.25
    )
    m = Model("ward")
    m.stock("waiting", initial=0.0)
    m.flow("referred", None, "waiting", lambda v: v.demand)
    m.stock("in_ward", initial=0.0)
    m.capacity("beds", stocks=["in_ward"], limit=lambda v: v.bed_count)
    m.flow("admitted", "waiting", "in_ward", fraction=4.0, limited_by="beds")  # waiting / dt
    m.flow("discharged", "in_ward", None, fraction="per_day")
    by_fraction = m.run({"demand": 5.0, "per_day": 0.25, "bed_count": 18.0}, length=30, dt=0.25)
    assert by_fraction["in_ward"] == pytest.approx(by_equation["in_ward"])
    assert by_fraction["waiting"] == pytest.approx(by_equation["waiting"])


def test_a_fraction_must_be_a_parameter_given():
    m = Model("fraction")
    m.stock("x", initial=1.0)
    m.flow("out", "x", None, fraction="per_day")
    with pytest.raises(FlowError, match="reads 'per_day'.*nor a parameter given"):
        m.run({}, length=1, dt=1.0)
    m.flow("again", "x", None, fraction="x")  # a stock is not a fraction
    with pytest.raises(FlowError, match="fraction .x. must be a parameter"):
        m.run({"per_day": 0.1}, length=1, dt=1.0)


def test_a_total_adds_up_its_parts():
    # two stocks of 3 and 4, outflows 3 x 0.1 and 4 x 0.5: stocks 7, outflows 0.3 + 2 = 2.3
    m = Model("totals")
    m.stock("a", initial=3.0)
    m.stock("b", initial=4.0)
    m.flow("a_out", "a", None, fraction=0.1)
    m.flow("b_out", "b", None, fraction=0.5)
    m.total("people", ["a", "b"])
    m.total("leaving", ["a_out", "b_out"])
    run = m.run({}, length=1, dt=1.0)
    assert run["people"][0, 0] == pytest.approx(7.0)
    assert run["leaving"][0, 0] == pytest.approx(2.3)
