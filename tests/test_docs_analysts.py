"""The analysts' docs (docs/analysts): every command in them runs, every example
extract passes the contract, and the table of which report needs which extracts is the
notebooks' own list."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from hscp import extracts

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "analysts"
PAGES = sorted(DOCS.glob("*.md"))


def _blocks(kind: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for block in re.findall(rf"```{kind}\n(.*?)```", page.read_text(), re.S):
            found.append((page.name, block))
    return found


#: Each bash block's commands, in order (a block's later command may use what an
#: earlier one made).
BLOCKS = [
    (page, [x.strip() for x in block.splitlines() if x.strip() and not x.strip().startswith("#")])
    for page, block in _blocks("bash")
]


def test_the_pages_link_to_each_other_and_exist():
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+\.md)", page.read_text()):
            assert (page.parent / target).resolve().exists(), (page.name, target)
    assert {p.name for p in PAGES} >= {
        "start-here.md", "own-data.md", "adding.md", "reading-the-reports.md"
    }  # fmt: skip


@pytest.mark.notebook
@pytest.mark.parametrize(("page", "commands"), BLOCKS, ids=[f"{p}:{c[0][:50]}" for p, c in BLOCKS])
def test_every_command_in_the_docs_runs(page, commands, tmp_path):
    """Run as written, from a folder that looks like the project (its venv, run_all.py,
    notebooks and params), so what a command writes stays in a temporary folder."""
    if commands[0].startswith("python3 -m venv"):
        pytest.skip("the set-up command is the README's, which CI runs")
    for name in (".venv", "run_all.py", "notebooks", "params", "lib", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    for command in commands:
        done = subprocess.run(
            shlex.split(command), cwd=tmp_path, capture_output=True, text=True, timeout=900,
            env={**os.environ, "HSCP_STORE_DIR": str(tmp_path / "prepared")},
        )  # fmt: skip
        assert done.returncode == 0, (page, command, done.stdout[-2000:], done.stderr[-2000:])


@pytest.mark.parametrize("example", _blocks("csv"), ids=lambda e: str(e[1].split(",")[0][:20]))
def test_every_example_extract_passes_the_contract(example):
    page, block = example
    text = re.search(r"### `(\w+)`\n\n```csv\n" + re.escape(block), (DOCS / page).read_text())
    assert text, "each example sits under its table's heading"
    table = text.group(1)
    raw = pd.read_csv(io.StringIO(block), dtype=str, keep_default_na=False, na_values=[""])
    checked = extracts.validate(raw, extracts.SCHEMAS[table], f"{page}: {table}",
                                extract_date="2025-03-31")  # fmt: skip
    assert len(checked) == 2


def test_there_is_an_example_of_every_table():
    shown = set(re.findall(r"### `(\w+)`\n\n```csv", (DOCS / "own-data.md").read_text()))
    assert shown == set(extracts.SCHEMAS)


def test_which_report_needs_which_extracts_is_the_notebooks_list():
    page = (DOCS / "own-data.md").read_text()
    folder = ROOT / "notebooks"
    for path in sorted([*folder.glob("*.ipynb"), *folder.glob("*/*.ipynb")]):
        tables = json.loads(path.read_text())["metadata"]["hscp"]["tables"]
        row = f"| `{path.relative_to(folder).with_suffix('').as_posix()}` |"
        line = next((x for x in page.splitlines() if x.startswith(row)), None)
        assert line, row
        assert re.findall(r"`(\w+)`", line.split("|")[3]) == tables, line
