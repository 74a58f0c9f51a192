"""Scottish conventions the whole project shares, one small module each (in the spirit
of PHS's phsmethods R package): financial years, months, age bands and sex codes.

Each is a definition a reader can check against its source, with a table of edge
cases in its test (tests/test_conventions.py).
"""

from hscp.conventions import age_bands, financial_years, months, sex
from hscp.conventions.financial_years import (
    FinancialYear,
    days_in_financial_year,
    financial_year,
    financial_year_label,
    parse_financial_year,
)

__all__ = [
    "FinancialYear",
    "age_bands",
    "days_in_financial_year",
    "financial_year",
    "financial_year_label",
    "financial_years",
    "months",
    "parse_financial_year",
    "sex",
]
