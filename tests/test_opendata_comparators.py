"""Comparators from PHS and NRS open data: the folder, Scotland and the board as the
areas they are named after, the census of Scotland, A&E at a board's sites.

Hand-made files give numbers worked out by hand; the real files in
../shared/reference are checked against sums of their own lines, read here with the
csv module (not the readers under test)."""

import csv

import numpy as np
import pandas as pd
import pytest

from hscp import geography, opendata
from hscp.opendata import (
    EXTRACT_SOURCE,
    OpenDataFolder,
    ae_activity_by_area,
    census_comparators,
    delay_rate_comparators,
    find_open_data,
    published_census,
    published_delay_rates,
    read_ae_activity,
    read_delayed_discharge_census,
    read_delayed_discharges,
    read_population_estimates,
)

BED_DAYS_HEADER = (
    "MonthOfDelay,CA,AgeGroup,ReasonForDelay,NumberOfDelayedBedDays,"
    "AverageDailyNumberOfDelayedBeds\n"
)
AGES = [f"Age{a}" for a in range(90)] + ["Age90plus"]


def estimates_file(path, rows):
    """An NRS estimates file: rows of (year, code, {age: people}), Sex All."""
    lines = [",".join(["Year", "HSCP", "HSCPQF", "Sex", "SexQF", "AllAges", *AGES])]
    for year, code, people in rows:
        ages = [str(people.get(a, 0)) for a in range(91)]
        lines.append(",".join([str(year), code, "", "All", "", str(sum(people.values())), *ages]))
        lines.append(",".join([str(year), code, "", "Male", "", "0", *["0"] * 91]))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def folder(tmp_path):
    """A folder with a one-month council area file and estimates for 2023 and 2024.

    March 2024, All Delay Reasons: Clackmannanshire (S12000005) 18+ 300, 75+ 200;
    Stirling (S12000030) 18+ 100, 75+ 50; Falkirk (S12000014, NHS Forth Valley too)
    18+ 200, 75+ 100; Scotland 18+ 10,000, 75+ 6,000. Population 2023: C&S (S37000005)
    1,000 aged 40 and 500 aged 80; Falkirk (S37000013) 2,000 aged 40 and 500 aged 80;
    Scotland 100,000 aged 40 and 30,000 aged 80; 2024 doubles them (not used: March 2024
    is in 2023/24)."""
    lines = []
    for area, adults, older in (
        ("S12000005", 300, 200),
        ("S12000030", 100, 50),
        ("S12000014", 200, 100),
        ("S92000003", 10_000, 6_000),
    ):
        lines.append(f"202403,{area},18plus,All Delay Reasons,{adults},0\n")
        lines.append(f"202403,{area},75plus,All Delay Reasons,{older},0\n")
        lines.append(f"202403,{area},18plus,Code 9 AWI,1,0\n")
    (tmp_path / "beddays.csv").write_text(BED_DAYS_HEADER + "".join(lines))
    people = {
        "S37000005": {40: 1000, 80: 500},
        "S37000013": {40: 2000, 80: 500},
        "S92000003": {40: 100_000, 80: 30_000},
    }
    estimates_file(
        tmp_path / "estimates.csv",
        [(2023, code, p) for code, p in people.items()]
        + [(2024, code, {a: 2 * n for a, n in p.items()}) for code, p in people.items()],
    )
    (tmp_path / "notes.csv").write_text("something,else\n1,2\n")
    return find_open_data(tmp_path)


def test_files_are_found_by_their_columns_whatever_their_names(folder, reference):
    assert set(folder.files) == {"delayed_bed_days_ca", "population_estimates"}
    real = find_open_data(reference)
    assert set(real.files) == {
        "delayed_bed_days_ca",
        "delayed_bed_days_hb",
        "ae_activity",
        "population_estimates",  # the projections file has the same layout: not taken
    }
    assert find_open_data(None).files == {} and find_open_data(reference / "nothere").files == {}


def test_two_releases_of_one_file_are_an_error(folder, tmp_path):
    (tmp_path / "beddays-older.csv").write_text(BED_DAYS_HEADER)
    with pytest.raises(ValueError, match="beddays-older.csv and beddays.csv|beddays.csv and"):
        find_open_data(tmp_path)


def test_a_file_is_described_by_its_name_and_release(folder):
    text = folder.describe("delayed_bed_days_ca", pd.Series([pd.Timestamp("2024-03-01")]))
    assert text.startswith("beddays.csv: PHS open data, Delayed Discharges in NHSScotland")
    assert "(the release with figures to March 2024)" in text


def test_published_rates_for_partnership_board_and_scotland(folder):
    # one month (months=1). C&S = its two council areas: 18+ 300 + 100 = 400 over 1,500
    # aged 18+ = 266.67 per 1,000; 75+ 250 / 500 = 500 (NI19). NHS Forth Valley = C&S and
    # Falkirk: 18+ 600 / 4,000 = 150; 75+ 350 / 1,000 = 350. Scotland: 10,000 / 130,000
    # = 76.92; 6,000 / 30,000 = 200. Population 2023 (2023/24), not 2024's.
    bed_days = read_delayed_discharges(folder.path("delayed_bed_days_ca"))
    estimates = read_population_estimates(folder.path("population_estimates"))
    table = published_delay_rates(bed_days, estimates, "S37000005", "2024-03", months=1)
    table = table.set_index("level")
    assert table.loc["Partnership", "bed_days_18plus"] == 400
    assert table.loc["Partnership", "rate_18plus"] == pytest.approx(400 / 1500 * 1000)
    assert table.loc["Partnership", "rate_75plus"] == pytest.approx(500)
    assert table.loc["Health board", "area"] == "NHS Forth Valley"
    assert table.loc["Health board", "rate_18plus"] == pytest.approx(150)
    assert table.loc["Health board", "rate_75plus"] == pytest.approx(350)
    assert table.loc["Scotland", "rate_18plus"] == pytest.approx(10_000 / 130_000 * 1000)
    assert table.loc["Scotland", "rate_75plus"] == pytest.approx(200)
    assert (table["population_year"] == 2023).all()
    assert table["rate_65plus"].isna().all()  # no 65+ group in open data
    with pytest.raises(ValueError, match="no figures for April 2023"):
        published_delay_rates(bed_days, estimates, "S37000005", "2024-03", months=12)


def extract_areas():
    """delay_rates_by_area's table for an extract of C&S and Orkney: its 'Scotland'
    is those two partnerships."""
    return pd.DataFrame(
        {
            "area": ["Clackmannanshire", "Clackmannanshire & Stirling", "Scotland"],
            "level": ["Locality", "Partnership", "Scotland"],
            "bed_days": [10, 40, 60],
            "bed_days_18plus": [10, 40, 60],
            "population_18plus": [100, 400, 500],
            "bed_days_65plus": [5, 20, 30],
            "population_65plus": [20, 80, 100],
            "bed_days_75plus": [2, 8, 12],
            "population_75plus": [10, 40, 50],
            "rate_18plus": [100.0, 100.0, 120.0],
            "rate_65plus": [250.0, 250.0, 300.0],
            "rate_75plus": [200.0, 200.0, 240.0],
            "population_year": 2023,
        }
    )


def test_an_extract_of_every_partnership_keeps_its_scotland():
    every = [p.code for p in geography.partnerships()]
    table, notes = delay_rate_comparators(
        extract_areas(), every, "S37000005", "2024-03", OpenDataFolder(None)
    )
    assert "Scotland" in set(table["area"]) and notes == []


def test_scotland_of_part_of_scotland_is_left_out_and_says_why():
    table, notes = delay_rate_comparators(
        extract_areas(), ["S37000005", "S37000022"], "S37000005", "2024-03", OpenDataFolder(None)
    )
    assert "Scotland" not in set(table["area"])
    assert "2 of Scotland's 31 partnerships" in notes[0]
    assert "Scotland and the NHS board are left out" in notes[1]
    assert "run_all.py --open-data" in notes[1]


def test_scotland_of_part_of_scotland_comes_from_open_data(folder):
    # a one-partnership extract: Scotland, the board and the partnership as published
    # (months=12 is not covered by the one-month file: use the months it has)
    table, notes = delay_rate_comparators(
        extract_areas(), ["S37000005"], "S37000005", "2024-03", folder
    )
    # the 12 months to March 2024 are not all in the one-month file: left out, with why
    assert "Scotland" not in set(table["area"])
    assert "no figures for April 2023" in notes[-1]


def test_scotland_from_the_real_files_is_the_published_scotland(reference):
    # the 12 months to March 2024 of Scotland's row, 75plus, All Delay Reasons, summed
    # from the file's lines; the 75+ population of 2023 (2023/24) from the estimates'
    # "2023,S92000003,...,All" line
    with (reference / "delayed_discharge_beddays_ca.csv").open() as handle:
        bed_days = sum(
            int(r["NumberOfDelayedBedDays"])
            for r in csv.DictReader(handle)
            if r["CA"] == "S92000003"
            and r["AgeGroup"] == "75plus"
            and r["ReasonForDelay"] == "All Delay Reasons"
            and "202304" <= r["MonthOfDelay"] <= "202403"
        )
    with (reference / "population_estimates_hscp.csv").open() as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if r["Year"] == "2023" and r["HSCP"] == "S92000003" and r["Sex"] == "All"
        )
    older = sum(int(row[f"Age{a}"]) for a in range(75, 90)) + int(row["Age90plus"])
    table, notes = delay_rate_comparators(
        extract_areas(), ["S37000005"], "S37000005", "2024-03", find_open_data(reference)
    )
    scotland = table.set_index("area").loc["Scotland"]
    assert scotland["bed_days_75plus"] == bed_days
    assert scotland["population_75plus"] == older
    assert scotland["rate_75plus"] == pytest.approx(bed_days / older * 1000)
    assert "Clackmannanshire & Stirling (PHS open data)" in set(table["area"])
    assert "NHS Forth Valley" in set(table["area"])
    assert set(table["source"]) == {
        EXTRACT_SOURCE,
        "PHS open data (council area on the delay record)",
    }
    assert any(
        "delayed_discharge_beddays_ca.csv" in n and "figures to August 2025" in n for n in notes
    )
    assert any("residence" in n and "council area recorded on the delay record" in n for n in notes)


CENSUS_HEADER = "MonthOfDelay,CA,CAQF,AgeGroup,AgeGroupQF,ReasonForDelay,ReasonForDelayQF,NumberOfCensusDelays\n"


@pytest.mark.parametrize(
    ("code_9_lines", "expected_code_9"),
    [
        # a 2021-style file: code 9 as one group
        ("202403,S92000003,d,18plus,d,Code 9 Reasons,,300\n", 300),
        # today's: split into AWI and non-AWI
        (
            "202403,S92000003,d,18plus,d,Code 9 AWI,,200\n"
            "202403,S92000003,d,18plus,d,Code 9 Non-AWI,,100\n",
            300,
        ),
    ],
)
def test_scotlands_census_standard_and_code_9_per_100000_adults(
    tmp_path, code_9_lines, expected_code_9
):
    # Scotland, March 2024: 2,000 delayed; health and social care 1,500, patient and
    # family 200: standard 1,700; code 9 = 2,000 - 1,700 = 300. Adults (2023) 130,000:
    # 2,000 / 130,000 x 100,000 = 1,538.5
    path = tmp_path / "census.csv"
    path.write_text(
        CENSUS_HEADER
        + "202403,S92000003,d,18plus,d,All Delay Reasons,d,2000\n"
        + "202403,S92000003,d,18plus,d,Health and Social Care Reasons,,1500\n"
        + "202403,S92000003,d,18plus,d,Patient and Family Related Reasons,,200\n"
        + code_9_lines
    )
    estimates = read_population_estimates(
        estimates_file(tmp_path / "est.csv", [(2023, "S92000003", {40: 100_000, 80: 30_000})])
    )
    row = published_census(read_delayed_discharge_census(path), estimates, "2024-03").iloc[0]
    assert (row["delays"], row["standard"], row["code_9"]) == (2000, 1700, expected_code_9)
    assert row["rate_per_100000"] == pytest.approx(2000 / 130_000 * 100_000)
    assert np.isnan(row["median_delay"]) and np.isnan(row["delays_over_3_days"])


def test_census_without_the_census_file_leaves_scotland_out_and_says_why(folder):
    profile = pd.DataFrame({"area": ["Clackmannanshire & Stirling"], "level": ["Partnership"]})
    table, notes = census_comparators(profile, "S37000005", "2024-03", folder)
    assert list(table["area"]) == ["Clackmannanshire & Stirling"]
    assert "census delays by council area" in notes[0] and "left out" in notes[0]


def test_ae_at_a_boards_sites_and_scotland(reference):
    # NHS Orkney (S08000025), May 2023: the sum of its sites' lines in the file
    with (reference / "ae_monthly_activity.csv").open() as handle:
        rows = [
            r for r in csv.DictReader(handle) if r["Month"] == "202305" and r["HBT"] == "S08000025"
        ]
    attendances = sum(int(r["NumberOfAttendancesAll"]) for r in rows)
    within = sum(int(r["NumberWithin4HoursAll"]) for r in rows)
    table = ae_activity_by_area(
        read_ae_activity(reference / "ae_monthly_activity.csv"), "NHS Orkney"
    )
    may = table[(table["month"] == pd.Timestamp("2023-05-01")) & (table["area"] == "NHS Orkney")]
    assert may["attendances"].iloc[0] == attendances
    assert may["percent_within_4_hours"].iloc[0] == pytest.approx(within / attendances * 100)
    assert set(table["area_type"]) == {"Health board", "Scotland"}


def test_population_estimates_are_read_as_people_by_age(reference):
    estimates = read_population_estimates(reference / "population_estimates_hscp.csv")
    assert set(estimates.columns) == {"year", "area_code", "age", "population"}
    assert estimates["age"].max() == 90
    with pytest.raises(opendata.OpenDataError, match="Year, HSCP, Sex"):
        read_population_estimates(reference / "ae_monthly_activity.csv")


def test_ae_comparators_from_the_file_summed_by_hand(reference):
    # an extract of one partnership covers neither its board nor Scotland: both from the
    # A&E file, the 12 months June 2022 to May 2023, summed here from the CSV's lines
    partnership = geography.partnership("S37000005")
    folder = opendata.find_open_data(reference)
    table, notes = opendata.ae_comparators(partnership, [], "2023-05-31", folder)
    raw = pd.read_csv(reference / "ae_monthly_activity.csv", dtype={"Month": str})
    window = raw[(raw["Month"] >= "202206") & (raw["Month"] <= "202305")]
    forth_valley = window[window["HBT"] == "S08000019"]
    got = table.set_index("area")
    assert got.loc["Scotland", "attendances"] == window["NumberOfAttendancesAll"].sum()
    assert (
        got.loc["NHS Forth Valley", "within_4_hours"] == forth_valley["NumberWithin4HoursAll"].sum()
    )
    assert got.loc["Scotland", "percent_within_4_hours"] == pytest.approx(
        100 * window["NumberWithin4HoursAll"].sum() / window["NumberOfAttendancesAll"].sum()
    )
    assert "at an area's hospitals" in notes[0] and "release with figures to May 2023" in notes[0]


def test_ae_comparators_the_extract_covers_are_not_taken_and_months_missing_say_so(reference):
    partnership = geography.partnership("S37000005")
    folder = opendata.find_open_data(reference)
    table, notes = opendata.ae_comparators(
        partnership, ["NHS Forth Valley", "Scotland"], "2023-05-31", folder
    )
    assert table.empty and notes == []
    table, notes = opendata.ae_comparators(partnership, [], "2025-03-31", folder)
    assert table.empty and "does not have April 2024" in notes[0]
    table, notes = opendata.ae_comparators(
        partnership, [], "2023-05-31", opendata.OpenDataFolder(None)
    )
    assert table.empty and "left out" in notes[0] and "--open-data" in notes[0]
