"""Prepare once: validated, partitioned by partnership, reused while inputs are unchanged."""

import shutil

import pandas as pd
import pytest

from hscp import store


def test_each_partnership_has_its_own_slice(tiny_store):
    episodes = tiny_store.partnership("S37000005").episodes()
    assert len(episodes) > 0
    assert set(episodes["hscp2019"]) == {"S37000005"}
    files = sorted(p.name for p in (tiny_store.path / "acute_episodes").iterdir())
    assert "hscp2019=S37000005.parquet" in files and "hscp2019=S37000022.parquet" in files


def test_record_level_tables_cannot_be_read_whole(tiny_store):
    with pytest.raises(ValueError, match="one partnership at a time"):
        tiny_store.read("acute_episodes")


def test_a_partnership_without_data_gets_an_empty_table(tiny_store):
    assert len(tiny_store.partnership("Glasgow City").delays()) == 0


def test_preparing_again_reuses_the_store(tiny_data, tiny_store):
    said = []
    again = store.prepare(tiny_data, tiny_store.path.parent, log=said.append)
    assert again.path == tiny_store.path
    assert said == []  # nothing validated or written the second time


def test_a_changed_input_is_prepared_again(tiny_data, tmp_path):
    copy = tmp_path / "extracts"
    shutil.copytree(tiny_data, copy)
    first = store.prepare(copy, tmp_path / "store", log=lambda *_: None)
    pop = pd.read_parquet(copy / "population.parquet")
    pop.loc[0, "population"] += 1
    pop.to_parquet(copy / "population.parquet")
    second = store.prepare(copy, tmp_path / "store", log=lambda *_: None)
    assert second.path != first.path
    assert not first.path.exists()  # the old preparation is cleared away


def test_a_broken_table_is_recorded_and_the_others_still_read(tiny_data, tmp_path):
    copy = tmp_path / "extracts"
    shutil.copytree(tiny_data, copy)
    delays = pd.read_parquet(copy / "delayed_discharges.parquet")
    delays["ready_for_discharge_date"] = delays["ready_for_discharge_date"].astype(str)
    delays.loc[:2, "ready_for_discharge_date"] = "not a date"
    (copy / "delayed_discharges.parquet").unlink()
    delays.to_csv(copy / "delayed_discharges.csv", index=False)
    prepared = store.prepare(copy, tmp_path / "store", log=lambda *_: None)
    assert "delayed_discharges" in prepared.problems
    assert len(prepared.partnership("S37000005").episodes()) > 0
    with pytest.raises(store.DataError) as err:
        prepared.partnership("S37000005").delays()
    message = str(err.value)
    assert "delayed_discharges.csv" in message
    assert "'ready_for_discharge_date': unparseable date" in message and "3 rows" in message


def test_comparators_are_aggregates_over_all_partnerships(tiny_store):
    table = tiny_store.comparator("delayed_bed_days")
    assert {"month", "hscp2019", "locality", "bed_days"} <= set(table.columns)
    assert "link_no" not in table.columns  # never record level
    assert set(table["hscp2019"]) == {"S37000005", "S37000022"}


def test_provenance_names_files_rows_and_the_period(tiny_store):
    prov = tiny_store.provenance()
    assert prov["period"] == {"start": "2023-01-01", "end": "2025-03-31"}
    assert prov["tables"]["acute_episodes"]["rows"] > 1000
    assert prov["source"]["source"] == "synthetic"
