"""The parameters layer: every file in params/ validates, and a bad file is one ParamsError
naming the file, the key and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hscp import config, geography, params, paths
from hscp.flow.settings import load_settings
from hscp.params import ParamsError
from hscp.projection import load_params

PARAMS = paths.params_dir()
CLACKS = PARAMS / "partnerships" / "clackmannanshire-and-stirling.yaml"


def test_every_file_in_params_validates():
    found = params.validate_all()
    files = {p.relative_to(PARAMS).as_posix() for p in found}
    assert "defaults.yaml" in files
    assert "scenarios/projections.yaml" in files
    assert "scenarios/system_dynamics.yaml" in files
    assert len([f for f in files if f.startswith("partnerships/")]) == 31
    assert set(files) == {p.relative_to(PARAMS).as_posix() for p in PARAMS.rglob("*.yaml")}, (
        "every YAML file in params/ has a model"
    )


@pytest.fixture
def own_params(tmp_path, monkeypatch):
    """A copy of params/ that a test may break, used through $HSCP_PARAMS."""
    folder = tmp_path / "params"
    shutil.copytree(PARAMS, folder)
    monkeypatch.setenv("HSCP_PARAMS", str(folder))
    geography._partnerships.cache_clear()
    yield folder
    geography._partnerships.cache_clear()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_hscp_params_moves_only_the_params_folder(own_params):
    assert paths.params_dir() == own_params
    assert config.project_root() == paths.project_root()
    assert (paths.project_root() / "notebooks").is_dir()
    assert paths.notebooks_dir() == paths.project_root() / "notebooks"


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "defaults.yaml"
    path.write_text("partnerships:\n  - Fife\nnotebooks: [a, b\ndata: x\n")
    with pytest.raises(ParamsError, match=r"defaults.yaml: not valid YAML at line \d+") as err:
        config.load_defaults(path)
    assert "<unicode string>" not in str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("threshold: 10", "threshold: 0", "disclosure.threshold must be a positive whole number"),
        (
            "threshold: 10",
            "threshold: ten",
            "disclosure.threshold must be a whole number, got 'ten'",
        ),
        ("jobs: 0", "jobs: 0\ncolour: red", "unknown keys colour"),
        ("jobs: 0", "jobs: -1", "jobs must be 0 \\(one report per core\\) or more"),
        ("  start:\n", "  start: soon\n", "period.start must be a month like 2024-04"),
        ("data: synthetic:default", "data: [1]", "data must be text"),
    ],
)
def test_bad_defaults_name_the_file_and_key(tmp_path, old, new, message):
    path = tmp_path / "defaults.yaml"
    shutil.copy(PARAMS / "defaults.yaml", path)
    edit(path, old, new)
    with pytest.raises(ParamsError, match=message) as err:
        config.load_defaults(path)
    assert str(path) in str(err.value)


def test_defaults_without_notebooks_say_which_key_is_missing(tmp_path):
    path = tmp_path / "defaults.yaml"
    path.write_text("partnerships: [Fife]\ndata: synthetic:tiny\n")
    with pytest.raises(ParamsError, match="missing notebooks"):
        config.load_defaults(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("slug: clackmannanshire-and-stirling", "slug: ../../x", "slug is '../../x'"),
        ("code: S37000005", "code: 5", "code must be text"),
        ("code: S37000005", "code: S12000005", "code must be an S37 partnership code"),
        ("current_beds:", "current_beds: -3", "current_beds must be a positive number"),
        ("  care_home_places: 870", "  care_home_places: lots", "capacities.care_home_places"),
        ("capacities:", "capacity:", "unknown keys capacity"),
        ('    locality: "Clackmannanshire"', '    locality: "Alloa"', "unknown locality 'Alloa'"),
    ],
)
def test_bad_partnership_file_names_the_file_and_key(tmp_path, old, new, message):
    path = tmp_path / CLACKS.name
    shutil.copy(CLACKS, path)
    edit(path, old, new)
    with pytest.raises(ParamsError, match=message) as err:
        geography.read_partnership(path)
    assert str(path) in str(err.value)


def test_planning_values_are_typed_fields():
    p = geography.partnership("Clackmannanshire & Stirling")
    assert p.capacities.care_home_places == 870
    assert [t.description for t in p.tests_of_change][:1] == ["Frailty practitioner"]
    assert p.current_beds is None
    assert set(p.msg_objectives) == {"msg1", "msg2a", "msg4", "msg5"}
    assert p.peer_group == ("Falkirk", "West Lothian", "Angus", "East Lothian")
    assert not hasattr(p, "settings")


MSG = """
msg_objectives:
  msg1:
    baseline_year: 2017/18
    target_year: 2025-26
    target_change: -0.05
    trajectory: {2023/24: -0.03}
    source: "Integration joint board, March 2024"
  msg5:
    baseline_year: "2017/18"
    target_year: "2025/26"
    target_share: 0.9
peer_group: [Falkirk, "West Lothian"]
"""


def test_msg_objectives_and_peer_group(tmp_path):
    path = tmp_path / CLACKS.name
    path.write_text(CLACKS.read_text() + MSG)
    p = geography.read_partnership(path)
    assert p.msg_objectives["msg1"].target_year == "2025/26"  # written as 2025-26
    assert p.msg_objectives["msg1"].trajectory == {"2023/24": -0.03}
    assert p.msg_objectives["msg5"].target_share == 0.9
    assert p.peer_group == ("Falkirk", "West Lothian")
    assert [q.name for q in geography.peers(p)] == ["Falkirk", "West Lothian"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("msg_objectives:\n  msg9: {}\n", "unknown MSG indicators msg9"),
        (
            "msg_objectives:\n  msg1: {baseline_year: 2017/18, target_year: 2025/26}\n",
            "give either target_change or target_share",
        ),
        (
            "msg_objectives:\n  msg1: {baseline_year: 2017, target_year: 2025/26, target_change: 0}\n",
            "msg_objectives.msg1.baseline_year must be a financial year like 2017/18",
        ),
        (
            "msg_objectives:\n  msg1: {baseline_year: 2025/26, target_year: 2017/18, target_change: 0}\n",
            "must be after baseline_year",
        ),
        ("peer_group: [Clackmannanshire & Stirling]\n", "lists the partnership itself"),
    ],
)
def test_bad_msg_objectives_and_peer_group(tmp_path, extra, message):
    path = tmp_path / CLACKS.name
    path.write_text(CLACKS.read_text() + extra)
    with pytest.raises(ParamsError, match=message):
        geography.read_partnership(path)


def test_an_unknown_peer_is_found_across_files(own_params):
    path = own_params / "partnerships" / CLACKS.name
    path.write_text(CLACKS.read_text() + "peer_group: [Atlantis]\n")
    with pytest.raises(ParamsError, match="peer_group: unknown partnership 'Atlantis'"):
        params.validate_all()


def test_a_partnership_file_is_named_by_its_slug(own_params):
    shutil.move(own_params / "partnerships" / CLACKS.name, own_params / "partnerships" / "x.yaml")
    with pytest.raises(ParamsError, match="is not the file's name"):
        params.validate_all()


def test_a_file_no_model_describes_is_an_error(own_params):
    (own_params / "scenarios" / "weather.yaml").write_text("rain: 1\n")
    with pytest.raises(ParamsError, match="weather.yaml: no parameters file of this name"):
        params.validate_all()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  care_home_week: 850",
            "  care_home_week: dear",
            "unit_costs.care_home_week must be a number",
        ),
        (
            "step_down_shares: {home: 0.60",
            "step_down_shares: {home: 0.70",
            "shares add up to 1.100",
        ),
        ("levers: {ppa_avoided: 0.10}", "levers: {wishes: 1}", "unknown keys wishes"),
        ("  care_home_week: 850\n", "", "unit_costs: missing care_home_week"),
        ("  ppa_avoided: [0.0, 0.5, 0.05]", "  magic: [0.0, 0.5, 0.05]", "unknown lever 'magic'"),
    ],
)
def test_bad_system_dynamics_settings_name_the_file_and_key(tmp_path, old, new, message):
    path = tmp_path / "system_dynamics.yaml"
    shutil.copy(PARAMS / "scenarios" / "system_dynamics.yaml", path)
    edit(path, old, new)
    with pytest.raises(ParamsError, match=message) as err:
        load_settings(path)
    assert str(path) in str(err.value)


def test_settings_keep_the_types_the_file_gives():
    # whole numbers stay whole: the assumptions table shows "800 days", not "800.0 days"
    settings = load_settings()
    assert settings.assumptions["care_home_length_of_stay"] == 800
    assert isinstance(settings.assumptions["care_home_length_of_stay"], int)
    assert settings.scenarios["population_2035"]["levers"] == {"population_year": 2035}
    assert settings.scenarios["population_2035"]["rank"] is False


def test_projection_overrides_are_checked_as_the_file_is():
    with pytest.raises(ParamsError, match="the notebook's parameters: beds.target_occupancy"):
        load_params().with_overrides(target_occupancy=1.5)


def test_every_error_derives_from_the_one_base():
    from hscp.errors import HscpError
    from hscp.extracts import ExtractError
    from hscp.flow import CalibrationError, FlowError
    from hscp.forecast import ForecastError
    from hscp.geography import UnknownNameError
    from hscp.opendata import OpenDataError
    from hscp.performance import TestsOfChangeError
    from hscp.projection import ProjectionError
    from hscp.store import DataError

    for error in (
        ParamsError,
        UnknownNameError,
        ExtractError,
        DataError,
        ProjectionError,
        CalibrationError,
        TestsOfChangeError,
        FlowError,
        ForecastError,
        OpenDataError,
        paths.UnsafeNameError,
    ):
        assert issubclass(error, HscpError), error
