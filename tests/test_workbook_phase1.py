"""The phase 1 pack (the case for change): what people told us from params, and its
numbers are the analysis reports' numbers (rendered on the tiny data)."""

from __future__ import annotations

import pandas as pd
import pytest
from test_evidence_reports import AREAS, key_messages, published, whole

from hscp import geography
from hscp.workbooks import phase1_evidence as workbook

CS = geography.partnership("S37000005")


def test_what_people_told_us_is_the_area_s_themes_most_raised_first():
    # params/partnerships/clackmannanshire-and-stirling.yaml: three themes, raised by 34
    # (Clackmannanshire), 21 (Stirling City) and 17 (Rural Stirling) people
    whole_partnership = workbook.engagement_table(CS, None)
    assert whole_partnership["people"].tolist() == [34, 21, 17]
    rural = workbook.engagement_table(CS, "Rural Stirling")
    assert rural["theme"].tolist() == ["Travel to hospital from rural villages"]
    assert rural["quotes"].iloc[0].startswith("\u201cWithout a car")


def test_an_area_without_engagement_findings_has_an_empty_table():
    orkney = geography.partnership("Orkney Islands")
    table = workbook.engagement_table(orkney, None)
    assert table.empty and list(table.columns) == [
        "theme",
        "locality",
        "people",
        "quotes",
        "source",
    ]


def _phase1_indicators(rendered, area: str) -> pd.Series:
    table = published(rendered, area, "phase1_evidence", "table", 1)
    return table.set_index("indicator")["latest"]


@pytest.mark.parametrize("area", list(AREAS))
def test_the_pack_quotes_the_analysis_reports_numbers(notebooks_rendered, area):
    indicators = _phase1_indicators(notebooks_rendered, area)
    unscheduled = key_messages(notebooks_rendered, area, "unscheduled_care")
    delays = key_messages(notebooks_rendered, area, "delayed_discharges")
    admissions = indicators[indicators.index.str.startswith("Emergency admissions")].iloc[0]
    assert f"had {whole(float(admissions))} emergency admissions" in unscheduled
    attendances = indicators[indicators.index.str.startswith("A&E attendances")].iloc[0]
    assert f"There were {whole(float(attendances))} A&E attendances" in unscheduled
    delayed = indicators[indicators.index.str.startswith("Delayed discharge bed days")].iloc[0]
    assert f"spent {whole(float(delayed))} days in hospital after they were ready" in delays
    summary = key_messages(notebooks_rendered, area, "phase1_evidence")
    assert f"had {whole(float(admissions))} emergency admissions" in summary


def test_the_ni19_rates_agree_with_the_delayed_discharges_report(notebooks_rendered):
    rates = published(notebooks_rendered, "whole-partnership", "phase1_evidence", "table", 2)
    ni19 = rates[rates["measure"].str.contains("NI19")].set_index("area")["value"]
    dd = published(notebooks_rendered, "whole-partnership", "delayed_discharges", "table", 12)
    dd = dd.set_index("area")["rate_75plus"]
    for area in ni19.index:
        assert float(ni19[area]) == pytest.approx(float(dd[area]))
