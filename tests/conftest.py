"""Shared fixtures: the real reference data, tiny synthetic data prepared once, and every
default notebook rendered once on it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("HSCP_REFERENCE", ROOT.parent / "shared" / "reference"))


@pytest.fixture(scope="session", autouse=True)
def _stores_outside_the_project(tmp_path_factory):
    """Stores the tests prepare go to a temporary folder, not the project's data/prepared."""
    old = os.environ.get("HSCP_STORE_DIR")
    os.environ["HSCP_STORE_DIR"] = str(tmp_path_factory.mktemp("prepared"))
    yield
    if old is None:
        os.environ.pop("HSCP_STORE_DIR", None)
    else:
        os.environ["HSCP_STORE_DIR"] = old


@pytest.fixture(scope="session")
def reference() -> Path:
    """../shared/reference: real PHS and NRS open data (never copied into the project)."""
    if not REFERENCE.exists():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    """The tiny synthetic Scotland, generated once per test session."""
    from hscp import synthetic

    folder = tmp_path_factory.mktemp("tiny") / "extracts"
    synthetic.generate(folder, scale="tiny", seed=20261126)
    return folder


@pytest.fixture(scope="session")
def tiny_store(tiny_data, tmp_path_factory):
    """The tiny data, validated and prepared (partitioned by partnership)."""
    from hscp import store

    return store.prepare(tiny_data, tmp_path_factory.mktemp("store"), log=lambda *_: None)


@pytest.fixture(scope="session")
def rendered(tiny_store, tmp_path_factory):
    """One batch run on the tiny data: the whole partnership and one locality."""
    from hscp import batch

    out = tmp_path_factory.mktemp("outputs")
    jobs = batch.plan(["S37000005"], ["Clackmannanshire"], ["analysis/delayed_discharges"])
    jobs = batch.plan(["S37000005"], ["none"], ["analysis/delayed_discharges"]) + jobs
    summary = batch.run(jobs, tiny_store, out, workers=2, options={"threshold": 10}, progress=False)
    return out, summary


# --- every default notebook rendered once, for all the notebook tests -----------------------

PARTNERSHIP = "S37000005"  # Clackmannanshire & Stirling
LOCALITIES = ("Clackmannanshire", "Rural Stirling")
WHOLE = "whole-partnership"


@dataclass(frozen=True)
class Run:
    """The reports of one notebook in the shared run, as a batch Summary shows them."""

    reports: list[dict]

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.reports if r["status"] != "ok"]


@dataclass(frozen=True)
class Rendered:
    """Every default notebook (params/defaults.yaml) rendered on the tiny data for
    Clackmannanshire & Stirling: the whole partnership and LOCALITIES."""

    out: Path
    reports: list[dict]

    @property
    def folder(self) -> Path:
        """The partnership's folder: one sub-folder per area (whole-partnership, a locality)."""
        return self.out / "clackmannanshire-and-stirling"

    def run(self, notebook: str, *areas: str) -> Run:
        """The reports of `notebook` (e.g. "performance") for `areas` (folder names), in
        that order."""
        from hscp import geography

        def area(report: dict) -> str:
            return geography.slugify(report["locality"]) if report["locality"] else WHOLE

        mine = {area(r): r for r in self.reports if Path(r["notebook"]).name == notebook}
        return Run([mine[a] for a in areas])


@contextlib.contextmanager
def _exclusive(lock: Path):
    """Hold a lock file while rendering, so pytest-xdist workers render only once."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks (Windows): each worker renders its own
        yield
        return
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _render_all(store, out: Path) -> list[dict]:
    from hscp import batch, config

    notebooks = list(config.load_defaults().notebooks)
    jobs = batch.plan([PARTNERSHIP], ["none"], notebooks)
    jobs += batch.plan([PARTNERSHIP], list(LOCALITIES), notebooks)
    summary = batch.run(jobs, store, out, workers=2, options={"threshold": 10}, progress=False)
    return summary.reports


@pytest.fixture(scope="session")
def notebooks_rendered(tiny_store, tmp_path_factory) -> Rendered:
    """Every default notebook rendered once per test session (once across pytest-xdist
    workers too: the first renders, the others wait and read)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp("notebooks")
        return Rendered(out, _render_all(tiny_store, out))
    shared = tmp_path_factory.getbasetemp().parent / "notebooks-rendered"
    done = shared / "reports.json"
    with _exclusive(shared.parent / "notebooks-rendered.lock"):
        if not done.exists():
            shared.mkdir(exist_ok=True)
            done.write_text(json.dumps(_render_all(tiny_store, shared), default=str))
    return Rendered(shared, json.loads(done.read_text()))


# --- headless Chromium (Debian's), for the browser tests ------------------------------------

CHROMIUM = (
    os.environ.get("HSCP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("HSCP_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (HSCP_REQUIRE_BROWSER is set) but not installed")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser):
    """Open a rendered report: (page, the URLs it requested), closed after the test."""
    pages = []

    def opened(path: Path, height: int = 2000):
        page = browser.new_page(viewport={"width": 1280, "height": height})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        pages.append(page)
        return page, requests

    yield opened
    for page in pages:
        page.close()
