"""HSCP evidence workbooks: the helper library behind the notebooks.

Notebooks import from here; nothing here imports a notebook. docs/architecture.md
lists the layers and what each module owns; docs/data-contract.md and
docs/methods.md give the data contract and the definitions with their sources.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hscp")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
