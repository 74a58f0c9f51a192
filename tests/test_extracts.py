"""The data contract: every kind of bad input gives an error that names the file,
the column, the rule and how many rows break it."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from hscp import extracts
from hscp.extracts import ExtractError

ROOT = Path(__file__).resolve().parents[1]


def episodes(n: int = 3) -> pd.DataFrame:
    """A small valid SMR01 extract, as text (the way a CSV arrives)."""
    rows = []
    for i in range(n):
        rows.append(
            {
                "link_no": str(100 + i),
                "cis_marker": "1",
                "admission_date": "2024-03-01",
                "discharge_date": "2024-03-05",
                "admission_type": "21",
                "specialty": "A1",
                "location": "V217H",
                "main_condition": "J44.1",
                "other_condition_1": "I10",
                "other_condition_2": "",
                "other_condition_3": "",
                "other_condition_4": "",
                "other_condition_5": "",
                "main_operation": "",
                "age": "81",
                "sex": "2",
                "datazone2011": "S01012345",
                "hscp2019": "S37000005",
                "locality": "Clackmannanshire",
                "gp_practice": "25001",
                "discharge_type": "10",
            }
        )
    return pd.DataFrame(rows)


def write_csv(frame: pd.DataFrame, tmp_path: Path, name: str = "acute_episodes.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def problems(path: Path) -> dict[tuple[str, str], int]:
    with pytest.raises(ExtractError) as err:
        extracts.read_extract(path)
    assert str(path) in str(err.value)  # the message names the file
    return {(p.column, p.rule.split(" (")[0]): p.rows for p in err.value.problems}


def test_a_valid_csv_reads_with_the_contract_types(tmp_path):
    frame = extracts.read_extract(write_csv(episodes(), tmp_path))
    assert frame["admission_date"].dtype == "datetime64[ns]"
    assert frame["link_no"].tolist() == [100, 101, 102]
    assert frame["main_condition"].iloc[0] == "J441"  # the dot is dropped
    assert frame["other_condition_2"].isna().all()


def test_parquet_reads_the_same_as_csv(tmp_path):
    from_csv = extracts.read_extract(write_csv(episodes(), tmp_path))
    from_csv.to_parquet(tmp_path / "acute_episodes.parquet")
    from_parquet = extracts.read_extract(tmp_path / "acute_episodes.parquet")
    pd.testing.assert_frame_equal(from_csv, from_parquet)


def test_missing_column_is_named(tmp_path):
    found = problems(write_csv(episodes().drop(columns=["admission_type"]), tmp_path))
    assert found[("admission_type", "missing column")] == 3


def test_wrong_type_counts_the_rows(tmp_path):
    frame = episodes()
    frame.loc[[0, 2], "age"] = ["eighty", "81.5"]
    found = problems(write_csv(frame, tmp_path))
    assert found[("age", "not a number")] == 1
    assert found[("age", "not a whole number")] == 1


def test_unparseable_dates_are_reported(tmp_path):
    frame = episodes()
    frame.loc[1, "admission_date"] = "2024-02-30"  # no 30 February
    found = problems(write_csv(frame, tmp_path))
    assert found[("admission_date", "unparseable date")] == 1


def test_uk_day_first_dates_are_accepted(tmp_path):
    frame = episodes()
    frame["admission_date"] = "01/03/2024"
    assert extracts.read_extract(write_csv(frame, tmp_path))["admission_date"].iloc[
        0
    ] == pd.Timestamp("2024-03-01")


def test_discharge_before_admission_is_reported(tmp_path):
    frame = episodes()
    frame.loc[0, "discharge_date"] = "2024-02-28"
    found = problems(write_csv(frame, tmp_path))
    assert found[("admission_date and discharge_date", "discharge date before admission date")] == 1


def test_unknown_codes_are_reported(tmp_path):
    frame = episodes()
    frame.loc[0, "admission_type"] = "99"
    frame.loc[1, "hscp2019"] = "S37999999"
    frame.loc[2, "locality"] = "Narnia"
    found = problems(write_csv(frame, tmp_path))
    assert found[("admission_type", "unknown code")] == 1
    assert found[("hscp2019", "unknown HSCP code")] == 1
    assert found[("locality", "not a locality of the row's HSCP")] == 1


def test_duplicate_keys_are_reported(tmp_path):
    frame = pd.concat([episodes(2), episodes(1)])  # link_no 100 twice
    found = problems(write_csv(frame, tmp_path))
    assert (
        found[
            (
                "link_no, cis_marker, admission_date, discharge_date, specialty, location",
                "duplicate key",
            )
        ]
        == 2
    )


def test_empty_file_and_header_only_file_are_reported(tmp_path):
    empty = tmp_path / "acute_episodes.csv"
    empty.write_text("")
    assert problems(empty) == {("(file)", "the file is empty"): 0}
    episodes().head(0).to_csv(empty, index=False)
    assert problems(empty) == {("(file)", "the file has no rows"): 0}


def test_every_problem_is_reported_at_once(tmp_path):
    frame = episodes()
    frame.loc[0, "sex"] = "9"
    frame.loc[1, "admission_date"] = "yesterday"
    assert len(problems(write_csv(frame, tmp_path))) == 2


def test_code_9_delay_needs_its_secondary_code(tmp_path):
    delay = {
        "link_no": "1",
        "age": "84",
        "sex": "1",
        "hscp2019": "S37000005",
        "locality": "Rural Stirling",
        "location": "V217H",
        "specialty": "AB",
        "admission_date": "2024-01-02",
        "ready_for_discharge_date": "2024-01-10",
        "discharge_date": "",
        "reason_for_delay": "9",
        "reason_for_delay_secondary": "",
        "discharge_to": "",
    }
    found = problems(write_csv(pd.DataFrame([delay]), tmp_path, "delayed_discharges.csv"))
    assert (
        found[
            (
                "reason_for_delay and reason_for_delay_secondary",
                "code 9 delay without its 9X reason in reason_for_delay_secondary",
            )
        ]
        == 1
    )


def test_delay_reason_lookup_matches_the_phs_code_list(reference):
    with open(reference / "delay_reason_codes.csv", encoding="utf-8", errors="replace") as f:
        phs = {r["code"]: (r["group"], r["subgroup"]) for r in csv.DictReader(f)}
    assert phs == extracts.DELAY_REASONS


def test_projections_layout_reads_the_real_nrs_file(reference):
    frame = extracts.read_extract(
        reference / "population_projections_hscp_2018based.csv", "population_projections"
    )
    assert frame["Year"].min() == 2018 and frame["Year"].max() == 2043
    assert frame["HSCP"].nunique() == 32  # 31 partnerships and Scotland


def test_data_contract_document_lists_every_column():
    text = (ROOT / "docs" / "data-contract.md").read_text()
    for schema in extracts.SCHEMAS.values():
        assert f"`{schema.table}`" in text
        for column in schema.names:
            if column.startswith("Age") and column[3:].isdigit():
                continue  # Age0 ... Age89 are listed as a range
            assert f"`{column}`" in text, (
                f"{schema.table}.{column} missing from docs/data-contract.md"
            )


# --- plausibility: dates, durations, populations; rows by line, never by value ------------


def _problem(path: Path, column: str, **kwargs) -> extracts.Problem:
    with pytest.raises(ExtractError) as err:
        extracts.read_extract(path, **kwargs)
    found = [p for p in err.value.problems if p.column == column]
    assert found, f"no problem in {column!r}: {err.value}"
    return found[0]


def test_a_date_after_the_extract_date_is_an_error_named_by_line(tmp_path):
    frame = episodes()
    frame.loc[1, "discharge_date"] = "2031-06-30"
    p = _problem(write_csv(frame, tmp_path), "discharge_date", extract_date="2025-03-31")
    assert p.rule.startswith("after the extract date (2025-03-31)") and p.rows == 1
    assert p.examples == ["line 3"]  # the row's line in the file: header is line 1
    assert "2031" not in str(p)  # the date of care is not repeated


def test_without_an_extract_date_a_future_date_is_an_error(tmp_path):
    frame = episodes()
    frame.loc[0, "discharge_date"] = "2999-01-01"
    p = _problem(write_csv(frame, tmp_path), "discharge_date")
    assert "today" in p.rule


def test_an_admission_in_1900_is_implausible(tmp_path):
    frame = episodes()
    frame.loc[2, "admission_date"] = "1900-01-01"
    p = _problem(write_csv(frame, tmp_path), "admission_date")
    assert p.rule == "before 1950-01-01 (implausible)" and p.examples == ["line 4"]


def test_an_ae_stay_of_five_years_is_implausible(tmp_path):
    frame = pd.DataFrame(
        {
            "link_no": ["1", "2"],
            "arrival_datetime": ["2024-03-01 10:00", "2024-03-01 11:00"],
            "departure_datetime": ["2024-03-01 14:00", "2029-03-01 11:00"],
            "attendance_category": "New",
            "arrival_mode": "Ambulance",
            "referral_source": "Self",
            "discharge_destination": "Home",
            "diagnosis": "",
            "age": "70",
            "sex": "1",
            "hscp2019": "S37000005",
            "locality": "Clackmannanshire",
            "treatment_location": "V217H",
            "department_type": "Emergency Department",
        }  # fmt: skip
    )
    path = write_csv(frame, tmp_path, "ae_attendances.csv")
    p = _problem(path, "arrival_datetime and departure_datetime", extract_date="2030-01-01")
    assert p.rule.startswith("longer than 168 hours") and p.rows == 1


def test_month_first_dates_are_not_read_as_day_first(tmp_path):
    frame = episodes()
    frame["admission_date"] = ["01/03/2024", "02/03/2024", "03/31/2024"]
    frame["discharge_date"] = ["05/03/2024", "05/03/2024", "05/04/2024"]
    p = _problem(write_csv(frame, tmp_path), "admission_date")
    assert p.rule.startswith("unparseable date (expected DD/MM/YYYY") and p.rows == 1
    # and day-first alone reads as the UK writes it
    frame["admission_date"] = ["01/03/2024", "02/03/2024", "03/03/2024"]
    read = extracts.read_extract(write_csv(frame, tmp_path))
    assert read["admission_date"].tolist() == list(
        pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-03"])
    )


def test_two_date_formats_in_one_column_are_an_error(tmp_path):
    frame = episodes()
    frame["admission_date"] = ["2024-03-01", "02/03/2024", "2024-03-03"]
    p = _problem(write_csv(frame, tmp_path), "admission_date")
    assert p.rule.startswith("two date formats in one column (2 as YYYY-MM-DD, 1 as DD/MM/YYYY)")


def test_duplicate_keys_are_named_by_line_even_with_empty_values(tmp_path):
    frame = pd.concat([episodes(2), episodes(1)], ignore_index=True)
    frame["discharge_date"] = ""  # an empty value in the key of the duplicates
    p = _problem(write_csv(frame, tmp_path), "link_no, cis_marker, admission_date, "
                 "discharge_date, specialty, location")  # fmt: skip
    assert p.rule == "duplicate key" and p.examples == ["line 2", "line 4"]


def _projections(rows: int = 1) -> pd.DataFrame:
    ages = {f"Age{a}": 10 for a in range(90)} | {"Age90plus": 10}
    return pd.DataFrame(
        [{"Year": 2030, "HSCP": "S37000005", "Sex": "All", "AllAges": 910, **ages}] * rows
    )


def test_projections_must_add_up_and_name_a_partnership(tmp_path):
    frame = _projections(3)
    frame["Sex"] = ["All", "Male", "Female"]
    frame.loc[1, "AllAges"] = 911
    frame.loc[2, "HSCP"] = "S37999999"
    with pytest.raises(ExtractError) as err:
        extracts.read_extract(write_csv(frame, tmp_path, "population_projections.csv"))
    rules = {p.rule: p.examples for p in err.value.problems}
    assert rules["AllAges is not the sum of Age0 ... Age90plus"] == ["line 3"]
    assert rules["not a partnership of the 2019 boundaries or Scotland (S92000003)"] == ["line 4"]


def test_a_population_larger_than_scotland_is_implausible(tmp_path):
    frame = pd.DataFrame({"year": [2024], "hscp2019": ["S37000005"],
                          "locality": ["Clackmannanshire"], "sex": [1], "age": [40],
                          "population": [10**12]})  # fmt: skip
    p = _problem(write_csv(frame, tmp_path, "population.csv"), "population")
    assert p.rule == "larger than 6,000,000 (more people than Scotland)"


def test_time_zone_aware_and_integer_dates_in_parquet_are_errors_not_crashes(tmp_path):
    frame = extracts.read_extract(write_csv(episodes(), tmp_path))
    aware = frame.assign(admission_date=frame["admission_date"].dt.tz_localize("Europe/London"))
    aware.to_parquet(tmp_path / "acute_episodes.parquet")
    read = extracts.read_extract(tmp_path / "acute_episodes.parquet")
    assert read["admission_date"].iloc[0] == pd.Timestamp("2024-03-01")
    numbers = frame.assign(admission_date=20240301)
    numbers.to_parquet(tmp_path / "acute_episodes.parquet")
    p = _problem(tmp_path / "acute_episodes.parquet", "admission_date")
    assert p.rule.startswith("unparseable date") and p.rows == 3


def test_the_limits_come_from_params():
    limits = extracts.Limits.from_params({"max_ae_hours": 48, "earliest_date": "1990-01-01"})
    assert limits.max_ae_hours == 48 and limits.earliest_date == pd.Timestamp("1990-01-01")
    assert limits.max_stay_days == extracts.Limits().max_stay_days
