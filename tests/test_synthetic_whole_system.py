"""The synthetic whole system describes the same people as the acute tables."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def t(tiny_data):
    def read(name):
        frame = pd.read_parquet(tiny_data / f"{name}.parquet")
        for column in frame.columns:
            if column.endswith("_date") or column == "date_of_death":
                frame[column] = pd.to_datetime(frame[column])
        return frame

    return {name: read(name) for name in (
        "acute_episodes", "delayed_discharges", "deaths", "care_home_episodes", "home_care",
        "long_stay_episodes", "mental_health_episodes",
    )}  # fmt: skip


def _died(t):
    return t["deaths"].set_index("link_no")["date_of_death"]


def test_nobody_is_admitted_or_cared_for_after_they_die(t):
    died = _died(t)
    for name, start in (("acute_episodes", "admission_date"), ("long_stay_episodes", "admission_date"),
                        ("mental_health_episodes", "admission_date"),
                        ("care_home_episodes", "admission_date"), ("home_care", "start_date")):  # fmt: skip
        frame = t[name]
        death = frame["link_no"].map(died)
        assert not (frame[start] > death).any(), name
    for name, end in (("care_home_episodes", "discharge_date"), ("home_care", "end_date")):
        frame = t[name]
        death = frame["link_no"].map(died)
        ended = frame[end].fillna(pd.Timestamp("2200-01-01"))
        assert not (death.notna() & (ended > death)).any(), name


def test_a_placement_starts_a_care_home_stay_and_care_at_home_a_package(t):
    delays = t["delayed_discharges"].dropna(subset=["discharge_date"])
    died = _died(t)
    alive = delays["discharge_date"] < delays["link_no"].map(died).fillna(
        pd.Timestamp("2200-01-01")
    )
    placed = delays[(delays["discharge_to"] == 1) & alive]
    homes = t["care_home_episodes"].set_index("link_no")["admission_date"]
    residents = placed[placed["link_no"].isin(homes.index)]
    assert len(placed) > 20 and len(residents) == len(placed)
    assert (residents["link_no"].map(homes) <= residents["discharge_date"]).all()
    home = delays[(delays["discharge_to"] == 2) & alive]
    packages = t["home_care"].groupby("link_no")["start_date"].apply(set)
    started = [
        d in packages.get(p, set())
        for p, d in zip(home["link_no"], home["discharge_date"], strict=True)
    ]
    assert len(home) > 20 and sum(started) / len(home) > 0.6  # unless already a client or in a home


def test_a_death_in_hospital_names_the_hospital(t):
    acute = t["acute_episodes"]
    in_hospital = acute[acute["discharge_type"].isin([40, 41, 42, 43])]
    deaths = t["deaths"].set_index("link_no")
    where = in_hospital.drop_duplicates("link_no").set_index("link_no")["location"]
    known = where[where.index.isin(deaths.index)]
    assert len(known) > 50
    assert (deaths.loc[known.index, "place_of_death"] == known).mean() > 0.95
