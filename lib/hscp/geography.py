"""Partnerships, council areas, localities and health boards: codes and names.

The one source is params/partnerships/*.yaml (built from the PHS lookups of
HSCP localities and council areas), read through the typed model
`hscp.params.PartnershipFile`. Everything else asks this module, so a locality
renamed by a partnership is changed in one place. A partnership's planning
values (tests of change, current beds, capacities, MSG objectives, peer group)
are typed fields of `Partnership`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from hscp import params, paths
from hscp.errors import HscpError
from hscp.params import (
    Capacities,
    EngagementTheme,
    MsgObjective,
    PartnershipFile,
    TestOfChange,
)
from hscp.paths import params_dir, slugify

SCOTLAND_CODE = "S92000003"
SCOTLAND_NAME = "Scotland"


@dataclass(frozen=True)
class CouncilArea:
    code: str
    name: str
    previous_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Partnership:
    """A Health and Social Care Partnership (HSCP, 2019 S37 code) and its geography."""

    code: str
    name: str
    slug: str
    health_board_code: str
    health_board_name: str
    council_areas: tuple[CouncilArea, ...]
    localities: tuple[str, ...]
    tests_of_change: tuple[TestOfChange, ...] = field(default=(), compare=False, repr=False)
    current_beds: float | None = field(default=None, compare=False, repr=False)
    capacities: Capacities | None = field(default=None, compare=False, repr=False)
    msg_objectives: dict[str, MsgObjective] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    peer_group: tuple[str, ...] = field(default=(), compare=False, repr=False)
    engagement: tuple[EngagementTheme, ...] = field(default=(), compare=False, repr=False)
    source: str = field(default="", compare=False, repr=False)  # its params file

    @property
    def council_area_codes(self) -> tuple[str, ...]:
        """Current and previous council area codes (the open data use both)."""
        codes: list[str] = []
        for ca in self.council_areas:
            codes += [ca.code, *ca.previous_codes]
        return tuple(codes)

    def locality(self, name: str) -> str:
        """The locality's exact name, matched without regard to case; else an error."""
        found = params.match_name(name, self.localities)
        if found is not None:
            return found
        raise UnknownNameError("locality", name, self.localities, where=f"{self.name} HSCP")


class UnknownNameError(HscpError, ValueError):
    """A partnership or locality name that is not in params/: lists the valid names."""

    def __init__(self, kind: str, given: str, valid: tuple[str, ...] | list[str], where: str = ""):
        self.kind, self.given, self.valid = kind, given, list(valid)
        close = difflib.get_close_matches(given, self.valid, n=1, cutoff=0.6)
        if not close:  # try again on lower case, so "glasgow" finds "Glasgow City"
            lowered = {v.casefold(): v for v in self.valid}
            hit = difflib.get_close_matches(given.casefold(), list(lowered), n=1, cutoff=0.6)
            close = [lowered[h] for h in hit]
        hint = f" Did you mean {close[0]!r}?" if close else ""
        scope = f" in {where}" if where else ""
        super().__init__(
            f"Unknown {kind} {given!r}{scope}.{hint} Valid {kind} names: " + "; ".join(self.valid)
        )


def read_partnership(path: Path) -> Partnership:
    """One partnership file, checked (ParamsError naming the file and key otherwise)."""
    return from_file(params.load(PartnershipFile, path), path)


def from_file(model: PartnershipFile, path: Path | str) -> Partnership:
    """A Partnership from its validated params file."""
    return Partnership(
        code=model.code,
        name=model.name,
        slug=model.partnership_slug,
        health_board_code=model.health_board.code,
        health_board_name=model.health_board.name,
        council_areas=tuple(
            CouncilArea(ca.code, ca.name, tuple(ca.previous_codes)) for ca in model.council_areas
        ),
        localities=tuple(model.localities),
        tests_of_change=model.tests(),
        current_beds=None if model.current_beds is None else float(model.current_beds),
        capacities=model.capacities,
        msg_objectives=dict(model.msg_objectives),
        peer_group=tuple(model.peer_group),
        engagement=tuple(model.engagement),
        source=paths.shown_path(path),
    )


@cache
def _partnerships(folder: str) -> tuple[Partnership, ...]:
    files = sorted(Path(folder, "partnerships").glob("*.yaml"))
    if not files:
        raise FileNotFoundError(f"No partnership files in {folder}/partnerships")
    return tuple(sorted((read_partnership(f) for f in files), key=lambda p: p.name))


def partnerships() -> tuple[Partnership, ...]:
    """All partnerships, sorted by name."""
    return _partnerships(str(params_dir()))


def partnership(name_or_code: str) -> Partnership:
    """One partnership by S37 code, name or slug (any case); an unknown one is an error
    that lists the valid names and suggests the closest."""
    key = str(name_or_code).strip()
    for p in partnerships():
        if key.upper() == p.code or params.match_name(key, [p.name]) or slugify(key) == p.slug:
            return p
    raise UnknownNameError("partnership", key, [p.name for p in partnerships()])


def partnership_names() -> dict[str, str]:
    """S37 code -> partnership name."""
    return {p.code: p.name for p in partnerships()}


def locality_lookup() -> dict[tuple[str, str], str]:
    """(S37 code, locality) -> partnership name, for validating extracts."""
    return {(p.code, loc): p.name for p in partnerships() for loc in p.localities}


def health_boards() -> dict[str, str]:
    """S08 code -> health board name."""
    return {p.health_board_code: p.health_board_name for p in partnerships()}


def council_area_to_partnership() -> dict[str, str]:
    """Council area code (current and previous) -> S37 code."""
    return {ca: p.code for p in partnerships() for ca in p.council_area_codes}


def peers(p: Partnership) -> tuple[Partnership, ...]:
    """The partnerships of `p`'s peer group (params key `peer_group`), in its order."""
    return tuple(partnership(name) for name in p.peer_group)
