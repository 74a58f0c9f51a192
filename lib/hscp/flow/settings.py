"""The model's settings: params/scenarios/system_dynamics.yaml, read through the typed model
hscp.params.SystemDynamicsFile (which also defines the levers a scenario may set)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from hscp import params, paths
from hscp.params.system_dynamics import LEVERS, SystemDynamicsFile

__all__ = ["LEVERS", "Settings", "load_settings"]


@dataclass(frozen=True)
class Settings:
    """params/scenarios/system_dynamics.yaml, checked; each block as a dict, as the model
    reads it (values keep the types the file gives them)."""

    capacity_per_1000: dict[str, float]
    assumptions: dict
    unit_costs: dict[str, float]
    scenarios: dict[str, dict]
    sliders: dict[str, list]
    uncertain: dict[str, dict]
    run: dict
    tolerance: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def with_assumptions(self, **changes) -> Settings:
        return replace(self, assumptions={**self.assumptions, **changes})

    def with_unit_costs(self, **changes) -> Settings:
        return replace(self, unit_costs={**self.unit_costs, **changes})


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and check params/scenarios/system_dynamics.yaml (or `path`); ParamsError naming
    the file and key when it breaks the model."""
    path = Path(path) if path else paths.params_dir() / "scenarios" / "system_dynamics.yaml"
    checked = params.load(SystemDynamicsFile, path)
    return Settings(
        capacity_per_1000={k: float(v) for k, v in checked.capacity_per_1000_65plus},
        assumptions=checked.assumptions.model_dump(),
        unit_costs={k: float(v) for k, v in checked.unit_costs if v is not None},
        scenarios={
            name: {
                "label": s.label,
                "levers": s.levers.model_dump(exclude_unset=True),
                "rank": s.rank,
            }
            for name, s in checked.scenarios.items()
        },
        sliders={k: list(v) for k, v in checked.sliders.items()},
        uncertain={k: v.model_dump() for k, v in checked.uncertain.items()},
        run=checked.run.model_dump(),
        tolerance={k: float(v) for k, v in checked.tolerance},
        sources=dict(checked.sources),
        path=str(path),
    )
