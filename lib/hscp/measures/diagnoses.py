"""Reasons for admission: ICD-10 chapters and the condition groups analysts report.

A stay's reason for admission is the main condition of its first episode
(SMR01 main condition, ICD-10). Two groupings:

- ICD10_CHAPTERS: the 22 chapters of ICD-10 by code range (WHO, International
  Statistical Classification of Diseases and Related Health Problems, 10th
  revision, 5th edition 2016, the edition SMR01 is coded in; chapter list of the
  WHO ICD-10 browser, version 2019). A code in no chapter's range (e.g. D49,
  K95) has no chapter.
- CONDITION_GROUPS: falls and fractures, stroke, cardiac, dementia and delirium,
  respiratory, infections and frailty-related. Each group's codes, their source
  or the reason for them are in CONDITION_GROUPS and docs/methods.md. The
  groups do not overlap: a stay is in at most one (the first that matches, in
  the order listed), and in "Other conditions" otherwise.

Codes may come with or without a dot, in any case ("s72.0" is S720). Matching
is by prefix, as in the PPA definition: a 3-character code matches every code
that starts with it (S72 matches S720, S7200), a 4-character one only the
codes starting with those four characters (R296, not R29).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.measures._months import check_columns


@dataclass(frozen=True)
class Chapter:
    number: str  # Roman numeral, as WHO numbers them
    first: str  # first 3-character category of the chapter
    last: str  # last 3-character category of the chapter (inclusive)
    title: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.title} ({self.first}-{self.last})"


#: The 22 ICD-10 chapters (WHO ICD-10, 5th edition 2016 / browser version 2019).
ICD10_CHAPTERS: tuple[Chapter, ...] = (
    Chapter("I", "A00", "B99", "Certain infectious and parasitic diseases"),
    Chapter("II", "C00", "D48", "Neoplasms"),
    Chapter("III", "D50", "D89", "Diseases of the blood and immune mechanism"),
    Chapter("IV", "E00", "E90", "Endocrine, nutritional and metabolic diseases"),
    Chapter("V", "F00", "F99", "Mental and behavioural disorders"),
    Chapter("VI", "G00", "G99", "Diseases of the nervous system"),
    Chapter("VII", "H00", "H59", "Diseases of the eye and adnexa"),
    Chapter("VIII", "H60", "H95", "Diseases of the ear and mastoid process"),
    Chapter("IX", "I00", "I99", "Diseases of the circulatory system"),
    Chapter("X", "J00", "J99", "Diseases of the respiratory system"),
    Chapter("XI", "K00", "K93", "Diseases of the digestive system"),
    Chapter("XII", "L00", "L99", "Diseases of the skin and subcutaneous tissue"),
    Chapter("XIII", "M00", "M99", "Diseases of the musculoskeletal system"),
    Chapter("XIV", "N00", "N99", "Diseases of the genitourinary system"),
    Chapter("XV", "O00", "O99", "Pregnancy, childbirth and the puerperium"),
    Chapter("XVI", "P00", "P96", "Conditions originating in the perinatal period"),
    Chapter("XVII", "Q00", "Q99", "Congenital malformations and chromosomal abnormalities"),
    Chapter("XVIII", "R00", "R99", "Symptoms, signs and abnormal findings"),
    Chapter("XIX", "S00", "T98", "Injury, poisoning and other external causes"),
    Chapter("XX", "V01", "Y98", "External causes of morbidity and mortality"),
    Chapter("XXI", "Z00", "Z99", "Factors influencing health status and contact with services"),
    Chapter("XXII", "U00", "U99", "Codes for special purposes"),
)
#: Chapter labels in chapter order ("I Certain infectious ... (A00-B99)", ...).
ICD10_CHAPTER_LABELS = tuple(c.label for c in ICD10_CHAPTERS)
#: The label of a code in no chapter (or missing).
NO_CHAPTER = "No valid ICD-10 chapter"


def _range(letter: str, first: int, last: int) -> tuple[str, ...]:
    """3-character categories letter+first .. letter+last (I20-I25 -> I20, I21, ... I25)."""
    return tuple(f"{letter}{n:02d}" for n in range(first, last + 1))


@dataclass(frozen=True)
class ConditionGroup:
    """A group of main conditions: codes (3 or 4 characters, matched as prefixes).

    `injury_with` (falls only): the group also takes a main condition that is an
    injury in `injury_codes` when one of the other conditions starts with one of
    `injury_with` (the external cause of a fall, W00-W19, is never the main
    condition in SMR01: it is coded beside the injury).
    """

    name: str
    codes: frozenset[str]
    why: str
    injury_codes: frozenset[str] = frozenset()
    injury_with: frozenset[str] = frozenset()


_FRACTURES = (
    # ICD-10 chapter XIX: the "Fracture of ..." categories of each body region
    # (S02 skull/face, S12 neck, S22 rib/sternum/thoracic spine, S32 lumbar spine
    # and pelvis, S42 shoulder/upper arm, S52 forearm, S62 wrist/hand, S72 femur,
    # S82 lower leg incl. ankle, S92 foot), fractures of unspecified or multiple
    # regions (T02, T08, T10, T12, T14.2)
    *(f"S{region}2" for region in range(10)),
    "T02",
    "T08",
    "T10",
    "T12",
    "T142",
)

#: The condition groups, in the order a stay is assigned to them (first match).
CONDITION_GROUPS: tuple[ConditionGroup, ...] = (
    ConditionGroup(
        "Falls and fractures",
        frozenset(
            {
                *_FRACTURES,
                "M80",  # osteoporosis with pathological (fragility) fracture
                "R296",  # tendency to fall (repeated falls)
            }
        ),
        "Fracture categories of ICD-10 chapter XIX, fragility fractures (M80) and "
        "repeated falls (R29.6); or any injury (S00-T14) coded with a fall "
        "(external cause W00-W19, the falls of PHS's unintentional injuries statistics)",
        injury_codes=frozenset({*_range("S", 0, 99), *(f"T{n:02d}" for n in range(0, 15))}),
        injury_with=frozenset(_range("W", 0, 19)),
    ),
    ConditionGroup(
        "Stroke",
        frozenset({"I60", "I61", "I63", "I64", "G45"}),
        "Stroke: subarachnoid (I60) and intracerebral (I61) haemorrhage, cerebral "
        "infarction (I63), stroke not specified (I64); transient ischaemic attack (G45). "
        "I62 (non-traumatic subdural haemorrhage) is left out: in older people it is "
        "mostly a bleed after a fall, not a stroke",
    ),
    ConditionGroup(
        "Cardiac",
        frozenset({*_range("I", 0, 9), "I11", "I13", *_range("I", 20, 51)}),
        "Diseases of the heart as ONS and NRS group causes of death: I00-I09, I11, I13, "
        "I20-I51 (ischaemic heart disease, heart failure, arrhythmias, valve disease)",
    ),
    ConditionGroup(
        "Dementia and delirium",
        frozenset({"F00", "F01", "F02", "F03", "G30", "G310", "G311", "G318", "F05", "R410"}),
        "Dementia (F00-F03, and the diseases it is coded with: Alzheimer's G30, "
        "frontotemporal G31.0, senile degeneration G31.1, Lewy body G31.8); delirium not "
        "caused by alcohol or drugs (F05); disorientation/confusion (R41.0)",
    ),
    ConditionGroup(
        "Respiratory",
        frozenset(_range("J", 0, 99)),
        "ICD-10 chapter X (J00-J99), including pneumonia, influenza and COPD",
    ),
    ConditionGroup(
        "Infections",
        frozenset(
            {
                *_range("A", 0, 99),
                *_range("B", 0, 99),
                "N10",
                "N11",
                "N12",
                "N30",
                "N390",
                "L03",
                "U07",
            }
        ),
        "Infections outside the respiratory chapter: ICD-10 chapter I (A00-B99, "
        "including sepsis A40-A41), kidney and urinary tract infection (N10-N12, N30, "
        "N39.0), cellulitis (L03), COVID-19 (U07)",
    ),
    ConditionGroup(
        "Frailty-related",
        frozenset({"R26", "R54", "Z74", "R32", "R15", "N393", "N394", "L89"}),
        "Frailty syndromes other than falls, dementia and delirium (after Soong et al., "
        "BMJ Open 2015): mobility problems (R26), senility (R54), functional dependence "
        "(Z74), incontinence (R32, R15, N39.3, N39.4), pressure ulcers (L89)",
    ),
)
#: The group of a stay in none of CONDITION_GROUPS.
OTHER_CONDITIONS = "Other conditions"
#: Group names in reporting order, ending with OTHER_CONDITIONS.
CONDITION_GROUP_NAMES = (*(g.name for g in CONDITION_GROUPS), OTHER_CONDITIONS)

_OTHER_COLUMNS = tuple(f"other_condition_{i}" for i in range(1, 6))


def clean_icd10(codes: pd.Series | Sequence[str | None]) -> pd.Series:
    """ICD-10 codes without dots or spaces, in upper case; missing or blank -> <NA>."""
    values = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype="object")
    cleaned = (
        values.astype("string")
        .str.replace(".", "", regex=False)
        .str.replace(" ", "", regex=False)
        .str.upper()
    )
    return cleaned.mask(cleaned.eq("").fillna(False))


def icd10_chapter(codes: pd.Series | Sequence[str | None]) -> pd.Series:
    """The ICD-10 chapter label (ICD10_CHAPTER_LABELS) of each code, or NO_CHAPTER.

    The chapter is found from the code's first three characters, compared with
    each chapter's first and last category (A00-B99, C00-D48, ...): "D48.9" is in
    chapter II, "D50" in III; a code outside every range (D49, E91, K95, P97,
    T99, V00, Y99) or missing is NO_CHAPTER. Returns an ordered categorical (the
    chapters in their order, then NO_CHAPTER).
    """
    cleaned = clean_icd10(codes)
    category = cleaned.str.slice(0, 3)
    valid = category.str.fullmatch(r"[A-Z][0-9]{2}").fillna(False).to_numpy(dtype=bool)
    text = category.fillna("").to_numpy(dtype=object).astype(str)
    firsts = np.array([c.first for c in ICD10_CHAPTERS])
    lasts = np.array([c.last for c in ICD10_CHAPTERS])
    # codes[i] >= first[k] and <= last[k]: string comparison works for letter + 2 digits
    inside = (text[:, None] >= firsts[None, :]) & (text[:, None] <= lasts[None, :])
    inside &= valid[:, None]
    codes_out = np.where(inside.any(axis=1), inside.argmax(axis=1), len(ICD10_CHAPTERS))
    categories = [*ICD10_CHAPTER_LABELS, NO_CHAPTER]
    out = pd.Categorical.from_codes(codes_out, categories=categories, ordered=True)
    return pd.Series(out, index=cleaned.index, name="icd10_chapter")


def _starts_with(cleaned: pd.Series, codes: frozenset[str]) -> np.ndarray:
    first_3 = cleaned.str.slice(0, 3)
    first_4 = cleaned.str.slice(0, 4)
    found = first_3.isin(codes) | first_4.isin(codes)
    return found.fillna(False).to_numpy(dtype=bool, copy=True)


def condition_group(stays: pd.DataFrame) -> pd.Series:
    """The condition group (CONDITION_GROUP_NAMES) of each stay's first episode.

    Uses `main_condition` and, for falls, `other_condition_1..5` when present
    (a main condition that is an injury, S00-T14, with a fall, W00-W19, among the
    other conditions is a fall). The first group in CONDITION_GROUPS that matches
    wins; a stay in none is OTHER_CONDITIONS. Returns an ordered categorical.
    Definitions and their sources: CONDITION_GROUPS and docs/methods.md.
    """
    check_columns(stays, ["main_condition"], "condition_group")
    main = clean_icd10(stays["main_condition"])
    others = [clean_icd10(stays[c]) for c in _OTHER_COLUMNS if c in stays.columns]
    chosen = np.full(len(stays), len(CONDITION_GROUPS), dtype=np.int64)
    for k in range(len(CONDITION_GROUPS) - 1, -1, -1):  # last first, so the first match wins
        group = CONDITION_GROUPS[k]
        match = _starts_with(main, group.codes)
        if group.injury_with and others:
            fall = np.zeros(len(stays), dtype=bool)
            for other in others:
                fall |= _starts_with(other, group.injury_with)
            match |= _starts_with(main, group.injury_codes) & fall
        chosen[match] = k
    out = pd.Categorical.from_codes(chosen, categories=list(CONDITION_GROUP_NAMES), ordered=True)
    return pd.Series(out, index=stays.index, name="condition_group")
