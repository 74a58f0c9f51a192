"""The options appraisal's evidence (the phase 2 and 3 packs): each option of
params/scenarios/options.yaml run for the partnership and each locality, once.

For each area: its system dynamics calibration (as the system dynamics report
calibrates it), each option's effect now and with the projection horizon's population
(hscp.appraisal.flow_effects, with the uncertain values' ranges), the cash release and
net present value (appraise), the community services and staff (community_requirements),
the options table for consultation, the beds each option frees each year to the horizon
(option_projections on the area's projection, as the projections report makes it), and
the set-aside budget of the latest 12 months with the share each option could shift.
"""

from __future__ import annotations

import pandas as pd

from hscp import appraisal, flow, projection
from hscp.evidence.build import Context, Section, in_area
from hscp.evidence.figures import row
from hscp.flow import scenarios as flow_scenarios

#: The shared tables this section adds (each with an `area` column).
TABLES = (
    "options_effects",
    "options_appraisal",
    "options_requirements",
    "options_table",
    "options_by_year",
    "set_aside",
    "set_aside_shift",
    "options_pathway",
)


def latest_year(end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The 12 complete months to `end`: (first day, last day, label)."""
    last = pd.Timestamp(end).to_period("M").start_time
    first = last - pd.DateOffset(months=11)
    return first, pd.Timestamp(end), f"{first:%b %Y} to {last:%b %Y}"


def _area_projection(ctx: Context, area: str, locality: str | None, settings):
    """The area's projection with the projections report's default parameters."""
    data, p = ctx.data, ctx.partnership
    tidy = projection.tidy_projections(data.projections(), "population_projections")
    base_year = projection.latest_complete_financial_year(ctx.start, ctx.complete_end)
    return projection.project_area(
        projection.emergency_stays(data.episodes()),
        data.population(),
        tidy,
        code=p.code,
        params=settings,
        base_year=base_year,
        period=(ctx.start, ctx.end),
        area=area,
        locality=locality,
        current_beds=projection.current_beds(p) if locality is None else None,
    )


def pathway(calibration, chosen) -> pd.DataFrame:
    """People in each setting of the older people's pathway on an average day, with
    today's services and with each option at its size: option, setting, do_nothing,
    with_option (people aged 65+, the system dynamics model's observed year)."""
    runs = [flow_scenarios.BASELINE] + [
        flow_scenarios.LeverSet(o.name, o.label, appraisal.option_levers(o, calibration))
        for o in chosen
    ]
    summary = flow_scenarios.summarise(
        calibration, flow_scenarios.run_scenarios(calibration, runs), runs
    )
    people = flow_scenarios.people_in_settings_table(summary.assign(label=summary["scenario"]))
    wide = people.pivot_table(index="setting", columns="label", values="people", observed=True)
    base = wide[flow_scenarios.BASELINE.name]
    return pd.concat(
        [
            pd.DataFrame(
                {"option": o.name, "setting": wide.index.astype(str), "do_nothing": base.to_numpy(),
                 "with_option": wide[o.name].to_numpy()}
            )
            for o in chosen
        ],
        ignore_index=True,
    )  # fmt: skip


def options(ctx: Context) -> Section:
    """Every option for every area, and the set-aside budget (module docstring)."""
    out = Section()
    settings = appraisal.load_options()
    flow_settings = flow.load_settings(None)
    projection_settings = projection.load_params(None)
    episodes = ctx.data.episodes()
    first, last, label = latest_year(ctx.end)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for area, kind, locality in ctx.areas:
        chosen = settings.options_for(area)
        budget = appraisal.set_aside_budget(
            appraisal.set_aside_bed_days(in_area(episodes, locality), first, last),
            {k: f.value for k, f in settings.specialty_costs.items()},
            settings.other_specialty_cost.value,
        )
        parts["set_aside"].append(budget.assign(area=area))
        bed_days = float(budget["bed_days"].sum())
        out.rows += [
            row("set_aside_budget", area, kind, budget["set_aside"].sum(),
                period=(first, last, label), count=bed_days),
            row("set_aside_bed_days", area, kind, bed_days, period=(first, last, label),
                count=bed_days),
        ]  # fmt: skip
        if not chosen:
            continue
        calibration = flow.area_calibration(ctx.data, ctx.partnership, locality, ctx.end,
                                            flow_settings)  # fmt: skip
        projected = _area_projection(ctx, area, locality, projection_settings)
        effects = appraisal.flow_effects(
            calibration, chosen, population_years=(None, projected.horizon), uncertainty=True
        )
        appraised = appraisal.appraise(effects, chosen, settings)
        needs = appraisal.community_requirements(effects, chosen, settings)
        by_year = appraisal.beds_freed_by_year(
            appraisal.option_projections(projected, effects, chosen, settings),
            settings.target_occupancy,
        )
        now = effects[effects["population_year"].isna()]
        shift = appraisal.set_aside_shift(
            budget, dict(zip(now["option"], now["bed_days_avoided"], strict=True))
        )
        tables = {
            "options_effects": effects,
            "options_appraisal": appraised,
            "options_requirements": needs,
            "options_table": appraisal.options_table(appraised, needs, chosen, settings),
            "options_by_year": by_year,
            "set_aside_shift": shift,
            "options_pathway": pathway(calibration, chosen),
        }
        for name, table in tables.items():
            parts[name].append(table.assign(area=area))
    out.tables |= {
        name: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        for name, frames in parts.items()
    }
    return out
