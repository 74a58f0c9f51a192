"""Numpy columns -> Arrow tables in the contract's layout -> parquet or CSV."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hscp.synthetic import _params as P

NULL_INT = np.iinfo(np.int64).min


@cache
def known_codes() -> np.ndarray:
    """Every short code the generator can write (ICD-10, OPCS-4, specialties, sites),
    sorted, so string columns can be dictionary encoded without a slow unique()."""
    from hscp.synthetic._context import _site_table

    codes: set[str] = {""}
    for table in (P.EMERGENCY_CATEGORIES, P.ELECTIVE_CATEGORIES):
        for cat in table.values():
            codes |= {c[0] for c in cat["codes"]} | set(cat["spec"])
            for options in cat.get("ops", {}).values():
                codes |= {o[0] for o in options}
    for mapping in (
        P.COMORBIDITIES, P.FALL_CODES, P.LATER_EPISODE_CODES, P.MEDICAL_OPERATIONS,
        P.AE_INJURY_CODES, P.AE_MEDICAL_CODES, P.AE_FREQUENT_CODES, P.SECOND_SPECIALTY,
        P.THIRD_SPECIALTY,
    ):  # fmt: skip
        codes |= set(mapping)
    codes |= (
        set(P.INJURY_CAUSE.values()) | set(P.SELF_HARM_CAUSE.values()) | {"R99X", "AF", "A1", "C1"}
    )
    codes |= {t[0] for t in P.TERTIARY.values()}
    codes |= set(_site_table()["location"])
    return np.array(sorted(codes))


def strings(values: np.ndarray) -> pa.Array:
    """A numpy '<U' array ('' = null) as an Arrow string array."""
    vocab = known_codes()
    idx = np.minimum(np.searchsorted(vocab, values), len(vocab) - 1)
    if not (vocab[idx] == values).all():
        vocab, idx = np.unique(values, return_inverse=True)
    return labels(idx, vocab, null=values == "")


def labels(codes: np.ndarray, vocab, null: np.ndarray | None = None) -> pa.Array:
    """Integer codes into a vocabulary of labels as an Arrow string array."""
    codes = np.asarray(codes).astype(np.int32)
    mask = None if null is None or not null.any() else null
    dictionary = pa.array([str(v) for v in vocab], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), dictionary).cast(pa.string())


def formatted(numbers: np.ndarray, fmt: str, null: np.ndarray | None = None) -> pa.Array:
    """Integers as formatted codes (e.g. datazones), through their few distinct values."""
    vocab, idx = np.unique(numbers, return_inverse=True)
    return labels(idx, [fmt.format(v) for v in vocab], null)


def dates(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    mask = None if null is None or not null.any() else null
    return pa.array(
        np.asarray(days, dtype=np.int64).astype(np.int32), type=pa.int32(), mask=mask
    ).cast(pa.date32())


def timestamps(seconds: np.ndarray) -> pa.Array:
    null = seconds == NULL_INT
    values = np.where(null, 0, seconds)
    return pa.array(values, type=pa.int64(), mask=null if null.any() else None).cast(
        pa.timestamp("s")
    )


def ints(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    mask = None if null is None or not null.any() else null
    return pa.array(np.asarray(values).astype(np.int64), type=pa.int64(), mask=mask)


def write(table: pa.Table, path: Path, fmt: str) -> Path:
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    else:
        # Dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS, empty = missing.
        options = pacsv.WriteOptions(quoting_style="needed")
        pacsv.write_csv(table, path, write_options=options)
    return path


def from_pandas(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)
