"""The analyst's own data and the explorers, without a notebook: column names in any
case, the prepared store outside the extracts folder, relative paths, financial years
and periods outside the data, the extracts a notebook needs, the explorer's table."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from hscp import batch, config, extracts, paths, report, store, widgets
from hscp.workbooks import explorers

# --- column names in any case -------------------------------------------------------------


def test_upper_case_column_names_are_matched_with_a_note(tiny_data, tmp_path):
    population = pd.read_parquet(tiny_data / "population.parquet")
    shouting = population.rename(columns=str.upper)
    shouting.to_csv(tmp_path / "population.csv", index=False)
    read = extracts.read_extract(tmp_path / "population.csv")
    assert list(read.columns) == list(population.columns)
    assert read.attrs["renamed"] == {c.upper(): c for c in population.columns}
    assert extracts.renaming_note({"HSCP2019": "hscp2019", "Sex": "sex"}) == (
        "HSCP2019 as hscp2019, Sex as sex"
    )


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["Admission Date", "sex"], {"Admission Date": "admission_date"}),
        (["ADMISSION-DATE"], {"ADMISSION-DATE": "admission_date"}),
        (["admission_date", "ADMISSION_DATE"], {}),  # the exact name wins
        (["Admission_Date", "ADMISSION_DATE"], {}),  # two candidates: neither is guessed
        (["admissiondate"], {}),  # not the same name
    ],
)
def test_which_columns_are_matched(columns, expected):
    schema = extracts.SCHEMAS["acute_episodes"]
    assert extracts.matched_columns(columns, schema) == expected


# --- where the prepared store goes, and relative paths -----------------------------------


def test_the_store_is_kept_outside_the_extracts_folder(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv("HSCP_STORE_DIR", str(tmp_path / "cache"))
    prepared = store.prepare(tiny_data, log=lambda *_: None)
    assert tiny_data.resolve() not in prepared.path.resolve().parents
    assert (tmp_path / "cache") in prepared.path.parents
    assert not (tiny_data / ".hscp-store").exists()
    monkeypatch.delenv("HSCP_STORE_DIR")
    default = store.store_root_for(tiny_data)
    assert default.parent == paths.project_root() / "data" / "prepared"
    assert default.name.startswith("extracts-")


def test_a_relative_path_is_found_from_where_the_analyst_is_or_the_project(tmp_path, monkeypatch):
    (tmp_path / "mine").mkdir()
    monkeypatch.chdir(tmp_path)
    assert paths.user_path("mine") == tmp_path / "mine"
    # a kernel runs in notebooks/analysis: "params" is the project's
    monkeypatch.chdir(paths.project_root() / "notebooks" / "analysis")
    assert paths.user_path("params") == paths.project_root() / "params"
    assert paths.user_path("nowhere") == paths.project_root() / "notebooks" / "analysis" / "nowhere"


def test_a_missing_relative_folder_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(store.DataError, match="looked for from the working directory"):
        store.open_data("no-such-extracts", log=lambda *_: None)


# --- periods --------------------------------------------------------------------------------

DATA = (pd.Timestamp("2023-01-01"), pd.Timestamp("2025-03-31"))


@pytest.mark.parametrize(
    ("start", "end", "first", "last", "notes"),
    [
        ("2024/25", "2024/25", "2024-04-01", "2025-03-31", 0),
        ("2023/24", None, "2023-04-01", "2025-03-31", 0),
        ("April 2024", "2024-12", "2024-04-01", "2024-12-31", 0),
        ("2022/23", None, "2023-01-01", "2025-03-31", 1),  # starts before the data: trimmed
        (None, "2025/26", "2023-01-01", "2025-03-31", 1),  # ends after the data: trimmed
        ("2021/22", "2026/27", "2023-01-01", "2025-03-31", 2),
    ],
)
def test_financial_years_and_trimming(start, end, first, last, notes):
    said: list[str] = []
    got = config.resolve_period(start, end, *DATA, notes=said)
    assert got == (pd.Timestamp(first), pd.Timestamp(last))
    assert len(said) == notes


def test_a_period_outside_the_data_or_a_bad_year_is_refused():
    with pytest.raises(ValueError, match="outside the data"):
        config.resolve_period("2026/27", None, *DATA)
    with pytest.raises(ValueError, match="outside the data"):
        config.resolve_period("2025-01", "2024-04", *DATA)
    with pytest.raises(ValueError):
        config.resolve_period("2024/26", None, *DATA)


def test_the_trimming_note_says_what_the_report_covers():
    said: list[str] = []
    config.resolve_period(None, "2025/26", *DATA, notes=said)
    assert said == [
        "The period asked for ends in March 2026, after the data: the report ends with "
        "the data, on 31 March 2025."
    ]


# --- the extracts a notebook needs ----------------------------------------------------------


def test_every_analysis_notebook_lists_its_extracts():
    for name in ("delayed_discharges", "unscheduled_care", "performance", "projections",
                 "system_dynamics", "integration_indicators"):  # fmt: skip
        tables = batch.notebook_tables(name)
        assert tables and set(tables) <= set(extracts.SCHEMAS), name
    assert "acute_episodes" in batch.notebook_tables("delayed_discharges")


def test_a_missing_extract_is_named_before_any_work(tiny_data, tmp_path):
    for name in ("population", "delayed_discharges"):
        (tmp_path / f"{name}.parquet").write_bytes((tiny_data / f"{name}.parquet").read_bytes())
    prepared = store.prepare(tmp_path, log=lambda *_: None)
    with pytest.raises(store.DataError) as err:
        report.check_tables(prepared, "delayed_discharges", "Delayed discharges")
    message = str(err.value)
    assert "needs these extracts: delayed_discharges, population, acute_episodes" in message
    assert "no acute_episodes.parquet or acute_episodes.csv extract" in message


# --- the explorer ---------------------------------------------------------------------------


def _series() -> widgets.Series:
    months = pd.date_range("2024-01-01", periods=4, freq="MS")
    rows = []
    for area, values in {
        "Whole": [10, 12, 14, 16],
        "North": [4, 5, 5, 8],
        "South": [6, 7, 9, 8],
    }.items():
        rows += [{"area": area, "measure": "Beds", "period": m, "value": v}
                 for m, v in zip(months, values, strict=True)]  # fmt: skip
    return widgets.Series(pd.DataFrame(rows), ["Whole", "North", "South"], "Whole")


def test_the_explorer_table_is_each_areas_level_over_the_months_chosen():
    figure, levels = widgets.explorer_view(
        _series(), "North", "Beds", pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-01")
    )
    # by hand: North Feb-Apr 5, 5, 8: first 5, last 8, mean 6, change +60%
    assert list(levels["area"]) == ["North", "Whole", "South"]
    north = levels.iloc[0]
    assert (north["first"], north["last"], north["mean"]) == (5, 8, 6)
    assert north["change"] == pytest.approx(0.6)
    whole = levels.iloc[1]  # 12, 14, 16
    assert whole["mean"] == 14 and whole["change"] == pytest.approx(4 / 12)
    assert figure.axes[0].get_title(loc="left") == "Beds, North"


def test_the_explorer_redraws_when_the_area_measure_or_months_change(monkeypatch):
    drawn = []
    view = widgets.explorer_view
    monkeypatch.setattr(widgets, "explorer_view", lambda *a: drawn.append(a[1:]) or view(*a))
    panel = widgets.explorer(_series())
    area, period = panel.children[1].children[0], panel.children[2]
    area.value = "South"
    period.value = (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01"))
    assert [d[0] for d in drawn] == ["Whole", "South", "South"]
    assert drawn[-1][2:] == (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01"))


def test_explore_none_means_only_in_jupyterlab(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert not report.exploring(None) and report.exploring(True) and not report.exploring(False)
    monkeypatch.setenv("JPY_SESSION_NAME", "/lab/notebook.ipynb")
    assert report.exploring(None) and not report.exploring(False)


def test_a_rendered_report_computes_nothing_for_the_explorer(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    report.explorer(None, lambda: pytest.fail("the explorer's table was computed"))
    report.explorer(False, lambda: pytest.fail("the explorer's table was computed"))


def test_the_delay_explorer_adds_up(tiny_store):
    rpt = report.start(title="t", notebook="delayed_discharges", partnership="S37000005",
                       data_dir=str(tiny_store.path))  # fmt: skip
    s = explorers.delayed_discharges(rpt)
    t = s.table
    whole = t[(t["area"] == s.areas[0])].pivot(index="period", columns="measure", values="value")
    localities = t[t["area"] != s.areas[0]].groupby(["period", "measure"])["value"].sum().unstack()
    pd.testing.assert_frame_equal(whole, localities, check_names=False)
    reasons = ["Health and social care reasons", "Patient, carer and family-related reasons",
               "Code 9 (complex reasons)"]  # fmt: skip
    assert (whole[reasons].sum(axis=1) - whole["All reasons"]).abs().max() < 1e-9


# --- JupyterLab's settings --------------------------------------------------------------------


def test_the_lab_settings_are_installed_beside_others(tmp_path):
    from hscp import lab

    folder = tmp_path / "etc" / "jupyter" / "labconfig"
    folder.mkdir(parents=True)
    (folder / "default_setting_overrides.json").write_text(json.dumps({"x:plugin": {"a": 1}}))
    path = lab.install_settings(tmp_path)
    settings = json.loads(path.read_text())
    assert settings["x:plugin"] == {"a": 1}
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert os.path.samefile(path, folder / "default_setting_overrides.json")


def test_a_batch_render_never_shows_the_explorer(monkeypatch, tiny_store, tmp_path):
    """Its values are not disclosure-controlled: even explore=True shows nothing when the
    batch renders the report (output_dir set)."""
    monkeypatch.setenv("JPY_SESSION_NAME", "/lab/x.ipynb")
    report.start(title="t", notebook="unscheduled_care", partnership="S37000005",
                 data_dir=str(tiny_store.path), output_dir=str(tmp_path))  # fmt: skip
    report.explorer(True, lambda: pytest.fail("the explorer's table was computed"))


def test_a_long_renaming_note_is_shortened():
    renamed = {c.upper(): c for c in ("link_no", "age", "sex", "hscp2019", "locality")}
    assert extracts.renaming_note(renamed) == (
        "LINK_NO as link_no, AGE as age, SEX as sex, and 2 more"
    )


def test_a_note_for_the_analyst_is_shown_only_in_jupyterlab(monkeypatch):
    shown = []
    monkeypatch.setattr(report, "_display_html", shown.append)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    report.analyst_note("Set open_data_file.")
    assert shown == []
    monkeypatch.setenv("JPY_SESSION_NAME", "/lab/x.ipynb")
    report.analyst_note("Set open_data_file.")
    assert shown == [
        '<p class="hscp-note"><strong>For the analyst:</strong> Set open_data_file.</p>'
    ]


def test_hospitals_are_named_beside_their_codes():
    import pandas as pd

    from hscp import measures

    named = measures.hospital_name(pd.Series(["V217H", "R103H", "X999H", None]))
    assert named.tolist()[:3] == [
        "Forth Valley Royal Hospital (V217H)",
        "The Balfour (R103H)",
        "X999H",  # not in params/hospitals.csv: the code alone
    ]
    assert pd.isna(named.iloc[3])
