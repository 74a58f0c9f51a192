"""Balancing measures: did the change push pressure somewhere else?

Rule: for each balancing measure (28-day readmissions, A&E re-attendance within 7
days, care home admissions, delays in neighbouring localities, occupancy), in the
changed area and, for a measure marked `neighbours`, in each neighbouring area, the
months from the change are judged against the mean and process limits of the months
before it (spc.impact, Making Data Count rules: a point outside the limits, a trend of
7, 2 of 3 near a limit, a run of 7 on one side). Pressure = special cause in the
worse direction (concern) after the change. A measure without data is listed as not
checked, so a reader sees what was not looked at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from hscp import spc
from hscp.evaluation.control import measure_series
from hscp.evaluation.its import EvaluationError

COLUMNS = [
    "measure",
    "label",
    "area",
    "where",
    "status",
    "verdict",
    "pressure",
    "before_mean",
    "after_mean",
    "change",
    "concern_points",
    "first_signal",
    "rules",
]


def _row(name, spec, area, where, **values) -> dict:
    row = dict.fromkeys(COLUMNS, np.nan)
    row.update(measure=name, label=spec.get("label", name), area=area, where=where, **values)
    return row


def balancing_check(
    measures: pd.DataFrame,
    change,
    *,
    area: str,
    balancing: Mapping[str, Mapping],
    neighbours: Sequence[str] = (),
) -> pd.DataFrame:
    """Each balancing measure after the change, where it could show pressure.

    `measures`: area, measure, month, value. `balancing`: measure name -> {label,
    improvement (the better direction, default decrease), neighbours (true: look in
    the neighbouring areas as well as the changed one)}. Columns: measure, label,
    area, where ("changed area" or "neighbouring area"), status ("checked" or "not
    checked: ..."), verdict (spc.impact's), pressure (special cause concern after the
    change), before_mean, after_mean, change (after / before - 1), concern_points,
    first_signal (the first special cause month), rules (that flagged it).
    """
    change = pd.Timestamp(change)
    rows = []
    for name, spec in balancing.items():
        places = [(area, "changed area")]
        if spec.get("neighbours"):
            places += [(n, "neighbouring area") for n in neighbours if n != area]
        for place, where in places:
            try:
                series = measure_series(measures, name, place)
                result = spc.impact(series, change, improvement=spec.get("improvement", "decrease"))
            except (EvaluationError, ValueError) as err:
                rows.append(
                    _row(name, spec, place, where, status=f"not checked: {err}", pressure=False)
                )
                continue
            rows.append(
                _row(
                    name,
                    spec,
                    place,
                    where,
                    status="checked",
                    verdict=result.verdict,
                    pressure=result.concern_points > 0,
                    before_mean=result.before_mean,
                    after_mean=result.after_mean,
                    change=result.change,
                    concern_points=result.concern_points,
                    first_signal=result.first_signal,
                    rules=", ".join(r for r in result.rules),
                )
            )
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["pressure"] = out["pressure"].astype(bool)
    return out


def pressures(check: pd.DataFrame) -> pd.DataFrame:
    """The balancing measures where pressure appeared, the earliest first."""
    found = check[check["pressure"]]
    return found.sort_values(["first_signal", "measure", "area"], kind="stable").reset_index(
        drop=True
    )
