"""The older people's pathway: a whole-system stock-and-flow model of care for people 65+.

The diagram (every stock is people aged 65 and over; time in days):

    community ──emergency admission──▶ acute treatment ──▶ home after discharge ──▶ community
        │  ╲                               │    ▲                 │ readmission ▲
        │   ╲ step-up (avoids admission)   │    │ not fit         ▼             │
        │    ▶ intermediate care ◀─────────┼────┼── delayed: waiting for intermediate care
        │      (step-up, step-down)        ├──▶ delayed: waiting for assessment ──┐
        ▼                                  ├──▶ delayed: waiting for a care home place
    waiting at home for care at home ──┐   ├──▶ delayed: waiting for care at home │
    waiting at home for a care home ───┤   ├──▶ delayed: other reasons           │
                                       ▼   └──▶ discharge to assess (scenario) ◀──┘
                          care at home, care home (capacity-limited)      ──▶ deaths

Admissions are age-specific rates x population x seasonality. Treatment ends
after its length of stay; most people go home, some die, and some become ready
for discharge but wait in their acute bed: for an assessment, a care home
place, care at home, intermediate care or for other reasons (legal, family,
housing). Each service (care homes, care at home, intermediate care) has a
capacity; a flow into a full service waits, MIN(demand, spare capacity), and
the service's places are shared between hospital discharges and people waiting
at home in proportion to demand. That is where delays come from.

`calibrate` sets every rate so that the model's steady state is the
partnership's own observed year (admissions, occupied beds, delayed beds by
reason, discharge destinations, deaths, readmissions) with the capacities from
params; docs/methods.md ("System dynamics model") has the equations.

The model lives in `hscp.flow.pathway` (its structure), `hscp.flow.settings` (the
settings file), `hscp.flow.observed` (an area's observed year) and
`hscp.flow.calibration` (the steady state and its refinement); this module gathers
their names in one namespace.
"""

from hscp.flow._common import CalibrationError
from hscp.flow.calibration import (
    Calibration,
    area_capacities,
    calibrate,
    refine_all,
    steady_state,
    with_rates,
)
from hscp.flow.observed import Observed
from hscp.flow.pathway import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    DELAY_GROUP_LABELS,
    DELAY_GROUPS,
    DESTINATIONS,
    LIMITS,
    ONWARD,
    READMISSION_WINDOW,
    SERVICES,
    SETTINGS,
    build_model,
    times,
)
from hscp.flow.settings import LEVERS, Settings, load_settings

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_LABELS",
    "Calibration",
    "CalibrationError",
    "DELAY_GROUPS",
    "DELAY_GROUP_LABELS",
    "DESTINATIONS",
    "LEVERS",
    "LIMITS",
    "ONWARD",
    "Observed",
    "READMISSION_WINDOW",
    "SERVICES",
    "SETTINGS",
    "Settings",
    "area_capacities",
    "build_model",
    "calibrate",
    "load_settings",
    "refine_all",
    "steady_state",
    "times",
    "with_rates",
]
