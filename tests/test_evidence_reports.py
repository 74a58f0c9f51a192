"""The register's figures are the numbers the reports publish today.

Every default notebook is rendered once on the tiny data (fixture notebooks_rendered:
Clackmannanshire & Stirling, the whole partnership and two localities); each test reads
a published sentence or CSV and finds the register's figure in it.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from hscp import evidence, geography

PARTNERSHIP = "S37000005"
NAME = "Clackmannanshire & Stirling"
AREAS = {"whole-partnership": None, "clackmannanshire": "Clackmannanshire",
         "rural-stirling": "Rural Stirling"}  # fmt: skip


@pytest.fixture(scope="module")
def ev(tiny_store) -> evidence.Evidence:
    return evidence.load(tiny_store, PARTNERSHIP, threshold=10)


def key_messages(rendered, area: str, notebook: str) -> str:
    """The key messages of a rendered report, as plain text (one line each)."""
    page = (rendered.folder / area / f"{notebook}.html").read_text()
    section = re.search(r'<section class="hscp-key-messages">(.*?)</section>', page, re.S)
    items = re.findall(r"<li>(.*?)</li>", section.group(1), re.S)
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", i)) for i in items)


def published(rendered, area: str, notebook: str, kind: str, number: int) -> pd.DataFrame:
    """A published CSV ('table' or 'figure' and its number)."""
    folder = rendered.folder / area / "tables" / notebook
    (path,) = folder.glob(f"{kind}-{number:02d}-*.csv")
    return pd.read_csv(path)


def whole(x: float) -> str:
    return f"{x:,.0f}"


@pytest.mark.parametrize("area", list(AREAS))
def test_unscheduled_care_key_messages_quote_the_register(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    text = key_messages(notebooks_rendered, area, "unscheduled_care")
    admissions, beds = view.figure("emergency_admissions"), view.figure("emergency_beds")
    assert f"had {whole(admissions.value)} emergency admissions" in text
    assert f"They spent {whole(view.figure('emergency_bed_days').value)} days" in text
    assert f"{whole(beds.value)} beds occupied on an average day" in text
    easr = view.figure("emergency_admission_easr")
    assert f"({easr.value:.1f} per 1,000; 95% CI {easr.lower:.1f} to {easr.upper:.1f})" in text
    ppa, share = view.figure("ppa_admissions"), view.figure("ppa_share")
    assert f"{whole(ppa.value)} ({share.value:.1f}%) were potentially preventable" in text
    ae, four = view.figure("ae_attendances"), view.figure("ae_4_hour_percent")
    assert f"There were {whole(ae.value)} A&E attendances: {four.value:.1f}% were completed" in text
    assert f"{whole(view.figure('frequent_ae_attenders').value)} people came to A&E 5" in text
    falls = view.figure("ni16_falls_rate")
    assert f"({falls.value:.1f} per 1,000 aged 65+; 95% CI {falls.lower:.1f}" in text


def test_unscheduled_care_rates_table_is_the_registers(notebooks_rendered, ev):
    rates = published(notebooks_rendered, "whole-partnership", "unscheduled_care", "table", 2)
    rates = rates[rates["measure"] == "Emergency admissions"].set_index("area")
    for area in rates.index:
        crude = ev.figure("emergency_admission_rate", area)
        easr = ev.figure("emergency_admission_easr", area)
        assert float(rates.loc[area, "rate"]) == pytest.approx(crude.value)
        assert float(rates.loc[area, "easr_lower"]) == pytest.approx(easr.lower)
        assert int(rates.loc[area, "count"]) == easr.count


def test_national_indicators_table_is_the_registers(notebooks_rendered, ev):
    table = published(notebooks_rendered, "whole-partnership", "unscheduled_care", "table", 18)
    keys = {"Acute admissions": "ni12_emergency_admission_rate",
                "Acute bed days": "ni13_emergency_bed_day_rate",
            "NI14": "ni14_readmission_rate", "NI16": "ni16_falls_rate"}  # fmt: skip
    for row in table.itertuples(index=False):
        figure = ev.figure(keys[row.indicator], row.area)
        assert float(row.rate) == pytest.approx(figure.value)
        assert int(row.numerator) == figure.count


@pytest.mark.parametrize("area", list(AREAS))
def test_delayed_discharges_key_messages_quote_the_register(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    text = key_messages(notebooks_rendered, area, "delayed_discharges")
    assert f"spent {whole(view.figure('delayed_bed_days').value)} days in hospital" in text
    assert f"on average {view.figure('delayed_beds').value:,.1f} beds occupied every day" in text
    over_3 = view.figure("census_delays_over_3_days")
    assert f"census, {over_3.number()} people from" in text
    rate, scotland = view.figure("ni19_delay_rate"), view.figure("ni19_delay_rate", "Scotland")
    assert f"That is {whole(rate.value)} delayed bed days a year per 1,000 people aged 75+" in text
    assert f"against {whole(scotland.value)} for Scotland" in text


def test_delay_rates_table_is_the_registers(notebooks_rendered, ev):
    table = published(notebooks_rendered, "whole-partnership", "delayed_discharges", "table", 12)
    for row in table.itertuples(index=False):
        assert float(row.rate_75plus) == pytest.approx(ev.figure("ni19_delay_rate", row.area).value)
        assert int(row.bed_days_18plus) == ev.figure("delay_rate_18plus", row.area).count
    mine = table.set_index("area").loc[NAME]
    assert int(mine["bed_days_18plus"]) == ev.figure("delayed_bed_days").value


@pytest.mark.parametrize("area", list(AREAS))
def test_projections_key_messages_quote_the_register(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    text = key_messages(notebooks_rendered, area, "projections")
    base, grown = (
        view.figure("projection_base_admissions"),
        view.figure("projected_admissions_demography"),
    )
    assert f"from {whole(base.value)} in {base.period_label} to {whole(grown.value)}" in text
    bed_days = view.figure("projected_bed_days_demography")
    assert f"bed days from {whole(bed_days.previous)} to {whole(bed_days.value)}" in text
    beds = view.figure("projected_beds_required")
    assert f"needs {whole(beds.value)} beds" in text
    extra = view.figure("projected_extra_beds")
    assert f": {extra.value:+,.0f} beds, or " in text
    assert f"{view.figure('projected_extra_beds_demography').value:+,.0f} from population" in text


def test_projections_yearly_table_starts_from_the_base_year_beds(notebooks_rendered, ev):
    yearly = published(notebooks_rendered, "whole-partnership", "projections", "table", 2)
    assert yearly["average_occupied_beds"].iloc[0] == pytest.approx(
        ev.figure("projection_base_beds").value
    )
    assert yearly["average_occupied_beds"].iloc[-1] == pytest.approx(
        ev.figure("projected_beds").value
    )


@pytest.mark.parametrize("area", list(AREAS))
def test_system_dynamics_key_messages_quote_the_register(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    text = key_messages(notebooks_rendered, area, "system_dynamics")
    beds, delayed = view.figure("sd_emergency_beds_65plus"), view.figure("sd_delayed_beds_65plus")
    assert f"occupied {whole(beds.value)} acute beds on an average day" in text
    assert f"{whole(delayed.value)} of them were taken by people ready to leave" in text
    assert f"{whole(delayed.count)} delayed bed days in the year" in text
    future = view.figure("sd_emergency_beds_65plus_future")
    assert (
        f"the model expects {whole(future.value)} occupied beds (rose by {future.change:.1%})"
        in text
    )


@pytest.mark.parametrize("area", list(AREAS))
def test_performance_mean_and_bed_days_are_the_registers(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    summary = published(notebooks_rendered, area, "performance", "table", 1).set_index("Measure")
    mean = view.figure("emergency_bed_days_monthly_mean")
    assert float(summary.loc["Unscheduled bed days", "Mean"]) == pytest.approx(mean.value)
    chart = published(notebooks_rendered, area, "performance", "figure", 6)
    assert chart["numerator"].sum() == view.figure("emergency_bed_days_period").value


def test_the_phrase_tells_the_two_bed_figures_apart(notebooks_rendered, ev):
    # the system dynamics report's 65+ beds and the unscheduled care report's all-ages beds,
    # as each report writes them, in one phrase
    older = re.search(
        r"occupied (\d[\d,]*) acute beds",
        key_messages(notebooks_rendered, "whole-partnership", "system_dynamics"),
    ).group(1)
    everyone = re.search(
        r"(\d[\d,]*) beds occupied on an average day",
        key_messages(notebooks_rendered, "whole-partnership", "unscheduled_care"),
    ).group(1)
    assert ev.distinguish("sd_emergency_beds_65plus", "emergency_beds") == (
        f"{older} beds occupied by people aged 65+; {everyone} for all ages"
    )


def test_every_locality_of_the_partnership_is_in_the_register(ev):
    localities = geography.partnership(PARTNERSHIP).localities
    for key in (
        "emergency_beds",
        "delayed_beds",
        "projected_beds_required",
        "sd_emergency_beds_65plus",
    ):
        register = ev.register()
        assert set(localities) <= set(register.loc[register["key"] == key, "area"])
