"""Sex codes: 1 male, 2 female (the SMR and NRS coding).

Record-level extracts carry the code; NRS and PHS open data files write the
name ("Male", "Female", and "All" for both). This is the one map between them.
"""

from __future__ import annotations

import pandas as pd

MALE, FEMALE = 1, 2
#: Code -> name, as published.
SEX_NAMES = {MALE: "Male", FEMALE: "Female"}
#: Name -> code.
SEX_CODES = {name: code for code, name in SEX_NAMES.items()}


def sex_name(codes: pd.Series) -> pd.Series:
    """The name of each code ("Male", "Female"); anything else is missing."""
    return pd.to_numeric(codes, errors="coerce").map(SEX_NAMES)


def sex_code(names: pd.Series) -> pd.Series:
    """The code of each name ("Male" -> 1, "Female" -> 2, any case); others missing."""
    lookup = {name.casefold(): code for name, code in SEX_CODES.items()}
    return names.astype(str).str.strip().str.casefold().map(lookup)


__all__ = ["FEMALE", "MALE", "SEX_CODES", "SEX_NAMES", "sex_code", "sex_name"]
