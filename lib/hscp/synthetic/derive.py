"""Rebuild the small summary tables in lib/hscp/data/ that the generator needs.

The project never carries copies of the PHS/NRS open data files. The synthetic
Scotland is anchored on a handful of small tables *derived* from them (totals by
partnership, sex and five-year age band; ratios; per-site shares), which this
module rebuilds from a folder holding the published files::

    python -m hscp.synthetic.derive ../shared/reference

Every output is a summary (a few thousand numbers at most), written as CSV with
a comment header naming its source.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from hscp import geography
from hscp.conventions.sex import SEX_CODES

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: Five-year age bands (0-4 ... 85-89, 90+) as (label, first age, last age).
BANDS = tuple((f"{a}-{a + 4}", a, a + 4) for a in range(0, 90, 5)) + (("90+", 90, 90),)

#: The year the 2018-based projections are rebased to (the latest NRS estimate year).
PROJECTION_RATIO_YEARS = (2018, 2028, 2033, 2038, 2043)

FILES = {
    "population_bands": "synthetic_population_bands.csv",
    "population_shape": "synthetic_population_shape.csv",
    "projection_growth": "synthetic_projection_growth.csv",
    "sites": "synthetic_sites.csv",
    "partnership_factors": "synthetic_partnership_factors.csv",
}

_AGE_COLUMNS = [f"Age{a}" for a in range(90)] + ["Age90plus"]
_SEX = SEX_CODES


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    """NRS wide layout (Age0..Age90plus) -> long: Year, HSCP, sex, age, population."""
    frame = frame[frame["Sex"].isin(_SEX)]
    long = frame.melt(
        id_vars=["Year", "HSCP", "Sex"], value_vars=_AGE_COLUMNS, var_name="age", value_name="pop"
    )
    long["age"] = long["age"].str.replace("Age", "").str.replace("plus", "").astype(int)
    long["sex"] = long["Sex"].map(_SEX)
    return long[["Year", "HSCP", "sex", "age", "pop"]]


def _band(age: pd.Series) -> pd.Series:
    labels = np.array([b[0] for b in BANDS])
    return pd.Series(labels[np.minimum(age.to_numpy() // 5, len(BANDS) - 1)], index=age.index)


def _write(frame: pd.DataFrame, name: str, source: str, out_dir: Path) -> Path:
    path = out_dir / FILES[name]
    header = (
        f"# Derived by hscp.synthetic.derive from {source}.\n"
        "# Contains public sector information licensed under the Open Government Licence v3.0.\n"
    )
    path.write_text(header + frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return path


def population_tables(reference: Path) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Partnership x sex x band totals and Scotland's single-year shape, latest NRS year."""
    raw = pd.read_csv(reference / "population_estimates_hscp.csv")
    year = int(raw["Year"].max())
    long = _long(raw[raw["Year"] == year])
    long["band"] = _band(long["age"])
    parts = long[long["HSCP"] != geography.SCOTLAND_CODE]
    bands = (
        parts.groupby(["HSCP", "sex", "band"], sort=False)["pop"]
        .sum()
        .reset_index()
        .rename(columns={"HSCP": "hscp2019", "pop": "population"})
    )
    bands.insert(0, "year", year)
    scot = long[long["HSCP"] == geography.SCOTLAND_CODE][["sex", "age", "pop"]]
    scot = scot.rename(columns={"pop": "population"}).sort_values(["sex", "age"])
    scot.insert(0, "year", year)
    return bands, scot, year


def projection_growth(reference: Path, base_year: int) -> pd.DataFrame:
    """Ratios of the 2018-based projection to its own value in base_year, by band."""
    raw = pd.read_csv(reference / "population_projections_hscp_2018based.csv")
    long = _long(raw)
    long = long[long["HSCP"] != geography.SCOTLAND_CODE]
    long["band"] = _band(long["age"])
    wide = long.groupby(["HSCP", "sex", "band", "Year"], sort=False)["pop"].sum().unstack("Year")
    out = pd.DataFrame(index=wide.index)
    for y in PROJECTION_RATIO_YEARS:
        out[f"ratio_{y}"] = (wide[y] / wide[base_year]).round(4)
    return out.reset_index().rename(columns={"HSCP": "hscp2019"})


def sites(reference: Path) -> pd.DataFrame:
    """A&E sites by health board: the last 12 months of attendances and 4-hour share."""
    raw = pd.read_csv(reference / "ae_monthly_activity.csv", dtype={"Month": str})
    last = sorted(raw["Month"].unique())[-12:]
    recent = raw[raw["Month"].isin(last)]
    out = (
        recent.groupby(["HBT", "TreatmentLocation", "DepartmentType"])
        .agg(
            attendances=("NumberOfAttendancesAll", "sum"),
            within_4h=("NumberWithin4HoursAll", "sum"),
        )
        .reset_index()
    )
    out = out[out["attendances"] >= 100]
    out["pct_within_4h"] = (out["within_4h"] / out["attendances"]).round(3)
    out = out.rename(
        columns={
            "HBT": "health_board",
            "TreatmentLocation": "location",
            "DepartmentType": "department_type",
        }
    )
    out["period"] = f"{last[0]}-{last[-1]}"
    return out[
        ["health_board", "location", "department_type", "attendances", "pct_within_4h", "period"]
    ]


def partnership_factors(
    reference: Path, bands: pd.DataFrame, site_table: pd.DataFrame
) -> pd.DataFrame:
    """Per partnership: delayed bed days per 1,000 adults and the board's A&E rate,
    each relative to Scotland (population weighted mean 1)."""
    pop = bands.copy()
    first_age = pop["band"].str.extract(r"^(\d+)")[0].astype(int)
    pop["adult"] = np.where(first_age >= 20, pop["population"], 0).astype(float)
    # 18 and 19 year olds: two fifths of the 15-19 band.
    pop.loc[pop["band"] == "15-19", "adult"] = pop["population"] * 0.4
    per = pop.groupby("hscp2019").agg(population=("population", "sum"), adults=("adult", "sum"))

    dd = pd.read_csv(reference / "delayed_discharge_beddays_ca.csv", dtype={"MonthOfDelay": str})
    months = sorted(dd["MonthOfDelay"].unique())[-24:-12]  # a full year, a year back
    dd = dd[
        dd["MonthOfDelay"].isin(months)
        & (dd["AgeGroup"] == "18plus")
        & (dd["ReasonForDelay"] == "All Delay Reasons")
    ]
    ca = geography.council_area_to_partnership()
    dd = dd[dd["CA"].isin(ca)]
    bed_days = dd.groupby(dd["CA"].map(ca))["NumberOfDelayedBedDays"].sum()
    per["delayed_bed_days_per_1000_adults"] = (bed_days / per["adults"] * 1000).round(1)
    national = bed_days.sum() / per["adults"].sum() * 1000
    per["delay_factor"] = (per["delayed_bed_days_per_1000_adults"] / national).round(3)

    boards = {p.code: p.health_board_code for p in geography.partnerships()}
    per["health_board"] = per.index.map(boards)
    board_pop = per.groupby("health_board")["population"].sum()
    board_att = site_table.groupby("health_board")["attendances"].sum()
    board_rate = board_att / board_pop
    national_rate = board_att.sum() / board_pop.sum()
    per["ae_factor"] = per["health_board"].map((board_rate / national_rate).round(3))
    per["delay_period"] = f"{months[0]}-{months[-1]}"
    out = per.reset_index()[
        [
            "hscp2019",
            "health_board",
            "delayed_bed_days_per_1000_adults",
            "delay_factor",
            "ae_factor",
            "delay_period",
        ]
    ]
    return out


def build(reference_dir: str | Path, out_dir: str | Path = DATA_DIR) -> dict[str, Path]:
    """Rebuild every derived table from the published files in reference_dir."""
    reference, out_dir = Path(reference_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bands, shape, year = population_tables(reference)
    site_table = sites(reference)
    written = {
        "population_bands": _write(
            bands, "population_bands", f"NRS mid-{year} population estimates by HSCP", out_dir
        ),
        "population_shape": _write(
            shape, "population_shape", f"NRS mid-{year} population estimates, Scotland", out_dir
        ),
        "projection_growth": _write(
            projection_growth(reference, year),
            "projection_growth",
            f"NRS 2018-based population projections by HSCP (ratios to {year})",
            out_dir,
        ),
        "sites": _write(
            site_table, "sites", "PHS A&E monthly activity by treatment location", out_dir
        ),
        "partnership_factors": _write(
            partnership_factors(reference, bands, site_table),
            "partnership_factors",
            "PHS delayed discharge bed days by council area and A&E monthly activity",
            out_dir,
        ),
    }
    return written


def read(name: str) -> pd.DataFrame:
    """One derived table from the package data."""
    return pd.read_csv(DATA_DIR / FILES[name], comment="#")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference_dir", help="folder with the published PHS/NRS files")
    parser.add_argument(
        "--out", default=str(DATA_DIR), help="where to write (default: package data)"
    )
    args = parser.parse_args(argv)
    for name, path in build(args.reference_dir, args.out).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
