"""Do the rendered reports agree? Each shared headline figure, wherever a report's key
messages quote it, must be the register's number (hscp.evidence).

    python -m hscp.consistency OUTPUT_FOLDER [--data DATA]

reads every report under the output folder (a run of run_all.py), finds each shared
figure by the phrase the reports write it in, and compares the number with the
partnership's register for the same period; it prints each disagreement (report,
figure, the register's number, the report's) and exits 1 when there is any. The tests
run it on the tiny data's reports; benchmarks/README.md records a run on every
partnership.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from hscp import evidence, geography, store

NUMBER = r"(fewer than \d+|[\d,]+(?:\.\d)?)"

#: The phrases the reports write each shared figure in (a report that does not quote a
#: figure is not checked for it).
PHRASES: dict[str, tuple[str, ...]] = {
    "emergency_admissions": (rf"residents had {NUMBER} emergency admissions",),
    "emergency_beds": (
        rf"{NUMBER} beds occupied on an average day",
        rf"used {NUMBER} hospital beds on an average day",
    ),
    "ae_attendances": (rf"There were {NUMBER} A&E attendances",),
    "ppa_admissions": (
        rf"{NUMBER} admissions \([\d.]+%\) were potentially preventable",
        rf"Of these admissions, {NUMBER} \([\d.]+%\) were potentially",
    ),  # fmt: skip
    "delayed_bed_days": (
        rf"spent {NUMBER} days there waiting",
        rf"people from .{{1,90}}? spent {NUMBER} days in hospital after they were ready",
    ),
}


@dataclass(frozen=True)
class Disagreement:
    report: str  # relative to the output folder
    key: str
    register: str
    report_says: str

    def __str__(self) -> str:
        return (
            f"{self.report}: {self.key} is {self.report_says} in the report, "
            f"{self.register} in the register"
        )


def key_messages(page: str) -> str:
    """A rendered report's key messages as plain text."""
    found = re.search(r'<section class="hscp-key-messages">(.*?)</section>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def _period(folder: Path) -> tuple[str | None, str | None]:
    """The period of a run (its run-summary.json), as the reports were given it."""
    summary = folder / "run-summary.json"
    if not summary.exists():
        return None, None
    params = json.loads(summary.read_text()).get("parameters", {})
    return params.get("period_start"), params.get("period_end")


def check(out_dir: Path, data: store.Store) -> tuple[int, list[Disagreement]]:
    """(figures compared, disagreements) for every report in out_dir."""
    start, end = _period(out_dir)
    slugs = {p.slug: p for p in geography.partnerships()}
    compared, found = 0, []
    for part in sorted(p for p in out_dir.iterdir() if p.is_dir() and p.name in slugs):
        partnership = slugs[part.name]
        ev = evidence.load(data, partnership.code, start, end)
        for area_dir in sorted(p for p in part.iterdir() if p.is_dir()):
            locality = next(
                (loc for loc in partnership.localities if geography.slugify(loc) == area_dir.name),
                None,
            )
            view = ev.for_locality(locality)
            for page in sorted(area_dir.glob("*.html")):
                text = key_messages(page.read_text(encoding="utf-8"))
                for key, patterns in PHRASES.items():
                    expected = view.figure(key).number()
                    for pattern in patterns:
                        for said in re.findall(pattern, text):
                            compared += 1
                            if said != expected:
                                found.append(
                                    Disagreement(
                                        page.relative_to(out_dir).as_posix(), key, expected, said
                                    )
                                )
    return compared, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a run_all.py output folder")
    parser.add_argument("--data", default=None, help="the data the run used (default: params)")
    args = parser.parse_args(argv)
    compared, found = check(args.out, store.open_data(args.data, log=lambda *_: None))
    for d in found:
        print(d)
    print(f"{compared} figures compared in {args.out}: {len(found)} disagree.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
