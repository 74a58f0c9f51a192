"""params/ against the PHS lookups, and names checked with helpful errors."""

import csv
from collections import defaultdict

import pytest

from hscp import config, geography
from hscp.geography import UnknownNameError


def test_params_have_all_31_partnerships_with_their_real_localities(reference):
    localities = defaultdict(list)
    with open(reference / "hscp_localities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            localities[row["hscp_code"]].append(row["locality"])
    ours = {p.code: list(p.localities) for p in geography.partnerships()}
    assert len(ours) == 31
    assert ours == dict(localities)
    assert sum(len(v) for v in ours.values()) == 127


def test_params_council_areas_match_the_phs_lookup(reference):
    areas = defaultdict(set)
    with open(reference / "hscp_council_areas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            areas[row["hscp_code"]].add(row["ca_code"])
    ours = {p.code: {ca.code for ca in p.council_areas} for p in geography.partnerships()}
    assert ours == dict(areas)
    # Clackmannanshire & Stirling is the one partnership of two council areas
    assert geography.partnership("S37000005").council_area_codes == ("S12000005", "S12000030")


def test_partnership_found_by_code_name_or_slug_in_any_case():
    for key in ("S37000034", "Glasgow City", "glasgow city", "glasgow-city"):
        assert geography.partnership(key).name == "Glasgow City"


def test_unknown_partnership_lists_valid_names_and_suggests_the_closest():
    with pytest.raises(UnknownNameError) as err:
        geography.partnership("Glasgow")
    message = str(err.value)
    assert "Did you mean 'Glasgow City'?" in message
    assert "Western Isles" in message and "Aberdeen City" in message


def test_unknown_locality_lists_the_partnerships_localities():
    with pytest.raises(UnknownNameError) as err:
        config.resolve_area("Clackmannanshire & Stirling", "Rural Stirlin")
    assert "Did you mean 'Rural Stirling'?" in str(err.value)
    assert "Clackmannanshire" in str(err.value)


def test_locality_matched_without_regard_to_case():
    p, loc = config.resolve_area("clackmannanshire-and-stirling", "rural stirling")
    assert (p.code, loc) == ("S37000005", "Rural Stirling")
    assert config.resolve_area("S37000005", None)[1] is None


def test_defaults_name_known_partnerships_and_a_threshold():
    defaults = config.load_defaults()
    assert defaults.disclosure_threshold == 10
    for name in defaults.partnerships:
        geography.partnership(name)


def test_health_boards_are_the_14_boards():
    assert len(geography.health_boards()) == 14
    assert geography.partnership("Edinburgh").health_board_name == "NHS Lothian"


def test_old_council_area_codes_map_to_their_partnership():
    lookup = geography.council_area_to_partnership()
    assert (
        lookup["S12000046"] == lookup["S12000049"] == "S37000034"
    )  # Glasgow City, before and after 2018


def test_period_defaults_to_the_data_and_rejects_an_empty_one():
    import pandas as pd

    start, end = config.resolve_period(
        None, None, pd.Timestamp("2023-01-01"), pd.Timestamp("2025-03-31")
    )
    assert (start, end) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2025-03-31"))
    start, end = config.resolve_period(
        "2024-04", "2025-03", pd.Timestamp("2023-01-01"), pd.Timestamp("2025-03-31")
    )
    assert (start, end) == (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))
    with pytest.raises(ValueError):
        config.resolve_period(
            "2026-01", "2025-03", pd.Timestamp("2023-01-01"), pd.Timestamp("2025-03-31")
        )
