"""PHS delayed discharge open data: read as published, partnership totals, Scotland.

Most tests read the real file, ../shared/reference/delayed_discharge_beddays_ca.csv
(PHS, 2016-07 to 2025-08); the expected numbers are copied from its lines, quoted
in the comments, and the partnership sums done by hand.
"""

import textwrap

import pandas as pd
import pytest

from hscp import geography
from hscp.opendata import (
    CENSUS_COLUMNS,
    DELAYED_DISCHARGE_COLUMNS,
    OpenDataError,
    delayed_discharge_comparison,
    delayed_discharge_file,
    delayed_discharge_headline,
    delayed_discharge_year,
    delayed_discharges_by_partnership,
    read_delayed_discharge_census,
    read_delayed_discharges,
)

HEADER = (
    "MonthOfDelay,CA,AgeGroup,ReasonForDelay,NumberOfDelayedBedDays,"
    "AverageDailyNumberOfDelayedBeds\n"
)


@pytest.fixture(scope="module")
def published(reference):
    return read_delayed_discharges(reference / "delayed_discharge_beddays_ca.csv")


def value(frame, month, area, age="18plus", reason="All Delay Reasons", column="bed_days"):
    rows = frame[
        (frame["month"] == pd.Timestamp(month))
        & (frame["area_code"] == area)
        & (frame["age_group"] == age)
        & (frame["reason_group"] == reason)
    ]
    assert len(rows) == 1, rows
    return rows[column].iloc[0]


# --- reading the published file ----------------------------------------------------------


def test_reads_the_published_file_into_the_tidy_columns(published):
    assert tuple(published.columns) == DELAYED_DISCHARGE_COLUMNS
    assert published["month"].min() == pd.Timestamp("2016-07-01")
    assert published["month"].max() == pd.Timestamp("2025-08-01")
    assert (published["month"].dt.day == 1).all()
    assert len(published) == 56100  # every line of the file but the header


def test_scotland_row_is_read_as_published(published):
    # "202403,S92000003,18plus,All Delay Reasons,58646,1892"
    assert value(published, "2024-03-01", "S92000003") == 58646
    assert value(published, "2024-03-01", "S92000003", column="average_daily_beds") == 1892
    # "201607,S92000003,18plus,Code 9 AWI,5990,193"
    assert value(published, "2016-07-01", "S92000003", reason="Code 9 AWI") == 5990
    # "202508,S92000003,75plus,All Delay Reasons,39797,1284"
    assert value(published, "2025-08-01", "S92000003", age="75plus") == 39797


def test_published_labels_are_kept(published):
    assert set(published["age_group"]) == {"18plus", "18-74", "75plus"}
    assert set(published["reason_group"]) == {
        "All Delay Reasons",
        "Health and Social Care Reasons",
        "Patient and Family Related Reasons",
        "Code 9 AWI",
        "Code 9 Non-AWI",
    }


def test_empty_council_area_is_missing_not_a_code(published):
    # "202403,,18plus,All Delay Reasons,64,2": a delay whose council area was not recorded
    unknown = published[published["area_code"].isna()]
    assert len(unknown) == 110 * 15  # every month x 3 age groups x 5 reason groups
    row = unknown[
        (unknown["month"] == "2024-03-01")
        & (unknown["age_group"] == "18plus")
        & (unknown["reason_group"] == "All Delay Reasons")
    ]
    assert row["bed_days"].item() == 64


def test_council_areas_and_unrecorded_rows_add_up_to_scotland_in_every_month(published):
    # For every month (110), age group and reason group, the 32 council areas plus the
    # rows with no council area equal the Scotland row. Without the unrecorded rows they
    # fall short in 562 of the 1,650 cells: those delays count in Scotland only.
    scotland = published[published["area_code"] == geography.SCOTLAND_CODE]
    is_scotland = published["area_code"].eq(geography.SCOTLAND_CODE).fillna(False)
    areas = published[~is_scotland]  # the council areas and the rows with no council area
    key = ["month", "age_group", "reason_group"]
    expected = scotland.set_index(key)["bed_days"].sort_index()
    summed = areas.groupby(key)["bed_days"].sum().sort_index()
    assert len(expected) == 110 * 15
    assert summed.equals(expected)
    recorded = published[published["area_code"].str.startswith("S12").fillna(False)]
    short = recorded.groupby(key)["bed_days"].sum().sort_index() != expected
    assert short.sum() == 562


def test_every_council_area_of_the_31_partnerships_is_in_the_file(published):
    codes = set(published["area_code"].dropna())
    for p in geography.partnerships():
        assert any(code in codes for code in p.council_area_codes), p.name
    assert len([c for c in codes if c.startswith("S12")]) == 32


# --- partnership totals ----------------------------------------------------------------------


def test_clackmannanshire_and_stirling_is_its_two_council_areas(published):
    # March 2024, 18plus, All Delay Reasons: Clackmannanshire (S12000005) 565 +
    # Stirling (S12000030) 1,231 = 1,796 bed days; 1,796 / 31 = 57.9 -> 58 beds
    table = delayed_discharges_by_partnership(published, ["Clackmannanshire & Stirling"])
    assert value(table, "2024-03-01", "S37000005") == 1796
    assert value(table, "2024-03-01", "S37000005", column="average_daily_beds") == 58
    # Code 9 AWI, 75plus: 123 + 372 = 495
    assert value(table, "2024-03-01", "S37000005", age="75plus", reason="Code 9 AWI") == 495
    assert set(table["area_name"]) == {"Clackmannanshire & Stirling"}


def test_partnership_average_daily_beds_are_rounded_from_summed_bed_days(published):
    # July 2016, 75plus, All Delay Reasons: 118 (4 beds published) + 419 (14 published)
    # = 537 bed days; 537 / 31 = 17.3 -> 17 beds, not the 4 + 14 = 18 of adding the
    # rounded averages
    table = delayed_discharges_by_partnership(published, ["S37000005"])
    assert value(table, "2016-07-01", "S37000005", age="75plus") == 537
    assert value(table, "2016-07-01", "S37000005", age="75plus", column="average_daily_beds") == 17


def test_single_council_area_partnership_equals_its_council_area(published):
    # Glasgow City HSCP (S37000034) is council area S12000049
    table = delayed_discharges_by_partnership(published, ["Glasgow City"])
    mine = table.set_index(["month", "age_group", "reason_group"])["bed_days"].sort_index()
    ca = published[published["area_code"] == "S12000049"]
    assert mine.equals(
        ca.set_index(["month", "age_group", "reason_group"])["bed_days"].sort_index()
    )


def test_all_partnerships_add_up_to_scotland_less_unrecorded(published):
    totals = delayed_discharges_by_partnership(published)
    assert totals["area_code"].nunique() == 31
    key = ["month", "age_group", "reason_group"]
    summed = totals.groupby(key)["bed_days"].sum()
    scotland = published[published["area_code"] == geography.SCOTLAND_CODE].set_index(key)
    unrecorded = published[published["area_code"].isna()].set_index(key)["bed_days"]
    assert (summed + unrecorded.reindex(summed.index)).equals(
        scotland["bed_days"].reindex(summed.index)
    )


def test_previous_council_area_codes_count_for_their_partnership(tmp_path):
    # Fife was S12000015 until 2018/19 and is S12000047 since: both months are Fife's
    path = tmp_path / "dd.csv"
    path.write_text(
        HEADER
        + textwrap.dedent(
            """\
            201803,S12000015,18plus,All Delay Reasons,310,10
            201903,S12000047,18plus,All Delay Reasons,620,20
            201903,S92000003,18plus,All Delay Reasons,9000,290
            """
        )
    )
    table = delayed_discharges_by_partnership(read_delayed_discharges(path), ["Fife"])
    assert table.set_index("month")["bed_days"].to_dict() == {
        pd.Timestamp("2018-03-01"): 310,
        pd.Timestamp("2019-03-01"): 620,
    }


def test_a_council_area_under_both_codes_in_one_month_is_an_error(tmp_path):
    path = tmp_path / "dd.csv"
    path.write_text(
        HEADER
        + "201903,S12000015,18plus,All Delay Reasons,310,10\n"
        + "201903,S12000047,18plus,All Delay Reasons,620,20\n"
    )
    with pytest.raises(ValueError, match="counted twice|count it twice"):
        delayed_discharges_by_partnership(read_delayed_discharges(path), ["Fife"])


def test_comparison_has_the_partnership_and_scotland(published):
    table = delayed_discharge_comparison(published, "Clackmannanshire & Stirling")
    assert set(table["level"]) == {"Partnership", "Scotland"}
    assert value(table, "2024-03-01", "S92000003") == 58646
    assert value(table, "2024-03-01", "S37000005") == 1796


# --- bad files --------------------------------------------------------------------------------


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.csv"):
        read_delayed_discharges(tmp_path / "nothere.csv")


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "dd.csv"
    path.write_text("MonthOfDelay,CA,AgeGroup,ReasonForDelay\n201607,S12000005,18plus,x\n")
    with pytest.raises(OpenDataError, match="NumberOfDelayedBedDays") as err:
        read_delayed_discharges(path)
    assert "dd.csv" in str(err.value)


def test_bad_values_are_reported_with_column_and_rows(tmp_path):
    path = tmp_path / "dd.csv"
    path.write_text(
        HEADER
        + "2016-07,S12000005,18plus,All Delay Reasons,12,1\n"
        + "201607,S12000005,18+,All Delay Reasons,-3,0\n"
        + "201607,S12000005,18plus,Code 100,4.5,0\n"
    )
    with pytest.raises(OpenDataError) as err:
        read_delayed_discharges(path)
    message = str(err.value)
    assert "'MonthOfDelay': not a month as YYYYMM: 1 row (e.g. '2016-07')" in message
    assert "'NumberOfDelayedBedDays': not a whole number of 0 or more: 2 rows" in message
    assert "'AgeGroup'" in message and "'18+'" in message
    assert "'ReasonForDelay'" in message and "'Code 100'" in message


def test_repeated_rows_are_an_error(tmp_path):
    path = tmp_path / "dd.csv"
    path.write_text(HEADER + "201607,S12000005,18plus,All Delay Reasons,12,1\n" * 2)
    with pytest.raises(OpenDataError, match="repeated"):
        read_delayed_discharges(path)


def test_health_board_file_reads_with_its_qualifier_columns(reference):
    # the health board file has HBT and the ..QF columns: same reader, QF ignored.
    # "201607,S08000015,,18plus,d,All Delay Reasons,d,2574,83"
    table = read_delayed_discharges(reference / "delayed_discharge_beddays_hb.csv")
    assert tuple(table.columns) == DELAYED_DISCHARGE_COLUMNS
    assert value(table, "2016-07-01", "S08000015") == 2574


# --- what the report shows -------------------------------------------------------------------


def test_latest_year_by_reason_for_the_partnership_and_scotland(published):
    # September 2024 to August 2025. Scotland 18plus All Delay Reasons over those 12
    # months: the 12 published monthly values summed (checked against the file's rows).
    table = delayed_discharge_year(delayed_discharge_comparison(published, "S37000005"))
    assert list(table["level"].unique()) == ["Partnership", "Scotland"]
    assert table["first_month"].iloc[0] == pd.Timestamp("2024-09-01")
    scotland = published[
        (published["area_code"] == "S92000003")
        & (published["age_group"] == "18plus")
        & (published["reason_group"] == "All Delay Reasons")
        & (published["month"] >= "2024-09-01")
    ]
    row = table[(table["level"] == "Scotland") & (table["reason_group"] == "All Delay Reasons")]
    assert row["bed_days"].item() == scotland["bed_days"].sum()
    # 365 days from 1 September 2024 to 31 August 2025
    assert row["average_daily_beds"].item() == pytest.approx(scotland["bed_days"].sum() / 365)
    parts = table[
        (table["level"] == "Partnership") & (table["reason_group"] != "All Delay Reasons")
    ]
    assert parts["share_of_bed_days"].sum() == pytest.approx(1)


def test_headline_is_all_reasons_by_age_with_the_project_labels(published):
    headline = delayed_discharge_headline(delayed_discharge_comparison(published, "Fife"))
    assert set(headline["age"]) == {"18-74", "75+"}
    assert set(headline["reason_group"]) == {"All Delay Reasons"}
    assert set(headline["area_name"]) == {"Fife", "Scotland"}


def test_the_file_is_the_parameter_else_the_params_default_else_none(tmp_path, monkeypatch):
    path = tmp_path / "dd.csv"
    path.write_text(HEADER)
    assert delayed_discharge_file(path) == path
    assert delayed_discharge_file(tmp_path / "missing.csv") is None
    params = tmp_path / "params"
    (params / "partnerships").mkdir(parents=True)
    for source in (geography.params_dir() / "partnerships").glob("*.yaml"):
        (params / "partnerships" / source.name).write_text(source.read_text())
    defaults = (geography.params_dir() / "defaults.yaml").read_text()
    (params / "defaults.yaml").write_text(
        defaults.split("\nopen_data:")[0] + f"\nopen_data:\n  delayed_discharges: {path}\n"
    )
    monkeypatch.setenv("HSCP_PARAMS", str(params))
    assert delayed_discharge_file(None) == path
    (params / "defaults.yaml").write_text(defaults.split("\nopen_data:")[0])
    assert delayed_discharge_file(None) is None


# --- every reason group label PHS has published ---------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "All Delay Reasons",
        "Health and Social Care Reasons",
        "Patient and Family Related Reasons",
        # written by PHS's own open data scripts up to 2021 (delayed-discharges-monthly
        # code/open-data/02_bed-days-ca.R: "Code 9" -> "Code 9 Reasons")
        "Code 9 Reasons",
        # the files published since, with code 9 split (the reference file)
        "Code 9 AWI",
        "Code 9 Non-AWI",
    ],
)
def test_every_published_reason_label_is_read(tmp_path, label):
    path = tmp_path / "dd.csv"
    path.write_text(HEADER + f"201607,S12000005,18plus,{label},31,1\n")
    table = read_delayed_discharges(path)
    assert table["reason_group"].tolist() == [label]
    assert table["bed_days"].tolist() == [31]


def test_a_file_with_code_9_as_one_group_gives_its_year_by_reason(tmp_path):
    # a 2021-style file: code 9 as "Code 9 Reasons"; Clackmannanshire (S12000005) and
    # Stirling (S12000030) in July 2016, Scotland's row: the partnership's All Delay
    # Reasons = 100 + 50 = 150, of which code 9 = 30 + 20 = 50 (a third)
    lines = []
    for area, total, hsc, code9 in (
        ("S12000005", 100, 70, 30),
        ("S12000030", 50, 30, 20),
        ("S92000003", 1000, 700, 300),
    ):
        for label, n in (
            ("All Delay Reasons", total),
            ("Health and Social Care Reasons", hsc),
            ("Patient and Family Related Reasons", 0),
            ("Code 9 Reasons", code9),
        ):
            lines += [f"201607,{area},{age},{label},{n},0\n" for age in ("18plus", "75plus")]
    path = tmp_path / "dd.csv"
    path.write_text(HEADER + "".join(lines))
    comparison = delayed_discharge_comparison(read_delayed_discharges(path), "S37000005")
    year = delayed_discharge_year(comparison, months=1).set_index(["level", "reason_group"])
    assert year.loc[("Partnership", "Code 9 Reasons"), "bed_days"] == 50
    assert year.loc[("Partnership", "Code 9 Reasons"), "share_of_bed_days"] == pytest.approx(1 / 3)
    assert list(year.loc["Partnership"].index) == [
        "All Delay Reasons",
        "Health and Social Care Reasons",
        "Patient and Family Related Reasons",
        "Code 9 Reasons",
    ]


def test_census_file_is_read_with_every_label(tmp_path):
    # the layout of PHS's census files (code/open-data/04_census-ca.R), CAQF etc. ignored
    path = tmp_path / "census.csv"
    path.write_text(
        "MonthOfDelay,CA,CAQF,AgeGroup,AgeGroupQF,ReasonForDelay,ReasonForDelayQF,"
        "NumberOfCensusDelays\n"
        "202403,S12000005,,18plus,d,All Delay Reasons,d,25\n"
        "202403,S12000005,,18plus,d,Code 9 Reasons,,5\n"
        "202403,S92000003,d,18plus,d,Code 9 AWI,,400\n"
    )
    table = read_delayed_discharge_census(path)
    assert table.columns.tolist() == list(CENSUS_COLUMNS)
    assert table["delays"].tolist() == [25, 5, 400]
    assert table["reason_group"].tolist() == ["All Delay Reasons", "Code 9 Reasons", "Code 9 AWI"]
