"""The parameters layer: every file in params/ read into a typed, checked model.

One error type, `ParamsError`, for any bad parameters file: it names the file,
the key and the problem (a YAML syntax error names the file and line). The
models:

| file | model |
|---|---|
| params/defaults.yaml | `RunDefaultsFile` (hscp.params.defaults) |
| params/partnerships/<slug>.yaml | `PartnershipFile` (hscp.params.partnership) |
| params/scenarios/projections.yaml | `ProjectionsFile` (hscp.params.projections) |
| params/scenarios/system_dynamics.yaml | `SystemDynamicsFile` (hscp.params.system_dynamics) |
| params/scenarios/options.yaml | `OptionsFile` (hscp.params.options) |

`validate_all()` checks every file in params/ and what ties them together (each
partnership file named by its slug, codes unique, peer groups and default
partnerships known). Where params/ is: `hscp.paths.params_dir()`.
"""

from __future__ import annotations

from pathlib import Path

from hscp import paths
from hscp.params._load import ParamsError, Section, load, read_yaml, validate
from hscp.params.defaults import RunDefaultsFile
from hscp.params.options import OptionsFile
from hscp.params.partnership import (
    MSG_INDICATORS,
    Capacities,
    EngagementTheme,
    MsgObjective,
    PartnershipFile,
    TestOfChange,
    match_name,
)
from hscp.params.projections import ProjectionsFile
from hscp.params.system_dynamics import SystemDynamicsFile

#: Each parameters file (relative to params/) and its model.
SCHEMAS = {
    "defaults.yaml": RunDefaultsFile,
    "partnerships/*.yaml": PartnershipFile,
    "scenarios/projections.yaml": ProjectionsFile,
    "scenarios/system_dynamics.yaml": SystemDynamicsFile,
    "scenarios/options.yaml": OptionsFile,
}


def location_types(folder: Path | str | None = None) -> dict[str, str]:
    """params/locations.csv: location code -> location type (a community hospital, a
    hospice or a care home, as the MSG end of life method needs them). A code not listed
    is a large hospital (hscp.measures.end_of_life)."""
    import pandas as pd

    from hscp.measures.end_of_life import LOCATION_TYPES

    path = Path(folder or paths.params_dir()) / "locations.csv"
    if not path.exists():
        return {}
    table = pd.read_csv(path, comment="#", dtype=str)
    for column in ("location", "location_type"):
        if column not in table:
            raise ParamsError(f"{path}: no column {column!r}")
    unknown = sorted(set(table["location_type"].dropna()) - set(LOCATION_TYPES))
    if unknown:
        raise ParamsError(
            f"{path}: column 'location_type': unknown types {unknown} (known: {LOCATION_TYPES})"
        )
    return dict(zip(table["location"], table["location_type"], strict=True))


def schema_for(path: Path, folder: Path | None = None) -> type[Section]:
    """The model of a file in params/ (ParamsError for a file no model describes)."""
    folder = folder or paths.params_dir()
    relative = Path(path).resolve().relative_to(Path(folder).resolve())
    for pattern, model in SCHEMAS.items():
        if relative.match(pattern):
            return model
    raise ParamsError(
        f"{path}: no parameters file of this name is known (known: {', '.join(SCHEMAS)})"
    )


def validate_all(folder: Path | str | None = None) -> dict[Path, Section]:
    """Every YAML file in params/ (or `folder`), validated, and the checks across files."""
    folder = Path(folder) if folder else paths.params_dir()
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))
    found = {path: load(schema_for(path, folder), path) for path in files}
    partnerships = {p: m for p, m in found.items() if isinstance(m, PartnershipFile)}
    _check_partnerships(partnerships)
    names = [m.name for m in partnerships.values()]
    keys = [*names, *(m.code for m in partnerships.values())]
    keys += [m.partnership_slug for m in partnerships.values()]
    for path, model in found.items():
        if isinstance(model, RunDefaultsFile) and model.partnerships != ["all"]:
            _known(model.partnerships, keys, names, path, "partnerships")
        if isinstance(model, PartnershipFile):
            _known(model.peer_group, keys, names, path, "peer_group")
    return found


def _check_partnerships(files: dict[Path, PartnershipFile]) -> None:
    seen: dict[str, Path] = {}
    for path, model in files.items():
        if path.stem != model.partnership_slug:
            raise ParamsError(
                f"{path}: slug {model.partnership_slug!r} is not the file's name ({path.stem})"
            )
        for key in (model.code, model.name):
            if key in seen:
                raise ParamsError(f"{path}: {key!r} is also in {seen[key]}")
            seen[key] = path


def _known(given: list[str], keys: list[str], names: list[str], path: Path, key: str) -> None:
    for value in given:
        if match_name(value, keys) is None:
            raise ParamsError(
                f"{path}: {key}: unknown partnership {value!r} (the partnerships: {'; '.join(names)})"
            )


__all__ = [
    "location_types",
    "MSG_INDICATORS",
    "SCHEMAS",
    "Capacities",
    "EngagementTheme",
    "MsgObjective",
    "OptionsFile",
    "ParamsError",
    "PartnershipFile",
    "ProjectionsFile",
    "RunDefaultsFile",
    "Section",
    "SystemDynamicsFile",
    "TestOfChange",
    "load",
    "match_name",
    "read_yaml",
    "schema_for",
    "validate",
    "validate_all",
]
