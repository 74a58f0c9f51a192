"""The integration indicators report (notebooks/analysis/integration_indicators.ipynb):
the MSG indicators month by month as control charts, and the MSG and Core Suite
indicators by year for the partnership, its localities, its peers, its board and
Scotland, against the partnership's own MSG objectives.

Every number comes from the prepared comparators (hscp.store: msg_activity,
end_of_life, care_census, ae_monthly, delayed_bed_days, national_indicators), so the
partnership, a locality, a peer and Scotland are made the same way from the same
counts. Definitions: hscp.measures.integration and docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp import measures, performance, spc, text
from hscp.conventions import financial_year
from hscp.geography import Partnership, partnerships, peers
from hscp.measures.end_of_life import FULL_WINDOW

SCOTLAND = "Scotland"
#: The MSG indicators made from hospital records (submitted on discharge): their
#: provisional months are marked, and left out of chart limits and yearly figures.
HOSPITAL_RECORDS = frozenset({"msg1", "msg2a", "msg2b", "msg2c", "msg5"})


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # of the monthly chart
    definition: str
    improvement: str = "decrease"
    share: bool = False  # charted as a percentage


MONTHLY: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("msg1", "MSG1 Emergency admissions", "Admissions a day",
                  "SMR01 continuous stays that began as an emergency (admission type 20-22 or "
                  "30-39), all ages, counted in the month of discharge"),
        Indicator("msg2a", "MSG2a Unscheduled bed days, acute", "Beds a day (average)",
                  "Days in acute hospital (SMR01) of emergency stays that have ended; the day "
                  "of admission counts, the day of discharge does not"),
        Indicator("msg2b", "MSG2b Unscheduled bed days, geriatric long stay",
                  "Beds a day (average)",
                  "Days in geriatric long stay (SMR01E) after an emergency admission or a "
                  "transfer (types 18, 20-22, 30-39)"),
        Indicator("msg2c", "MSG2c Unscheduled bed days, mental health", "Beds a day (average)",
                  "Days in mental health specialties (SMR04) after an emergency admission or a "
                  "transfer; a stay still open counts to the end of the period"),
        Indicator("msg3", "MSG3 A&E attendances", "Attendances a day",
                  "New and unplanned return attendances at A&E departments and minor injury "
                  "units, by month of arrival"),
        Indicator("msg4", "MSG4 Delayed discharge bed days", "Delayed beds a day (average)",
                  "Days people aged 18+ spent in hospital after they were ready to leave (PHS "
                  "rules; code 100 not counted)"),
        Indicator("msg5", "MSG5 Last six months of life in the community",
                  "% of the last six months", "The share of the last six months of life "
                  "spent out of hospital (PHS end of life method), by month of death",
                  improvement="increase", share=True),
    )
}  # fmt: skip


# --- the counts, by area and month ---------------------------------------------------


def _areas(frame: pd.DataFrame, partnership: Partnership, value_columns: list[str]) -> pd.DataFrame:
    """Counts of the partnership and each locality: columns area, *month/year*, values."""
    mine = frame[frame["hscp2019"] == partnership.code]
    key = [c for c in ("month", "financial_year") if c in frame.columns]
    local = mine.groupby([*key, "locality"], observed=True)[value_columns].sum().reset_index()
    local = local[local["locality"].isin(partnership.localities)].rename(
        columns={"locality": "area"}
    )
    whole = mine.groupby(key, observed=True)[value_columns].sum().reset_index()
    return pd.concat([whole.assign(area=partnership.name), local], ignore_index=True)


def _period(frame: pd.DataFrame, start, end) -> pd.DataFrame:
    month = pd.to_datetime(frame["month"])
    return frame[(month >= pd.Timestamp(start)) & (month <= pd.Timestamp(end))]


def monthly_counts(data, partnership: Partnership, start, end) -> pd.DataFrame:
    """The monthly numerators of MSG1 to 5 for the partnership and each locality: long,
    columns area, indicator, month, numerator, denominator (MSG5: deaths x 182.5)."""
    activity = _period(data.comparator("msg_activity"), start, end)
    parts = []
    for key, column in (("msg1", "msg1_admissions"), ("msg2a", "msg2a_bed_days"),
                        ("msg2b", "msg2b_bed_days"), ("msg2c", "msg2c_bed_days")):  # fmt: skip
        parts.append(_areas(activity, partnership, [column]).rename(columns={column: "numerator"})
                     .assign(indicator=key))  # fmt: skip
    ae = _period(data.comparator("ae_monthly"), start, end)
    parts.append(_areas(ae, partnership, ["attendances"])
                 .rename(columns={"attendances": "numerator"}).assign(indicator="msg3"))  # fmt: skip
    delays = _period(data.comparator("delayed_bed_days"), start, end)
    parts.append(_areas(delays, partnership, ["bed_days"])
                 .rename(columns={"bed_days": "numerator"}).assign(indicator="msg4"))  # fmt: skip
    eol = data.comparator("end_of_life")
    eol = _period(eol[eol["age_band"] == "All"], start, end)
    eol = _areas(eol, partnership, ["deaths", "hospital_days"])
    parts.append(pd.DataFrame({
        "area": eol["area"], "month": eol["month"], "indicator": "msg5",
        "numerator": eol["deaths"] * FULL_WINDOW - eol["hospital_days"],
        "denominator": eol["deaths"] * FULL_WINDOW, "deaths": eol["deaths"],
    }))  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    out["month"] = pd.to_datetime(out["month"])
    return _complete(out, partnership, start, end)


def _complete(frame: pd.DataFrame, partnership: Partnership, start, end) -> pd.DataFrame:
    """Every area, indicator and month (zero where nothing happened)."""
    months = pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(),
                           pd.Timestamp(end).to_period("M").to_timestamp(), freq="MS")  # fmt: skip
    grid = pd.MultiIndex.from_product(
        [[partnership.name, *partnership.localities], list(MONTHLY), months],
        names=["area", "indicator", "month"],
    )
    out = frame.set_index(["area", "indicator", "month"]).reindex(grid).reset_index()
    out["numerator"] = out["numerator"].fillna(0.0)
    return out


def control_charts(counts: pd.DataFrame, provisional_from=None) -> pd.DataFrame:
    """An XmR chart per area and indicator: per day for counts, a percentage for MSG5
    (a month with no deaths has no value). The provisional months of an indicator made
    from hospital records are drawn but not judged (performance.mark_provisional)."""
    charts = []
    for (_area, key), series in counts.groupby(["area", "indicator"], sort=False):
        series = series.sort_values("month").reset_index(drop=True)
        info = MONTHLY[key]
        if info.share:
            value = (
                100 * series["numerator"] / series["denominator"].where(series["denominator"] > 0)
            )
        else:
            value = series["numerator"] / pd.DatetimeIndex(series["month"]).days_in_month
        series = series.assign(value=value.to_numpy(float))
        late = (
            (series["month"] >= provisional_from).to_numpy()
            if provisional_from is not None and key in HOSPITAL_RECORDS
            else np.zeros(len(series), dtype=bool)
        )
        judged = series[~late & series["value"].notna()]
        if len(judged) < 2:
            continue
        values = pd.Series(judged["value"].to_numpy(), index=pd.DatetimeIndex(judged["month"]))
        chart = spc.xmr(values, improvement=info.improvement).drop(columns="value")
        chart = performance.mark_provisional(chart.reset_index(drop=True), int(late.sum()))
        shown = pd.concat([judged, series[late]], ignore_index=True)
        charts.append(pd.concat([shown, chart], axis=1))
    return pd.concat(charts, ignore_index=True) if charts else pd.DataFrame()


def chart_summaries(charts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (area, key), chart in charts.groupby(["area", "indicator"], sort=False):
        chart = chart[chart["point_type"] != spc.PROVISIONAL].set_index("month")
        known = chart[chart["value"].notna()]
        if known.empty:
            continue
        s = spc.summary(known, improvement=MONTHLY[key].improvement)
        rows.append({"area": area, "indicator": key, "latest_month": known.index[-1],
                     "latest_value": known["value"].iloc[-1], "mean": s.mean,
                     "variation": s.variation, "variation_icon": s.variation_icon,
                     "variation_text": s.variation_text})  # fmt: skip
    return pd.DataFrame(rows)


# --- the year's indicators, by area and against comparators ---------------------------


#: How many partnerships make a peer group when the params name none.
PEERS = 4


def nearest_peers(partnership: Partnership, population: pd.DataFrame, n: int = PEERS) -> list:
    """The partnerships most like this one when its params name no peer group: the `n`
    nearest in size (log of the population) and age (share aged 75+, in percentage
    points / 2), from the latest population year."""
    year = population["year"].max()
    pop = population[population["year"] == year]
    total = pop.groupby("hscp2019")["population"].sum()
    old = pop[pop["age"] >= 75].groupby("hscp2019")["population"].sum() / total
    size = np.log(total)
    here = partnership.code
    if here not in total.index:
        return []
    distance = ((size - size[here]) ** 2 + ((old - old[here]) * 100 / 2) ** 2) ** 0.5
    nearest = distance.drop(here).sort_values().index[:n]
    named = {p.code: p for p in partnerships()}
    return [named[c] for c in nearest if c in named]


def comparison_areas(
    partnership: Partnership, codes_in_data: set[str], population: pd.DataFrame | None = None
) -> dict[str, tuple]:
    """Area name -> (partnership codes, locality or None): the partnership, its
    localities, its peers (params `peer_group`, else nearest_peers), its board and
    Scotland, as far as the data hold them."""
    areas: dict[str, tuple] = {partnership.name: ({partnership.code}, None)}
    for loc in partnership.localities:
        areas[loc] = ({partnership.code}, loc)
    group = list(peers(partnership))
    if not group and population is not None:
        group = nearest_peers(partnership, population)
    for peer in group:
        if peer.code in codes_in_data:
            areas[peer.name] = ({peer.code}, None)
    board = {p.code for p in partnerships() if p.health_board_code == partnership.health_board_code}
    if board <= codes_in_data and len(board) > 1:
        areas[partnership.health_board_name] = (board, None)
    everyone = {p.code for p in partnerships()}
    if everyone <= codes_in_data:
        areas[SCOTLAND] = (everyone, None)
    return areas


def _in_area(frame: pd.DataFrame, codes: set[str], locality: str | None) -> pd.DataFrame:
    """The rows of one comparison area (comparison_areas' codes and locality)."""
    part = frame[frame["hscp2019"].isin(codes)]
    return part if locality is None else part[part["locality"] == locality]


def _sum(frame: pd.DataFrame, areas: dict[str, tuple], columns: list[str]) -> pd.DataFrame:
    rows = []
    for name, (codes, locality) in areas.items():
        part = _in_area(frame, codes, locality)
        rows.append({"area": name, **part[columns].sum().to_dict()})
    return pd.DataFrame(rows)


def _year_rows(frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    month = pd.to_datetime(frame["month"])
    return frame[(month >= first) & (month <= last)]


def complete_until(provisional_from, end) -> pd.Timestamp:
    """The last month that is not provisional, by the report's last month."""
    last = pd.Timestamp(end).to_period("M")
    if provisional_from is not None:
        last = min(last, pd.Timestamp(provisional_from).to_period("M") - 1)
    return last.to_timestamp()


def latest_years(end, provisional_from=None) -> tuple:
    """The latest complete financial year and calendar year by the report's last month,
    before the provisional months."""
    last = complete_until(provisional_from, end).to_period("M")
    fy = financial_year(last.to_timestamp())
    if last.month != 3:
        fy = financial_year(fy.year - 1)
    calendar = last.year if last.month == 12 else last.year - 1
    return fy, calendar


def yearly_indicators(
    data, partnership: Partnership, end, provisional_from=None
) -> tuple[pd.DataFrame, str, int]:
    """The MSG and Core Suite indicators of the latest complete year for every comparison
    area: one row per area, columns as INDICATOR_COLUMNS (and their counts)."""
    fy, calendar = latest_years(end, provisional_from)
    fy_first = pd.Timestamp(fy.year, 4, 1)
    fy_last = pd.Timestamp(fy.year + 1, 3, 1)
    cy_first, cy_last = pd.Timestamp(calendar, 1, 1), pd.Timestamp(calendar, 12, 1)
    activity = data.comparator("msg_activity")
    codes = set(activity["hscp2019"].unique())
    areas = comparison_areas(partnership, codes, data.population())
    sums = _sum(_year_rows(activity, fy_first, fy_last), areas,
                ["msg1_admissions", "msg2a_bed_days", "msg2b_bed_days", "msg2c_bed_days",
                 "ni12_admissions", "ni13_bed_days"])  # fmt: skip
    ae = _sum(_year_rows(data.comparator("ae_monthly"), fy_first, fy_last), areas, ["attendances"])
    delays = _year_rows(data.comparator("delayed_bed_days"), fy_first, fy_last)
    dd = _sum(delays, areas, ["bed_days"]).merge(
        _sum(delays[delays["age_group"] == "75+"], areas, ["bed_days"]).rename(
            columns={"bed_days": "bed_days_75"}), on="area")  # fmt: skip
    national = _sum(_year_rows(data.comparator("national_indicators"), fy_first, fy_last), areas,
                    ["ni14_discharges", "ni14_readmissions", "ni16_falls"])  # fmt: skip
    eol = data.comparator("end_of_life")
    everyone = eol[eol["age_band"] == "All"]
    msg5 = _sum(_year_rows(everyone, fy_first, fy_last), areas, ["deaths", "hospital_days",
                *[f"{k}_hospital_days" for k in ("large", "community", "hospice")]])  # fmt: skip
    ni15 = _sum(_year_rows(everyone, cy_first, cy_last), areas, ["deaths", "hospital_days"])
    census = data.comparator("care_census")
    census = census[census["financial_year"] == fy.label]
    care = _sum(
        census, areas, [c for c in census.columns if c.startswith(("ni18_", "msg6_", "cost_"))]
    )
    out = sums.merge(ae, on="area").merge(dd, on="area").merge(national, on="area")
    out = out.merge(
        msg5.rename(columns={"deaths": "msg5_deaths", "hospital_days": "msg5_days"}), on="area"
    )
    out = out.merge(
        ni15.rename(columns={"deaths": "ni15_deaths", "hospital_days": "ni15_days"}), on="area"
    )
    out = out.merge(care, on="area", how="left")
    out = out.merge(_populations(data.population(), areas, fy.year), on="area")
    out = out.merge(_premature(eol, data.population(), areas, calendar), on="area", how="left")
    return _rates(out), fy.label, calendar


def _populations(population: pd.DataFrame, areas: dict, year: int) -> pd.DataFrame:
    years = population["year"].astype(int).unique()
    year = measures.month_population_year(pd.Timestamp(year, 9, 1), years)
    pop = population[population["year"] == year]
    rows = []
    for name, (codes, locality) in areas.items():
        part = _in_area(pop, codes, locality)
        age = part["age"]
        rows.append({"area": name, "pop_all": part["population"].sum(),
                     "pop_18": part.loc[age >= 18, "population"].sum(),
                     "pop_65": part.loc[age >= 65, "population"].sum(),
                     "pop_75": part.loc[age >= 75, "population"].sum()})  # fmt: skip
    return pd.DataFrame(rows)


def _premature(eol: pd.DataFrame, population: pd.DataFrame, areas: dict, year: int) -> pd.DataFrame:
    """NI11: deaths under 75 per 100,000 people under 75, age-sex standardised (ESP2013)."""
    deaths = eol[(eol["age_band"] != "All")
                 & (pd.to_datetime(eol["month"]).dt.year == year)]  # fmt: skip
    years = population["year"].astype(int).unique()
    pop = population[
        population["year"] == measures.month_population_year(pd.Timestamp(year, 6, 1), years)
    ]
    pop = pop[pop["age"] < 75].assign(
        age_band=lambda d: measures.esp2013_band(d["age"]).astype(str)
    )
    rows = []
    for name, (codes, locality) in areas.items():
        p, d = _in_area(pop, codes, locality), _in_area(deaths, codes, locality)
        strata = p.groupby(["age_band", "sex"], observed=True)["population"].sum().reset_index()
        counts = d.groupby(["age_band", "sex"], observed=True)["deaths_under_75"].sum()
        strata = strata.merge(counts.reset_index(), on=["age_band", "sex"], how="left").fillna(0)
        rate = measures.easr(strata.assign(area=name), "deaths_under_75", "population",
                             "age_band", sex="sex", by="area")  # fmt: skip
        rows.append({"area": name, "ni11_deaths": rate["deaths_under_75"].iloc[0], "ni11": rate["rate"].iloc[0],
                     "ni11_lower": rate["lower"].iloc[0], "ni11_upper": rate["upper"].iloc[0]})  # fmt: skip
    return pd.DataFrame(rows)


def _rates(t: pd.DataFrame) -> pd.DataFrame:
    per = lambda n, d, k: n / d.where(d > 0) * k  # noqa: E731
    t["msg1_rate"] = per(t["msg1_admissions"], t["pop_all"], 1000)
    for k in ("2a", "2b", "2c"):
        t[f"msg{k}_rate"] = per(t[f"msg{k}_bed_days"], t["pop_all"], 1000)
    t["msg3_rate"] = per(t["attendances"], t["pop_all"], 1000)
    t["msg4_rate"] = per(t["bed_days"], t["pop_18"], 1000)
    for key in ("msg5", "ni15"):  # measures.community_share, over summed deaths and days
        window = (t[f"{key}_deaths"] * FULL_WINDOW).where(t[f"{key}_deaths"] > 0)
        t[key] = 100 * (1 - t[f"{key}_days"] / window)
    t["msg6_home"] = 100 * (1 - (t["msg6_65_hospital"] + t["msg6_65_care_home"]) / t["pop_65"])
    t["ni12"] = per(t["ni12_admissions"], t["pop_18"], 100_000)
    t["ni13"] = per(t["ni13_bed_days"], t["pop_18"], 100_000)
    t["ni14"] = per(t["ni14_readmissions"], t["ni14_discharges"], 1000)
    t["ni16"] = per(t["ni16_falls"], t["pop_65"], 1000)
    intensive = t["ni18_intensive"]
    total = intensive + t["ni18_care_home"] + t["ni18_hospital"]
    t["ni18"] = 100 * intensive / total.where(total > 0)
    t["ni19"] = per(t["bed_days_75"], t["pop_75"], 1000)
    costed = t.filter(like="cost_").rename(columns=lambda c: c.removeprefix("cost_"))
    if len(costed.columns):
        from hscp.flow.settings import load_settings

        prices = load_settings().unit_costs
        if all(k in prices for k in measures.integration.COSTED.values()):
            t["spend_share"] = 100 * measures.emergency_spend_share(costed, prices)
    if "spend_share" not in t:
        t["spend_share"] = np.nan
    t["cost_acute_unscheduled_bed_days"] = t.get("cost_acute_unscheduled_bed_days", 0)
    return t


#: The indicators of the yearly table: column, label, unit, the count behind it, better.
YEARLY = (
    ("msg1_rate", "MSG1 Emergency admissions", "per 1,000 people", "msg1_admissions", "lower"),
    ("msg2a_rate", "MSG2a Unscheduled bed days, acute", "per 1,000 people", "msg2a_bed_days", "lower"),
    ("msg2b_rate", "MSG2b Unscheduled bed days, geriatric long stay", "per 1,000 people",
     "msg2b_bed_days", "lower"),
    ("msg2c_rate", "MSG2c Unscheduled bed days, mental health", "per 1,000 people",
     "msg2c_bed_days", "lower"),
    ("msg3_rate", "MSG3 A&E attendances", "per 1,000 people", "attendances", "lower"),
    ("msg4_rate", "MSG4 Delayed discharge bed days", "per 1,000 adults", "bed_days", "lower"),
    ("msg5", "MSG5 Last six months of life in the community", "%", "msg5_deaths", "higher"),
    ("msg6_home", "MSG6 People 65+ at home (with or without home care)", "%", "pop_65", "higher"),
    ("ni11", "NI11 Premature mortality (under 75, age-standardised)", "per 100,000",
     "ni11_deaths", "lower"),
    ("ni12", "NI12 Emergency admissions, adults", "per 100,000 adults", "ni12_admissions", "lower"),
    ("ni13", "NI13 Emergency bed days, adults", "per 100,000 adults", "ni13_bed_days", "lower"),
    ("ni14", "NI14 Emergency readmissions within 28 days", "per 1,000 discharges",
     "ni14_readmissions", "lower"),
    ("ni15", "NI15 Last six months of life at home or in a community setting", "%",
     "ni15_deaths", "higher"),
    ("ni16", "NI16 Falls, people 65+", "per 1,000 aged 65+", "ni16_falls", "lower"),
    ("ni18", "NI18 Adults with intensive care needs cared for at home", "%",
     "ni18_intensive", "higher"),
    ("ni19", "NI19 Delayed discharge bed days, people 75+", "per 1,000 aged 75+", "bed_days_75",
     "lower"),
    ("spend_share", "Emergency hospital stays' share of the costed health and care spend",
     "%", "cost_acute_unscheduled_bed_days", "lower"),
)  # fmt: skip


def yearly_table(table: pd.DataFrame, area: str, threshold: int) -> pd.DataFrame:
    """The year's indicators of the report's area beside its comparators: one row per
    indicator, a column per area (the report's area first), as text. A rate made from a
    count of 1 to threshold - 1 is shown as "c" (suppressed), as the count would be."""
    areas = [area, *[a for a in table["area"] if a != area]]
    rows = table.set_index("area")
    out = []
    for column, label, unit, count, better in YEARLY:
        cells = {}
        for a in areas:
            value, n = rows.loc[a, column], rows.loc[a, count]
            if pd.isna(value):
                cells[a] = ""
            elif 0 < n < threshold:
                cells[a] = "c"
            else:
                cells[a] = f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
        out.append({"Indicator": label, "Unit": unit, "Better": better, **cells})
    return pd.DataFrame(out)


def yearly_counts(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """The counts behind the report's area's indicators (for disclosure control)."""
    row = table.set_index("area").loc[area]
    return pd.DataFrame(
        [{"Indicator": label, "Count": row[count]} for _, label, _, count, _ in YEARLY]
    )


def _fy_totals(counts: pd.DataFrame, area: str, provisional_from=None) -> pd.DataFrame:
    mine = counts[counts["area"] == area]
    if provisional_from is not None:
        mine = mine[mine["month"] < provisional_from]
    fy = mine["month"].map(lambda m: financial_year(m).label)
    whole = mine.assign(fy=fy).groupby(["indicator", "fy"])[["numerator", "denominator"]].sum()
    months = mine.assign(fy=fy).groupby(["indicator", "fy"])["month"].nunique()
    return whole.assign(months=months).reset_index()


def objectives_table(
    counts: pd.DataFrame, partnership: Partnership, provisional_from=None
) -> pd.DataFrame:
    """Each MSG objective of the partnership's params against the data: the baseline
    year's figure, the latest complete year's, the change (or share) and where the
    trajectory expects it to be that year."""
    totals = _fy_totals(counts, partnership.name, provisional_from)
    whole = totals[totals["months"] == 12]
    rows = []
    for key, objective in partnership.msg_objectives.items():
        mine = whole[whole["indicator"] == key].set_index("fy")
        if mine.empty or objective.baseline_year not in mine.index:
            rows.append({"Indicator": f"MSG{key[3:]}", "Objective": _objective_words(objective),
                         "Status": "not measurable from these data (baseline year not in them)"})  # fmt: skip
            continue
        latest = mine.index.max()
        base, now = mine.loc[objective.baseline_year], mine.loc[latest]
        expected = objective.trajectory.get(latest)
        if objective.target_share is not None:
            actual = now["numerator"] / now["denominator"] if now["denominator"] else np.nan
            on_track = expected is None or actual >= expected
            shown = text.percent(actual)
        else:
            actual = now["numerator"] / base["numerator"] - 1 if base["numerator"] else np.nan
            on_track = expected is None or actual <= expected
            shown = text.signed_percent(actual)
        expected_text = (
            "no trajectory for that year" if expected is None
            else (text.percent(expected) if objective.target_share is not None
                  else text.signed_percent(expected))
        )  # fmt: skip
        rows.append({
            "Indicator": f"MSG{key[3:]}", "Objective": _objective_words(objective),
            "Latest complete year": latest, "Actual": shown, "Trajectory": expected_text,
            "Status": "on trajectory" if on_track else "off trajectory",
        })  # fmt: skip
    return pd.DataFrame(rows)


def _objective_words(o) -> str:
    if o.target_share is not None:
        return f"reach {text.percent(o.target_share)} by {o.target_year}"
    return f"{text.signed_percent(o.target_change)} by {o.target_year} on {o.baseline_year}"


def _short(label: str) -> str:
    """An indicator's code (MSG1, NI12), or its label when it has none."""
    code = label.split(" ")[0]
    return code if code.startswith(("MSG", "NI")) else label[0].lower() + label[1:]


def key_messages(summary: pd.DataFrame, table: pd.DataFrame, objectives: pd.DataFrame,
                 area: str, year: str, calendar: int, provisional_from=None) -> list[str]:  # fmt: skip
    """What moved, how the area compares and which objectives are off trajectory."""
    out = []
    mine = summary[summary["area"] == area]
    for kind, words in (("special_cause_concern", "moved the wrong way (special cause concern)"),
                        ("special_cause_improvement", "improved (special cause)")):  # fmt: skip
        moved = mine[mine["variation"] == kind]
        for month, rows in moved.groupby("latest_month", sort=True):
            labels = [MONTHLY[k].label for k in rows["indicator"]]
            out.append(f"In {text.month(month)}, {text.join(labels)} {words} in {area}.")
    if not out and not mine.empty:
        out.append(f"The MSG indicators of {area} show common cause variation only up to "
                   f"{text.month(mine['latest_month'].max())}.")  # fmt: skip
    if provisional_from is not None:
        out.append(
            f"Months from {text.month(provisional_from)} are provisional (hospital records "
            "arrive on discharge): the charts mark them and leave them out of their limits, "
            "and the yearly figures end before them."
        )
    if SCOTLAND in set(table["area"]):
        rows = table.set_index("area")
        better, worse = [], []
        for column, label, _, _, direction in YEARLY:
            a, s = rows.loc[area, column], rows.loc[SCOTLAND, column]
            if pd.isna(a) or pd.isna(s) or s == 0 or abs(a / s - 1) < 0.05:
                continue
            (better if (a < s) == (direction == "lower") else worse).append(_short(label))
        if worse:
            out.append(
                f"In {year}, {area} was more than 5% worse than Scotland on {text.join(worse)}."
            )
        if better:
            out.append(f"It was more than 5% better than Scotland on {text.join(better)}.")
    else:
        out.append(
            "The data cover only part of Scotland, so the indicators are not compared with "
            "Scotland (nor with a board or peers the data do not hold)."
        )
    if "Status" in objectives and (objectives["Status"] == "off trajectory").any():
        off = objectives[objectives["Status"] == "off trajectory"]
        out.append(
            f"Off trajectory for the partnership's MSG objectives: {text.join(list(off['Indicator']))}."
        )
    return out


_CHART_COLUMNS = ["month", "value", "phase", "mean", "lpl", "upl", "lower_2sigma",
                  "upper_2sigma", "point_type"]  # fmt: skip


def figure_args(
    charts: pd.DataFrame, summary: pd.DataFrame, area: str, key: str, provisional_from=None
) -> dict:
    """report.figure(charts.spc_chart, ...) arguments for one area's chart of one MSG
    indicator: the data (the count behind each month is suppressed when small, and the
    value with it), a caption that states the finding, alt text and the variation icon."""
    info = MONTHLY[key]
    count = "deaths" if info.share else "numerator"
    data = charts[(charts["area"] == area) & (charts["indicator"] == key)]
    data = data[[*_CHART_COLUMNS, count]].reset_index(drop=True)
    row = summary[(summary["area"] == area) & (summary["indicator"] == key)]
    marked = provisional_from is not None and key in HOSPITAL_RECORDS
    note = (
        f"{info.definition}. "
        + (f"Months from {text.month(provisional_from)} are provisional (hollow dots): "
           "not part of the mean, limits or judgement. " if marked else "")
        + ("Charted as a percentage of the last six months of life of the month's deaths."
           if info.share else "Charted per day (the month's count / its days).")
    )  # fmt: skip
    if row.empty:
        title, icons = f"{info.label}, {area}: too few months to chart", None
    else:
        s = row.iloc[0]
        mean = f"{s['mean']:.1f}%" if info.share else text.number(s["mean"])
        title = (f"{info.label}, {area}: {s['variation_text'].split(':')[0].lower()} in "
                 f"{text.month_short(s['latest_month'])} (mean {mean})")  # fmt: skip
        icons = (s["variation_icon"], None)
    return {
        "data": data,
        "title": title,
        "alt": f"Control chart of {info.label} by month for {area}, with its mean and process "
        "limits; special cause months are coloured.",
        "counts": [count],
        "derived": {"value": [count]},
        "safe": ["phase", "mean", "lpl", "upl", "lower_2sigma", "upper_2sigma"],
        "note": note,
        "ylabel": info.unit,
        "percent": info.share,
        "icons": icons,
    }


SETTINGS = (
    ("hospital", "In hospital (average over the year)"),
    ("care_home", "In a care home"),
    ("home_care", "At home with home care"),
    ("home_alone", "At home without home care"),
)


def balance_of_care_table(table: pd.DataFrame, area: str, threshold: int) -> pd.DataFrame:
    """MSG6: where people aged 65+ and 75+ live, as shares of the population, for the
    area and Scotland (where the data hold it); the people counted beside the shares."""
    rows = table.set_index("area")
    shown = [a for a in (area, SCOTLAND) if a in rows.index]
    out = []
    for key, label in SETTINGS:
        row = {"Setting": label}
        for ages in (65, 75):
            for a in shown:
                r = rows.loc[a]
                people = r[f"pop_{ages}"]
                placed = r[f"msg6_{ages}_hospital"] + r[f"msg6_{ages}_care_home"] + r[
                    f"msg6_{ages}_home_care"]  # fmt: skip
                n = people - placed if key == "home_alone" else r[f"msg6_{ages}_{key}"]
                suffix = "" if a == area else f", {a}"
                row[f"People {ages}+{suffix}"] = n
                row[f"% of {ages}+{suffix}"] = 100 * n / people if people else np.nan
        out.append(row)
    frame = pd.DataFrame(out)
    people = [c for c in frame.columns if c.startswith("People")]
    for column in people:  # small counts, and the share made from them, are hidden
        small = (frame[column] > 0) & (frame[column] < threshold)
        share = column.replace("People ", "% of ")
        frame[share] = frame[share].where(~small)
    return frame


def end_of_life_table(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """MSG5: the last six months of life of the area's deaths, by where they were spent."""
    r = table.set_index("area").loc[area]
    window = r["msg5_deaths"] * FULL_WINDOW
    parts = (
        ("Large hospital", r["large_hospital_days"]),
        ("Community hospital", r["community_hospital_days"]),
        ("Hospice or palliative care unit", r["hospice_hospital_days"]),
    )
    rows = [{"Where": w, "Days": d, "% of the last six months": 100 * d / window} for w, d in parts]
    community = window - r["msg5_days"]
    rows.append({"Where": "In the community (home, care home)", "Days": community,
                 "% of the last six months": 100 * community / window})  # fmt: skip
    return pd.DataFrame(rows)


# --- what the notebook publishes -----------------------------------------------------


def balance_table_args(table: pd.DataFrame, area: str, year: str, threshold: int) -> dict:
    """report.table arguments for MSG6: counts of people, and the shares made from them."""
    frame = balance_of_care_table(table, area, threshold)
    people = [c for c in frame.columns if c.startswith("People")]
    shares = [c for c in frame.columns if c.startswith("% of")]
    return {
        "data": frame,
        "title": f"Where people aged 65+ and 75+ live, {year}",
        "counts": people,
        "derived": {c: [c.replace("% of ", "People ")] for c in shares},
        "formats": {**{c: "{:,.0f}" for c in people}, **{c: "{:.1f}%" for c in shares}},
        "note": "People in hospital: the average number in a hospital bed over the year "
        "(bed days / days); the others are counted at 31 March.",
    }


def end_of_life_table_args(table: pd.DataFrame, area: str, year: str) -> dict:
    return {
        "data": end_of_life_table(table, area),
        "title": f"The last six months of life of {area}'s residents who died in {year}",
        "counts": ["Days"],
        "derived": {"% of the last six months": ["Days"]},
        "formats": {"Days": "{:,.0f}", "% of the last six months": "{:.1f}%"},
    }
