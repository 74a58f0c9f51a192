"""The appraisal on the tiny synthetic Scotland: an area's calibrated model and projection
take every option of params/scenarios/options.yaml from data to the options table, as
the phase 2 pack will."""

from __future__ import annotations

import pytest

from hscp import appraisal, flow, geography, projection

PARTNERSHIP = "Clackmannanshire & Stirling"


@pytest.fixture(scope="module")
def area(tiny_store):
    partnership = geography.partnership(PARTNERSHIP)
    data = tiny_store.partnership(partnership.code)
    start, end = data.store.period
    calibration = flow.area_calibration(data, partnership, None, end)
    stays = projection.emergency_stays(data.episodes())
    projections = projection.tidy_projections(data.projections(), "population_projections")
    params = projection.load_params(runs=500)
    base_year = projection.latest_complete_financial_year(start, end)
    projected = projection.project_area(
        stays,
        data.population(),
        projections,
        code=partnership.code,
        params=params,
        base_year=base_year,
        period=(start, end),
        area=partnership.name,
    )
    return calibration, projected


def test_every_option_runs_from_data_to_the_options_table(area):
    calibration, projected = area
    settings = appraisal.load_options()
    options = settings.options_for(PARTNERSHIP)
    effects = appraisal.flow_effects(
        calibration, options, population_years=(None, projected.horizon), uncertainty=True
    )
    table = appraisal.appraise(effects, options, settings)
    needs = appraisal.community_requirements(effects, options, settings)
    consult = appraisal.options_table(table, needs, options, settings)
    assert len(consult) == len(options)
    assert consult["bed_days_avoided"].gt(0).all()
    assert (consult["bed_days_avoided_low"] <= consult["bed_days_avoided"]).all()

    by_year = appraisal.option_projections(projected, effects, options, settings)
    assert set(by_year["option"]) == {o.name for o in options}
    assert by_year["year"].max() == projected.horizon
    # none in the base year; the median grows with demography once the option is in place
    first = by_year[by_year["year"] == projected.base_year.year]
    assert first["bed_days_avoided_p50"].abs().max() == pytest.approx(0, abs=1e-9)
    last = by_year[by_year["year"] == projected.horizon].set_index("option")
    assert (last["bed_days_avoided_p10"] <= last["bed_days_avoided_p90"]).all()
