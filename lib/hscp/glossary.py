"""The glossary at the end of each rendered report: the terms a partnership lead may not
know, each defined in a sentence, and linked where it first appears in the report.

`TERMS` is the one list; `hscp.batch.rendering.add_glossary` puts the terms a page uses
at its end and links their first use (text only: never inside a link, a heading, a
caption, a table header or the footer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    term: str  # as the glossary lists it
    meaning: str
    patterns: tuple[str, ...]  # regular expressions of how reports write it
    case: bool = False  # match case exactly (abbreviations)

    @property
    def anchor(self) -> str:
        return "glossary-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    def regex(self) -> re.Pattern:
        either = "|".join(f"(?:{p})" for p in self.patterns)
        return re.compile(rf"(?<![\w-])(?:{either})(?![\w-])", 0 if self.case else re.I)


TERMS: tuple[Term, ...] = (
    Term(
        "A&E",
        "Accident and emergency departments and minor injury units; an attendance is one visit.",
        (r"A&amp;E", r"A&E"),
        case=True,
    ),
    Term(
        "Bed days",
        "Days spent in a hospital bed: each night counted in the month it falls "
        "in. Bed days over a year divided by 365 are the beds in use on an average day.",
        (r"bed days",),
    ),
    Term(
        "Census (delayed discharges)",
        "The count of people delayed in hospital on one day a "
        "month (the last Thursday), as Public Health Scotland publishes it.",
        (r"census",),
    ),
    Term(
        "Code 9",
        "Delay reasons for complex needs that a partnership cannot readily resolve, "
        "such as adults with incapacity (AWI) awaiting a guardianship decision: reported "
        "separately by Public Health Scotland.",
        (r"code 9",),
    ),
    Term(
        "Common cause variation",
        "The usual ups and downs of a measure from month to month: "
        "no sign that anything has changed.",
        (r"common cause(?: variation)?",),
    ),
    Term(
        "Confidence interval",
        "The range within which the true value is likely to lie (95% "
        "of the time), given the play of chance in small numbers. Two areas whose figures lie "
        "outside each other's interval are clearly different.",
        (r"confidence intervals?", r"95% CI"),
    ),
    Term(
        "Continuous inpatient stay",
        "A person's time in hospital from admission to final "
        "discharge, even if they moved ward, specialty or hospital: counted once.",
        (r"continuous (?:inpatient )?stays?",),
    ),
    Term(
        "Control chart",
        "A chart of a measure month by month with its mean and process "
        "limits, which separates the usual ups and downs from changes worth acting on "
        "(statistical process control, SPC).",
        (r"control charts?", r"SPC"),
    ),
    Term(
        "Delayed discharge",
        "A person clinically ready to leave hospital who is still in a "
        "hospital bed, waiting for an assessment, care or a place elsewhere.",
        (r"delayed discharges?",),
    ),
    Term(
        "EASR (age-sex standardised rate)",
        "A rate adjusted to the 2013 European Standard "
        "Population, so areas with older or younger populations can be compared fairly.",
        (r"EASR", r"age-sex standardised", r"standardised"),
    ),
    Term(
        "Emergency admission",
        "A hospital stay that began unplanned (SMR01 admission type "
        "20-22 or 30-39), counted once per continuous stay.",
        (r"emergency admissions?",),
    ),
    Term(
        "Erlang",
        "A formula from queueing theory that gives how many beds or places are "
        "needed so that people rarely have to wait, given how many arrive and how long they "
        "stay.",
        (r"Erlang(?:-C| C)?",),
        case=True,
    ),
    Term(
        "ETS (exponential smoothing)",
        "A forecasting method that weights recent months "
        "more; ETS(A,Ad,A) has an additive error, a damped trend and an additive season.",
        (r"ETS\(A,Ad,A\)", r"ETS"),
        case=True,
    ),
    Term(
        "Locality",
        "A part of a partnership's area, set by the partnership for planning "
        "services close to communities.",
        (r"localit(?:y|ies)",),
    ),
    Term(
        "MSG indicators",
        "The Ministerial Strategic Group for Health and Community Care's "
        "indicators of integration: emergency admissions, bed days, A&E, delays, the last six "
        "months of life and the balance of care.",
        (r"MSG",),
        case=True,
    ),
    Term(
        "National indicators (NI)",
        "The Core Suite of Integration Indicators the Scottish "
        "Government publishes for every partnership (NI1 to NI23).",
        (r"NI\d{1,2}", r"Core Suite"),
        case=True,
    ),
    Term(
        "Potentially preventable admission (PPA)",
        "An emergency admission for one of 19 "
        "conditions (such as COPD, angina or diabetes complications) that good care in the "
        "community might have prevented.",
        (r"potentially preventable", r"PPAs?"),
    ),
    Term(
        "Process limits",
        "The lines on a control chart between which nearly all months fall "
        "while nothing changes (the mean plus or minus 2.66 times the average month-to-month "
        "difference).",
        (r"process limits", r"control limits"),
    ),
    Term(
        "Provisional months",
        "The latest months, whose hospital records are still arriving "
        "(records are sent when a person leaves hospital): their numbers will rise.",
        (r"provisional",),
    ),
    Term(
        "SIMD",
        "The Scottish Index of Multiple Deprivation: ranks Scotland's 6,976 small "
        "areas (datazones) from most to least deprived; quintile 1 is the most deprived "
        "fifth.",
        (r"SIMD",),
        case=True,
    ),
    Term(
        "Slope index of inequality",
        "How far a rate rises from the least to the most "
        "deprived, taking every quintile into account, not only the two ends.",
        (r"slope index(?: of inequality)?",),
    ),
    Term(
        "SMR01",
        "Scottish Morbidity Record 01: the national record of every general acute "
        "hospital inpatient and day case episode.",
        (r"SMR01",),
        case=True,
    ),
    Term(
        "Special cause variation",
        "A change in a measure beyond the usual ups and downs "
        "(a month outside the limits, or a run or trend): something has changed and is "
        "worth looking into.",
        (r"special cause(?: variation)?",),
    ),
    Term(
        "Test of change",
        "A change a partnership made to a service, on a small scale, to "
        "learn whether it improves things before spreading it.",
        (r"tests? of change",),
    ),
    Term(
        "Trial limits",
        "Process limits from fewer than 20 months of data since a change: "
        "they can still move as more months come in.",
        (r"trial limits",),
    ),
)
