"""Planning a batch: which notebooks, for which partnerships and localities, over
which period, and where each report goes (always inside the output folder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hscp import geography, paths
from hscp.batch._common import WHOLE_PARTNERSHIP, UnsafePathError, notebooks_dir
from hscp.geography import UnknownNameError
from hscp.paths import notebook_tables  # noqa: F401 - the batch's name for it

# --- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    partnership: str  # S37 code
    partnership_name: str
    partnership_slug: str
    locality: str | None
    notebook: str  # e.g. "analysis/delayed_discharges"

    @property
    def area_slug(self) -> str:
        return geography.slugify(self.locality) if self.locality else WHOLE_PARTNERSHIP

    @property
    def name(self) -> str:
        return Path(self.notebook).name

    @property
    def folder(self) -> Path:
        """The report's folder, relative to the output folder."""
        return Path(self.partnership_slug) / self.area_slug

    @property
    def html(self) -> Path:
        return self.folder / f"{self.name}.html"

    def label(self) -> str:
        return f"{self.partnership_name} / {self.locality or 'whole partnership'} / {self.notebook}"

    def key(self) -> tuple[str, str | None, str]:
        return (self.partnership, self.locality, self.notebook)


@dataclass
class Result:
    job: Job
    status: str  # "ok", "skipped" (up to date), "failed" or "interrupted"
    seconds: float
    error: dict | None = None
    html: str | None = None
    timing: dict = field(default_factory=dict)
    warnings: int = 0


def available_notebooks() -> list[str]:
    root = notebooks_dir()
    found = [*root.glob("*.ipynb"), *root.glob("*/*.ipynb")]  # the overview, then the rest
    return sorted(
        (
            str(p.relative_to(root).with_suffix(""))
            for p in found
            if ".ipynb_checkpoints" not in p.parts
        ),
        key=lambda name: ("/" in name, name),
    )


def resolve_notebook(name: str) -> str:
    names = available_notebooks()
    name = name.removesuffix(".ipynb").removeprefix("notebooks/")
    if name in names:
        return name
    short = {Path(n).name: n for n in names}
    if name in short:
        return short[name]
    raise UnknownNameError("notebook", name, names)


def notebook_title(notebook: str) -> str:
    meta = paths.notebook_metadata(notebook)
    return meta.get("hscp", {}).get("title") or Path(notebook).name.replace("_", " ").capitalize()


def plan(
    partnerships: list[str],
    localities: list[str] | None,
    notebooks: list[str],
    *,
    whole: bool = True,
) -> list[Job]:
    """Every (partnership or locality) x notebook to render. Unknown names raise
    UnknownNameError, and a slug that would leave the output folder raises
    UnsafePathError, before anything runs. 'all' and 'none' as localities work for
    any number of partnerships; named localities need exactly one."""
    chosen = (
        list(geography.partnerships())
        if [p.casefold() for p in partnerships] == ["all"]
        else [geography.partnership(p) for p in partnerships]
    )
    nbs = [resolve_notebook(n) for n in notebooks]
    named = localities not in (None, ["all"], ["none"])
    if named and len(chosen) != 1:
        raise ValueError(
            "--locality NAME needs exactly one --partnership ('--locality all' or "
            "'--locality none' work with any number)"
        )
    jobs = []
    for p in chosen:
        _check_slug(p.slug, f"the slug of {p.name} (params/partnerships)")
        areas: list[str | None] = [None] if whole else []
        if localities is None or localities == ["all"]:
            areas += list(p.localities)
        elif localities != ["none"]:
            areas = [p.locality(loc) for loc in localities]
        for area in areas:
            if area is not None:
                _check_slug(geography.slugify(area), f"the locality {area!r} of {p.name}")
            for nb in nbs:
                jobs.append(Job(p.code, p.name, p.slug, area, nb))
    return jobs


def _check_slug(slug: str, what: str) -> None:
    """The one slug rule (hscp.paths), as the batch's error: a slug names a folder."""
    try:
        paths.checked_slug(slug, what)
    except paths.UnsafeNameError as err:
        raise UnsafePathError(f"{err}; every report must stay inside the output folder") from err


def confined(out_dir: Path, relative: Path) -> Path:
    """out_dir / relative, refusing anything that resolves outside out_dir."""
    root = out_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise UnsafePathError(f"{relative} would be written outside the output folder")
    return target


# --- periods ----------------------------------------------------------------------------------


def check_period(
    start: str | None, end: str | None, data_period
) -> tuple[str | None, str | None, list[str]]:
    """The period to report, within the data: a start after the end, or a period
    wholly outside the data, is refused; an end past the data's end is trimmed to
    it (the reports would otherwise show months with no data as zeros), with a note."""
    import pandas as pd

    data_start, data_end = (pd.Timestamp(d) for d in data_period)
    notes: list[str] = []
    if start and end and start > end:
        raise ValueError(f"--period-start {start} is after --period-end {end}")
    if start and pd.Timestamp(start) > data_end:
        raise ValueError(f"--period-start {start} is after the end of the data ({data_end:%B %Y})")
    if end and pd.Timestamp(end) < data_start.to_period("M").start_time:
        raise ValueError(f"--period-end {end} is before the start of the data ({data_start:%B %Y})")
    if end and pd.Timestamp(end).to_period("M") > data_end.to_period("M"):
        notes.append(
            f"--period-end {end} is past the end of the data ({data_end:%d %B %Y}): "
            f"the reports end in {data_end:%B %Y}"
        )
        end = f"{data_end:%Y-%m}"
    return start, end, notes
