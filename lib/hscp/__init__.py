"""HSCP evidence workbooks: the helper library behind the notebooks.

Notebooks import from here; nothing here imports a notebook. See
../DESIGN.md (shared) and docs/ for the data contract and the methods.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hscp")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
