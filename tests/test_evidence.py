"""The evidence register: its arithmetic, figures, comparisons, cache and locality views."""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hscp import evidence, measures
from hscp.evidence import cache, figures, register
from hscp.evidence.build import Built, Context, build

PARTNERSHIP = "S37000005"  # Clackmannanshire & Stirling
NAME = "Clackmannanshire & Stirling"


# --- arithmetic worked by hand ----------------------------------------------------------------


def test_average_beds_is_bed_days_over_days():
    # 89,275 bed days over the 365 days of Apr 2024 to Mar 2025: 89275 / 365 = 244.589...
    assert evidence.average_beds(89_275, 365) == pytest.approx(244.589041, abs=1e-6)
    # a leap year: 36,600 bed days over 366 days is exactly 100 beds
    assert evidence.average_beds(36_600, 366) == 100


def test_average_beds_refuses_an_empty_period():
    with pytest.raises(ValueError, match="0 days"):
        evidence.average_beds(10, 0)


def test_previous_days_counts_the_twelve_months_before():
    # latest Apr 2024 to Mar 2025; the 12 months before, Apr 2023 to Mar 2024, hold
    # 29 February 2024: 366 days
    monthly = pd.DataFrame(
        {"month": pd.date_range("2023-04-01", "2025-03-01", freq="MS"), "bed_days": 1}
    )
    comparison = measures.compare_periods(monthly, "bed_days", end=pd.Timestamp("2025-03-31"))
    assert comparison.days == 365
    assert figures.previous_days(comparison) == 366


@pytest.mark.parametrize(
    ("change", "expected"),
    [(0.013, "up"), (-0.2, "down"), (0.0, "unchanged"), (math.nan, None)],
)
def test_direction_of_change(change, expected):
    assert figures.direction(change) == expected


def test_a_row_works_out_its_change_from_the_previous_value():
    # 14,594 against 14,403: 14594 / 14403 - 1 = 0.01326...
    row = figures.row(
        "emergency_admissions", NAME, "Partnership", 14_594, period=_period(), previous=14_403
    )
    assert row["change"] == pytest.approx(0.013261, abs=1e-6)


def _period():
    return (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"), "Apr 2024 to Mar 2025")


def _rate(area, kind, value, lower, upper, count=500):
    return figures.row(
        "emergency_admission_easr", area, kind, value, period=_period(), count=count,
        lower=lower, upper=upper,
    )  # fmt: skip


def test_comparisons_use_the_areas_interval_against_the_comparators_rate():
    # Stirling 120 (110 to 131): Scotland's 100 is below the interval -> higher;
    # the board's 125 is inside it -> no clear difference; the partnership's 135 is
    # above it -> lower
    table = figures.finish(
        [
            _rate("Stirling", "Locality", 120, 110, 131),
            _rate(NAME, "Partnership", 135, 130, 140),
            _rate("NHS Forth Valley", "Health board", 125, 121, 129),
            _rate("Scotland", "Scotland", 100, 99, 101),
        ],
        NAME,
        "NHS Forth Valley",
    ).set_index("area")
    assert table.loc["Stirling", "vs_scotland"] == measures.compare.HIGHER
    assert table.loc["Stirling", "vs_board"] == measures.compare.SIMILAR
    assert table.loc["Stirling", "vs_partnership"] == measures.compare.LOWER
    assert pd.isna(table.loc["Scotland", "vs_scotland"])  # not against itself


def test_counts_without_an_interval_are_not_compared():
    rows = [
        figures.row("emergency_bed_days", a, k, 1000, period=_period(), count=1000)
        for a, k in ((NAME, "Partnership"), ("Scotland", "Scotland"))
    ]
    table = figures.finish(rows, NAME, None)
    assert table["vs_scotland"].isna().all()


def _figure(key, value, count=None, **extra):
    row = figures.row(key, NAME, "Partnership", value, period=_period(), count=count, **extra)
    return evidence.Figure.from_row(figures.finish([row], NAME, None).iloc[0], 10)


def test_a_figure_on_a_small_count_loses_its_value_not_its_count():
    small = _figure("census_delays", 7, count=7, previous=9)
    assert small.suppressed and math.isnan(small.value) and small.count == 7
    assert small.direction is None and math.isnan(small.change)
    assert small.text() == "fewer than 10 people" and small.number() == "fewer than 10"
    assert not _figure("census_delays", 10, count=10).suppressed  # 10 is published


def test_figure_text_writes_the_unit():
    assert _figure("emergency_beds", 244.589, count=89_275).text() == "245 beds"
    assert _figure("emergency_beds", 3.2, count=7).text() == "not available"
    assert _figure("ae_4_hour_percent", 68.4198, count=100).text() == "68.4%"
    assert _figure("ni16_falls_rate", 19.9457, count=617).text() == "19.9 per 1,000 aged 65+"


def test_distinguish_names_the_population_when_populations_differ():
    older = _figure("sd_emergency_beds_65plus", 193.2, count=70_000)
    everyone = _figure("emergency_beds", 237.1, count=86_000)
    assert evidence.distinguish([older, everyone]) == (
        "193 beds occupied by people aged 65+; 237 for all ages"
    )


def test_distinguish_names_the_basis_when_the_population_is_the_same():
    latest = _figure("emergency_beds", 237.1, count=86_000)
    base = _figure("projection_base_beds", 223.4, count=81_000)
    phrase = evidence.distinguish([latest, base])
    assert phrase.startswith("237 beds occupied (the 12 months to the period end")
    assert "; 223 (the base financial year, stays by year of admission" in phrase


def test_every_key_is_defined_with_a_known_population():
    for key, d in evidence.DEFINITIONS.items():
        assert d.key == key and d.population in evidence.POPULATIONS
        assert d.label and d.definition and d.unit and d.noun and d.source


def test_an_unknown_key_lists_the_keys():
    with pytest.raises(KeyError, match="emergency_beds"):
        evidence.definition("emergency_bedz")


# --- the register computed from the tiny data ---------------------------------------------------


@pytest.fixture(scope="module")
def ev(tiny_store) -> evidence.Evidence:
    return evidence.load(tiny_store, PARTNERSHIP, threshold=10)


def test_every_section_builds_on_the_tiny_data(ev):
    assert ev.problems == {}
    keys = set(ev.register()["key"])
    assert keys == set(evidence.DEFINITIONS)


def test_the_partnership_and_each_locality_have_the_record_level_figures(ev):
    areas = set(ev.register().query("key == 'emergency_beds'")["area"])
    assert areas == {NAME, *ev.partnership.localities}


def test_average_beds_in_the_register_is_its_bed_days_over_the_days(ev):
    beds, days = ev.figure("emergency_beds"), ev.figure("emergency_bed_days")
    span = (beds.period_end - beds.period_start).days + 1  # Apr 2024 to Mar 2025: 365
    assert span == 365
    assert beds.value == pytest.approx(days.value / span)
    period = ev.figure("emergency_beds_period")
    whole = (ev.end - ev.start).days + 1
    assert period.value == pytest.approx(ev.figure("emergency_bed_days_period").value / whole)


def test_delayed_beds_of_older_people_are_within_those_of_all_adults(ev):
    adults, older, oldest = (
        ev.figure(k).value for k in ("delayed_beds", "delayed_beds_65plus", "delayed_beds_75plus")
    )
    assert oldest <= older <= adults


def test_the_register_bed_days_match_the_shared_monthly_table(ev):
    monthly = ev.table("emergency_monthly")
    mine = monthly[(monthly["area"] == NAME) & (monthly["month"] >= "2024-04-01")]
    assert mine["bed_days"].sum() == ev.figure("emergency_bed_days").value


def test_a_locality_view_reads_the_partnerships_register(ev):
    local = ev.for_locality("clackmannanshire")  # names matched without regard to case
    assert local.area == "Clackmannanshire" and local.key == ev.key
    for key in ("emergency_admissions", "emergency_admission_easr", "delayed_bed_days"):
        mine, theirs = local.figure(key), ev.figure(key, "Clackmannanshire")
        assert (mine.area, mine.value, mine.count) == (theirs.area, theirs.value, theirs.count)
    # its comparisons read against its partnership, board and Scotland
    assert local.figure("emergency_admission_easr").vs_partnership is not None


def test_the_localities_add_up_to_the_partnership(ev):
    # every resident lives in one locality: their admissions and delayed bed days add up
    for key in ("emergency_admissions", "delayed_bed_days", "emergency_bed_days"):
        parts = sum(ev.figure(key, loc).value for loc in ev.partnership.localities)
        assert parts == ev.figure(key).value


def test_load_locality_reuses_the_cached_partnership(tiny_store, ev, monkeypatch):
    monkeypatch.setattr(register, "_build", _refuse)
    local = evidence.load_locality(tiny_store, PARTNERSHIP, "Rural Stirling", threshold=10)
    assert local.path == ev.path and local.area == "Rural Stirling"


def _refuse(*args, **kwargs):
    raise AssertionError("built again: the cache was not used")


def test_a_missing_figure_says_why(ev):
    with pytest.raises(evidence.EvidenceError, match="areas with it"):
        ev.figure("emergency_beds", "Glasgow City")


def test_a_failed_section_is_recorded_and_the_others_still_build(tiny_store):
    data = tiny_store.partnership(PARTNERSHIP)
    start, end = tiny_store.period
    # six months: no complete financial year for the projections' base year
    built = build(Context(data, data_partnership(), pd.Timestamp("2024-10-01"), end))
    # the options appraisal stands on the projections: it fails with them, for the same reason
    assert list(built.problems) == ["projections", "options"]
    assert "complete financial year" in built.problems["projections"]
    assert "complete financial year" in built.problems["options"]
    assert "delayed_bed_days" in set(built.register["key"])


def data_partnership():
    from hscp import geography

    return geography.partnership(PARTNERSHIP)


# --- the cache -----------------------------------------------------------------------------------


def _tiny_built(*args, **kwargs) -> Built:
    row = figures.row("emergency_beds", NAME, "Partnership", 245.0, period=_period(), count=89_275)
    return Built(
        figures.finish([row], NAME, None),
        {"emergency_monthly": pd.DataFrame({"month": [pd.Timestamp("2024-04-01")], "x": [1]})},
        {},
        {},
    )


@pytest.fixture
def fresh_store(tiny_store, tmp_path):
    """A copy of the prepared store's manifest (the data files linked), so a test's
    cache entries start empty and stay its own."""
    from hscp import store

    folder = tmp_path / "store"
    folder.mkdir()
    for item in tiny_store.path.iterdir():
        if item.name != "evidence":
            (folder / item.name).symlink_to(item)
    return store.Store(folder, json.loads((folder / "manifest.json").read_text()))


@pytest.fixture
def counted(monkeypatch):
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        return _tiny_built()

    monkeypatch.setattr(register, "_build", fake)
    return calls


def test_the_second_load_is_a_cache_hit(fresh_store, counted):
    first = evidence.load(fresh_store, PARTNERSHIP)
    second = evidence.load(fresh_store, PARTNERSHIP)
    assert len(counted) == 1
    assert second.path == first.path and second.path.parent == fresh_store.path / "evidence"
    assert second.figure("emergency_beds").value == 245.0
    assert second.table("emergency_monthly")["x"].tolist() == [1]


def test_another_period_is_another_entry(fresh_store, counted):
    whole = evidence.load(fresh_store, PARTNERSHIP)
    shorter = evidence.load(fresh_store, PARTNERSHIP, "2024-04", "2025-03")
    assert len(counted) == 2 and whole.key != shorter.key
    assert shorter.start == pd.Timestamp("2024-04-01")


def test_new_code_invalidates_the_entry_and_the_old_one_goes(fresh_store, counted, monkeypatch):
    old = evidence.load(fresh_store, PARTNERSHIP)
    monkeypatch.setattr(cache, "code_version", lambda: "a new version")
    new = evidence.load(fresh_store, PARTNERSHIP)
    assert len(counted) == 2 and new.key != old.key
    assert not old.path.exists()  # the same partnership and period: the stale entry is removed


def test_a_changed_params_file_invalidates_the_entry(fresh_store, counted, tmp_path, monkeypatch):
    from hscp import paths

    first = evidence.load(fresh_store, PARTNERSHIP)
    params = tmp_path / "params"
    shutil.copytree(paths.project_root() / "params", params)
    with open(params / "scenarios" / "projections.yaml", "a") as f:
        f.write("\n# a comment changes the file\n")
    monkeypatch.setenv("HSCP_PARAMS", str(params))
    second = evidence.load(fresh_store, PARTNERSHIP)
    assert len(counted) == 2 and second.key != first.key


def test_changed_data_invalidate_the_entry(fresh_store, counted):
    first = evidence.load(fresh_store, PARTNERSHIP)
    fresh_store.manifest["tables"]["acute_episodes"]["sha256"] = "0" * 64
    second = evidence.load(fresh_store, PARTNERSHIP)
    assert len(counted) == 2 and second.key != first.key


@pytest.mark.parametrize("damage", ["truncate", "delete", "meta"])
def test_a_corrupt_entry_is_rebuilt(fresh_store, counted, damage):
    first = evidence.load(fresh_store, PARTNERSHIP)
    target = first.path / ("meta.json" if damage == "meta" else "register.parquet")
    if damage == "delete":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    again = evidence.load(fresh_store, PARTNERSHIP)
    assert len(counted) == 2 and again.path == first.path
    assert again.figure("emergency_beds").value == 245.0


def test_a_read_only_store_still_gives_evidence(fresh_store, counted, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(cache, "write", refuse)
    ev = evidence.load(fresh_store, PARTNERSHIP)
    assert ev.path is None and ev.figure("emergency_beds").value == 245.0


def _load_in_child(store_path: str, queue) -> None:
    from hscp import store

    calls = []

    def slow(*args, **kwargs):
        import time

        calls.append(1)
        time.sleep(0.5)  # both processes are inside load at once
        return _tiny_built()

    register._build = slow
    data = store.Store(
        Path(store_path), json.loads((Path(store_path) / "manifest.json").read_text())
    )
    ev = evidence.load(data, PARTNERSHIP)
    queue.put((str(ev.path), ev.figure("emergency_beds").value, len(calls)))


def test_two_processes_building_at_once_build_it_once(fresh_store):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_load_in_child, args=(str(fresh_store.path), queue))
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    results = [queue.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    paths_seen = {r[0] for r in results}
    assert len(paths_seen) == 1 and {r[1] for r in results} == {245.0}
    assert sorted(r[2] for r in results) == [0, 1]  # one built, the other waited and read
    leftovers = [
        p.name for p in (fresh_store.path / "evidence").iterdir() if p.name.startswith(".tmp")
    ]
    assert leftovers == []
    assert os.path.isdir(paths_seen.pop())


def test_docs_methods_defines_every_key():
    from hscp import paths

    methods = (paths.project_root() / "docs" / "methods.md").read_text()
    section = methods[methods.index("## The evidence register") :]
    missing = [k for k in evidence.DEFINITIONS if f"`{k}`" not in section]
    assert missing == []


def test_distinguish_can_name_the_services_assumed():
    everyone = _figure("projected_extra_beds", 45.0, count=80_000)
    older = _figure("sd_extra_beds_65plus_future", 85.6, count=70_000)
    assert evidence.distinguish([everyone, older], basis=True) == (
        "45 extra beds for people of all ages (services keeping pace with the population, "
        "Apr 2024 to Mar 2025); 86 for people aged 65+ (today's services, Apr 2024 to Mar 2025)"
    )


def test_length_of_stay_over_12_months_is_bed_days_over_discharges():
    from hscp.evidence.build import _length_of_stay

    # 24 months: each month of the latest 12 has 100 bed days of stays discharged and
    # 20 discharges, each month before 100 and 25: (12 x 100) / (12 x 20) = 5.0 days,
    # before (12 x 100) / (12 x 25) = 4.0 days, a change of 5 / 4 - 1 = +25%
    months = pd.date_range("2023-04-01", "2025-03-01", freq="MS")
    monthly = pd.DataFrame(
        {
            "month": months,
            "measure": "emergency_length_of_stay",
            "numerator": 100.0,
            "denominator": [25.0] * 12 + [20.0] * 12,
        }
    )
    (row,) = _length_of_stay(monthly, NAME, "Partnership", pd.Timestamp("2025-03-31"))
    assert (row["value"], row["previous"], row["count"]) == (5.0, 4.0, 240.0)
    assert row["change"] == pytest.approx(0.25)


def test_the_census_is_compared_with_the_census_a_year_before():
    from hscp.evidence.build import _census_rows

    census = pd.DataFrame(
        {
            "month": pd.date_range("2024-03-01", "2025-03-01", freq="MS"),
            "delays": [40] + [30] * 11 + [36],
            "delays_over_3_days": [30] + [20] * 11 + [24],
        }
    )
    rows = {r["key"]: r for r in _census_rows(census, NAME, "Partnership")}
    # March 2025 against March 2024: 24 against 30 people delayed over 3 days, -20%
    over_3 = rows["census_delays_over_3_days"]
    assert (over_3["value"], over_3["previous"]) == (24.0, 30.0)
    assert over_3["change"] == pytest.approx(-0.2)
    assert over_3["period_label"] == "census of Mar 2025"


def test_for_report_reads_the_reports_partnership_period_and_area(tiny_store, ev):
    from types import SimpleNamespace

    start, end = tiny_store.period
    rpt = SimpleNamespace(
        data=tiny_store.partnership(PARTNERSHIP),
        start=start,
        end=end,
        threshold=10,
        locality="Rural Stirling",
    )
    seen = evidence.for_report(rpt)
    assert seen.key == ev.key and seen.area == "Rural Stirling"


def test_the_code_the_cache_key_leaves_out_is_never_run(tiny_store):
    import subprocess
    import sys
    import textwrap

    # a fresh process: build the evidence, then list the hscp modules it imported
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from hscp import evidence, store
        path = Path({str(tiny_store.path)!r})
        data = store.Store(path, json.loads((path / "manifest.json").read_text()))
        evidence.load(data, "{PARTNERSHIP}", use_cache=False)
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("hscp."))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    imported = {m.split(".")[1] for m in json.loads(done.stdout.splitlines()[-1])}
    left_out = {n.removesuffix(".py") for n in cache.NOT_USED}
    assert imported & left_out == set()
