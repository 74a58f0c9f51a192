"""The pathway into a delay: the hospital stay each delay belongs to, and how it began.

A delayed discharge record (the delayed discharges return) says when a person
was ready to go home and where they were; the hospital stay it ends is in
SMR01 (continuous inpatient stays: measures.stays). Linking the two by person
(link_no) and dates shows the pathway that led to the delay: admitted as an
emergency or planned, through A&E or not, which specialties, how long in
hospital before being ready, transfers between hospitals, and the reason for
admission in the first place (the main condition of the stay's first episode,
measures.diagnoses; potentially preventable admissions, measures.ppa).

The rules, in words (docs/methods.md, "Pathways into a delay"):

- Linking. A delay belongs to a continuous inpatient stay of the same person:
  1. the stay whose admission date equals the delay's admission date ("admission
     date");
  2. failing that, the stay whose dates contain the ready for discharge date
     (admitted on or before it, and discharged on or after it or still open:
     "ready date in stay"): a delay recorded from the hospital a person was
     transferred to carries that hospital's admission date, which is a later
     episode's, not the stay's;
  3. failing that, no stay ("no stay"): the delay is kept, counted and shown as
     "No linked stay" in every pathway breakdown, never dropped.
  Two stays on the same step (which clean SMR01 data should not have): the one
  whose dates contain the ready date, then the later admitted, then the higher
  cis_marker.
- Admission route (the stay's first episode's admission type): "Emergency"
  (20-22, 30-39: is_emergency), "Planned" (10-12 elective and 19 other routine
  admissions), "Transfer or other" (18 routine transfer, 40 maternity, 48 other
  transfer).
- Through A&E: the person has an A&E attendance with discharge destination
  "Admitted" that ended (departure date; arrival date when the departure time is
  missing) on the stay's admission date or the day before (an attendance that
  starts in the evening and ends in an admission after midnight).
- Specialty pathway: the stay's first episode's specialty -> its last episode's
  specialty, and the number of episodes.
- Days in hospital before the ready date: ready for discharge date - the stay's
  admission date (the delay's own admission date when no stay is linked).
- Transferred: the stay's episodes are in more than one hospital (location).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from hscp.measures._months import check_columns, days
from hscp.measures.diagnoses import (
    CONDITION_GROUP_NAMES,
    ICD10_CHAPTER_LABELS,
    NO_CHAPTER,
    condition_group,
    icd10_chapter,
)
from hscp.measures.ppa import flag_ppa
from hscp.measures.stays import continuous_stays

#: How a delay was linked to a stay, best first.
STAY_MATCHES = ("admission date", "ready date in stay", "no stay")
#: The label of a delay with no linked stay in every pathway breakdown.
NO_STAY = "No linked stay"
#: Admission routes, from the stay's first episode's SMR01 admission type.
ADMISSION_ROUTES = ("Emergency", "Planned", "Transfer or other")
_ROUTE_OF_TYPE = {
    **{t: "Emergency" for t in (20, 21, 22, *range(30, 40))},
    **{t: "Planned" for t in (10, 11, 12, 19)},
    **{t: "Transfer or other" for t in (18, 40, 48)},
}
#: A&E routes.
AE_ROUTES = ("Through A&E", "Not through A&E")
#: Days in hospital before the ready for discharge date: (label, fewest, most).
_DAYS_BEFORE_READY = (
    ("0-6 days", 0, 6),
    ("1-2 weeks", 7, 13),
    ("2-4 weeks", 14, 27),
    ("4-8 weeks", 28, 55),
    ("8 weeks or more", 56, None),
)
DAYS_BEFORE_READY_BANDS = tuple(label for label, _, _ in _DAYS_BEFORE_READY)

#: Names of the commonest SMR01 specialty codes (PHS data dictionary, Specialty/Discipline
#: national reference file). A code not listed is shown as the code.
SPECIALTY_NAMES = {
    "A1": "General Medicine",
    "A2": "Cardiology",
    "A6": "Infectious Diseases",
    "A7": "Dermatology",
    "A8": "Endocrinology & Diabetes",
    "A9": "Gastroenterology",
    "AB": "Geriatric Medicine",
    "AF": "Paediatrics",
    "AG": "Renal Medicine",
    "AH": "Neurology",
    "AM": "Palliative Medicine",
    "AP": "Rehabilitation Medicine",
    "AQ": "Respiratory Medicine",
    "AR": "Rheumatology",
    "C1": "General Surgery",
    "C5": "Ear, Nose & Throat",
    "C6": "Neurosurgery",
    "C7": "Ophthalmology",
    "C8": "Trauma & Orthopaedic Surgery",
    "C9": "Plastic Surgery",
    "CB": "Urology",
    "E12": "General Practice (GP beds)",
    "F2": "Gynaecology",
}


def specialty_name(codes: pd.Series) -> pd.Series:
    """A specialty code as a reader names it: "Geriatric Medicine (AB)"; an unlisted
    code as itself; missing stays missing."""
    text = codes.astype("string")
    named = text.map(SPECIALTY_NAMES)
    return (named + " (" + text + ")").fillna(text)


def hospital_name(codes: pd.Series) -> pd.Series:
    """A location code as a reader names it: "Forth Valley Royal Hospital (V217H)", from
    params/hospitals.csv; an unlisted code as itself; missing stays missing."""
    text = codes.astype("string")
    named = text.map(_hospital_names())
    return (named + " (" + text + ")").fillna(text)


@cache
def _hospital_names() -> dict[str, str]:
    from hscp.paths import params_dir

    path = params_dir() / "hospitals.csv"
    if not path.exists():
        return {}
    lookup = pd.read_csv(path, comment="#", dtype=str)
    return dict(zip(lookup["location"].str.strip(), lookup["name"].str.strip(), strict=True))


_STAY_COLUMNS = {
    "cis_marker": "cis_marker",
    "admission_date": "stay_admission_date",
    "discharge_date": "stay_discharge_date",
    "admission_type": "admission_type",
    "n_episodes": "n_episodes",
    "specialty": "first_specialty",
    "last_specialty": "last_specialty",
    "location": "first_location",
    "last_location": "last_location",
    "n_locations": "n_locations",
    "main_condition": "main_condition",
    **{f"other_condition_{i}": f"other_condition_{i}" for i in range(1, 6)},
    "main_operation": "main_operation",
}


#: The episode columns the linking and the pathway use.
_EPISODE_COLUMNS = (
    "link_no",
    "cis_marker",
    "admission_date",
    "discharge_date",
    "admission_type",
    "discharge_type",
    "specialty",
    "location",
    "main_condition",
    *(f"other_condition_{i}" for i in range(1, 6)),
    "main_operation",
)


def _stays_with_locations(episodes: pd.DataFrame) -> pd.DataFrame:
    """continuous_stays plus n_locations (distinct hospitals among the stay's episodes)."""
    stays = continuous_stays(episodes)
    n_locations = (
        episodes.groupby(["link_no", "cis_marker"], sort=False)["location"]
        .nunique()
        .rename("n_locations")
        .reset_index()
    )
    return stays.merge(n_locations, on=["link_no", "cis_marker"], how="left")


def link_delays_to_stays(delays: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Each delay with the continuous inpatient stay it belongs to (rules: module docstring).

    `delays`: delay records (link_no, admission_date, ready_for_discharge_date,
    ...); `episodes`: SMR01 acute episodes (the data contract's acute_episodes).
    Returns every delay, in the same order, with `stay_match` (STAY_MATCHES) and
    the stay's columns added: cis_marker, stay_admission_date, stay_discharge_date,
    admission_type, n_episodes, first_specialty, last_specialty, first_location,
    last_location, n_locations, main_condition, other_condition_1..5,
    main_operation (all missing when stay_match is "no stay").
    """
    check_columns(
        delays, ["link_no", "admission_date", "ready_for_discharge_date"], "link_delays_to_stays"
    )
    check_columns(episodes, ["link_no", "cis_marker", "location"], "link_delays_to_stays")
    # only the columns used, and only the delayed people's episodes: a small part of an extract
    wanted = [c for c in _EPISODE_COLUMNS if c in episodes.columns]
    delayed = episodes["link_no"].isin(delays["link_no"].unique()).to_numpy(dtype=bool)
    episodes = episodes[wanted][delayed]
    stays = _stays_with_locations(episodes)
    stays = stays[[c for c in _STAY_COLUMNS if c in stays.columns] + ["link_no"]]
    stays = stays.rename(columns=_STAY_COLUMNS)

    keys = pd.DataFrame(
        {
            "_delay": np.arange(len(delays)),
            "link_no": delays["link_no"].to_numpy(),
            "_admitted": days(delays["admission_date"]),
            "_ready": days(delays["ready_for_discharge_date"]),
        }
    )
    pairs = keys.merge(stays, on="link_no", how="inner")
    stay_in = days(pairs["stay_admission_date"])
    stay_out = days(pairs["stay_discharge_date"])
    ready = pairs["_ready"].to_numpy(dtype="datetime64[D]")
    contains = (stay_in <= ready) & (np.isnat(stay_out) | (stay_out >= ready))
    same_admission = stay_in == pairs["_admitted"].to_numpy(dtype="datetime64[D]")
    step = np.where(same_admission, 0, np.where(contains, 1, 2))
    pairs = pairs.assign(_step=step, _contains=contains)
    pairs = pairs[pairs["_step"] < 2].sort_values(
        ["_delay", "_step", "_contains", "stay_admission_date", "cis_marker"],
        ascending=[True, True, False, False, False],
        kind="stable",
    )
    best = pairs.drop_duplicates("_delay").set_index("_delay")

    out = delays.reset_index(drop=True).copy()
    matched = best.reindex(np.arange(len(out)))
    step_of = matched["_step"].to_numpy(dtype=float)
    match = np.where(np.isnan(step_of), 2, step_of).astype(int)
    out["stay_match"] = pd.Categorical.from_codes(
        match, categories=list(STAY_MATCHES), ordered=True
    )
    for column in stays.columns.drop("link_no"):
        out[column] = matched[column].to_numpy()
    for column in ("cis_marker", "n_episodes", "n_locations", "admission_type"):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column]).astype("Int64")
    return out


def _days_band(values: np.ndarray) -> pd.Categorical:
    upper = [most for _, _, most in _DAYS_BEFORE_READY if most is not None]
    codes = np.searchsorted(upper, values, side="left")
    codes = np.where(np.isnan(values) | (values < 0), -1, codes)
    return pd.Categorical.from_codes(codes, categories=list(DAYS_BEFORE_READY_BANDS), ordered=True)


def _via_ae(linked: pd.DataFrame, ae: pd.DataFrame) -> np.ndarray:
    """True where an admitted A&E attendance ended on the stay's admission date or the day before."""
    check_columns(
        ae, ["link_no", "arrival_datetime", "departure_datetime", "discharge_destination"], "ae"
    )
    columns = ["link_no", "arrival_datetime", "departure_datetime"]
    wanted = ae["discharge_destination"].eq("Admitted").fillna(False) & ae["link_no"].isin(
        linked["link_no"].unique()
    )
    admitted = ae[columns][wanted.to_numpy(dtype=bool)]
    ended = days(admitted["departure_datetime"])
    ended = np.where(np.isnat(ended), days(admitted["arrival_datetime"]), ended)
    attended = pd.DataFrame({"link_no": admitted["link_no"].to_numpy(), "_day": ended})
    attended = attended.drop_duplicates()
    stay_day = days(linked["stay_admission_date"])
    found = np.zeros(len(linked), dtype=bool)
    for lag in (0, 1):  # on the admission date, or the day before
        probe = pd.DataFrame(
            {
                "_row": np.arange(len(linked)),
                "link_no": linked["link_no"].to_numpy(),
                "_day": stay_day - np.timedelta64(lag, "D"),
            }
        )
        hits = probe.merge(attended, on=["link_no", "_day"], how="inner")["_row"].to_numpy()
        found[hits] = True
    return found


def delay_pathways(
    delays: pd.DataFrame, episodes: pd.DataFrame, ae: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The delays with the pathway of the stay they belong to (rules: module docstring).

    Adds to link_delays_to_stays' columns: admission_route (ADMISSION_ROUTES, or
    NO_STAY); ae_route (AE_ROUTES; NO_STAY without a linked stay; "Not known"
    when `ae` is None); specialty_pathway ("A1 -> AB", or "A1" when the stay
    stays in one specialty; NO_STAY); transferred (True/False, <NA> without a
    stay) and transfer ("Moved hospital"/"One hospital"/NO_STAY); days_before_ready
    and its band (DAYS_BEFORE_READY_BANDS); icd10_chapter and condition_group of
    the stay's main condition (NO_STAY without a stay); ppa (potentially
    preventable admission: an emergency admission with a PPA condition, flag_ppa;
    <NA> without a stay), ppa_condition and ppa_label ("Potentially preventable",
    "Other emergency", "Not an emergency admission", NO_STAY). Pass
    delays_in_period's rows to keep its bed days for delay_breakdown.
    """
    linked = link_delays_to_stays(delays, episodes)
    has_stay = (linked["stay_match"] != "no stay").to_numpy()

    route = pd.to_numeric(linked["admission_type"]).map(_ROUTE_OF_TYPE)
    linked["admission_route"] = _labelled(route, has_stay, ADMISSION_ROUTES)

    if ae is None:
        linked["ae_route"] = pd.Categorical(
            np.where(has_stay, "Not known", NO_STAY), categories=["Not known", NO_STAY]
        )
    else:
        via = _via_ae(linked, ae)
        labels = pd.Series(np.where(via, AE_ROUTES[0], AE_ROUTES[1]), index=linked.index)
        linked["ae_route"] = _labelled(labels, has_stay, AE_ROUTES)

    first = linked["first_specialty"].astype("string")
    last = linked["last_specialty"].astype("string")
    pathway = first.where(first == last, first + " -> " + last)
    linked["specialty_pathway"] = pathway.where(has_stay, NO_STAY).astype(str)
    first_name = first.map(SPECIALTY_NAMES).fillna(first)
    last_name = last.map(SPECIALTY_NAMES).fillna(last)
    named = first_name.where(first == last, first_name + " -> " + last_name)
    linked["specialty_pathway_named"] = named.where(has_stay, NO_STAY).astype(str)

    moved = pd.to_numeric(linked["n_locations"]) > 1
    linked["transferred"] = moved.astype("boolean").where(has_stay, pd.NA)
    transfer = pd.Series(np.where(moved.fillna(False), "Moved hospital", "One hospital"))
    linked["transfer"] = _labelled(transfer, has_stay, ("One hospital", "Moved hospital"))

    admitted = days(linked["stay_admission_date"])
    admitted = np.where(has_stay, admitted, days(linked["admission_date"]))
    before = (days(linked["ready_for_discharge_date"]) - admitted).astype("timedelta64[D]")
    before_days = before.astype(float)
    before_days[np.isnat(before)] = np.nan
    linked["days_before_ready"] = pd.arrays.IntegerArray(
        np.nan_to_num(before_days, nan=0).astype(np.int64), mask=np.isnan(before_days)
    )
    linked["days_before_ready_band"] = _days_band(before_days)

    chapter = icd10_chapter(linked["main_condition"]).astype(str)
    linked["icd10_chapter"] = _labelled(chapter, has_stay, (*ICD10_CHAPTER_LABELS, NO_CHAPTER))
    groups = condition_group(linked).astype(str)
    linked["condition_group"] = _labelled(groups, has_stay, CONDITION_GROUP_NAMES)

    flagged = flag_ppa(linked.assign(admission_type=linked["admission_type"].fillna(0)))
    linked["ppa"] = flagged["ppa"].astype("boolean").where(has_stay, pd.NA)
    linked["ppa_condition"] = flagged["ppa_condition"]
    emergency = linked["admission_route"].astype(str).eq("Emergency").to_numpy()
    ppa_label = np.where(
        flagged["ppa"].to_numpy(dtype=bool),
        "Potentially preventable",
        np.where(emergency, "Other emergency admission", "Not an emergency admission"),
    )
    linked["ppa_label"] = _labelled(
        pd.Series(ppa_label),
        has_stay,
        ("Potentially preventable", "Other emergency admission", "Not an emergency admission"),
    )
    return linked


def _labelled(values: pd.Series, has_stay: np.ndarray, order) -> pd.Categorical:
    """Labels as a categorical in `order` then NO_STAY; rows without a stay are NO_STAY."""
    text = pd.Series(values).reset_index(drop=True).astype(object)
    text = text.where(has_stay, NO_STAY).fillna("Not known")
    categories = [*order, *(["Not known"] if (text == "Not known").any() else []), NO_STAY]
    return pd.Categorical(text, categories=categories, ordered=True)


#: The breakdowns of the pathway comparator (store "delay_pathway_bed_days"), in the
#: order a report shows them: delay_pathways' columns (and delay_reasons').
PATHWAY_DIMENSIONS = (
    "age_band",
    "sex_label",
    "reason_group",
    "reason_subgroup",
    "admission_route",
    "ae_route",
    "transfer",
    "days_before_ready_band",
    "condition_group",
    "ppa_label",
)


def bed_days_by_dimension(
    pathways: pd.DataFrame,
    start,
    end,
    *,
    dimensions: tuple[str, ...] = PATHWAY_DIMENSIONS,
    by: tuple[str, ...] = ("hscp2019",),
) -> pd.DataFrame:
    """Delayed bed days per month for each category of each dimension, long format.

    Columns: month, *by, dimension, category, bed_days. The bed day rules are
    delayed_bed_days' (18+, ready != discharge date, code 100 left out). Each
    dimension's categories add up to the month's total, so a share of bed days
    over any months is a category's sum over the dimension's sum. `sex_label`
    is made from `sex` when missing.
    """
    from hscp.measures._months import expand_by_month, monthly_totals, period_months
    from hscp.measures.delays import SEX_LABELS, _delay_days, _prepared

    frame = pathways
    if "sex_label" in dimensions and "sex_label" not in frame.columns:
        frame = frame.assign(sex_label=pd.to_numeric(frame["sex"]).map(SEX_LABELS))
    # the rules of delayed_bed_days, with the delays split into months once for all dimensions
    prepared = _prepared(frame, False, [*by, *dimensions], "bed_days_by_dimension")
    months = period_months(start, end)
    ready, discharged = _delay_days(prepared, months[-1])
    row, month, bed_days = expand_by_month(ready, discharged, months[0], months[-1])
    parts = []
    for dimension in dimensions:
        keys = prepared[[*by, dimension]].astype("string").fillna("Not known")
        table = monthly_totals(keys, row, month, {"bed_days": bed_days}, months, [*by, dimension])
        table = table.rename(columns={dimension: "category"})
        table.insert(len(by) + 1, "dimension", dimension)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def comparator_shares(
    comparator: pd.DataFrame,
    dimension: str,
    start,
    end,
    *,
    where: dict | None = None,
) -> pd.DataFrame:
    """Each category's share of delayed bed days from months `start` to `end`
    (bed_days_by_dimension's output), over the rows matching `where` (e.g.
    {"hscp2019": code}; all rows, i.e. Scotland, by default).
    Columns: category, bed_days, share_of_bed_days.
    """
    rows = comparator[comparator["dimension"] == dimension]
    first, last = pd.Timestamp(start).to_period("M").start_time, pd.Timestamp(end)
    rows = rows[(rows["month"] >= first) & (rows["month"] <= last)]
    for column, wanted in (where or {}).items():
        rows = rows[rows[column] == wanted]
    table = rows.groupby("category", as_index=False, sort=False)["bed_days"].sum()
    total = table["bed_days"].sum()
    table["share_of_bed_days"] = table["bed_days"] / total if total else np.nan
    return table


def breakdown_with_scotland(
    frame: pd.DataFrame,
    dimension: str,
    comparator: pd.DataFrame | None,
    start,
    end,
    *,
    order=None,
) -> pd.DataFrame:
    """delay_breakdown of `dimension`, with Scotland's share of delayed bed days in each
    category over the same months (`scotland_share_of_bed_days`, from the store's
    "delay_pathway_bed_days" comparator; missing when there is no comparator or the
    dimension is not in it)."""
    from hscp.measures.delays import delay_breakdown

    table = delay_breakdown(frame, dimension, order=order)
    table["scotland_share_of_bed_days"] = np.nan
    if comparator is not None and dimension in set(comparator["dimension"]):
        shares = comparator_shares(comparator, dimension, start, end)
        share_of = dict(
            zip(shares["category"].astype(str), shares["share_of_bed_days"], strict=True)
        )
        named = table[dimension].astype(str)
        table["scotland_share_of_bed_days"] = named.map(share_of).where(named != "All", 1.0)
        table["scotland_share_of_bed_days"] = table["scotland_share_of_bed_days"].fillna(
            0.0 if share_of else np.nan
        )
    return table
