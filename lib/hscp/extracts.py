"""The data contract: the record-level extracts an analyst receives from PHS.

Each table has a schema (columns named after the PHS fields, in snake_case)
and one reader that validates it. A reader never returns data that break the
contract: it raises `ExtractError`, which names the file, the column, the rule
and how many rows break it, with a few examples. docs/data-contract.md is the
same contract in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hscp import geography
from hscp.conventions.sex import SEX_NAMES
from hscp.errors import HscpError

# --- code lists (labels as in the PHS/ISD data dictionaries) -------------------------

SEX = SEX_NAMES  # 1 male, 2 female (hscp.conventions.sex)

#: SMR01 admission type. Emergency = 20-22 (urgent) and 30-39 (emergency).
ADMISSION_TYPES = {
    10: "Routine: elective, waiting list",
    11: "Routine: elective, booked",
    12: "Routine: elective, planned",
    18: "Routine: transfer",
    19: "Routine: other",
    20: "Urgent: not elsewhere classified",
    21: "Urgent: planned",
    22: "Urgent: transfer",
    30: "Emergency: not elsewhere classified",
    31: "Emergency: patient injury, road traffic accident",
    32: "Emergency: patient injury, assault",
    33: "Emergency: patient injury, home accident",
    34: "Emergency: patient injury, incident at work",
    35: "Emergency: patient injury, other injury",
    36: "Emergency: patient injury, self-inflicted",
    38: "Emergency: other",
    39: "Emergency: transfer",
    40: "Maternity",
    48: "Other: transfer",
}
EMERGENCY_ADMISSION_TYPES = frozenset([20, 21, 22, *range(30, 40)])

#: SMR01 discharge type (grouped): 40-43 are deaths in hospital.
DISCHARGE_TYPES = {
    10: "Regular discharge",
    11: "Regular discharge: to another hospital",
    12: "Regular discharge: to a care home",
    20: "Irregular discharge: self-discharge",
    40: "Died: post-mortem",
    41: "Died: no post-mortem",
    42: "Died: post-mortem, procurator fiscal",
    43: "Died: other",
}
DEATH_DISCHARGE_TYPES = frozenset([40, 41, 42, 43])

#: Delayed discharge 'discharge reason' (where the person went when the delay ended).
DELAY_DISCHARGE_TO = {
    1: "Placement",
    2: "Home with home care",
    3: "Home",
    4: "Death",
    5: "Not fit for discharge",
}

#: PHS delay reason codes -> (reason group, subgroup). Code 9 is recorded as
#: reason_for_delay "9" with the 9X code in reason_for_delay_secondary.
DELAY_REASONS = {
    "100": ("Code 100", "Code 100"),
    "51X": ("Code 9", "Adults with Incapacity Act"),
    **{
        code: ("Code 9", "Other Code 9 (not AWI)")
        for code in ("24DX", "24EX", "26X", "46X", "71X", "25X")
    },
    **{code: ("Health and Social Care Reasons", "Assessment") for code in ("11A", "11B")},
    **{
        code: ("Health and Social Care Reasons", "Care Arrangements")
        for code in ("25A", "25D", "25E", "25F")
    },
    **{code: ("Health and Social Care Reasons", "Funding") for code in ("23C", "23D")},
    **{
        code: ("Health and Social Care Reasons", "Place Availability")
        for code in ("24A", "24B", "24C", "24D", "24E", "24F", "27A")
    },
    "44": ("Health and Social Care Reasons", "Transport"),
    **{code: ("Patient/Carer/Family-related Reasons", "Disagreements") for code in ("61", "67")},
    **{code: ("Patient/Carer/Family-related Reasons", "Legal/Financial") for code in ("51", "52")},
    **{
        code: ("Patient/Carer/Family-related Reasons", "Other") for code in ("71", "72", "73", "74")
    },
}
CODE_9_REASONS = tuple(c for c, (group, _) in DELAY_REASONS.items() if group == "Code 9")
PRIMARY_DELAY_REASONS = ("9", *(c for c in DELAY_REASONS if c not in CODE_9_REASONS))

AE_ATTENDANCE_CATEGORIES = ("New", "Unplanned return", "Planned return")
AE_ARRIVAL_MODES = ("Ambulance", "Own transport", "Public transport", "Police", "Other")
AE_REFERRAL_SOURCES = ("Self", "GP", "NHS 24", "Ambulance service", "Other")
AE_DISCHARGE_DESTINATIONS = ("Home", "Admitted", "Transferred", "Died", "Other")
AE_DEPARTMENT_TYPES = ("Emergency Department", "Minor Injury Unit or Other")

ICD10 = re.compile(r"^[A-Z][0-9]{2}[0-9A-Z]?[0-9A-Z]?$")  # dots are removed first
OPCS4 = re.compile(r"^[A-Z][0-9]{2}[0-9]?$")
LOCATION = re.compile(r"^[A-Z][0-9]{3}[A-Z]$")  # e.g. G107H
SPECIALTY = re.compile(r"^[A-Z][0-9A-Z]{0,3}$")  # e.g. A1, AB, C8, E12
DATAZONE = re.compile(r"^S01[0-9]{6}$")


# --- the schema language ----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "int", "float", "str", "date", "datetime"
    required: bool = True  # the column must be present
    nullable: bool = False  # the column may have empty values
    values: Iterable | None = None  # allowed values
    pattern: re.Pattern | None = None  # allowed pattern for strings
    low: float | None = None  # allowed range (inclusive)
    high: float | None = None
    description: str = ""


@dataclass(frozen=True)
class RowRule:
    """A rule across columns: `check(frame)` is True where a row is valid."""

    columns: tuple[str, ...]
    rule: str
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Schema:
    table: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_rules: tuple[RowRule, ...] = ()
    geography: bool = True  # hscp2019 + locality must be known

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass
class Problem:
    column: str
    rule: str
    rows: int
    examples: list = field(default_factory=list)

    def __str__(self) -> str:
        rows = f"{self.rows:,} row{'s' if self.rows != 1 else ''}"
        eg = f" (e.g. {', '.join(map(repr, self.examples))})" if self.examples else ""
        return f"column {self.column!r}: {self.rule}: {rows}{eg}"


class ExtractError(HscpError, ValueError):
    """An extract that breaks the data contract. `problems` lists every broken rule."""

    def __init__(self, path: Path | str, table: str, problems: list[Problem]):
        self.path, self.table, self.problems = Path(path), table, problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: the {table} extract breaks the data contract:\n{lines}")


@dataclass(frozen=True)
class Limits:
    """What is plausible in an extract (params/defaults.yaml `validation:` overrides each).

    A date before `earliest_date` or after the extract date (today when the extract does
    not say) is an error, as are stays, delays and A&E attendances longer than their
    limit and population counts larger than Scotland's."""

    earliest_date: pd.Timestamp = pd.Timestamp("1950-01-01")
    max_stay_days: int = 3653  # ten years in one acute stay
    max_delay_days: int = 1826  # five years delayed
    max_ae_hours: int = 168  # a week in A&E
    max_population: int = 6_000_000  # more than Scotland (5.5 million)

    @classmethod
    def from_params(cls, validation) -> Limits:
        """Limits with params/defaults.yaml's `validation:` values where they are given."""
        given = {k: v for k, v in dict(validation or {}).items() if v is not None}
        if "earliest_date" in given:
            given["earliest_date"] = pd.Timestamp(given["earliest_date"])
        return cls(**given)


def _rows(mask: pd.Series, n: int = 3) -> list[str]:
    """Where rows are, by their line in the file (header = line 1), never by their values:
    the values may be identifiers or dates of care."""
    return [f"line {i + 2}" for i in np.flatnonzero(mask.to_numpy())[:n]]


# --- the tables ---------------------------------------------------------------------


def _later_or_same(later: str, earlier: str) -> Callable[[pd.DataFrame], pd.Series]:
    def check(df: pd.DataFrame) -> pd.Series:
        return df[later].isna() | df[earlier].isna() | (df[later] >= df[earlier])

    return check


_person = (
    Column("link_no", "int", low=1, description="Anonymised person identifier (links records)"),
)
_age_sex = (
    Column("age", "int", low=0, high=120, description="Age in years"),
    Column("sex", "int", values=SEX, description="1 male, 2 female"),
)
_geog = (
    Column(
        "hscp2019", "str", pattern=re.compile(r"^S37[0-9]{6}$"), description="HSCP of residence"
    ),
    Column("locality", "str", description="HSCP locality of residence"),
)

#: A stay cannot end before it begins (acute, long stay, mental health, care homes).
DISCHARGED_AFTER_ADMISSION = RowRule(
    ("admission_date", "discharge_date"),
    "discharge date before admission date",
    _later_or_same("discharge_date", "admission_date"),
)

ACUTE_EPISODES = Schema(
    "acute_episodes",
    "SMR01 general acute inpatient episodes, one row an episode; episodes of the same "
    "continuous inpatient stay share link_no and cis_marker.",
    (
        *_person,
        Column("cis_marker", "int", low=1, description="Continuous inpatient stay number"),
        Column("admission_date", "date"),
        Column(
            "discharge_date",
            "date",
            description="Records are submitted on discharge: always given (the latest months "
            "of an extract are incomplete: provisional)",
        ),
        Column("admission_type", "int", values=ADMISSION_TYPES),
        Column("specialty", "str", pattern=SPECIALTY),
        Column("location", "str", pattern=LOCATION, description="Hospital code"),
        Column("main_condition", "str", pattern=ICD10, description="ICD-10, no dot"),
        *(Column(f"other_condition_{i}", "str", nullable=True, pattern=ICD10) for i in range(1, 6)),
        Column("main_operation", "str", nullable=True, pattern=OPCS4, description="OPCS-4"),
        *_age_sex,
        Column("datazone2011", "str", pattern=DATAZONE),
        *_geog,
        Column("gp_practice", "str", nullable=True, pattern=re.compile(r"^[0-9]{5}$")),
        Column("discharge_type", "int", nullable=True, values=DISCHARGE_TYPES),
    ),
    key=("link_no", "cis_marker", "admission_date", "discharge_date", "specialty", "location"),
    row_rules=(DISCHARGED_AFTER_ADMISSION,),
)

AE_ATTENDANCES = Schema(
    "ae_attendances",
    "A&E attendances (A&E2 episode level), one row an attendance.",
    (
        *_person,
        Column("arrival_datetime", "datetime"),
        Column("departure_datetime", "datetime", nullable=True),
        Column("attendance_category", "str", values=AE_ATTENDANCE_CATEGORIES),
        Column("arrival_mode", "str", values=AE_ARRIVAL_MODES),
        Column("referral_source", "str", values=AE_REFERRAL_SOURCES),
        Column("discharge_destination", "str", values=AE_DISCHARGE_DESTINATIONS),
        Column("diagnosis", "str", nullable=True, pattern=ICD10),
        *_age_sex,
        *_geog,
        Column("treatment_location", "str", pattern=LOCATION),
        Column("department_type", "str", values=AE_DEPARTMENT_TYPES),
    ),
    key=("link_no", "arrival_datetime", "treatment_location"),
    row_rules=(
        RowRule(
            ("arrival_datetime", "departure_datetime"),
            "departure before arrival",
            _later_or_same("departure_datetime", "arrival_datetime"),
        ),
    ),
)

DELAYED_DISCHARGES = Schema(
    "delayed_discharges",
    "Delayed discharge records, one row a delay episode (from the ready for discharge "
    "date to the discharge date, empty while still delayed).",
    (
        *_person,
        *_age_sex,
        *_geog,
        Column("location", "str", pattern=LOCATION),
        Column("specialty", "str", pattern=SPECIALTY),
        Column("admission_date", "date"),
        Column("ready_for_discharge_date", "date"),
        Column("discharge_date", "date", nullable=True),
        Column("reason_for_delay", "str", values=PRIMARY_DELAY_REASONS),
        Column("reason_for_delay_secondary", "str", nullable=True, values=CODE_9_REASONS),
        Column("discharge_to", "int", nullable=True, values=DELAY_DISCHARGE_TO),
    ),
    key=("link_no", "ready_for_discharge_date"),
    row_rules=(
        RowRule(
            ("admission_date", "ready_for_discharge_date"),
            "ready for discharge date before admission date",
            _later_or_same("ready_for_discharge_date", "admission_date"),
        ),
        RowRule(
            ("ready_for_discharge_date", "discharge_date"),
            "discharge date before ready for discharge date",
            _later_or_same("discharge_date", "ready_for_discharge_date"),
        ),
        RowRule(
            ("reason_for_delay", "reason_for_delay_secondary"),
            "code 9 delay without its 9X reason in reason_for_delay_secondary",
            lambda df: (df["reason_for_delay"] != "9") | df["reason_for_delay_secondary"].notna(),
        ),
    ),
)

POPULATION = Schema(
    "population",
    "Mid-year population estimates by locality, sex and single year of age (90 = 90+).",
    (
        Column("year", "int", low=1981, high=2100),
        *_geog,
        Column("sex", "int", values=SEX),
        Column("age", "int", low=0, high=90, description="Single year of age; 90 means 90+"),
        Column("population", "int", low=0),
    ),
    key=("year", "hscp2019", "locality", "sex", "age"),
)

_PROJECTION_AGES = tuple(f"Age{a}" for a in range(90)) + ("Age90plus",)


def _partnership_codes() -> set[str]:
    return {code for code, _ in geography.locality_lookup()}


POPULATION_PROJECTIONS = Schema(
    "population_projections",
    "NRS population projections by HSCP, in the NRS/PHS open data layout "
    "(Year, HSCP, Sex, AllAges, Age0 ... Age89, Age90plus).",
    (
        Column("Year", "int", low=1981, high=2100),
        Column("HSCP", "str", pattern=re.compile(r"^S(37|92)[0-9]{6}$")),
        Column("HSCPQF", "str", required=False, nullable=True),
        Column("Sex", "str", values=("All", "Male", "Female")),
        Column("SexQF", "str", required=False, nullable=True),
        Column("Variant", "str", required=False, nullable=True),
        Column("AllAges", "int", low=0),
        *(Column(a, "int", low=0) for a in _PROJECTION_AGES),
    ),
    key=("Year", "HSCP", "Sex", "Variant"),
    row_rules=(
        RowRule(
            ("AllAges",),
            "AllAges is not the sum of Age0 ... Age90plus",
            lambda df: df["AllAges"] == df[list(_PROJECTION_AGES)].sum(axis=1),
        ),
        RowRule(
            ("HSCP",),
            "not a partnership of the 2019 boundaries or Scotland (S92000003)",
            lambda df: df["HSCP"].isin({*_partnership_codes(), "S92000003"}),
        ),
    ),
    geography=False,
)

# --- the whole system: long stay, mental health, deaths, care homes, home care ----------

#: SMR04 management of patient (how the person was admitted and is managed).
MANAGEMENT_OF_PATIENT = {
    1: "Inpatient: informal",
    2: "Inpatient: detained",
    3: "Day case",
    4: "Inpatient: informal, later detained",
    5: "Inpatient: detained, later informal",
    6: "Inpatient: admitted under a short-term order",
    7: "Inpatient: other",
    8: "Not known",
}
YES_NO = ("Yes", "No")
CARE_HOME_FUNDING = ("Local authority", "Self")
HOME_CARE_PROVIDERS = ("In-house", "Purchased")
CARE_HOME = re.compile(r"^[A-Z0-9]{5,12}$")  # a care home's registration or location code

LONG_STAY_EPISODES = Schema(
    "long_stay_episodes",
    "SMR01E geriatric long stay inpatient episodes, in the layout of acute_episodes (records "
    "are submitted on discharge, so the discharge date is always given).",
    ACUTE_EPISODES.columns,
    key=ACUTE_EPISODES.key,
    row_rules=ACUTE_EPISODES.row_rules,
)

MENTAL_HEALTH_EPISODES = Schema(
    "mental_health_episodes",
    "SMR04 mental health inpatient episodes, one row an episode; a long-stay psychiatric "
    "patient still in hospital has no discharge date.",
    (
        *_person,
        Column("cis_marker", "int", low=1, description="Continuous inpatient stay number"),
        Column("admission_date", "date"),
        Column("discharge_date", "date", nullable=True, description="Empty while in hospital"),
        Column("admission_type", "int", values=ADMISSION_TYPES),
        Column("specialty", "str", pattern=SPECIALTY, description="e.g. G1 general psychiatry"),
        Column("location", "str", pattern=LOCATION, description="Hospital code"),
        Column("management_of_patient", "int", values=MANAGEMENT_OF_PATIENT),
        Column("main_condition", "str", pattern=ICD10, description="ICD-10, no dot"),
        *(Column(f"other_condition_{i}", "str", nullable=True, pattern=ICD10) for i in range(1, 6)),
        *_age_sex,
        Column("datazone2011", "str", pattern=DATAZONE),
        *_geog,
    ),
    key=("link_no", "cis_marker", "admission_date", "specialty", "location"),
    row_rules=ACUTE_EPISODES.row_rules,
)

DEATHS = Schema(
    "deaths",
    "NRS death registrations, one row a death, with the underlying cause and up to ten "
    "contributing causes (ICD-10) and the place of death (an institution code; empty when "
    "the death was not in an institution).",
    (
        *_person,
        Column("date_of_death", "date"),
        Column("underlying_cause_of_death", "str", pattern=ICD10, description="ICD-10, no dot"),
        *(
            Column(f"cause_of_death_code_{i}", "str", nullable=True, pattern=ICD10)
            for i in range(10)
        ),
        Column(
            "place_of_death",
            "str",
            nullable=True,
            pattern=CARE_HOME,
            description="Institution code (hospital, hospice or care home); empty: home or elsewhere",
        ),
        *_age_sex,
        Column("datazone2011", "str", pattern=DATAZONE),
        *_geog,
    ),
    key=("link_no",),
)

CARE_HOME_EPISODES = Schema(
    "care_home_episodes",
    "Social care: care home stays, one row a stay (the discharge date is empty while the "
    "person lives there).",
    (
        *_person,
        Column("admission_date", "date"),
        Column("discharge_date", "date", nullable=True, description="Empty while resident"),
        Column("care_home_code", "str", pattern=CARE_HOME),
        Column("nursing_care", "str", values=YES_NO, description="Nursing care provided"),
        Column("funding", "str", values=CARE_HOME_FUNDING, description="Who pays for the care"),
        *_age_sex,
        *_geog,
    ),
    key=("link_no", "admission_date"),
    row_rules=(DISCHARGED_AFTER_ADMISSION,),
)

HOME_CARE = Schema(
    "home_care",
    "Social care: home care periods, one row a period of a service at a number of hours a "
    "week (the end date is empty while it continues).",
    (
        *_person,
        Column("start_date", "date"),
        Column("end_date", "date", nullable=True, description="Empty while the care continues"),
        Column("hours_per_week", "float", low=0, high=168),
        Column("reablement", "str", values=YES_NO, description="A reablement service"),
        Column("provider", "str", values=HOME_CARE_PROVIDERS),
        *_age_sex,
        *_geog,
    ),
    key=("link_no", "start_date", "provider", "reablement"),
    row_rules=(
        RowRule(
            ("start_date", "end_date"),
            "end date before start date",
            _later_or_same("end_date", "start_date"),
        ),
    ),
)

#: Age groups of the datazone population (the ages the inequality measures need).
DATAZONE_AGE_GROUPS = ("0-17", "18-64", "65-74", "75+")

SIMD_LOOKUP = Schema(
    "simd_lookup",
    "The Scottish Index of Multiple Deprivation 2020v2 by datazone, as PHS publishes it "
    "(DataZone2011_simd2020v2): rank 1 is the most deprived of the 6,976 datazones; "
    "quintile and decile 1 the most deprived fifth and tenth, of Scotland (sc) and within "
    "the council area (ca2019).",
    (
        Column("datazone2011", "str", pattern=DATAZONE),
        Column(
            "hscp2019",
            "str",
            pattern=re.compile(r"^S37[0-9]{6}$"),
            description="The partnership the datazone is in",
        ),
        Column("simd2020v2_rank", "int", low=1, high=6976),
        Column("simd2020v2_sc_decile", "int", low=1, high=10),
        Column("simd2020v2_sc_quintile", "int", low=1, high=5),
        Column("simd2020v2_ca2019_decile", "int", low=1, high=10),
        Column("simd2020v2_ca2019_quintile", "int", low=1, high=5),
    ),
    key=("datazone2011",),
    geography=False,
)

DATAZONE_POPULATION = Schema(
    "datazone_population",
    "NRS small area population estimates: mid-year population by datazone, sex and age "
    "group (0-17, 18-64, 65-74, 75+: the single years of the NRS file, summed).",
    (
        Column("year", "int", low=1981, high=2100),
        Column("datazone2011", "str", pattern=DATAZONE),
        Column("sex", "int", values=SEX),
        Column("age_group", "str", values=DATAZONE_AGE_GROUPS),
        Column("population", "int", low=0),
    ),
    key=("year", "datazone2011", "sex", "age_group"),
    geography=False,
)

SCHEMAS: dict[str, Schema] = {
    s.table: s
    for s in (
        ACUTE_EPISODES,
        AE_ATTENDANCES,
        DELAYED_DISCHARGES,
        POPULATION,
        POPULATION_PROJECTIONS,
        LONG_STAY_EPISODES,
        MENTAL_HEALTH_EPISODES,
        DEATHS,
        CARE_HOME_EPISODES,
        HOME_CARE,
        SIMD_LOOKUP,
        DATAZONE_POPULATION,
    )
}
#: Deprivation: the SIMD lookup and the datazone populations (optional, for inequalities).
DEPRIVATION = ("simd_lookup", "datazone_population")
#: The tables beyond the acute hospital: a data folder may leave any of them out.
WHOLE_SYSTEM = (
    "long_stay_episodes",
    "mental_health_episodes",
    "deaths",
    "care_home_episodes",
    "home_care",
)


# --- reading and validating --------------------------------------------------------


def find_extract(data_dir: Path | str, table: str) -> Path:
    """The file for a table in a data folder: <table>.parquet or <table>.csv."""
    for suffix in (".parquet", ".csv", ".csv.gz"):
        path = Path(data_dir) / f"{table}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(
        f"{Path(data_dir)}: no {table}.parquet or {table}.csv (the data contract's file names "
        f"are {', '.join(SCHEMAS)})"
    )


def read_extract(
    path: Path | str,
    table: str | None = None,
    *,
    extract_date=None,
    limits: Limits | None = None,
) -> pd.DataFrame:
    """Read and validate one extract (CSV or parquet). Raises ExtractError.

    `extract_date`: no date may be after it (default: today); `limits`: what is plausible."""
    path = Path(path)
    table = table or path.name.split(".")[0]
    if table not in SCHEMAS:
        raise ValueError(f"{path}: unknown table {table!r}; known: {', '.join(SCHEMAS)}")
    raw = _read_raw(path, table)
    return validate(raw, SCHEMAS[table], path, extract_date=extract_date, limits=limits)


def _read_raw(path: Path, table: str) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise ExtractError(path, table, [Problem("(file)", "the file is empty", 0)])
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            # Dates as datetime64, not Python date objects (much faster to validate).
            return pq.read_table(path).to_pandas(date_as_object=False)
        # Everything as text first, so a bad value is reported, not silently coerced.
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except Exception as err:  # noqa: BLE001 - any reader failure is a broken file
        raise ExtractError(
            path, table, [Problem("(file)", f"cannot be read ({type(err).__name__}: {err})", 0)]
        ) from err


def validate(
    raw: pd.DataFrame,
    schema: Schema,
    path: Path | str = "<data frame>",
    *,
    extract_date=None,
    limits: Limits | None = None,
) -> pd.DataFrame:
    """Check a frame against a schema and return it with the contract's types.

    Every rule is checked (not just the first broken one), so one run tells an
    analyst everything that is wrong with a file. Then plausibility: dates from
    `limits.earliest_date` to the extract date (default: today), stays, delays and A&E
    attendances no longer than their limits, populations no larger than Scotland's.
    """
    problems: list[Problem] = []
    if raw.empty:
        raise ExtractError(path, schema.table, [Problem("(file)", "the file has no rows", 0)])
    renamed = matched_columns(list(raw.columns), schema)
    raw = raw.rename(columns=renamed)
    missing = [c.name for c in schema.columns if c.required and c.name not in raw.columns]
    for name in missing:
        problems.append(Problem(name, "missing column", len(raw)))
    out = pd.DataFrame(index=raw.index)
    for col in schema.columns:
        if col.name not in raw.columns:
            continue
        values, col_problems = _convert(raw[col.name], col)
        problems += col_problems
        out[col.name] = values
    if not missing:
        problems += _row_rules(out, schema)
        problems += _implausible(out, schema, extract_date, limits or Limits())
    if problems:
        raise ExtractError(path, schema.table, problems)
    out = out.reset_index(drop=True)
    out.attrs["renamed"] = renamed
    return out


def matched_columns(columns: list[str], schema: Schema) -> dict[str, str]:
    """The file's column names that match a contract column only when case, spaces and
    hyphens are ignored ('ADMISSION_DATE', 'Admission Date' -> admission_date), as
    {file's name: contract's name}. An exact name always wins; two file columns that
    match the same contract column are left alone (the contract's check names it)."""
    exact = set(columns)

    def key(name) -> str:
        return str(name).strip().lower().replace(" ", "_").replace("-", "_")

    wanted = {key(c.name): c.name for c in schema.columns if c.name not in exact}
    found: dict[str, list[str]] = {}
    for column in columns:
        if column not in exact or column in schema.names:
            continue
        if key(column) in wanted:
            found.setdefault(wanted[key(column)], []).append(column)
    return {names[0]: target for target, names in found.items() if len(names) == 1}


def renaming_note(renamed: dict[str, str]) -> str:
    """'ADMISSION_DATE as admission_date, SEX as sex' for a log or a report's note (the
    first three and how many more, when there are more than four)."""
    pairs = [f"{old} as {new}" for old, new in renamed.items()]
    if len(pairs) > 4:
        pairs = [*pairs[:3], f"and {len(pairs) - 3} more"]
    return ", ".join(pairs)


def _examples(values: pd.Series, n: int = 3) -> list:
    return [v.item() if hasattr(v, "item") else v for v in values.drop_duplicates().head(n)]


#: Columns whose values are never shown in an error (identifiers); dates of care neither.
IDENTIFIERS = frozenset({"link_no", "cis_marker"})


def _shown(series: pd.Series, mask: pd.Series, col: Column) -> list:
    """Examples of the rows a rule finds: their values, or their lines for identifiers and
    dates of care."""
    if col.name in IDENTIFIERS or col.kind in ("date", "datetime"):
        return _rows(mask)
    return _examples(series[mask])


def _blank(series: pd.Series) -> pd.Series:
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        return series.isna() | (series.astype("string").str.strip() == "")
    return series.isna()


def _convert(series: pd.Series, col: Column) -> tuple[pd.Series, list[Problem]]:
    problems: list[Problem] = []
    blank = _blank(series)
    if not col.nullable and blank.any():
        problems.append(
            Problem(
                col.name, "empty values where a value is required", int(blank.sum()), _rows(blank)
            )
        )
    present = ~blank
    if col.kind in ("int", "float"):
        converted = pd.to_numeric(series.where(present), errors="coerce")
        bad = present & converted.isna()
        if bad.any():
            problems.append(
                Problem(
                    col.name,
                    f"not a number (expected {col.kind})",
                    int(bad.sum()),
                    _shown(series, bad, col),
                )
            )
        if col.kind == "int":
            fractional = present & ~bad & (converted % 1 != 0)
            if fractional.any():
                problems.append(
                    Problem(
                        col.name,
                        "not a whole number",
                        int(fractional.sum()),
                        _shown(series, fractional, col),
                    )
                )
            converted = converted.round().astype("Int64")
    elif col.kind in ("date", "datetime"):
        converted, form, mixed = _to_datetime(series.where(present))
        if mixed:
            problems.append(Problem(col.name, mixed, int(present.sum())))
        bad = present & converted.isna()
        if bad.any():
            form = form or ("YYYY-MM-DD" if col.kind == "date" else "YYYY-MM-DD HH:MM")
            problems.append(
                Problem(
                    col.name,
                    f"unparseable {col.kind} (expected {form}, the format of this column)",
                    int(bad.sum()),
                    _shown(series, bad, col),
                )
            )
        if col.kind == "date":
            converted = converted.dt.normalize()
    else:
        converted = series.where(present).astype("string").str.strip()
        if col.pattern is ICD10 or col.pattern is OPCS4:
            converted = converted.str.replace(".", "", regex=False).str.upper()
    valid = present & converted.notna()
    if col.values is not None and valid.any():
        allowed = set(col.values)
        outside = valid & ~converted.isin(allowed)
        if outside.any():
            shown = sorted(allowed)[:12]
            problems.append(
                Problem(
                    col.name,
                    f"unknown code (allowed: {', '.join(map(str, shown))}{' ...' if len(allowed) > 12 else ''})",
                    int(outside.sum()),
                    _shown(series, outside, col),
                )
            )
    if col.pattern is not None and valid.any():
        # Codes repeat a lot: match each distinct code once, then map back to the rows.
        codes, distinct = pd.factorize(converted)
        ok = (
            pd.Series(distinct, dtype="string")
            .str.fullmatch(col.pattern)
            .fillna(False)
            .to_numpy(bool)
        )
        matched = np.where(codes >= 0, ok[np.clip(codes, 0, None)] if len(ok) else False, False)
        mismatch = valid & ~pd.Series(matched, index=converted.index)
        if mismatch.any():
            problems.append(
                Problem(
                    col.name,
                    f"unknown code format (expected {col.pattern.pattern})",
                    int(mismatch.sum()),
                    _shown(series, mismatch, col),
                )
            )
    if col.low is not None or col.high is not None:
        low = -np.inf if col.low is None else col.low
        high = np.inf if col.high is None else col.high
        outside = valid & ((converted < low) | (converted > high))
        if outside.any():
            problems.append(
                Problem(
                    col.name,
                    f"out of range {col.low}-{col.high}",
                    int(outside.sum()),
                    _shown(series, outside, col),
                )
            )
    return converted, problems


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
DAY_FIRST = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}")


def _ns(parsed: pd.Series) -> pd.Series:
    """Dates in nanoseconds; one beyond 2262 (the limit of that unit) becomes the last
    representable day, so the plausibility check reports it as after the extract date."""
    if not pd.api.types.is_datetime64_any_dtype(parsed) or parsed.dt.unit == "ns":
        return parsed
    last = pd.Timestamp.max.floor("D")
    return parsed.where(parsed.isna() | (parsed <= last), last).astype("datetime64[ns]")


def _to_datetime(series: pd.Series) -> tuple[pd.Series, str | None, str | None]:
    """Dates from text in one format per column: ISO (YYYY-MM-DD, the contract) or the UK
    day-first form an analyst's export may use (DD/MM/YYYY, strictly: 03/31/2024 is not a
    date). Returns the dates, the format found and, when a column mixes the two, the problem."""
    if pd.api.types.is_datetime64_any_dtype(series):
        if getattr(series.dt, "tz", None) is not None:  # an aware time: its local clock time
            series = series.dt.tz_localize(None)
        return series.astype("datetime64[ns]"), None, None
    if pd.api.types.is_numeric_dtype(series):  # numbers are not dates
        return pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]"), None, None
    text = series.astype("string").str.strip()
    iso = text.str.match(ISO_DATE).fillna(False)
    uk = text.str.match(DAY_FIRST).fillna(False)
    mixed = None
    if iso.any() and uk.any():
        mixed = (
            f"two date formats in one column ({int(iso.sum()):,} as YYYY-MM-DD, "
            f"{int(uk.sum()):,} as DD/MM/YYYY): use one"
        )
    parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    if iso.any():
        parsed[iso] = _ns(pd.to_datetime(text[iso], format="ISO8601", errors="coerce"))
    if uk.any():
        day_first = text[uk]
        timed = day_first.str.contains(":").fillna(False).astype(bool)
        for mask, fmt in ((~timed, "%d/%m/%Y"), (timed, "%d/%m/%Y %H:%M")):
            if mask.any():
                rows = day_first[mask]
                parsed.loc[rows.index] = _ns(pd.to_datetime(rows, format=fmt, errors="coerce"))
    form = "DD/MM/YYYY" if uk.sum() > iso.sum() else ("YYYY-MM-DD" if iso.any() else None)
    return parsed.astype("datetime64[ns]"), form, mixed


#: Durations with a plausible limit: table -> (start, end, limit field, unit in days).
_DURATIONS = {
    "acute_episodes": ("admission_date", "discharge_date", "max_stay_days", 1.0),
    "delayed_discharges": ("ready_for_discharge_date", "discharge_date", "max_delay_days", 1.0),
    "ae_attendances": ("arrival_datetime", "departure_datetime", "max_ae_hours", 1 / 24),
}


def _implausible(df: pd.DataFrame, schema: Schema, extract_date, limits: Limits) -> list[Problem]:
    """Dates outside earliest_date .. the extract date, durations over their limit,
    populations over Scotland's (rows named by line, never by value)."""
    problems: list[Problem] = []
    latest = pd.Timestamp(extract_date) if extract_date else pd.Timestamp.now().normalize()
    latest = latest.normalize() + pd.Timedelta(days=1)  # up to the end of the extract date
    after = "the extract date" if extract_date else "today (the extract date is not recorded)"
    for col in schema.columns:
        if col.kind not in ("date", "datetime") or col.name not in df:
            continue
        dates = df[col.name]
        early = dates < limits.earliest_date
        if early.any():
            problems.append(Problem(col.name, f"before {limits.earliest_date:%Y-%m-%d} "
                                    "(implausible)", int(early.sum()), _rows(early)))  # fmt: skip
        late = dates >= latest
        if late.any():
            problems.append(Problem(col.name, f"after {after} ({latest - pd.Timedelta(days=1):%Y-%m-%d})",
                                    int(late.sum()), _rows(late)))  # fmt: skip
    if schema.table in _DURATIONS:
        start, end, field_name, unit = _DURATIONS[schema.table]
        limit = getattr(limits, field_name)
        days = (df[end] - df[start]).dt.total_seconds() / 86400
        long = days > limit * unit
        if long.any():
            what = "hours" if unit != 1.0 else "days"
            problems.append(Problem(f"{start} and {end}", f"longer than {limit:,} {what} "
                                    f"(validation.{field_name})", int(long.sum()), _rows(long)))  # fmt: skip
    for name in ("population", "AllAges"):
        if name in df and name in schema.names:
            big = df[name] > limits.max_population
            if big.any():
                problems.append(Problem(name, f"larger than {limits.max_population:,} "
                                        "(more people than Scotland)", int(big.sum()), _rows(big)))  # fmt: skip
    return problems


def _row_rules(df: pd.DataFrame, schema: Schema) -> list[Problem]:
    problems: list[Problem] = []
    for rule in schema.row_rules:
        ok = rule.check(df).fillna(True).astype(bool)
        if not ok.all():
            problems.append(
                Problem(" and ".join(rule.columns), rule.rule, int((~ok).sum()), _rows(~ok))
            )
    if schema.key:
        key = [k for k in schema.key if k in df.columns]
        dup = df.duplicated(subset=key, keep=False)
        if dup.any():
            problems.append(Problem(", ".join(key), "duplicate key", int(dup.sum()), _rows(dup)))
    if schema.geography:
        problems += _geography_problems(df)
    return problems


def _geography_problems(df: pd.DataFrame) -> list[Problem]:
    known = geography.locality_lookup()
    codes = {code for code, _ in known}
    hscp = df["hscp2019"]
    unknown_hscp = hscp.notna() & ~hscp.isin(codes)
    problems = []
    if unknown_hscp.any():
        problems.append(
            Problem(
                "hscp2019",
                "unknown HSCP code",
                int(unknown_hscp.sum()),
                _examples(hscp[unknown_hscp]),
            )
        )
    # One string per row ("S37000005|Clackmannanshire") is much faster to look up
    # than a MultiIndex on millions of rows.
    pairs = hscp.astype("string") + "|" + df["locality"].astype("string")
    known_pairs = {f"{code}|{loc}" for code, loc in known}
    unknown_loc = ~unknown_hscp & df["locality"].notna() & ~pairs.isin(known_pairs)
    if unknown_loc.any():
        problems.append(
            Problem(
                "locality",
                "not a locality of the row's HSCP",
                int(unknown_loc.sum()),
                _examples(df.loc[unknown_loc, "locality"]),
            )
        )
    return problems
