"""The system dynamics report's story: the calibrated model of care for people aged 65+,
each change tested on its own, every combination ranked per pound, how sure the answer
is, and the population of 2035.

`compute` runs the model once; the other functions turn its results into the key
messages and the arguments of each table and figure (`report.table(**args)`), so the
notebook is one call a step and the sentences are tested without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hscp import text
from hscp.flow import scenarios as sc

#: The side-by-side measures of the changes chart, and their labels.
COMPARED = {
    "occupied_beds": "Acute beds occupied, average a day",
    "delayed_bed_days": "Delayed bed days in the year",
    "waiting_at_home": "People waiting at home for care, average a day",
    "cost_millions": "Cost of the services, £ million a year",
}
#: Modelled columns of the scenario tables (not counts of people).
MODELLED = [
    "Acute beds occupied",
    "Delayed beds",
    "Waiting at home for a care home place",
    "Waiting at home for care at home",
    "Cost of services (£m)",
]


@dataclass
class Results:
    """Everything the report shows, from one calibration of the area."""

    area: str
    model: object  # flow.Calibration
    settings: object  # flow settings
    changes: list
    summary: pd.DataFrame
    check: pd.DataFrame
    comparison: pd.DataFrame
    options: list
    ranked: pd.DataFrame
    tornado: pd.DataFrame
    curves: pd.DataFrame

    @property
    def year(self) -> str:
        o = self.model.observed
        return f"{o.start:%B %Y} to {o.end:%B %Y}"

    @property
    def best(self) -> pd.Series:
        return self.ranked.iloc[0]

    @property
    def base(self) -> pd.Series:
        return self.summary.set_index("scenario").loc["baseline"]

    @property
    def option_labels(self) -> dict[str, str]:
        return {o.name: o.label for o in self.options}


def compute(model, settings, area: str) -> Results:
    """Today's system and each change on its own, run together; every change and
    combination ranked per pound; the sensitivity of the best one; response curves."""
    changes = sc.defined_scenarios(settings, model)
    runs = [sc.BASELINE, *changes]
    results = sc.run_scenarios(model, runs)
    options = sc.options(settings, model)
    ranked = sc.rank_options(model, options)
    sensitivity = sc.sensitivity(model.observed, settings, model.capacities, options)
    return Results(
        area=area,
        model=model,
        settings=settings,
        changes=changes,
        summary=sc.summarise(model, results, runs),
        check=sc.baseline_check(model, results),
        comparison=sc.model_vs_data_table(model, results),
        options=options,
        ranked=ranked,
        tornado=sc.tornado_table(sensitivity, ranked.iloc[0]["scenario"], settings),
        curves=sc.response_curves_table(model),
    )


# --- key messages ---------------------------------------------------------------------------


def today_sentence(r: Results, threshold: int, provisional_from=None) -> str:
    """The observed year: occupied beds of people 65+ and how many were delayed (its
    provisional months named)."""
    days = r.model.observed.days
    late = text.provisional(provisional_from, r.model.observed.end)
    beds = r.check.loc[0, "observed"] / days  # acute bed days / days, as the check table
    delayed = r.check.loc[1, "observed"]  # delayed bed days in the year
    return (
        f"From {r.year}{late}, emergency admissions of people aged 65+ from {r.area} occupied "
        f"{text.number(beds, 0)} acute beds on an average day. "
        f"{text.number(delayed / days, 0)} of them were taken by people ready to leave "
        f"but waiting: {text.count(delayed, threshold=threshold)} delayed bed days in the year."
    )


def fit_sentence(r: Results) -> str:
    """How closely the calibrated model reproduces the year."""
    tolerance = r.settings.tolerance
    return (
        "A model of the area's system, calibrated to its own admissions, stays, delays and "
        "discharge destinations, reproduces the year's occupied beds and delayed bed days to "
        f"within {text.percent(max(r.check['difference'].abs().max(), 0.0001), 2)} (the "
        f"tolerances are {text.percent(tolerance['occupied_beds'], 0)} and "
        f"{text.percent(tolerance['delayed_bed_days'], 0)})."
    )


def future_sentences(r: Results) -> list[str]:
    """The population of 2035 with today's services, and with services grown with need."""
    by_name = r.summary.set_index("scenario")
    if not {"population_2035", "population_2035_grown"} <= set(by_name.index):
        return []
    future, grown = by_name.loc["population_2035"], by_name.loc["population_2035_grown"]
    return [
        "With the population of 2035 and today's services, the model expects "
        f"{text.number(future['occupied_beds'], 0)} occupied beds "
        f"({text.change(future['occupied_beds'] / r.base['occupied_beds'] - 1)}) and "
        f"{text.number(future['delayed_bed_days'], 0)} delayed bed days a year; growing "
        "services in line with need would hold delayed bed days to "
        f"{text.number(grown['delayed_bed_days'], 0)}."
    ]


def key_messages(r: Results, threshold: int, provisional_from=None, tests=()) -> list[str]:
    """`tests`: the partnership's tests of change (performance.tests_of_change), so a
    recommendation says where a change is already running."""
    recommended = sc.recommendation(r.ranked)[:2]
    return [
        today_sentence(r, threshold, provisional_from),
        fit_sentence(r),
        *recommended,
        *running_tests(" ".join(recommended), tests),
        *sensitivity_sentences(r)[1:],
        *future_sentences(r),
    ]


def tests_in(partnership, locality: str | None) -> list:
    """The tests of change of the report's area: all of the partnership's for the whole
    partnership; a locality's own and the partnership-wide ones for a locality."""
    from hscp import performance

    tests = performance.tests_of_change(partnership)
    return tests if locality is None else [t for t in tests if t.locality in (None, locality)]


def running_tests(recommended: str, tests) -> list[str]:
    """A sentence for each test of change already running that the recommendation names
    (its description, e.g. 'Discharge to assess', is in the recommended change's words)."""
    out = []
    said = recommended.lower()
    for test in tests:
        if len(test.description) > 6 and test.description.lower() in said:
            where = test.locality or "the whole partnership"
            out.append(
                f"{where} has run {test.description} since {test.start:%B %Y} as a test of "
                "change: its effect there is already in the months the model learns from, so "
                "the gain the model finds would come from the rest of the area."
            )
    return out


def sensitivity_sentences(r: Results) -> list[str]:
    return sc.sensitivity_sentences(r.tornado, r.best["scenario"], r.option_labels, r.ranked)


def recommendation(r: Results) -> list[str]:
    return sc.recommendation(r.ranked)


# --- tables and figures ------------------------------------------------------------------------


def diagram_args(r: Results) -> dict:
    return {
        "data": sc.diagram_table(r.model),
        "counts": ["in_year"],
        "derived": {"text": ["in_year"]},
        "safe": ["x", "y", "bend", "offset", "value"],  # the layout and modelled averages
        "title": f"The system for older people in {r.area} today: people in each place, "
        "and moving between them",
        "alt": "A stock-and-flow diagram: boxes for people at home, in an acute bed for "
        "treatment, delayed in an acute bed, in intermediate care, receiving care at home, in a "
        "care home and waiting at home for a service, each with the people there on an average "
        "day; arrows between them with the people moving each day.",
        "note": "Modelled averages over the observed year. Deaths, readmissions and smaller "
        "flows are in the model but not drawn.",
    }


def calibration_args(r: Results) -> dict:
    return {
        "data": sc.calibration_table(r.model),
        "title": f"What the model takes from {r.area}'s data, {r.year}, and what follows from it",
        "counts": ["in_the_year"],
        "derived": {"value": ["in_the_year"]},
        "labels": {"in_the_year": "In the year"},
        "note": "People aged 65+. Delays are grouped by what they wait for (reason codes in "
        "docs/methods.md).",
    }


def check_args(r: Results) -> dict:
    check = r.check.assign(
        observed=r.check["observed"].round().astype("Int64"),
        modelled=r.check["modelled"].round().astype("Int64"),
    )
    return {
        "data": check,
        "title": f"The baseline run against the observed year, {r.year}",
        "counts": ["observed"],
        "derived": {"modelled": ["observed"], "difference": ["observed"]},
        "safe": ["tolerance"],
        "formats": {"difference": "{:+.2%}", "tolerance": "{:.0%}"},
        "labels": {"within": "Within tolerance"},
    }


def model_vs_data_args(r: Results) -> dict:
    fit = sc.monthly_fit(r.comparison).set_index("measure")["mean_absolute_error"]
    return {
        "data": r.comparison,
        "counts": ["bed_days"],
        "derived": {"beds": ["bed_days"]},
        "dims": None,
        "title": f"The model follows the observed months within {text.percent(fit.max(), 0)} "
        "on average",
        "alt": f"Two line charts, month by month from {r.year}: acute beds occupied by "
        "emergency admissions of people 65+, and beds occupied by people delayed, observed and "
        "modelled.",
        "note": "Mean absolute monthly difference: "
        f"{text.percent(fit.get('Acute beds occupied'))} for occupied beds, "
        f"{text.percent(fit.get('Beds occupied by delayed people'))} for delayed beds.",
    }


def comparison_args(r: Results) -> dict:
    side_by_side = r.summary.assign(
        waiting_at_home=r.summary["waiting_care_home"] + r.summary["waiting_care_at_home"],
        cost_millions=r.summary["cost_services"] / 1e6,
    )
    changed = r.summary[r.summary["scenario"].isin([c.name for c in r.changes if c.rank])]
    most = changed.loc[changed["delayed_bed_days"].idxmin()]
    fewer = 1 - most["delayed_bed_days"] / r.base["delayed_bed_days"]
    return {
        "data": side_by_side[["label", *COMPARED]].round({"delayed_bed_days": 0}),
        "measures": COMPARED,
        "counts": ["delayed_bed_days"],
        "safe": ["occupied_beds", "waiting_at_home", "cost_millions"],  # modelled
        "baseline": sc.BASELINE.label,
        "title": f"{most['label']} cuts delayed bed days most of the changes tested "
        f"({text.percent(fewer, 0)} fewer)",
        "alt": "Four bar charts, one bar per scenario: acute beds occupied, delayed bed days in "
        "the year, people waiting at home for care, and the cost of the services.",
    }


def scenarios_args(r: Results) -> dict:
    table = sc.scenario_table(r.summary)
    return {
        "data": table,
        "title": f"Changes side by side, {r.area}",
        "counts": ["Delayed bed days", "Emergency admissions"],
        "safe": MODELLED,
        "formats": {
            c: "{:,.1f}"
            for c in table.columns
            if c.startswith(("Acute", "Waiting", "Delayed beds"))
        }
        | {"Cost of services (£m)": "{:,.2f}"},
    }


def waiting_args(r: Results) -> dict:
    waiting = sc.waiting_table(r.summary)
    modelled = [c for c in waiting.columns if c.endswith("(people)")]
    return {
        "data": waiting,
        "title": "Waiting lists for each service: delayed bed days in hospital, people waiting "
        "at home",
        "counts": list(sc.WAITING_IN_HOSPITAL),
        "safe": modelled,
        "formats": dict.fromkeys(modelled, "{:,.1f}"),
    }


def settings_args(r: Results) -> dict:
    return {
        "data": sc.people_in_settings_table(r.summary),
        "counts": [],
        "title": "Where people aged 65+ are on an average day, by scenario (services and hospital)",
        "alt": "Stacked horizontal bars, one per scenario, of the people in each setting: acute "
        "bed for treatment, delayed in an acute bed, intermediate care, discharge to assess, "
        "care home, care at home, and waiting at home for a service.",
        "note": f"Not shown: the {text.number(r.base['At home, no new service'], 0)} people aged "
        "65+ at home without a new service.",
    }


def ranking_args(r: Results) -> dict:
    return {
        "data": sc.ranking_table(r.ranked),
        "counts": [],
        "title": "Changes and combinations, best value for money first (delayed bed days per "
        "£1,000)",
        "formats": {
            "Cost a year (£ thousands)": "{:,.0f}",
            "Delayed bed days avoided per £1,000": "{:,.1f}",
            "Beds freed per £1 million": "{:,.1f}",
            "Beds freed": "{:,.1f}",
            "Change in delayed bed days": "{:+.0%}",
        },
    }


def tornado_args(r: Results) -> dict:
    moves = r.tornado["swing"] >= 0.01 * r.tornado["base"].abs()
    left_out = ", ".join(r.tornado.loc[~moves, "label"].str.lower())
    return {
        "data": r.tornado[moves].head(10),
        "counts": [],
        "xlabel": f"Delayed bed days avoided per £1,000: {r.best['label']}",
        "title": f"{r.best['label']}: what its value for money depends on",
        "alt": "Tornado chart: for each uncertain value, horizontal bars showing the delayed bed "
        "days avoided per £1,000 with that value at the low and at the high end of its range, "
        "widest first.",
        "note": f"Left out, as they move it by less than 1%: {left_out}.",
    }


def curves_args(r: Results) -> dict:
    return {
        "data": r.curves[["label", "measure", "value", "change"]],
        "counts": [],
        "title": "How delayed bed days and occupied beds respond as each change grows",
        "alt": "Small line charts, one per change, of the percentage change from today in "
        "delayed bed days and in occupied beds as the change grows from nothing to the top of "
        "its slider range.",
    }


def population_args(r: Results) -> dict:
    rows = r.summary[r.summary["scenario"].str.startswith(("baseline", "population_"))]
    return {
        "data": sc.scenario_table(rows),
        "title": f"{r.area} with the population of 2035",
        "counts": ["Delayed bed days", "Emergency admissions"],
        "safe": MODELLED,
        "formats": {"Cost of services (£m)": "{:,.2f}"},
        "note": "Growth from the NRS population projections for the partnership (a locality "
        "takes its partnership's growth).",
    }


def assumptions_args(r: Results) -> dict:
    return {
        "data": sc.assumptions_table(r.model),
        "counts": [],
        "title": "Assumptions, capacities and unit costs used",
    }
