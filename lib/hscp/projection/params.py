"""The projection's parameters (params/scenarios/projections.yaml), read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from hscp import geography, paths
from hscp.config import ParamsError
from hscp.projection.activity import check_bands
from hscp.projection.scenarios import PROFILES, SCENARIO_KINDS, Scenario


def default_params_path() -> Path:
    """params/scenarios/projections.yaml (under $HSCP_PARAMS when set)."""
    return paths.params_dir() / "scenarios" / "projections.yaml"


@dataclass(frozen=True)
class ProjectionParams:
    """The projection's parameters (params/scenarios/projections.yaml)."""

    horizon: int = 2035
    variant: str | None = None
    age_bands: tuple[int, ...] = (0, 18, 45, 65, 75, 85)
    target_occupancy: float = 0.85
    target_blocking: float = 0.01
    runs: int = 5000
    seed: int = 20260601
    scenarios: tuple[Scenario, ...] = ()
    source: str = "defaults"
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    def with_overrides(self, **overrides) -> ProjectionParams:
        """The same parameters with the non-empty overrides (e.g. from a notebook's knobs)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - set(self.__dataclass_fields__)
        if unknown:
            raise ParamsError(f"Unknown projection parameters: {', '.join(sorted(unknown))}")
        out = replace(self, **given)
        _check_params(out, "the notebook's parameters")
        return out


def load_params(path: Path | str | None = None, **overrides) -> ProjectionParams:
    """Read and validate the projection parameters (default params/scenarios/projections.yaml).

    Every problem is an error naming the file and the key. `overrides` replace
    values (None leaves a value alone).
    """
    path = Path(path) if path else default_params_path()
    if not path.exists():
        raise ParamsError(f"{path}: projection parameters file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ParamsError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(raw, dict):
        raise ParamsError(
            f"{path}: expected keys (horizon, scenarios, ...), got {type(raw).__name__}"
        )
    known = {"horizon", "variant", "age_bands", "beds", "monte_carlo", "scenarios"}
    unknown = set(raw) - known
    if unknown:
        raise ParamsError(
            f"{path}: unknown keys {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})"
        )
    beds = _mapping(raw.get("beds"), path, "beds")
    mc = _mapping(raw.get("monte_carlo"), path, "monte_carlo")
    scenarios = _mapping(raw.get("scenarios"), path, "scenarios")
    defaults = ProjectionParams()
    params = ProjectionParams(
        horizon=_number(raw.get("horizon", defaults.horizon), path, "horizon", int),
        variant=raw.get("variant") or None,
        age_bands=tuple(_bands(raw.get("age_bands", list(defaults.age_bands)), path)),
        target_occupancy=_number(
            beds.get("target_occupancy", defaults.target_occupancy), path, "beds.target_occupancy"
        ),
        target_blocking=_number(
            beds.get("target_blocking", defaults.target_blocking), path, "beds.target_blocking"
        ),
        runs=_number(mc.get("runs", defaults.runs), path, "monte_carlo.runs", int),
        seed=_number(mc.get("seed", defaults.seed), path, "monte_carlo.seed", int),
        scenarios=tuple(_scenario(name, spec, path) for name, spec in scenarios.items()),
        source=paths.shown_path(path),
        raw=raw,
    )
    _check_params(params, str(path))
    return params.with_overrides(**overrides) if overrides else params


def _mapping(value, path, key) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParamsError(f"{path}: {key} must be a mapping of keys to values, got {value!r}")
    return value


def _number(value, path, key, kind=float):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamsError(f"{path}: {key} must be a number, got {value!r}")
    if kind is int and int(value) != value:
        raise ParamsError(f"{path}: {key} must be a whole number, got {value!r}")
    return kind(value)


def _bands(value, path) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise ParamsError(f"{path}: age_bands must be a list of whole numbers, got {value!r}")
    try:
        return check_bands(value)
    except ValueError as err:
        raise ParamsError(f"{path}: age_bands: {err}") from err


def _scenario(name: str, spec, path) -> Scenario:
    where = f"{path}: scenarios.{name}"
    if name not in SCENARIO_KINDS:
        raise ParamsError(
            f"{path}: unknown scenario {name!r}; the scenarios are {', '.join(SCENARIO_KINDS)}"
        )
    if not isinstance(spec, dict):
        raise ParamsError(f"{where} must be a mapping (label, low, high, profile ...)")
    allowed = {"label", "low", "high", "per", "profile", "start", "end"}
    unknown = set(spec) - allowed
    if unknown:
        raise ParamsError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("low", "high"):
        if key not in spec:
            raise ParamsError(f"{where}: missing {key} (the 80% interval is low to high)")
    low = _number(spec["low"], path, f"scenarios.{name}.low")
    high = _number(spec["high"], path, f"scenarios.{name}.high")
    if high < low:
        raise ParamsError(f"{where}: high ({high}) is below low ({low})")
    per = spec.get("per", "horizon")
    if per not in ("horizon", "year"):
        raise ParamsError(f"{where}: per must be 'horizon' or 'year', not {per!r}")
    if name == "ppa_avoidance":
        if per != "horizon":
            raise ParamsError(f"{where}: the share of PPAs avoided is per horizon, not per year")
        if not 0 <= low <= high <= 1:
            raise ParamsError(f"{where}: the share avoided must be between 0 and 1")
    elif low <= -1:
        raise ParamsError(f"{where}: a change of {low:.0%} or less would leave nothing")
    profile = spec.get("profile", "linear")
    if profile not in PROFILES:
        raise ParamsError(f"{where}: profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    start, end = spec.get("start"), spec.get("end")
    for key, value in (("start", start), ("end", end)):
        if value is not None:
            _number(value, path, f"scenarios.{name}.{key}", int)
    if start is not None and end is not None and end < start:
        raise ParamsError(f"{where}: end ({end}) is before start ({start})")
    return Scenario(
        name=name,
        label=str(spec.get("label") or name.replace("_", " ").capitalize()),
        low=low,
        high=high,
        profile=profile,
        per=per,
        start=None if start is None else int(start),
        end=None if end is None else int(end),
    )


def _check_params(params: ProjectionParams, where: str) -> None:
    if not 0 < params.target_occupancy <= 1:
        raise ParamsError(f"{where}: target occupancy must be above 0 and at most 1")
    if not 0 < params.target_blocking < 1:
        raise ParamsError(f"{where}: target blocking must be between 0 and 1")
    if params.runs < 1:
        raise ParamsError(f"{where}: monte_carlo.runs must be 1 or more")
    if not 1981 <= params.horizon <= 2100:
        raise ParamsError(f"{where}: horizon must be a year, not {params.horizon}")


def current_beds(partnership: geography.Partnership) -> float | None:
    """The partnership's `current_beds` (params/partnerships/<slug>.yaml), or None when empty.

    None means the beds the base year needed at the target occupancy stand for
    the current beds (beds_required). Anything but an empty value or a positive
    number is an error naming the file's key.
    """
    value = partnership.settings.get("current_beds")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ParamsError(
            f"params/partnerships/{partnership.slug}.yaml: current_beds must be a positive "
            f"number of beds or empty, not {value!r}"
        )
    return float(value)
