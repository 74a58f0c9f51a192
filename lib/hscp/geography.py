"""Partnerships, council areas, localities and health boards: codes and names.

The one source is params/partnerships/*.yaml (built from the PHS lookups of
HSCP localities and council areas). Everything else asks this module, so a
locality renamed by a partnership is changed in one place.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SCOTLAND_CODE = "S92000003"
SCOTLAND_NAME = "Scotland"


def params_dir() -> Path:
    """The params folder: $HSCP_PARAMS, or params/ at the top of the project."""
    return Path(os.environ.get("HSCP_PARAMS", Path(__file__).resolve().parents[2] / "params"))


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
    settings: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def council_area_codes(self) -> tuple[str, ...]:
        """Current and previous council area codes (the open data use both)."""
        codes: list[str] = []
        for ca in self.council_areas:
            codes += [ca.code, *ca.previous_codes]
        return tuple(codes)

    def locality(self, name: str) -> str:
        """The locality's exact name, matched without regard to case; else an error."""
        for loc in self.localities:
            if loc.casefold() == name.strip().casefold() or slugify(loc) == slugify(name):
                return loc
        raise UnknownNameError("locality", name, self.localities, where=f"{self.name} HSCP")


class UnknownNameError(ValueError):
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


def slugify(text: str) -> str:
    """File-system and URL friendly name: 'Argyll & Bute' -> 'argyll-and-bute'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def _read_partnership(path: Path) -> Partnership:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        geography_keys = {"code", "name", "slug", "health_board", "council_areas", "localities"}
        return Partnership(
            code=raw["code"],
            name=raw["name"],
            slug=raw.get("slug") or slugify(raw["name"]),
            health_board_code=raw["health_board"]["code"],
            health_board_name=raw["health_board"]["name"],
            council_areas=tuple(
                CouncilArea(ca["code"], ca["name"], tuple(ca.get("previous_codes", ())))
                for ca in raw["council_areas"]
            ),
            localities=tuple(raw["localities"]),
            settings={k: v for k, v in raw.items() if k not in geography_keys},
        )
    except (KeyError, TypeError) as err:
        raise ValueError(f"{path}: partnership file is missing {err}") from err


@cache
def _partnerships(folder: str) -> tuple[Partnership, ...]:
    files = sorted(Path(folder, "partnerships").glob("*.yaml"))
    if not files:
        raise FileNotFoundError(f"No partnership files in {folder}/partnerships")
    return tuple(sorted((_read_partnership(f) for f in files), key=lambda p: p.name))


def partnerships() -> tuple[Partnership, ...]:
    """All partnerships, sorted by name."""
    return _partnerships(str(params_dir()))


def partnership(name_or_code: str) -> Partnership:
    """One partnership by S37 code, name or slug (any case); an unknown one is an error
    that lists the valid names and suggests the closest."""
    key = str(name_or_code).strip()
    for p in partnerships():
        if key.upper() == p.code or key.casefold() == p.name.casefold() or slugify(key) == p.slug:
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
