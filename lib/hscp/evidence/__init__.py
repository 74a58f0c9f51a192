"""The evidence register: a partnership's headline figures and shared tables, computed
once per partnership and period from the prepared store and cached beside it.

Every report quotes its headline numbers from here, so the same figure is the same
number everywhere; where two reports show related figures that differ by definition
(all ages or 65+, the latest 12 months or the whole period, bed days by midnights or
by year of admission), each has its own key, and `Evidence.distinguish` writes the
phrase that tells them apart.

    ev = evidence.load(rpt.data, None, rpt.start, rpt.end)   # or evidence.for_report(rpt)
    ev.figure("emergency_beds").value          # average emergency beds, all ages, 12 months
    ev.distinguish("sd_emergency_beds_65plus", "emergency_beds")
    ev.register()                              # every key and area, tidy
    ev.table("emergency_monthly")              # a shared table

Modules: `definitions` (what each key is), `figures` (rows, comparisons, Figure),
`build` (one section per report, with the reports' own calls), `cache` (on disk,
keyed by the inputs), `register` (Evidence and load).
"""

from hscp.evidence.build import FREQUENT_THRESHOLD, SECTIONS
from hscp.evidence.definitions import DEFINITIONS, POPULATIONS, Definition, definition
from hscp.evidence.figures import REGISTER_COLUMNS, Figure, average_beds, distinguish
from hscp.evidence.register import Evidence, EvidenceError, for_report, load, load_locality

__all__ = [
    "DEFINITIONS",
    "FREQUENT_THRESHOLD",
    "POPULATIONS",
    "REGISTER_COLUMNS",
    "SECTIONS",
    "Definition",
    "Evidence",
    "EvidenceError",
    "Figure",
    "average_beds",
    "definition",
    "distinguish",
    "for_report",
    "load",
    "load_locality",
]
