"""Comparators from open data: Scotland, a board, a partnership as PHS publishes them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from hscp import geography
from hscp.geography import Partnership
from hscp.opendata.ae import ae_activity_by_area, read_ae_activity
from hscp.opendata.delays import (
    DELAY_TYPE_OF,
    OPEN_DATA_REASONS,
    _check_frame,
    read_delayed_discharge_census,
    read_delayed_discharges,
)
from hscp.opendata.folder import OPEN_DATA_FILES, OpenDataFolder, file_release
from hscp.opendata.population import population_of, read_population_estimates

# =============================================================================================
# Comparators from open data: Scotland, a board, a partnership as PHS publishes them
# =============================================================================================

#: Where a delay belongs, for a report that compares the extract with the open data.
WHERE_A_DELAY_BELONGS = (
    "The extract places a delay by the person's residence (the record's partnership and "
    "locality). PHS's council area files place it in the council area recorded on the delay "
    "record by the partnership that submitted it (PHS calls it the local authority of "
    "residence; it can differ for people placed or living out of area), and its health board "
    "files in the NHS board of the hospital. The partnership's figure is shown both ways."
)


def published_delay_rates(
    bed_days: pd.DataFrame,
    estimates: pd.DataFrame,
    partnership: str,
    end,
    *,
    months: int = 12,
) -> pd.DataFrame:
    """Delayed bed days of the `months` months ending `end` per 1,000 people aged 18+ and
    75+ (NI19), from PHS's council area file: the partnership (its council areas, as PHS
    places delays), its NHS board (the council areas of the board's partnerships) and
    Scotland (the S92000003 rows, which include delays with no council area). Defined as
    measures.delay_rates_by_area: all reasons (code 100 is not in open data), age at the
    ready date, the population of the window's population year
    (measures.unscheduled.population_year) from NRS's estimates. Columns: area, level,
    bed_days_18plus, population_18plus, rate_18plus, bed_days_65plus, population_65plus,
    rate_65plus (missing: open data have no 65+ group), bed_days_75plus,
    population_75plus, rate_75plus, population_year, source. A file that does not
    cover the months is a ValueError saying which are missing.
    """
    from hscp.measures.rates import crude_rate
    from hscp.measures.unscheduled import population_year

    _check_frame(bed_days)
    last = pd.Timestamp(end).to_period("M").start_time
    window = pd.date_range(end=last, periods=months, freq="MS")
    have = set(bed_days["month"].unique())
    missing = [m for m in window if m not in have]
    if missing:
        raise ValueError(
            f"the open data file has no figures for {missing[0]:%B %Y} (it runs "
            f"{bed_days['month'].min():%B %Y} to {bed_days['month'].max():%B %Y}), so it "
            f"cannot give the {months} months to {last:%B %Y}"
        )
    rows = bed_days[
        bed_days["month"].isin(window) & (bed_days["reason_group"] == OPEN_DATA_REASONS[0])
    ]
    year = population_year(last, estimates["year"].unique())
    p = geography.partnership(partnership)
    board = [q for q in geography.partnerships() if q.health_board_code == p.health_board_code]
    areas = [
        (p.name, "Partnership", list(p.council_area_codes), [p.code]),
        (
            p.health_board_name,
            "Health board",
            [c for q in board for c in q.council_area_codes],
            [q.code for q in board],
        ),
        (geography.SCOTLAND_NAME, "Scotland", [geography.SCOTLAND_CODE], [geography.SCOTLAND_CODE]),
    ]
    out = []
    for name, level, council_areas, population_codes in areas:
        mine = rows[rows["area_code"].isin(council_areas).fillna(False)]
        row = {"area": name, "level": level}
        for label, group, youngest in (("18plus", "18plus", 18), ("75plus", "75plus", 75)):
            row[f"bed_days_{label}"] = int(mine.loc[mine["age_group"] == group, "bed_days"].sum())
            row[f"population_{label}"] = population_of(estimates, population_codes, year, youngest)
        out.append(row)
    table = pd.DataFrame(out)
    for label in ("18plus", "75plus"):
        table[f"rate_{label}"] = crude_rate(
            table[f"bed_days_{label}"], table[f"population_{label}"]
        )
    table["bed_days_65plus"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["population_65plus"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["rate_65plus"] = np.nan
    table["bed_days"] = table["bed_days_18plus"]
    table["population_year"] = year
    table["source"] = "PHS open data (council area on the delay record)"
    return table


#: The extract's rows of a comparison, for the `source` column.
EXTRACT_SOURCE = "Extract (residence)"


def delay_rate_comparators(
    areas: pd.DataFrame,
    present,
    partnership: str,
    end,
    folder: OpenDataFolder,
) -> tuple[pd.DataFrame, list[str]]:
    """The delayed bed day rates a report compares (measures.delay_rates_by_area's
    table), with comparators that are the areas they are named after, and notes saying
    what was done.

    When the extract covers every partnership (`present`, the S37 codes of its
    comparator), its Scotland row is Scotland. Otherwise that row is the extract's
    partnerships, not Scotland: it is dropped, and Scotland, the NHS board and the
    partnership as PHS places its delays come from the open data folder's council area
    file and NRS estimates (published_delay_rates), when both are there and cover the
    months; else Scotland is left out and a note says why. Columns: those of
    delay_rates_by_area (population_year, source added)."""
    areas = areas.assign(source=EXTRACT_SOURCE)
    total = len(geography.partnerships())
    present = sorted(set(present))
    if len(present) >= total:
        return areas, []
    notes = [
        f"The extract has delay records for {len(present)} of Scotland's {total} partnerships, "
        "so its total is not Scotland's and is not shown as Scotland."
    ]
    areas = areas[areas["level"] != "Scotland"].reset_index(drop=True)
    have_file, have_people = "delayed_bed_days_ca" in folder, "population_estimates" in folder
    if not (have_file and have_people):
        wanted = [
            OPEN_DATA_FILES[kind][0]
            for kind, there in (
                ("delayed_bed_days_ca", have_file),
                ("population_estimates", have_people),
            )
            if not there
        ]
        where = (
            f" in the open data folder ({Path(folder.folder).resolve().name})"
            if folder.folder
            else " (no open data folder was given: run_all.py --open-data FOLDER)"
        )
        notes.append(
            f"Scotland and the NHS board are left out: they need {' and '.join(wanted)}, "
            f"not found{where}."
        )
        return areas, notes
    bed_days = read_delayed_discharges(folder.path("delayed_bed_days_ca"))
    estimates = read_population_estimates(folder.path("population_estimates"))
    try:
        published = published_delay_rates(bed_days, estimates, partnership, end)
    except ValueError as err:
        notes.append(f"Scotland and the NHS board are left out: {err}.")
        return areas, notes
    published["area"] = np.where(
        published["level"] == "Partnership",
        published["area"] + " (PHS open data)",
        published["area"],
    )
    table = pd.concat([areas, published[areas.columns]], ignore_index=True)
    notes.append(
        "Scotland, the NHS board and the partnership's published figure are from "
        f"{folder.describe('delayed_bed_days_ca', bed_days['month'])}, with populations from "
        f"{folder.describe('population_estimates')} (mid-year {published['population_year'].iloc[0]}). "
        "Open data have no 65+ age group, so those rows have no 65+ rate."
    )
    notes.append(WHERE_A_DELAY_BELONGS)
    return table, notes


def published_census(
    census: pd.DataFrame, estimates: pd.DataFrame | None, month, *, per: float = 100_000
) -> pd.DataFrame:
    """Scotland's census of one month from PHS's census file (read_delayed_discharge_census),
    in census_profile's columns: delays (18+, all reasons), standard (health and social
    care, patient and family), code_9 (all reasons less standard, whichever code 9
    labels the file uses), rate_per_100000 (per 100,000 people aged 18+, the population
    of the month's financial year, when `estimates` are given); delays_over_3_days and
    median_delay are missing (not in open data). A month the file does not have is a
    ValueError."""
    from hscp.measures.rates import month_population_year

    when = pd.Timestamp(month).to_period("M").start_time
    rows = census[
        (census["month"] == when)
        & census["area_code"].eq(geography.SCOTLAND_CODE).fillna(False)
        & (census["age_group"] == "18plus")
    ]
    if rows.empty:
        raise ValueError(
            f"the census file has no Scotland figures for {when:%B %Y} (it runs "
            f"{census['month'].min():%B %Y} to {census['month'].max():%B %Y})"
        )
    by_reason = rows.set_index("reason_group")["delays"]
    delays = int(by_reason.get(OPEN_DATA_REASONS[0], by_reason.sum()))
    standard = int(sum(v for k, v in by_reason.items() if DELAY_TYPE_OF.get(k) == "Standard"))
    row = {
        "area": geography.SCOTLAND_NAME,
        "level": "Scotland",
        "delays": delays,
        "delays_over_3_days": np.nan,
        "standard": standard,
        "code_9": delays - standard,
        "median_delay": np.nan,
        "population_18plus": np.nan,
        "rate_per_100000": np.nan,
        "population_year": np.nan,
    }
    if estimates is not None:
        year = month_population_year(when, estimates["year"].unique())
        people = population_of(estimates, [geography.SCOTLAND_CODE], year, 18)
        row.update(
            population_18plus=people,
            rate_per_100000=delays / people * per if people else np.nan,
            population_year=year,
        )
    return pd.DataFrame([row])


def census_comparators(
    profile: pd.DataFrame, partnership: str, month, folder: OpenDataFolder
) -> tuple[pd.DataFrame, list[str]]:
    """A census profile (measures.census_profile: the partnership and its localities)
    with Scotland from the open data folder's census file (published_census), and notes:
    which file and release, what open data lack (the median, delays over 3 days), or
    why Scotland is left out."""
    notes = []
    if "census_ca" not in folder:
        where = (
            f" in the open data folder ({Path(folder.folder).resolve().name})"
            if folder.folder
            else " (no open data folder was given)"
        )
        notes.append(
            f"Scotland is left out: its census needs {OPEN_DATA_FILES['census_ca'][0]}, not "
            f"found{where}; the prepared data hold no census of all Scotland's partnerships "
            "by reason or length of delay."
        )
        return profile.assign(source=EXTRACT_SOURCE), notes
    census = read_delayed_discharge_census(folder.path("census_ca"))
    estimates = (
        read_population_estimates(folder.path("population_estimates"))
        if "population_estimates" in folder
        else None
    )
    try:
        scotland = published_census(census, estimates, month)
    except ValueError as err:
        notes.append(f"Scotland is left out: {err}.")
        return profile.assign(source=EXTRACT_SOURCE), notes
    notes.append(
        f"Scotland is from {folder.describe('census_ca', census['month'])}: PHS publishes "
        "people delayed at the census by reason, not their lengths of delay, so Scotland has "
        "no median and no count over 3 days."
    )
    table = pd.concat(
        [profile.assign(source=EXTRACT_SOURCE), scotland.assign(source="PHS open data")],
        ignore_index=True,
    )
    return table, notes


#: How an A&E row from open data is placed: by the hospital, not by residence.
AE_OPEN_DATA_SOURCE = "PHS open data (attendances at the area's hospitals)"


def ae_comparators(
    partnership: Partnership,
    covered: Sequence[str],
    end,
    folder: OpenDataFolder,
    *,
    board: bool = True,
    months: int = 12,
) -> tuple[pd.DataFrame, list[str]]:
    """A&E attendances and the 4-hour standard of the `months` months ending `end` for
    Scotland and the partnership's NHS board from PHS's A&E activity file, for the
    comparators the extract does not cover (`covered`: measures.covered_comparators).
    Columns area, attendances, within_4_hours, percent_within_4_hours, source; and notes
    saying which file and release, that open data place an attendance at the hospital
    (not by residence), or why a comparator is left out. Admissions from A&E and arrivals
    by ambulance are not in the file, so those comparisons stay with the extract."""
    wanted = [
        name
        for name, needed in (
            (partnership.health_board_name, board),
            (geography.SCOTLAND_NAME, True),
        )
        if needed and name not in covered
    ]
    empty = pd.DataFrame(
        {
            "area": pd.Series(dtype=object),
            "attendances": pd.Series(dtype="int64"),
            "within_4_hours": pd.Series(dtype="int64"),
            "percent_within_4_hours": pd.Series(dtype="float64"),
            "source": pd.Series(dtype=object),
        }
    )
    if not wanted:
        return empty, []
    if "ae_activity" not in folder:
        where = (
            f" in the open data folder ({Path(folder.folder).resolve().name})"
            if folder.folder
            else " (no open data folder was given: run_all.py --open-data FOLDER)"
        )
        return empty, [
            f"{' and '.join(wanted)} left out of the A&E comparisons: "
            f"{OPEN_DATA_FILES['ae_activity'][0]} was not found{where}."
        ]
    from hscp.measures import percent_within  # measures imports opendata

    activity = read_ae_activity(folder.path("ae_activity"))
    window = pd.date_range(
        end=pd.Timestamp(end).to_period("M").to_timestamp(), periods=months, freq="MS"
    )
    missing = [m for m in window if m not in set(activity["month"])]
    release = file_release(folder.path("ae_activity"), "ae_activity", activity["month"])
    if missing:
        return empty, [
            f"{' and '.join(wanted)} left out of the A&E comparisons: {release} does not have "
            f"{missing[0]:%B %Y}."
        ]
    board_name = partnership.health_board_name if board else None
    areas = ae_activity_by_area(activity[activity["month"].isin(window)], board_name)
    totals = areas.groupby("area", as_index=False)[["attendances", "within_4_hours"]].sum()
    totals = totals[totals["area"].isin(wanted)]
    totals["percent_within_4_hours"] = percent_within(
        totals["within_4_hours"], totals["attendances"]
    )
    totals["source"] = AE_OPEN_DATA_SOURCE
    order = {name: i for i, name in enumerate(wanted)}
    totals = totals.sort_values("area", key=lambda a: a.map(order)).reset_index(drop=True)
    return totals, [
        f"{' and '.join(wanted)}: A&E attendances and the 4-hour standard from {release}. "
        "Open data count the attendances at an area's hospitals, whoever lives where; the "
        "extract counts the area's residents wherever they attended. Admissions from A&E and "
        "arrivals by ambulance are not in open data."
    ]
