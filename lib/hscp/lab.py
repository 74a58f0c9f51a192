"""Start JupyterLab for the workbooks: `python -m hscp.lab` (from the project's venv).

Installs the project's JupyterLab settings (jupyter/labconfig/ in the project: no news
prompt, no update check, no extension manager) into this environment's
etc/jupyter/labconfig, where JupyterLab reads default settings, so a later plain
`jupyter lab` has them too; then opens JupyterLab at the project's notebooks. The
notebooks' kernel, python3, is this environment's Python.

    python -m hscp.lab                 # JupyterLab in a browser
    python -m hscp.lab --settings-only # only install the settings
    python -m hscp.lab --no-browser --port 8890   # any other jupyter lab options
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from hscp import paths


def settings_file() -> Path:
    """The project's default settings (one home: the project's jupyter/labconfig)."""
    return paths.project_root() / "jupyter" / "labconfig" / "default_setting_overrides.json"


def install_settings(prefix: Path | str | None = None) -> Path:
    """Merge the project's settings into <prefix>/etc/jupyter/labconfig (prefix: this
    environment); settings already there for other plugins stay. Returns the file."""
    target = Path(prefix or sys.prefix) / "etc" / "jupyter" / "labconfig"
    target.mkdir(parents=True, exist_ok=True)
    path = target / "default_setting_overrides.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    for plugin, settings in json.loads(settings_file().read_text()).items():
        current.setdefault(plugin, {}).update(settings)
    path.write_text(json.dumps(current, indent=2) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    installed = install_settings()
    if "--settings-only" in args:
        print(f"JupyterLab settings installed in {installed}")
        return 0
    from jupyterlab.labapp import main as lab

    if not any(a.startswith(("--notebook-dir", "--ServerApp.root_dir")) for a in args):
        os.chdir(paths.project_root())
    sys.argv = ["jupyter-lab", *args]
    return lab()


if __name__ == "__main__":
    sys.exit(main())
