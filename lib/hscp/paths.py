"""Where the project's folders are: one place decides.

The project root is the folder holding lib/, notebooks/ and params/ (two levels
above this package's source). `HSCP_PARAMS` moves only the params folder (for
tests, or a partnership's own parameters); it never moves where notebooks, data
or outputs are looked for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hscp.errors import HscpError

#: A safe file and folder name: lower-case letters, digits and single hyphens.
_SAFE_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class UnsafeNameError(HscpError, ValueError):
    """A name from parameters that would not be a plain file or folder name."""


def project_root() -> Path:
    """The top of the project: the folder with lib/, notebooks/ and params/."""
    return Path(__file__).resolve().parents[2]


def params_dir() -> Path:
    """The params folder: $HSCP_PARAMS when set, else params/ at the project root."""
    configured = os.environ.get("HSCP_PARAMS")
    return Path(configured) if configured else project_root() / "params"


def notebooks_dir() -> Path:
    """The notebooks folder at the project root, or $HSCP_NOTEBOOKS when set (another
    collection of notebooks, or a test's)."""
    configured = os.environ.get("HSCP_NOTEBOOKS")
    return Path(configured) if configured else project_root() / "notebooks"


def notebook_metadata(notebook: str) -> dict:
    """A notebook's metadata, by its name under the notebooks folder ("analysis/x") or
    its stem alone ("x"); {} when there is no such notebook."""
    import json

    folder = notebooks_dir()
    candidates = [folder / f"{notebook}.ipynb", *sorted(folder.glob(f"*/{notebook}.ipynb"))]
    for path in candidates:
        if path.is_file():
            return json.loads(path.read_text())["metadata"]
    return {}


def notebook_tables(notebook: str) -> list[str]:
    """The extracts a notebook needs (its metadata hscp.tables: one list, which the
    batch, report.start and docs/analysts/own-data.md read)."""
    return list(notebook_metadata(notebook).get("hscp", {}).get("tables", []))


def user_path(path: Path | str) -> Path:
    """A file or folder an analyst named: absolute as given; a relative one from where the
    analyst is (the working directory), or else from the top of the project, because a
    notebook's kernel runs in notebooks/analysis/ while the analyst thinks of the
    project's folder ("data/my-extracts"). When neither exists, the working directory's."""
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    for base in (Path.cwd(), project_root()):
        if (base / path).exists():
            return (base / path).resolve()
    return (Path.cwd() / path).resolve()


def shown_path(path: Path | str) -> str:
    """A path as a reader would look for it: relative to the project when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def slugify(text: str) -> str:
    """File-system and URL friendly name: 'Argyll & Bute' -> 'argyll-and-bute'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def checked_slug(slug: str, what: str) -> str:
    """`slug` when it is a plain name (a-z, 0-9, hyphens), else UnsafeNameError: a slug
    from parameters becomes a folder name, so '../../x' must not get through."""
    if not isinstance(slug, str) or not _SAFE_SLUG.match(slug):
        raise UnsafeNameError(
            f"{what} is {slug!r}: a slug is lower-case letters, digits and hyphens "
            "(it names folders and files, so nothing else is allowed)"
        )
    return slug


__all__ = [
    "UnsafeNameError",
    "checked_slug",
    "notebooks_dir",
    "params_dir",
    "project_root",
    "shown_path",
    "slugify",
]
