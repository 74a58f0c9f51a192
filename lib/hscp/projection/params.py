"""The projection's parameters (params/scenarios/projections.yaml), read through the typed
model hscp.params.ProjectionsFile, and a partnership's current beds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from hscp import geography, params, paths
from hscp.params import ParamsError
from hscp.params.projections import ProjectionsFile
from hscp.projection.scenarios import Scenario


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

    def as_file(self) -> dict:
        """The parameters in the layout of the file (to check them with its model)."""
        return {
            "horizon": self.horizon,
            "variant": self.variant,
            "age_bands": list(self.age_bands),
            "beds": {
                "target_occupancy": self.target_occupancy,
                "target_blocking": self.target_blocking,
            },
            "monte_carlo": {"runs": self.runs, "seed": self.seed},
            "scenarios": {
                sc.name: {
                    "label": sc.label,
                    "low": sc.low,
                    "high": sc.high,
                    "per": sc.per,
                    "profile": sc.profile,
                    "start": sc.start,
                    "end": sc.end,
                }
                for sc in self.scenarios
            },
        }

    def with_overrides(self, **overrides) -> ProjectionParams:
        """The same parameters with the non-empty overrides (e.g. from a notebook's knobs),
        checked as the file is."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - set(self.__dataclass_fields__)
        if unknown:
            raise ParamsError(f"Unknown projection parameters: {', '.join(sorted(unknown))}")
        if "age_bands" in given:
            given["age_bands"] = tuple(given["age_bands"])
        out = replace(self, **given)
        params.validate(ProjectionsFile, out.as_file(), "the notebook's parameters")
        return out


def from_file(checked: ProjectionsFile, source: str) -> ProjectionParams:
    """ProjectionParams from the checked file."""
    return ProjectionParams(
        horizon=checked.horizon,
        variant=checked.variant,
        age_bands=tuple(checked.age_bands),
        target_occupancy=float(checked.beds.target_occupancy),
        target_blocking=float(checked.beds.target_blocking),
        runs=checked.monte_carlo.runs,
        seed=checked.monte_carlo.seed,
        scenarios=tuple(
            Scenario(
                name=name,
                label=spec.label or name.replace("_", " ").capitalize(),
                low=float(spec.low),
                high=float(spec.high),
                profile=spec.profile,
                per=spec.per,
                start=spec.start,
                end=spec.end,
            )
            for name, spec in checked.scenarios.items()
        ),
        source=source,
    )


def load_params(path: Path | str | None = None, **overrides) -> ProjectionParams:
    """Read and validate the projection parameters (default params/scenarios/projections.yaml).

    Every problem is a ParamsError naming the file and the key. `overrides` replace
    values (None leaves a value alone).
    """
    path = Path(path) if path else default_params_path()
    loaded = from_file(params.load(ProjectionsFile, path), paths.shown_path(path))
    return loaded.with_overrides(**overrides) if overrides else loaded


def current_beds(partnership: geography.Partnership) -> float | None:
    """The partnership's `current_beds` (params/partnerships/<slug>.yaml), or None when empty.

    None means the beds the base year needed at the target occupancy stand for
    the current beds (beds_required). The params layer checks the value (empty or
    a positive number) when the file is read.
    """
    return partnership.current_beds
