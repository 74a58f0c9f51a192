"""What every part of the batch shares: its folders, names and errors."""

from __future__ import annotations

from pathlib import Path

from hscp.errors import HscpError
from hscp.paths import notebooks_dir

TEMPLATES = Path(__file__).parents[1] / "templates"
WHOLE_PARTNERSHIP = "whole-partnership"
WORK = ".hscp"  # the batch's own working folder inside --out (never published)
STAGING = ".staging"


class BatchError(HscpError, RuntimeError):
    """A batch that cannot start: the message says why and what to do."""


class UnsafePathError(BatchError):
    """A name from params that would put a report outside the output folder."""


__all__ = [
    "STAGING",
    "TEMPLATES",
    "WHOLE_PARTNERSHIP",
    "WORK",
    "BatchError",
    "UnsafePathError",
    "notebooks_dir",
]
