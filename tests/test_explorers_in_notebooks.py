"""Every analysis notebook run as JupyterLab runs it (a Jupyter server's kernel, so
`explore=None` shows the explorer): the explorer is there, no cell fails or warns, and a
rendered report's explorer cell shows nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS = ["delayed_discharges", "unscheduled_care", "performance", "projections",
            "system_dynamics", "integration_indicators"]  # fmt: skip
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("name", ANALYSIS)
def test_the_notebook_in_jupyterlab_shows_its_explorer_without_warnings(
    name, tiny_store, monkeypatch
):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("JPY_SESSION_NAME", f"/lab/{name}.ipynb")  # as a Jupyter server sets it
    nb = nbformat.read(ROOT / "notebooks" / "analysis" / f"{name}.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace("data_dir = None", f"data_dir = {str(tiny_store.path)!r}")
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks" / "analysis")}},
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    warnings = ["".join(o.get("text", "")) for o in outputs if o.get("name") == "stderr"]
    assert not warnings, warnings
    shown = [o for o in outputs if WIDGET in o.get("data", {})]
    assert shown, f"{name}: no explorer in JupyterLab"


def test_each_notebook_names_its_extracts_where_the_analyst_starts():
    for name in ANALYSIS:
        nb = json.loads((ROOT / "notebooks" / "analysis" / f"{name}.ipynb").read_text())
        tables = nb["metadata"]["hscp"]["tables"]
        params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        first = "".join(params["source"]).splitlines()[0]
        assert first == f"# Extracts it needs: {', '.join(tables)} (docs/analysts/own-data.md)", (
            name
        )
