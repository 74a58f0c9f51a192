"""The model's diagram with today's numbers (for charts.stock_flow_diagram)."""

from __future__ import annotations

import pandas as pd

from hscp.flow.calibration import Calibration
from hscp.flow.pathway import DELAY_GROUPS

#: Boxes of the diagram: key -> (label, stocks, x, y).
DIAGRAM_STOCKS = {
    "home": ("At home, aged 65+", ("community", "home_after_discharge"), 0.0, 2.0),
    "waiting_care_at_home": (
        "Waiting at home for care at home",
        ("waiting_care_at_home",),
        0.0,
        0.8,
    ),
    "waiting_care_home": (
        "Waiting at home for a care home place",
        ("waiting_care_home",),
        2.0,
        -0.4,
    ),
    "treatment": ("Acute bed: treatment", ("acute_treatment",), 2.0, 2.0),
    "delayed": ("Acute bed: delayed", tuple(f"delayed_{g}" for g in DELAY_GROUPS), 4.0, 2.0),
    "intermediate_care": (
        "Intermediate care",
        ("intermediate_care_step_down", "intermediate_care_step_up"),
        6.0,
        3.1,
    ),
    "care_at_home": ("Care at home", ("care_at_home",), 6.0, 1.4),
    "care_home": ("Care home", ("care_home",), 6.0, -0.4),
}
#: Arrows of the diagram: (from, to, flows added up, bend, offset).
DIAGRAM_FLOWS = (
    ("home", "treatment", ("emergency_admission", "readmission"), 0.0, 0.13),
    ("treatment", "home", ("discharged_home",), 0.0, 0.13),
    ("treatment", "delayed", tuple(f"ready_{g}" for g in DELAY_GROUPS), 0.0, 0.0),
    ("home", "intermediate_care", ("step_up",), -0.25, 0.0),
    ("delayed", "intermediate_care", ("delayed_intermediate_care_to_intermediate_care",), 0.0, 0.0),
    (
        "delayed",
        "care_at_home",
        tuple(f"delayed_{g}_to_care_at_home" for g in DELAY_GROUPS),
        0.0,
        0.0,
    ),
    ("delayed", "care_home", tuple(f"delayed_{g}_to_care_home" for g in DELAY_GROUPS), 0.0, 0.0),
    ("home", "waiting_care_at_home", ("referred_care_at_home",), 0.0, 0.0),
    ("home", "waiting_care_home", ("referred_care_home",), 0.0, 0.0),
    ("waiting_care_at_home", "care_at_home", ("placed_care_at_home_from_home",), 0.0, 0.0),
    ("waiting_care_home", "care_home", ("placed_care_home_from_home",), 0.0, 0.0),
)


def diagram_table(calibration: Calibration) -> pd.DataFrame:
    """The model's diagram with today's numbers (the baseline run over the observed year):
    stocks (people on an average day) and the main flows (people a day; `in_year`, the
    people in the year, is the count disclosure control looks at)."""
    run = calibration.run()
    start = calibration.report_start
    rows = []
    for key, (label, stocks, x, y) in DIAGRAM_STOCKS.items():
        people = sum(float(run.mean(s, start)[0]) for s in stocks)
        rows.append(
            {
                "kind": "stock",
                "name": key,
                "label": label,
                "x": x,
                "y": y,
                "text": f"{people:,.0f} people",
            }
        )
    for source, target, names, bend, offset in DIAGRAM_FLOWS:
        rate = sum(float(run.mean(n, start)[0]) for n in names)
        rows.append(
            {
                "kind": "flow",
                "source": source,
                "target": target,
                "bend": bend,
                "offset": offset,
                "in_year": round(rate * calibration.observed.days),
                "value": rate,
                "text": f"{rate:,.{1 if rate >= 1 else 2}f} a day",
            }
        )
    return pd.DataFrame(rows)
