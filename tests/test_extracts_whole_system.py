"""The five whole-system tables of the data contract: the synthetic tables are valid, and
each rule of each table is reported with its file, column and rule."""

from __future__ import annotations

import pandas as pd
import pytest

from hscp import extracts


def _raw(tiny_data, table: str) -> pd.DataFrame:
    """A table as text, the way a CSV arrives."""
    frame = pd.read_parquet(tiny_data / f"{table}.parquet").head(50)
    out = frame.astype("string")
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            out[column] = frame[column].dt.strftime("%Y-%m-%d").astype("string")
    return out


def _error(tmp_path, table: str, frame: pd.DataFrame) -> str:
    path = tmp_path / f"{table}.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(extracts.ExtractError) as caught:
        extracts.read_extract(path, extract_date="2025-03-31")
    return str(caught.value)


@pytest.mark.parametrize("table", extracts.WHOLE_SYSTEM)
def test_the_synthetic_tables_keep_the_contract(tiny_data, table):
    frame = extracts.read_extract(tiny_data / f"{table}.parquet", extract_date="2025-03-31")
    assert len(frame) > 100
    assert frame["hscp2019"].isin({"S37000005", "S37000022"}).all()


@pytest.mark.parametrize(
    ("table", "column", "value", "rule"),
    [
        ("long_stay_episodes", "discharge_date", None, "empty values where a value is required"),
        ("long_stay_episodes", "admission_type", "99", "unknown code"),
        ("mental_health_episodes", "management_of_patient", "9", "unknown code"),
        ("mental_health_episodes", "main_condition", "FOO", "unknown code format"),
        ("deaths", "date_of_death", "2031-01-01", "after the extract date"),
        ("deaths", "underlying_cause_of_death", None, "empty values where a value is required"),
        ("deaths", "place_of_death", "a b", "unknown code format"),
        ("care_home_episodes", "funding", "Council", "unknown code"),
        ("care_home_episodes", "nursing_care", "maybe", "unknown code"),
        ("home_care", "hours_per_week", "200", "out of range 0-168"),
        ("home_care", "reablement", "Y", "unknown code"),
        ("home_care", "provider", "NHS", "unknown code"),
    ],
)
def test_a_broken_value_is_named_by_file_column_and_rule(
    tiny_data, tmp_path, table, column, value, rule
):
    frame = _raw(tiny_data, table)
    frame.loc[3, column] = value
    message = _error(tmp_path, table, frame)
    assert f"{table}.csv" in message and f"column {column!r}" in message and rule in message
    assert "line 5" in message or "e.g." in message  # where, never an identifier


def test_an_end_before_the_start_and_a_duplicate_stay(tiny_data, tmp_path):
    frame = _raw(tiny_data, "home_care")
    frame.loc[0, "end_date"] = "2000-01-01"
    assert "end date before start date" in _error(tmp_path, "home_care", frame)
    frame = _raw(tiny_data, "care_home_episodes")
    frame = pd.concat([frame, frame.head(1)], ignore_index=True)
    assert "duplicate key" in _error(tmp_path, "care_home_episodes", frame)
    frame = _raw(tiny_data, "deaths")
    frame = pd.concat([frame, frame.head(1)], ignore_index=True)
    message = _error(tmp_path, "deaths", frame)
    assert "column 'link_no': duplicate key" in message
    assert str(frame.loc[0, "link_no"]) not in message  # an identifier is never shown


def test_an_acute_episode_without_a_discharge_date_is_an_error(tiny_data, tmp_path):
    # SMR01 records are submitted on discharge: an empty discharge date is a broken record
    frame = _raw(tiny_data, "acute_episodes")
    frame.loc[2, "discharge_date"] = None
    message = _error(tmp_path, "acute_episodes", frame)
    assert "column 'discharge_date': empty values where a value is required: 1 row" in message
    assert "line 4" in message
