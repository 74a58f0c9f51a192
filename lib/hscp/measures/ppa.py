"""Potentially preventable admissions (PPA): the 19 ISD/PHS ambulatory care sensitive conditions.

An emergency admission is potentially preventable when the first episode of its
continuous inpatient stay has one of 19 conditions, recognised by ICD-10
diagnosis codes, sometimes with an OPCS-4 main operation that rules it out.
Source: Public Health Scotland, source linkage files,
GitHub Public-Health-Scotland/source-linkage-files, R/add_ppa_flag.R (the
codes, the operation exclusions and which diagnosis positions are searched);
the list goes back to the ISD Scotland PPA definition (19 conditions, after the
UK "ambulatory care sensitive conditions" list). docs/methods-unscheduled-care.md
has the table of conditions and codes for a reviewer.

Codes match by prefix: a 3-character code matches every code that starts with it
(J45 matches J450, J459), a 4-character code only those starting with those 4
characters (J181, not J18 or J180). Codes may come with or without a dot and in
any case ("j18.1" is J181).

Where a stay meets two conditions, its `ppa_condition` is the first matching rule
in PPA_RULES, which follows the order of the R code's case_when (see PPA_RULES);
whether it is a PPA does not depend on the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.measures._months import check_columns
from hscp.measures.stays import is_emergency

#: The 19 conditions, in the order of the ISD/PHS list.
PPA_CONDITIONS = (
    "ENT infections",
    "dental conditions",
    "convulsions and epilepsy",
    "gangrene",
    "nutritional deficiency",
    "dehydration and gastroenteritis",
    "pyelonephritis",
    "perforated/bleeding ulcer",
    "cellulitis",
    "pelvic inflammatory disease",
    "influenza and pneumonia",
    "other vaccine-preventable",
    "iron-deficiency anaemia",
    "asthma",
    "diabetes complications",
    "hypertension",
    "angina",
    "COPD",
    "congestive heart failure",
)

#: The diagnosis columns of a stay (SMR01 main condition and other conditions 1-5).
DIAGNOSIS_COLUMNS = ("main_condition", *(f"other_condition_{i}" for i in range(1, 6)))

# Main operations (first three characters of the OPCS-4 code) that rule a condition out.
_CELLULITIS_OPERATIONS = frozenset({"S06", "S57", "S68", "S70", "W90", "X11"})
_ANGINA_OPERATIONS = frozenset({"K40", "K45", "K49", "K60", "K65", "K66"})
#: "excluding_operation" in the R code: K01-K50, K56, K60, K61 (cardiac operations).
_CARDIAC_OPERATIONS = frozenset({*(f"K{n:02d}" for n in range(1, 51)), "K56", "K60", "K61"})
_COPD_CODES = frozenset({"J41", "J42", "J43", "J44", "J47"})


@dataclass(frozen=True)
class PPARule:
    """One line of the PPA definition.

    The stay has `condition` when a diagnosis in `where` starts with one of `codes`
    (3 or 4 characters), its main operation does not start with one of
    `excluded_operations` (3 characters), and, if `first_other` is given, its first
    other condition starts with one of those (3 characters).
    `where` is "main" (main condition only) or "any" (main or other conditions 1-5).
    """

    condition: str
    where: str
    codes: frozenset[str]
    excluded_operations: frozenset[str] = frozenset()
    first_other: frozenset[str] = frozenset()


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


def _fourth(stems: Iterable[str], fourth: str) -> frozenset[str]:
    """Each 3-character stem with each allowed 4th character (K25 + "0124" -> K250, ...)."""
    return frozenset(stem + char for stem in stems for char in fourth)


#: The rules in the order of the R code's case_when (first match wins):
#: 1-2. main condition, no exclusion (3-, then 4-character codes);
#: 3-4. any diagnosis position (3-, then 4-character codes);
#: 5. angina; 6-7. cellulitis; 8-9. hypertension and heart failure;
#: 10. acute bronchitis (J20) with COPD as the first other condition.
#: Within a branch of the R code, conditions are in the order its comments list them.
#: Main-condition rules cannot clash with each other (a code belongs to one
#: condition), so the order matters only between them and the "any" rules: an
#: unconditional main-condition rule beats an "any" rule, which beats angina,
#: cellulitis, hypertension, heart failure and J20 COPD.
PPA_RULES: tuple[PPARule, ...] = (
    # 1. main condition, first three characters
    PPARule("ENT infections", "main", _codes("H66", "J06")),
    PPARule("dental conditions", "main", _codes("K02", "K03", "K04", "K05", "K06", "K08")),
    PPARule("convulsions and epilepsy", "main", _codes("G40", "G41", "R56", "O15")),
    PPARule("nutritional deficiency", "main", _codes("E40", "E41", "E43")),
    PPARule("dehydration and gastroenteritis", "main", _codes("E86")),
    PPARule("pyelonephritis", "main", _codes("N10", "N11", "N12")),
    PPARule("pelvic inflammatory disease", "main", _codes("N70", "N73")),
    PPARule("asthma", "main", _codes("J45", "J46")),
    PPARule("COPD", "main", _COPD_CODES),
    # 2. main condition, first four characters
    PPARule("ENT infections", "main", _codes("J028", "J029", "J038", "J039", "J321")),
    PPARule("nutritional deficiency", "main", _codes("E550", "E643", "M833")),
    PPARule("dehydration and gastroenteritis", "main", _codes("K522", "K528", "K529")),
    PPARule("perforated/bleeding ulcer", "main", _fourth(("K25", "K26", "K27", "K28"), "012456")),
    PPARule("iron-deficiency anaemia", "main", _codes("D501", "D508", "D509")),
    # 3. any of the six diagnoses, first three characters
    PPARule("gangrene", "any", _codes("R02")),
    PPARule("influenza and pneumonia", "any", _codes("J10", "J11", "J13")),
    PPARule("other vaccine-preventable", "any", _codes("A35", "A36", "A80", "B05", "B06", "B26")),
    # 4. any of the six diagnoses, first four characters
    PPARule("other vaccine-preventable", "any", _codes("A370", "A379", "B161", "B169")),
    PPARule(
        "diabetes complications", "any", _fourth(("E10", "E11", "E12", "E13", "E14"), "012345678")
    ),
    PPARule("influenza and pneumonia", "any", _codes("J181")),
    # 5-9. main condition unless the main operation rules it out
    PPARule("angina", "main", _codes("I20"), excluded_operations=_ANGINA_OPERATIONS),
    PPARule(
        "cellulitis",
        "main",
        _codes("L03", "L04", "L080", "L088", "L089", "L980"),
        excluded_operations=_CELLULITIS_OPERATIONS,
    ),
    PPARule("hypertension", "main", _codes("I10", "I119"), excluded_operations=_CARDIAC_OPERATIONS),
    PPARule(
        "congestive heart failure",
        "main",
        _codes("I50", "J81", "I110"),
        excluded_operations=_CARDIAC_OPERATIONS,
    ),
    # 10. acute bronchitis with COPD as the first other condition
    PPARule("COPD", "main", _codes("J20"), first_other=_COPD_CODES),
)


def _clean(code: object) -> str | None:
    """A code without dots or spaces, in upper case; None when missing or blank."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return None
    text = str(code).replace(".", "").replace(" ", "").upper()
    return text or None


def _starts(code: str | None, codes: frozenset[str]) -> bool:
    return code is not None and (code[:3] in codes or code[:4] in codes)


def ppa_condition(
    main_condition: str | None,
    other_conditions: Iterable[str | None] = (),
    main_operation: str | None = None,
) -> str | None:
    """The PPA condition of one stay's first episode, or None if it has none.

    `main_condition` and up to five `other_conditions` are ICD-10 codes, and
    `main_operation` an OPCS-4 code, with or without dots, in any case. The rules
    and their order are PPA_RULES (source: Public-Health-Scotland/source-linkage-files,
    R/add_ppa_flag.R). Whether the admission was an emergency is not checked here:
    only emergency admissions can be PPAs (flag_ppa).

    >>> ppa_condition("J45.9")
    'asthma'
    >>> ppa_condition("I20.0", main_operation="K40.1") is None
    True
    """
    main = _clean(main_condition)
    others = [_clean(code) for code in other_conditions]
    if len(others) > 5:
        raise ValueError(f"a stay has at most 5 other conditions, not {len(others)}")
    first_other = others[0] if others else None
    operation = _clean(main_operation)
    operation_3 = operation[:3] if operation else None
    for rule in PPA_RULES:
        searched = [main] if rule.where == "main" else [main, *others]
        if not any(_starts(code, rule.codes) for code in searched):
            continue
        if operation_3 is not None and operation_3 in rule.excluded_operations:
            continue
        if rule.first_other and not (first_other and first_other[:3] in rule.first_other):
            continue
        return rule.condition
    return None


class _CodeColumn:
    """A code column as positions into its distinct values, cleaned (no dots, upper case).

    The millions of rows hold a few thousand distinct codes: the string work
    (cleaning, first 3 and 4 characters, list look-ups) is done once per distinct
    code, and a look-up's answer is taken back to the rows by position.
    """

    def __init__(self, values: pd.Series):
        positions, distinct = pd.factorize(values.astype("string"), use_na_sentinel=True)
        self.positions = positions  # -1 where missing
        cleaned = (
            pd.Series(distinct, dtype="string")
            .str.replace(".", "", regex=False)
            .str.replace(" ", "", regex=False)
            .str.upper()
        )
        self.first_3 = cleaned.str.slice(0, 3)
        self.first_4 = cleaned.str.slice(0, 4)

    def _to_rows(self, found: pd.Series) -> np.ndarray:
        # one extra False at the end: position -1 (a missing code) finds nothing
        per_code = np.append(found.fillna(False).to_numpy(dtype=bool), False)
        return per_code[self.positions]

    def starts_with(self, codes: frozenset[str]) -> np.ndarray:
        """True where the code's first 3 or first 4 characters are one of `codes`."""
        return self._to_rows(self.first_3.isin(codes) | self.first_4.isin(codes))

    def first_3_in(self, codes: frozenset[str]) -> np.ndarray:
        """True where the code's first 3 characters are one of `codes`."""
        return self._to_rows(self.first_3.isin(codes))


def ppa_conditions(stays: pd.DataFrame) -> pd.Series:
    """The PPA condition of each row (a stay's first episode), missing if none.

    Uses main_condition, other_condition_1..5 (ICD-10) and main_operation
    (OPCS-4), with or without dots, in any case; the same rules and order as
    ppa_condition (PPA_RULES), vectorised. Does not look at the admission type:
    flag_ppa applies the rule that only emergency admissions count.
    Source: Public-Health-Scotland/source-linkage-files, R/add_ppa_flag.R.
    """
    check_columns(stays, [*DIAGNOSIS_COLUMNS, "main_operation"], "ppa_conditions")
    diagnoses = [_CodeColumn(stays[col]) for col in DIAGNOSIS_COLUMNS]
    operation = _CodeColumn(stays["main_operation"])

    # matched[:, k] is True where rule k matches; the first True in a row names it.
    matched = np.zeros((len(stays), len(PPA_RULES)), dtype=bool)
    for k, rule in enumerate(PPA_RULES):
        searched = diagnoses[:1] if rule.where == "main" else diagnoses
        match = np.zeros(len(stays), dtype=bool)
        for column in searched:
            match |= column.starts_with(rule.codes)
        if rule.excluded_operations:
            match &= ~operation.first_3_in(rule.excluded_operations)
        if rule.first_other:
            match &= diagnoses[1].first_3_in(rule.first_other)
        matched[:, k] = match
    names = np.array([rule.condition for rule in PPA_RULES], dtype=object)
    chosen = np.where(matched.any(axis=1), names[matched.argmax(axis=1)], None)
    return pd.Series(chosen, index=stays.index, dtype="string", name="ppa_condition")


def flag_ppa(stays: pd.DataFrame) -> pd.DataFrame:
    """The stays with `ppa_condition` (name or missing) and `ppa` (bool) added.

    Rule: a stay is a potentially preventable admission when it is an emergency
    admission (its first episode's admission type is 20-22 or 30-39, is_emergency)
    and its first episode has one of the 19 PPA conditions (ppa_conditions).
    Non-emergency stays are never PPAs: their ppa_condition is missing. Pass
    continuous stays (continuous_stays), whose diagnoses and main operation are
    those of the stay's first episode, as PHS uses. PPAs per month are
    admissions_by_month(flagged[flagged.ppa], ...).
    Source: Public-Health-Scotland/source-linkage-files, R/add_ppa_flag.R (first
    record of each non-elective continuous inpatient stay).
    """
    check_columns(stays, ["admission_type"], "flag_ppa")
    out = stays.copy()
    emergency = is_emergency(out["admission_type"]).to_numpy(dtype=bool)
    condition = ppa_conditions(out)
    out["ppa_condition"] = condition.where(emergency, pd.NA)
    out["ppa"] = out["ppa_condition"].notna().to_numpy(dtype=bool)
    return out
