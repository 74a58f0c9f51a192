"""The older people's pathway as a stock-and-flow model: its stocks, flows, capacities and
equations (the diagram is in hscp.flow.older_people's docstring).
"""

from __future__ import annotations

import operator
from functools import cache

import numpy as np

from hscp.flow.engine import Model
from hscp.params.system_dynamics import DELAY_GROUPS, DESTINATIONS, ONWARD

#: Age bands with their own emergency admission rates.
AGE_BANDS = ("65_74", "75_84", "85_plus")
AGE_BAND_LABELS = {"65_74": "65-74", "75_84": "75-84", "85_plus": "85+"}

#: What people delayed in an acute bed wait for, as a sentence names it (the groups, where
#: delays end and where intermediate care leads are the settings file's vocabulary:
#: hscp.params.system_dynamics).
DELAY_GROUP_LABELS = {
    "assessment": "an assessment",
    "care_home": "a care home place",
    "care_at_home": "care at home",
    "intermediate_care": "intermediate care",
    "other": "other reasons (legal, family, housing, transport)",
}

#: The capacity-limited services.
SERVICES = ("care_home", "care_at_home", "intermediate_care")

#: Stocks grouped into the settings people are in, in the order of the stacked chart.
SETTINGS = {
    "Acute bed: treatment": ("acute_treatment",),
    "Acute bed: delayed": tuple(f"delayed_{g}" for g in DELAY_GROUPS),
    "Intermediate care": ("intermediate_care_step_down", "intermediate_care_step_up"),
    "Discharge to assess": ("discharge_to_assess",),
    "Care home": ("care_home",),
    "Care at home": ("care_at_home",),
    "Waiting at home for a service": ("waiting_care_home", "waiting_care_at_home"),
    "At home, no new service": ("community", "home_after_discharge"),
}

#: Days after an emergency discharge within which a readmission counts (NI14).
READMISSION_WINDOW = 28.0


def times(*names: str):
    """An equation: the product of the named variables (names bound once, for speed)."""
    getters = [operator.attrgetter(n) for n in names]
    if len(getters) == 2:
        first, second = getters
        return lambda v: first(v) * second(v)
    first, second, third = getters
    return lambda v: first(v) * second(v) * third(v)


#: The capacity that limits the flows into each service.
LIMITS = {
    "care_home": "care_home_places",
    "care_at_home": "care_at_home_packages",
    "intermediate_care": "intermediate_care_beds",
}


def _add_stocks(m: Model) -> None:
    """Every stock of people aged 65+, and the community: the population less them."""
    labels = {
        "home_after_discharge": "At home within 28 days of an emergency discharge",
        "waiting_care_at_home": "At home, waiting for care at home",
        "waiting_care_home": "At home, waiting for a care home place",
        "acute_treatment": "In an acute bed for treatment",
        **{
            f"delayed_{g}": f"In an acute bed, delayed: waiting for {DELAY_GROUP_LABELS[g]}"
            for g in DELAY_GROUPS
        },
        "intermediate_care_step_down": "In intermediate care (step-down, after hospital)",
        "intermediate_care_step_up": "In intermediate care (step-up, instead of admission)",
        "discharge_to_assess": "At home being assessed (discharge to assess)",
        "care_at_home": "Receiving care at home",
        "care_home": "Living in a care home",
    }
    for name, label in labels.items():
        m.stock(name, initial=operator.attrgetter(f"initial_{name}"), label=label)
    # Everyone else aged 65+ is at home without a new service: the population less the above.
    population = [(f"population_{b}", f"growth_{b}") for b in AGE_BANDS]
    m.stock(
        "community",
        initial=lambda v: (
            sum(getattr(v, p) * getattr(v, g) for p, g in population)
            - sum(getattr(v, name) for name in labels)
        ),
        label="At home (65+), no new service",
    )


def _add_inputs(m: Model) -> None:
    """Population by age band, its change a day, and the seasonality of admissions."""
    for band in AGE_BANDS:
        age = AGE_BAND_LABELS[band]
        m.input(f"population_{band}", label=f"Population aged {age}")
        m.input(f"population_change_{band}", label=f"Change a day in the population aged {age}")
    m.input("seasonality", label="Emergency admissions this month / the monthly average")


def _add_capacities(m: Model) -> None:
    """Care home places, the people the care at home hours support, intermediate care beds."""
    m.capacity(
        "care_home_places",
        ["care_home"],
        operator.attrgetter("care_home_capacity"),
        label="Care home places",
    )
    m.capacity(
        "care_at_home_packages",
        ["care_at_home"],
        lambda v: v.care_at_home_hours / v.hours_per_package,
        label="People the care at home hours can support",
    )
    m.capacity(
        "intermediate_care_beds",
        ["intermediate_care_step_down", "intermediate_care_step_up"],
        operator.attrgetter("intermediate_care_capacity"),
        label="Intermediate care beds",
    )


def _add_auxiliaries(m: Model) -> None:
    """Need, admission demand, treatment length of stay, and the totals reported."""
    rates = [(f"admission_rate_{b}", f"population_{b}", f"growth_{b}") for b in AGE_BANDS]
    m.auxiliary(
        "need",
        lambda v: sum(getattr(v, r) * getattr(v, p) * getattr(v, g) for r, p, g in rates),
        label="First emergency admissions a day in an average month (age-weighted need)",
    )
    changes = [(f"population_change_{b}", f"growth_{b}") for b in AGE_BANDS]
    m.auxiliary(
        "population_growth",
        lambda v: sum(getattr(v, c) * getattr(v, g) for c, g in changes),
        label="Change a day in the population aged 65+",
    )
    m.auxiliary(
        "admission_demand",
        lambda v: v.need * v.seasonality * (1 - v.ppa_share * v.ppa_avoided),
        label="First emergency admissions a day, before step-up",
    )
    m.auxiliary(
        "ppa_avoided_admissions",
        lambda v: v.need * v.seasonality * v.ppa_share * v.ppa_avoided,
        label="Potentially preventable admissions avoided a day",
    )
    m.auxiliary(
        "treatment_length_of_stay",
        # Avoided PPAs take their own (shorter) stays out of the mix; then any reduction.
        lambda v: (
            (v.los_treatment - v.ppa_share * v.ppa_avoided * v.los_ppa)
            / (1 - v.ppa_share * v.ppa_avoided)
            * (1 - v.los_reduction)
        ),
        label="Average days of treatment in an acute bed",
    )
    m.auxiliary("treatment_complete", lambda v: v.acute_treatment / v.treatment_length_of_stay)
    m.total(
        "delayed_beds",
        [f"delayed_{g}" for g in DELAY_GROUPS],
        label="Acute beds occupied by people ready for discharge",
    )
    m.total(
        "occupied_beds",
        ["acute_treatment", "delayed_beds"],
        label="Acute beds occupied by people 65+ admitted as an emergency",
    )
    m.total(
        "emergency_stays",
        [
            "emergency_admission",
            "readmission",
            "step_down_to_acute",
            "step_up_to_acute",
            "assessed_to_acute",
        ],
        label="Emergency admissions a day (new stays, readmissions included)",
    )


def _add_community(m: Model) -> None:
    """From home: population change, deaths at home, step-up, admissions, referrals."""
    m.flow(
        "population_change",
        None,
        "community",
        # Keeps the model's people equal to the population: its growth plus all who died.
        lambda v: np.maximum(v.population_growth + v.deaths, 0.0),
        label="Turning 65 or moving in, net of moving out",
    )
    m.flow("died_at_home", "community", None, fraction="community_mortality")
    m.flow(
        "step_up",
        "community",
        "intermediate_care_step_up",
        times("admission_demand", "step_up_share"),
        limited_by="intermediate_care_beds",
        label="Step-up to intermediate care instead of admission",
    )
    m.flow(
        "emergency_admission",
        "community",
        "acute_treatment",
        lambda v: v.admission_demand - v.step_up,
        label="First emergency admission (no step-up bed free, or not suitable)",
    )
    for s in ("care_home", "care_at_home"):
        m.flow(
            f"referred_{s}",
            "community",
            f"waiting_{s}",
            times(f"referral_rate_{s}", "need"),
            label=f"Referred from home for {DELAY_GROUP_LABELS[s]}",
        )
        m.flow(
            f"placed_{s}_from_home",
            f"waiting_{s}",
            s,
            fraction=f"home_placement_{s}",
            limited_by=LIMITS[s],
            label=f"Starts {DELAY_GROUP_LABELS[s]} from home",
        )
        m.flow(f"died_waiting_{s}", f"waiting_{s}", None, fraction="waiting_mortality")


def _add_home_after_discharge(m: Model) -> None:
    """Home after discharge: readmitted, or settled at home after 28 days."""
    m.flow("readmission", "home_after_discharge", "acute_treatment", fraction="readmission_hazard")
    m.flow("settled_at_home", "home_after_discharge", "community", fraction=1 / READMISSION_WINDOW)


def _add_treatment(m: Model) -> None:
    """Acute treatment: where it ends (death, a delay, discharge to assess, home)."""
    m.flow("died_in_treatment", "acute_treatment", None, times("treatment_complete", "share_died"))
    for g in DELAY_GROUPS:
        m.flow(
            f"ready_{g}",
            "acute_treatment",
            f"delayed_{g}",
            (
                lambda v: (
                    v.treatment_complete * v.share_assessment * (1 - v.discharge_to_assess_share)
                )
            )
            if g == "assessment"
            else times("treatment_complete", f"share_{g}"),
            label=f"Ready for discharge, waiting for {DELAY_GROUP_LABELS[g]}",
        )
    m.flow(
        "discharged_to_assess",
        "acute_treatment",
        "discharge_to_assess",
        times("treatment_complete", "share_assessment", "discharge_to_assess_share"),
        label="Discharged home to be assessed there",
    )
    m.flow(
        "discharged_home",
        "acute_treatment",
        "home_after_discharge",
        times("treatment_complete", "share_home"),
        label="Discharged home on the day ready",
    )


def _add_delay_ends(m: Model) -> None:
    """Delayed in an acute bed: how each wait ends."""
    # Each way a wait ends is a first-order flow: its hazard is the share of the group's
    # delays that end that way / the group's mean wait. A delay waiting for a service (a
    # care home place, care at home, intermediate care) moves into it only when it has
    # room; waits for an assessment or for other reasons are not held up by capacity.
    targets = {
        "home": "home_after_discharge",
        "died": None,
        "treatment": "acute_treatment",
        "care_home": "care_home",
        "care_at_home": "care_at_home",
        "intermediate_care": "intermediate_care_step_down",
    }
    for g in DELAY_GROUPS:
        for d in DESTINATIONS:
            if d == "intermediate_care" and g != "intermediate_care":
                continue
            m.flow(
                f"delayed_{g}_to_{d}",
                f"delayed_{g}",
                targets[d],
                fraction=f"exit_{g}_{d}",
                # Only the service a delay waits for holds it up; its other ends (an
                # assessment that leads to care at home, say) take their places first.
                limited_by=LIMITS[d] if d == g else None,
            )


def _add_onward(m: Model) -> None:
    """Intermediate care and discharge to assess: where they lead."""
    onward = {
        "home": "community",
        "care_at_home": "care_at_home",
        "care_home": "care_home",
        "died": None,
        "acute": "acute_treatment",
    }
    for stock, prefix in (
        ("intermediate_care_step_down", "step_down"),
        ("intermediate_care_step_up", "step_up"),
        ("discharge_to_assess", "assessed"),
    ):
        for d in ONWARD:
            m.flow(
                f"{prefix}_to_{d}",
                stock,
                onward[d],
                fraction=f"rate_{prefix}_to_{d}",  # the share going there / days there
                # Intermediate care waits for a free place; discharge to assess, like the
                # assessments in hospital it replaces, leads straight to the service.
                limited_by=LIMITS.get(d) if prefix != "assessed" else None,
            )


def _add_services(m: Model) -> None:
    """Services: deaths and ends of care; and all deaths a day."""
    m.flow("died_in_care_home", "care_home", None, fraction="rate_care_home_died")
    m.flow("died_with_care_at_home", "care_at_home", None, fraction="rate_care_at_home_died")
    m.flow("care_at_home_ended", "care_at_home", "community", fraction="rate_care_at_home_ended")

    m.total(
        "deaths",
        [
            "died_at_home",
            "died_waiting_care_home",
            "died_waiting_care_at_home",
            "died_in_treatment",
            *(f"delayed_{g}_to_died" for g in DELAY_GROUPS),
            "step_down_to_died",
            "step_up_to_died",
            "assessed_to_died",
            "died_in_care_home",
            "died_with_care_at_home",
        ],
        label="Deaths a day",
    )
    return m


#: The steps that declare the model, in order (the order fixes the evaluation order
#: of equations with no dependency between them, so it is kept).
_STEPS = (
    _add_stocks,
    _add_inputs,
    _add_capacities,
    _add_auxiliaries,
    _add_community,
    _add_home_after_discharge,
    _add_treatment,
    _add_delay_ends,
    _add_onward,
    _add_services,
)


@cache
def build_model() -> Model:
    """The older people's pathway as a stock-and-flow model (see the module docstring).

    Parameters: initial_<stock> (the calibrated steady state), rates a day, shares
    (0 to 1), capacities, and lengths of stay in days; `calibrate` makes them all.
    A flow with `fraction=` leaves its stock at that rate a day per person in it.
    """
    m = Model("Older people's pathway")
    for step in _STEPS:
        step(m)
    return m
