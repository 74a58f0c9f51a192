"""Phase 2 of redesign, options and their appraisal: what each option does to hospital
beds now and to the projection horizon (with its range), the community services and
staff it needs, the cash it releases (a whole ward at a time) and the capacity it
frees, its share of the set-aside budget, its net present value at the Green Book rate,
and the weighted scoring of the options with the sensitivity of the ranking.

Every number comes from the evidence register's options tables (hscp.evidence.options,
computed once per partnership), so phase 3 quotes the same beds and pounds. The
options, costs, staffing ratios, criteria and weights are in
params/scenarios/options.yaml, each with its source.
"""

from __future__ import annotations

import pandas as pd

from hscp import appraisal, text
from hscp.appraisal import AppraisalSettings
from hscp.evidence import Evidence, EvidenceError

#: The effect an option has, in words, by kind.
WHAT_IT_CHANGES = {
    "care_at_home": "more care at home hours",
    "step_up_beds": "step-up intermediate care beds",
    "fewer_ppa": "fewer potentially preventable admissions",
    "discharge_to_assess": "discharge to assess",
}


class NoOptions(EvidenceError):
    """No option is on the table for the area (or the options could not be computed)."""


def area_table(ev: Evidence, name: str) -> pd.DataFrame:
    """One of the options tables for the view's area (without its `area` column)."""
    try:
        table = ev.table(name)
    except EvidenceError as err:
        raise NoOptions(f"{ev.area}: {err}") from err
    if table.empty or "area" not in table:
        why = ev.problems.get("options", "no option is on the table for any area")
        raise NoOptions(f"No options appraisal for {ev.area}: {why}")
    mine = table[table["area"] == ev.area].drop(columns="area").reset_index(drop=True)
    if mine.empty:
        raise NoOptions(
            f"No option is on the table for {ev.area} (params/scenarios/options.yaml, `areas:`)"
        )
    return mine


def ranked(ev: Evidence) -> pd.DataFrame:
    """The options table of the area, best weighted score first."""
    return area_table(ev, "options_table")


def top_option(ev: Evidence) -> str:
    """The name of the option with the best weighted score (the phase 3 plan's default)."""
    return str(ranked(ev)["option"].iloc[0])


def horizon_beds(ev: Evidence) -> pd.DataFrame:
    """Beds each option frees in the projection's last year: option, year, financial_year,
    beds_freed_p10/_p50/_p90 (at the target occupancy)."""
    by_year = area_table(ev, "options_by_year")
    last = by_year[by_year["year"] == by_year["year"].max()]
    return last[["option", "year", "financial_year", "beds_freed_p10", "beds_freed_p50",
                 "beds_freed_p90"]].reset_index(drop=True)  # fmt: skip


# --- sentences ----------------------------------------------------------------------------


def _beds(value: float, low: float, high: float) -> str:
    return f"{text.number(value, 1)} beds ({text.number(low, 1)} to {text.number(high, 1)})"


def option_sentence(row: pd.Series, horizon: pd.Series | None) -> str:
    """What one option does, costs and releases, in one sentence."""
    now = _beds(row["beds_freed"], row["beds_freed_low"], row["beds_freed_high"])
    later = ""
    if horizon is not None:
        later = (
            f", {_beds(horizon['beds_freed_p50'], horizon['beds_freed_p10'], horizon['beds_freed_p90'])}"
            f" by {horizon['financial_year']}"
        )
    if row["wards_closed"] >= 1:
        cash = (
            f"closes {text.number(row['wards_closed'], 0)} "
            f"{text.plural(row['wards_closed'], 'ward')}: {text.net_money(row['recurrent_net_cash_release'])} a year"
        )
    else:
        cash = (
            "frees too few beds to close a ward, so it releases no ward costs: "
            f"{text.net_money(row['recurrent_net_cash_release'])} a year after paying for the "
            f"community service, and {text.money(row['capacity_value'])} of capacity that is not cash"
        )
    return f"{row['label']} frees {now} now{later}; it {cash}."


def summary(ev: Evidence, settings: AppraisalSettings) -> list[str]:
    """The key messages: the ranking, each option's beds and cash, the set-aside budget."""
    table = ranked(ev)
    horizon = horizon_beds(ev).set_index("option")
    best = table.iloc[0]
    messages = [
        f"{len(table)} {text.plural(len(table), 'option')} for {ev.area}, scored on "
        f"{text.join(settings.criteria.values()).lower()}: {best['label']} scores best "
        f"({text.number(best['weighted_score'], 2)} of 5)."
    ]
    messages += [
        option_sentence(r, horizon.loc[r["option"]] if r["option"] in horizon.index else None)
        for _, r in table.iterrows()
    ]
    messages += set_aside_sentences(ev)
    messages += sensitivity_sentences(settings, [str(o) for o in table["option"]])
    return messages


def set_aside_sentences(ev: Evidence) -> list[str]:
    """The set-aside budget and the most any option could shift to the community."""
    try:
        budget = ev.figure("set_aside_budget")
        shift = area_table(ev, "set_aside_shift")
    except EvidenceError:
        return []
    if budget.suppressed or shift.empty:
        return []
    best = shift.sort_values("shift", ascending=False).iloc[0]
    label = ranked(ev).set_index("option").loc[best["option"], "label"]
    return [
        f"The set-aside budget for unscheduled care is about {text.money(budget.value)} a year "
        f"({budget.period_label}); {text.lower_first(label)} would shift the most, "
        f"{text.money(best['shift'])} ({text.percent(best['share_of_set_aside'])} of it), as "
        "resource to negotiate with the health board, not cash."
    ]


def sensitivity_sentences(settings: AppraisalSettings, options: list[str]) -> list[str]:
    """Whether the best option stays best when each weight moves by the settings' change."""
    chosen = [settings.option(o) for o in options]
    scores = settings.scores(chosen)
    moved = appraisal.weight_sensitivity(scores, settings.weights, settings.weight_change)
    flips = moved[moved["top_changes"]]
    share = text.whole_percent(settings.weight_change)
    if flips.empty:
        return [
            f"The best option stays best when any one weight moves {share} up or down: "
            "the ranking does not hang on one judgement."
        ]
    names = {o.name: o.label for o in chosen}
    first = flips.iloc[0]
    return [
        f"The ranking is sensitive to the weights: with the weight on "
        f"{settings.criteria[first['criterion']].lower()} moved {first['direction']} by {share}, "
        f"{names[first['top_option']]} scores best instead."
    ]


def no_options_note(err: Exception) -> str:
    return (
        f"{err}. Add options to params/scenarios/options.yaml (see docs/methods.md, "
        "'Options appraisal')."
    )


# --- tables --------------------------------------------------------------------------------


def options_list(ev: Evidence, settings: AppraisalSettings) -> pd.DataFrame:
    """The options as defined: what each is, its size and range tested, how fast it builds up."""
    rows = []
    for name in ranked(ev)["option"]:
        o = settings.option(name)
        rows.append(
            {
                "option": o.label,
                "what_it_is": o.description,
                "size": f"{text.short_number(o.size)} ({text.short_number(o.low)} to "
                f"{text.short_number(o.high)}) {o.unit}",
                "months_to_full": o.months_to_full,
                "build_up": o.profile,
            }
        )
    return pd.DataFrame(rows)


OPTIONS_SPEC = {"counts": [], "formats": {"months_to_full": "{:,.0f}"}}


def beds_table(ev: Evidence) -> pd.DataFrame:
    """Bed days and beds freed by each option now (system dynamics, with its range) and at
    the horizon (projection, median and 80% range)."""
    table = ranked(ev)
    horizon = horizon_beds(ev)
    out = table[["option", "label", "bed_days_avoided", "bed_days_avoided_low",
                 "bed_days_avoided_high", "beds_freed", "beds_freed_low", "beds_freed_high"]]  # fmt: skip
    out = out.merge(horizon.drop(columns=["year"]), on="option", how="left")
    return out.drop(columns="option")


BEDS_SPEC = {
    "counts": [],
    "formats": {
        c: "{:,.0f}" for c in ("bed_days_avoided", "bed_days_avoided_low", "bed_days_avoided_high")
    }  # fmt: skip
    | {
        c: "{:,.1f}"
        for c in (
            "beds_freed",
            "beds_freed_low",
            "beds_freed_high",
            "beds_freed_p10",
            "beds_freed_p50",
            "beds_freed_p90",
        )
    },  # fmt: skip
    "labels": {
        "label": "Option",
        "bed_days_avoided": "Bed days avoided a year",
        "bed_days_avoided_low": "low",
        "bed_days_avoided_high": "high",
        "beds_freed": "Beds freed now",
        "beds_freed_low": "low",
        "beds_freed_high": "high",
        "financial_year": "Horizon",
        "beds_freed_p50": "Beds freed at the horizon",
        "beds_freed_p10": "10th centile",
        "beds_freed_p90": "90th centile",
    },
}


def beds_by_year(ev: Evidence) -> pd.DataFrame:
    """Beds freed each year to the horizon by option (for the fan chart): option label,
    year, median and 80% range."""
    by_year = area_table(ev, "options_by_year")
    labels = ranked(ev).set_index("option")["label"]
    out = by_year.assign(label=by_year["option"].map(labels))
    return out[["label", "year", "beds_freed_p10", "beds_freed_p50", "beds_freed_p90"]]


def requirements_table(ev: Evidence) -> pd.DataFrame:
    """Community services and staff (whole-time equivalents) each option needs."""
    needs = area_table(ev, "options_requirements")
    labels = ranked(ev).set_index("option")["label"]
    needs = needs.assign(option=needs["option"].map(labels))
    return needs[["option", "care_at_home_hours_per_week", "intermediate_care_places",
                  "discharge_to_assess_places", "care_home_places", "wte_total"]]  # fmt: skip


REQUIREMENTS_SPEC = {
    "counts": [],
    "formats": {
        "care_at_home_hours_per_week": "{:,.0f}",
        "intermediate_care_places": "{:,.1f}",
        "discharge_to_assess_places": "{:,.1f}",
        "care_home_places": "{:,.1f}",
        "wte_total": "{:,.1f}",
    },
    "labels": {
        "care_at_home_hours_per_week": "Care at home hours a week",
        "intermediate_care_places": "Intermediate care places",
        "discharge_to_assess_places": "People assessed at home (average day)",
        "care_home_places": "Care home places",
        "wte_total": "Staff (WTE)",
    },
}


_POUNDS = text.POUNDS
_THOUSANDS = text.THOUSANDS


def in_thousands(table: pd.DataFrame, columns) -> pd.DataFrame:
    """Money columns in thousands of pounds, as every phase 2 table publishes them, named
    so in the CSV (`set_aside` -> `set_aside_thousands`)."""
    return table.assign(**{c: table[c] / 1000 for c in columns}).rename(
        columns={c: thousands(c) for c in columns}
    )


def thousands(column: str) -> str:
    """The published name of a money column in thousands of pounds."""
    return f"{column}_thousands"


#: The money columns of the cash table (thousands of pounds a year).
CASH_COLUMNS = (
    "ward_costs_released",
    "variable_cost_avoided",
    "community_reinvestment",
    "double_running",
    "net_cash_release",
    "recurrent_net_cash_release",
    "capacity_value",
    "value_at_average_cost",
)


def cash_table(ev: Evidence) -> pd.DataFrame:
    """Savings and net cash release of each option a year: ward costs released, variable
    cost avoided, community reinvestment, double running, net, and the capacity value."""
    a = area_table(ev, "options_appraisal")
    order = ranked(ev)["option"].tolist()
    a = a.set_index("option").loc[order].reset_index()
    table = a[["label", "beds_freed", "wards_closed", *CASH_COLUMNS]]
    return in_thousands(table, CASH_COLUMNS)


CASH_SPEC = {
    "counts": [],
    "formats": {"beds_freed": "{:,.1f}", "wards_closed": "{:,.0f}"}
    | {thousands(c): _THOUSANDS for c in CASH_COLUMNS},
    "labels": {
        "label": "Option",
        "beds_freed": "Beds freed",
        "wards_closed": "Wards closed",
        "ward_costs_released_thousands": "Ward costs released",
        "variable_cost_avoided_thousands": "Variable cost avoided",
        "community_reinvestment_thousands": "Community reinvestment",
        "double_running_thousands": "Double running (first year)",
        "net_cash_release_thousands": "Net cash release, first year",
        "recurrent_net_cash_release_thousands": "Net cash release, each later year",
        "capacity_value_thousands": "Capacity freed, not cash",
        "value_at_average_cost_thousands": "Bed days at average cost (not cash)",
    },
}


def set_aside_table(ev: Evidence) -> pd.DataFrame:
    """The set-aside budget by specialty: bed days, cost per bed day, budget (£ thousand), share."""
    return in_thousands(area_table(ev, "set_aside"), ["set_aside"])


SET_ASIDE_SPEC = {
    "counts": ["bed_days"],
    "derived": {"set_aside_thousands": ["bed_days"], "share": ["bed_days"]},
    "safe": ["cost_per_bed_day"],
    "formats": {
        "bed_days": "{:,.0f}",
        "cost_per_bed_day": _POUNDS,
        "set_aside_thousands": _THOUSANDS,
        "share": "{:.1%}",
    },  # fmt: skip
    "labels": {
        "specialty": "Specialty",
        "bed_days": "Emergency bed days",
        "cost_per_bed_day": "Cost per bed day",
        "set_aside_thousands": "Set-aside budget",
        "share": "Share",
    },  # fmt: skip
}


def shift_table(ev: Evidence) -> pd.DataFrame:
    """How much of the set-aside budget each option's bed days represent."""
    shift = area_table(ev, "set_aside_shift")
    labels = ranked(ev).set_index("option")["label"]
    return in_thousands(shift.assign(option=shift["option"].map(labels)), ["shift"])


SHIFT_SPEC = {
    "counts": [],
    "formats": {
        "bed_days_avoided": "{:,.0f}",
        "cost_per_bed_day": _POUNDS,
        "shift_thousands": _THOUSANDS,
        "share_of_set_aside": "{:.1%}",
    },  # fmt: skip
    "labels": {
        "bed_days_avoided": "Bed days avoided a year",
        "cost_per_bed_day": "Average cost per bed day",
        "shift_thousands": "Could shift",
        "share_of_set_aside": "Share of the set-aside",
    },  # fmt: skip
}


def npv_table(ev: Evidence, settings: AppraisalSettings) -> pd.DataFrame:
    """Net present value of each option over the appraisal period, with its range."""
    table = ranked(ev)
    return in_thousands(
        table[["label", "npv", "npv_low", "npv_high"]], ["npv", "npv_low", "npv_high"]
    )


def npv_spec(settings: AppraisalSettings) -> dict:
    return {
        "counts": [],
        "formats": {thousands(c): _THOUSANDS for c in ("npv", "npv_low", "npv_high")},
        "labels": {
            "label": "Option",
            "npv_thousands": f"Net present value, {settings.period_years} years",
            "npv_low_thousands": "at the low bed days",
            "npv_high_thousands": "at the high bed days",
        },
    }


def scoring_table(ev: Evidence, settings: AppraisalSettings) -> pd.DataFrame:
    """The options' scores on each criterion, weighted score and rank."""
    options = [settings.option(o) for o in ranked(ev)["option"]]
    scores = appraisal.weighted_scores(settings.scores(options), settings.weights)
    labels = {o.name: o.label for o in options}
    scores["option"] = scores["option"].map(labels)
    return scores.rename(columns=settings.criteria)


def scoring_spec(settings: AppraisalSettings) -> dict:
    weights = sum(settings.weights.values())
    return {
        "counts": [],
        "formats": {"weighted_score": "{:.2f}", "rank": "{:,.0f}"}
        | {label: "{:,.0f}" for label in settings.criteria.values()},
        "labels": {"option": "Option", "weighted_score": "Weighted score", "rank": "Rank"}
        | {
            label: f"{label} ({text.percent(settings.weights[k] / weights, 0)})"
            for k, label in settings.criteria.items()
        },
    }


def flip_table(ev: Evidence, settings: AppraisalSettings) -> pd.DataFrame:
    """How far each criterion's weight must move before another option takes first place."""
    options = [settings.option(o) for o in ranked(ev)["option"]]
    flips = appraisal.weight_to_flip(settings.scores(options), settings.weights)
    labels = {o.name: o.label for o in options}
    flips["criterion"] = flips["criterion"].map(settings.criteria)
    for side in ("up", "down"):
        flips[f"new_top_{side}"] = flips[f"new_top_{side}"].map(labels)
    return flips[["criterion", "weight_share", "up_to_share", "new_top_up", "down_to_share",
                  "new_top_down"]]  # fmt: skip


FLIP_SPEC = {
    "counts": [],
    "formats": {"weight_share": "{:.0%}", "up_to_share": "{:.0%}", "down_to_share": "{:.0%}"},
    "labels": {
        "criterion": "Criterion",
        "weight_share": "Weight now",
        "up_to_share": "Best changes above",
        "new_top_up": "to",
        "down_to_share": "Best changes below",
        "new_top_down": "to",
    },
}


def consultation_table(ev: Evidence) -> pd.DataFrame:
    """The options table for consultation with communities and service users."""
    table = ranked(ev)
    out = pd.DataFrame(
        {
            "rank": table["rank"],
            "option": table["label"],
            "what_it_is": table["description"],
            "beds_freed": [
                f"{text.number(r.beds_freed, 1)} ({text.number(r.beds_freed_low, 1)} to "
                f"{text.number(r.beds_freed_high, 1)})"
                for r in table.itertuples()
            ],
            "staff_wte": table["wte_total"],
            "cost_a_year_thousands": table["community_reinvestment"] / 1000,
            "net_a_year": [text.net_money(v) for v in table["recurrent_net_cash_release"]],
        }
    )
    return out


CONSULTATION_SPEC = {
    "counts": [],
    "formats": {"rank": "{:,.0f}", "staff_wte": "{:,.1f}", "cost_a_year_thousands": _THOUSANDS},
    "labels": {
        "rank": "Rank",
        "option": "Option",
        "what_it_is": "What it is",
        "beds_freed": "Hospital beds freed (range)",
        "staff_wte": "Staff needed (WTE)",
        "cost_a_year_thousands": "Community cost a year",
        "net_a_year": "Net cash, each full year",
    },
}

SOURCES_SPEC = {"counts": [], "formats": {"value": "{:,.2f}"}}


# --- figures -----------------------------------------------------------------------------


def beds_range_args(ev: Evidence) -> dict:
    """The range chart of beds freed now by each option (report.figure arguments)."""
    table = ranked(ev)
    data = table[["label", "beds_freed", "beds_freed_low", "beds_freed_high"]].rename(
        columns={
            "label": "area",
            "beds_freed": "value",
            "beds_freed_low": "lower",
            "beds_freed_high": "upper",
        }  # fmt: skip
    )
    best = table.sort_values("beds_freed", ascending=False).iloc[0]
    return {
        "data": data,
        "highlight": best["label"],
        "title": f"{best['label']} frees the most beds now, about "
        f"{text.number(best['beds_freed'], 1)} ({ev.area}, people aged 65+)",
        "alt": "Horizontal intervals: for each option, the beds it frees on an average day "
        "now, with the range from its low to its high size and the model's uncertain values.",
        "counts": [],
        "xlabel": "Beds freed (average day, at the target occupancy)",
    }


def fan_args(ev: Evidence) -> dict:
    """Beds freed each year to the horizon by each option, median and 80% range."""
    data = beds_by_year(ev)
    horizon = horizon_beds(ev)
    last = int(horizon["year"].iloc[0]) if len(horizon) else None
    return {
        "data": data,
        "title": f"The beds each option frees grow with the older population to {last}",
        "alt": "Lines with shaded 80% ranges: beds freed each financial year by each option, "
        "from none in the base year to the horizon.",
        "counts": [],
        "ylabel": "Beds freed",
    }
