"""The batch owns its run: locks, skipping, retries, stops, confinement, periods, kernels."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from hscp import audit, batch, geography

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.notebook


def _notebook(folder: Path, name: str, *code: str) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "partnership = None\nlocality = None\ndata_dir = None\noutput_dir = None",
                metadata={"tags": ["parameters"]},
            ),
            nbformat.v4.new_markdown_cell(f"## {name}"),
            *[nbformat.v4.new_code_cell(c) for c in code],
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    (folder / "analysis").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "analysis" / f"{name}.ipynb")


@pytest.fixture
def books(tmp_path, monkeypatch):
    """A folder of small notebooks the batch renders instead of the project's."""
    folder = tmp_path / "notebooks"
    _notebook(folder, "good", "print('fine')")
    _notebook(folder, "bad", "1 / 0")
    monkeypatch.setenv("HSCP_NOTEBOOKS", str(folder))
    return folder


def _jobs(*names: str) -> list[batch.Job]:
    return batch.plan(["S37000005"], ["none"], [f"analysis/{n}" for n in names])


# --- planning, paths and periods (no rendering) ---------------------------------------------


def test_all_partnerships_without_localities_is_one_report_each():
    jobs = batch.plan(["all"], ["none"], ["analysis/delayed_discharges"])
    assert len(jobs) == len(geography.partnerships()) == 31
    assert all(j.locality is None for j in jobs)


def test_named_localities_still_need_one_partnership():
    with pytest.raises(ValueError, match="exactly one --partnership"):
        batch.plan(["all"], ["Clackmannanshire"], ["analysis/delayed_discharges"])


def test_a_slug_that_leaves_the_output_folder_is_refused(monkeypatch):
    real = geography.partnership("S37000005")
    evil = dataclasses.replace(real, slug="../../x")
    monkeypatch.setattr(geography, "partnership", lambda _name: evil)
    with pytest.raises(batch.UnsafePathError, match="'../../x'"):
        batch.plan(["S37000005"], ["none"], ["analysis/delayed_discharges"])


def test_confined_refuses_paths_outside_the_output_folder(tmp_path):
    assert batch.confined(tmp_path, Path("a/b")) == (tmp_path / "a" / "b").resolve()
    with pytest.raises(batch.UnsafePathError):
        batch.confined(tmp_path, Path("../elsewhere"))
    with pytest.raises(batch.UnsafePathError):
        batch.confined(tmp_path, Path("/etc"))


@pytest.mark.parametrize(
    ("text", "end", "month"),
    [
        ("2024-04", False, "2024-04"),
        ("2024-04-17", True, "2024-04"),
        ("April 2024", False, "2024-04"),
        ("2024/25", False, "2024-04"),  # a financial year starts in April ...
        ("2024/25", True, "2025-03"),  # ... and ends in March of the next year
        ("2024/2025", True, "2025-03"),
        ("2024-25", False, "2024-04"),
    ],
)
def test_period_months_and_financial_years(text, end, month):
    assert batch.parse_month(text, end=end) == month


@pytest.mark.parametrize("text", ["2024/26", "not a month", "2024-13"])
def test_a_bad_period_is_refused(text):
    with pytest.raises(ValueError):
        batch.parse_month(text)


def test_a_period_past_the_data_is_trimmed_with_a_note():
    start, end, notes = batch.check_period("2024-04", "2025-09", ("2023-01-01", "2025-03-31"))
    assert (start, end) == ("2024-04", "2025-03")
    assert "past the end of the data" in notes[0] and "March 2025" in notes[0]


def test_a_period_wholly_after_the_data_is_refused():
    with pytest.raises(ValueError, match="after the end of the data"):
        batch.check_period("2026-04", None, ("2023-01-01", "2025-03-31"))
    with pytest.raises(ValueError, match="after --period-end"):
        batch.check_period("2025-01", "2024-04", ("2023-01-01", "2025-03-31"))


def test_a_bad_period_fails_up_front_not_in_every_report(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run_all.py"),
            "--period-start",
            "2024/26",
            "--out",
            str(tmp_path / "out"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "not a financial year" in run.stderr
    assert not (tmp_path / "out").exists()


def test_redact_drops_record_values_and_paths():
    message = (
        "/home/analyst/extracts/ae_attendances.csv: the ae_attendances extract breaks the "
        "data contract:\n  - column 'link_no, arrival_datetime, treatment_location': "
        "duplicate key: 2 rows (e.g. '50000012 / 2024-03-01 10:22:00 / S314H')\n"
        "  - stay 50001234 arrived 2024-03-01T10:22"
    )
    clean = batch.redact(message)
    assert "ae_attendances.csv" in clean and "duplicate key: 2 rows" in clean
    for secret in ("/home/analyst", "50000012", "10:22", "S314H", "50001234"):
        assert secret not in clean


# --- the lock -----------------------------------------------------------------------------


def test_a_second_batch_into_the_same_folder_is_refused_clearly(books, tmp_path, tiny_store):
    first = batch.RunLock(tmp_path, "first")
    first.acquire()
    try:
        with pytest.raises(batch.BatchError, match="in use by another batch .*process \\d+"):
            batch.RunLock(tmp_path, "second").acquire()
        with pytest.raises(batch.BatchError, match="--wait"):
            batch.run(_jobs("good"), tiny_store, tmp_path, workers=1, progress=False)
    finally:
        first.release()
    batch.RunLock(tmp_path, "third").acquire()  # free again once the first has finished


def test_the_cli_exits_3_when_the_folder_is_busy(tmp_path):
    lock = batch.RunLock(tmp_path, "other")
    lock.acquire()
    try:
        run = subprocess.run(
            [
                sys.executable,
                str(ROOT / "run_all.py"),
                "--data",
                "synthetic:tiny",
                "--partnership",
                "S37000005",
                "--locality",
                "none",
                "--notebook",
                "delayed_discharges",
                "--out",
                str(tmp_path),
                "--no-progress",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        lock.release()
    assert run.returncode == 3 and "in use by another batch" in run.stderr


# --- rendering: skip, retry, sanitise, isolation ------------------------------------------


def test_reports_up_to_date_are_skipped_unless_forced(books, tiny_store, tmp_path):
    out = tmp_path / "out"
    first = batch.run(_jobs("good"), tiny_store, out, workers=1, progress=False, force=False)
    assert [r["status"] for r in first.reports] == ["ok"]
    again = batch.run(_jobs("good"), tiny_store, out, workers=1, progress=False, force=False)
    assert [r["status"] for r in again.reports] == ["skipped"]
    forced = batch.run(_jobs("good"), tiny_store, out, workers=1, progress=False, force=True)
    assert [r["status"] for r in forced.reports] == ["ok"]
    _notebook(books, "good", "print('changed')")  # a changed notebook is out of date
    changed = batch.run(_jobs("good"), tiny_store, out, workers=1, progress=False, force=False)
    assert [r["status"] for r in changed.reports] == ["ok"]
    other = batch.run(
        _jobs("good"),
        tiny_store,
        out,
        workers=1,
        progress=False,
        force=False,
        options={"period_end": "2024-03"},
    )
    assert [r["status"] for r in other.reports] == ["ok"]  # other parameters too


def test_retry_failed_reruns_only_what_failed(books, tiny_store, tmp_path):
    out = tmp_path / "out"
    summary = batch.run(_jobs("good", "bad"), tiny_store, out, workers=1, progress=False)
    saved = batch.read_summary(out)
    retry = batch.retry_jobs(saved)
    assert [j.notebook for j in retry] == ["analysis/bad"]
    _notebook(books, "bad", "print('mended')")
    again = batch.run(retry, tiny_store, out, workers=1, progress=False, previous=saved["reports"])
    status = {r["notebook"]: r["status"] for r in again.reports}
    assert status == {"analysis/good": "ok", "analysis/bad": "ok"}
    assert summary.run_id != again.run_id
    runs = sorted((out / ".hscp" / "runs").glob("*.json"))
    assert len(runs) == 2  # the earlier summary is kept, not silently overwritten


def test_a_failing_cell_is_named_and_the_summary_holds_no_trace(books, tiny_store, tmp_path):
    out = tmp_path / "out"
    summary = batch.run(_jobs("bad"), tiny_store, out, workers=1, progress=False)
    error = summary.reports[0]["error"]
    assert (error["kind"], error["cell"], error["error"]) == ("cell", 2, "ZeroDivisionError")
    assert error["source"] == "1 / 0"
    text = (out / "run-summary.json").read_text()
    assert "Traceback" not in text and str(tmp_path) not in text


def test_a_timeout_records_the_cell(books, tiny_store, tmp_path):
    _notebook(books, "slow", "x = 1", "import time\ntime.sleep(30)")
    summary = batch.run(
        _jobs("slow"),
        tiny_store,
        tmp_path / "out",
        workers=1,
        progress=False,
        options={"timeout": 2},
    )
    error = summary.reports[0]["error"]
    assert (error["kind"], error["cell"]) == ("timeout", 3)
    assert "longer than 2 s" in error["message"]


def test_a_dead_kernel_records_the_cell(books, tiny_store, tmp_path):
    _notebook(books, "dies", "import os\nos._exit(1)")
    summary = batch.run(_jobs("dies"), tiny_store, tmp_path / "out", workers=1, progress=False)
    error = summary.reports[0]["error"]
    assert (error["kind"], error["cell"]) == ("dead-kernel", 2)


def test_the_published_notebook_has_no_paths_or_warnings(books, tiny_store, tmp_path):
    _notebook(
        books,
        "chatty",
        "import sys, warnings\nwarnings.warn('careful')\nprint('to stderr', file=sys.stderr)",
        "print(data_dir, output_dir)",
    )
    out = tmp_path / "out"
    batch.run(_jobs("chatty"), tiny_store, out, workers=1, progress=False, audit=False)
    executed = out / "clackmannanshire-and-stirling" / "whole-partnership" / "chatty.ipynb"
    text = executed.read_text()
    assert str(tmp_path) not in text and str(tiny_store.path) not in text
    outputs = [o for c in nbformat.reads(text, as_version=4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    assert "careful" not in json.dumps(outputs)
    assert "data_dir = None" in text
    assert not [f for f in audit.audit(out) if f.rule in ("absolute-path", "stderr")]


def test_no_state_leaks_from_one_report_into_the_next(books, tiny_store, tmp_path):
    # one worker, one after the other: the second report must see a fresh kernel
    _notebook(
        books,
        "a_dirty",
        "import os, random, numpy as np, pandas as pd, matplotlib, seaborn as sns\n"
        "leaked = 42\npd.set_option('display.max_rows', 3)\n"
        "matplotlib.rcParams['lines.linewidth'] = 9\nsns.set_theme(style='darkgrid')\n"
        "os.chdir('/')\nrandom.seed(1); np.random.seed(1)",
    )
    _notebook(
        books,
        "b_clean",
        "import os, random, numpy as np, pandas as pd, matplotlib\n"
        "assert 'leaked' not in globals()\n"
        "assert pd.get_option('display.max_rows') == 60\n"
        "assert matplotlib.rcParams['lines.linewidth'] == 1.5\n"
        "assert matplotlib.rcParams['axes.facecolor'] == 'white'\n"
        "assert os.getcwd() != '/'\n"
        "random.seed(1); np.random.seed(1)\n"
        "print(random.random(), np.random.random())",
    )
    summary = batch.run(
        _jobs("a_dirty", "b_clean"), tiny_store, tmp_path / "out", workers=1, progress=False
    )
    assert [r["status"] for r in summary.reports] == ["ok", "ok"], summary.failed


def test_data_problems_reach_the_summary_without_record_values(tiny_data, tmp_path):
    import pandas as pd

    copy = tmp_path / "extracts"
    import shutil

    shutil.copytree(tiny_data, copy)
    ae = pd.read_parquet(copy / "ae_attendances.parquet")
    ae = pd.concat([ae, ae.head(2)])  # duplicate keys: link_no with the arrival time
    ae.to_parquet(copy / "ae_attendances.parquet", index=False)
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run_all.py"),
            "--data",
            str(copy),
            "--out",
            str(out),
            "--partnership",
            "S37000005",
            "--locality",
            "none",
            "--notebook",
            "unscheduled_care",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    link = str(int(ae.head(1)["link_no"].iloc[0]))
    arrival = str(ae.head(1)["arrival_datetime"].iloc[0])[:16]
    for name in ("run-summary.json", "index.html"):
        text = (out / name).read_text()
        assert "duplicate key" in text
        assert link not in text and arrival not in text and str(tmp_path) not in text


# --- stopping -----------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pids: list[int]) -> list[int]:
    import psutil

    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def _batch_process(books: Path, out: Path, *names: str) -> subprocess.Popen:
    args = [
        sys.executable,
        str(ROOT / "run_all.py"),
        "--data",
        "synthetic:tiny",
        "--partnership",
        "S37000005",
        "--locality",
        "none",
        "--out",
        str(out),
        "--jobs",
        "2",
        "--no-progress",
        "--no-audit",
        "--force",
    ]
    for n in names:
        args += ["--notebook", f"analysis/{n}"]
    env = os.environ | {"HSCP_NOTEBOOKS": str(books)}
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_kernels(proc: subprocess.Popen, n: int, timeout: float = 120) -> list[int]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        kids = _descendants(proc.pid)
        if len(kids) >= n:
            time.sleep(3)  # let the slow cell start
            return _descendants(proc.pid)
        time.sleep(0.2)
    raise AssertionError("the batch did not start its workers")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_stopping_the_batch_stops_workers_and_leaves_earlier_reports(books, tmp_path, how):
    _notebook(books, "slow", "import time\ntime.sleep(120)")
    _notebook(books, "slow_too", "import time\ntime.sleep(120)")
    out = tmp_path / "out"
    done = _batch_process(books, out, "good")
    assert done.wait(timeout=300) == 0, done.stderr.read()
    page = out / "clackmannanshire-and-stirling" / "whole-partnership" / "good.html"
    before = page.read_bytes()
    summary_before = (out / "run-summary.json").read_text()

    proc = _batch_process(books, out, "slow", "slow_too")
    kids = _wait_for_kernels(proc, 5)  # two workers, their kernels and the next ones
    os.kill(proc.pid, getattr(signal, how))
    code = proc.wait(timeout=60)
    deadline = time.time() + 20
    while _alive(kids) and time.time() < deadline:
        time.sleep(0.5)
    assert not _alive(kids), f"left running after {how}: {_alive(kids)}"
    assert page.read_bytes() == before
    assert not (out / "clackmannanshire-and-stirling" / "whole-partnership" / "slow.html").exists()
    assert not list((out / ".staging").glob("*/*/*.html")) if (out / ".staging").exists() else True
    if how == "SIGTERM":
        assert code == 143
        summary = json.loads((out / "run-summary.json").read_text())
        assert summary["status"] == "interrupted"
        assert {r["status"] for r in summary["reports"]} == {"interrupted"}
    else:
        assert (out / "run-summary.json").read_text() == summary_before


# --- folders that cannot be written -------------------------------------------------------


def test_an_output_folder_that_cannot_be_written_is_a_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run_all.py"),
            "--data",
            "synthetic:tiny",
            "--partnership",
            "S37000005",
            "--locality",
            "none",
            "--notebook",
            "delayed_discharges",
            "--out",
            str(blocker / "out"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "cannot write to the output folder" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("err", "says"),
    [
        (OSError(28, "No space left on device"), "no space left"),
        (OSError(30, "Read-only file system"), "Read-only file system"),
    ],
)
def test_disk_full_and_read_only_become_the_report_s_error(err, says):
    described = batch.rendering._describe(err)
    assert described["kind"] == "disk" and says in described["message"]


def test_the_fast_export_gives_the_page_nbconvert_gives():
    # the exporter skips nbconvert's BeautifulSoup pass; the page must be the same
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## A heading\n\nSome *text*."),
            nbformat.v4.new_code_cell(
                "x",
                outputs=[
                    nbformat.v4.new_output("display_data", data={"text/html": "<p>shown</p>"}),
                    nbformat.v4.new_output(
                        "display_data",
                        data={"text/html": '<img src="data:image/png;base64,AA=="/>'},
                    ),
                    nbformat.v4.new_output("execute_result", data={"text/plain": "1"}),
                ],
                execution_count=1,
            ),
        ]
    )
    resources = {
        "css": "",
        "kicker": "k",
        "title": "t",
        "area": "a",
        "period": "p",
        "generated": "g",
        "synthetic": False,
    }
    ours = batch.export_html(nb, resources)
    reference = HTMLExporter(
        template_name="hscp",
        extra_template_basedirs=[str(batch.TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    theirs = batch.add_table_of_contents(
        reference.from_notebook_node(nb, resources={"hscp": resources})[0]
    )
    a, b = BeautifulSoup(ours, "html.parser"), BeautifulSoup(theirs, "html.parser")
    assert a.decode() == b.decode()
    assert a.select("[tabindex]") and a.select("img[alt]")
    assert "&#182;" not in ours and "¶" in ours  # entities written as characters, as before


def test_a_kernel_that_never_answers_is_replaced_once(monkeypatch):
    """Two kernels starting at once can take the same port, and one never answers:
    nothing has run, so the report starts again in a fresh kernel (once)."""
    from hscp.batch import rendering

    taken = []

    class Pool:
        def take(self, cwd):
            taken.append(cwd)
            return f"kernel {len(taken)}"

        def discard(self, km):
            pass

    calls = []

    def run(client, nb, injected, running, timeout, waited, pool, km):
        calls.append(km)
        if len(calls) == 1:
            raise rendering.KernelStartError("the kernel did not answer in 60 s")
        return nb, injected, 0.0

    monkeypatch.setattr(rendering, "_run", run)
    job = batch.plan(["S37000005"], ["none"], ["analysis/delayed_discharges"])[0]
    rendering.execute(job, {"partnership": "S37000005"}, 60, kernels=Pool())
    assert calls == ["kernel 1", "kernel 2"]

    calls.clear()
    monkeypatch.setattr(
        rendering, "_run",
        lambda *a: (_ for _ in ()).throw(rendering.KernelStartError("no answer")),
    )  # fmt: skip
    with pytest.raises(rendering.KernelStartError):
        rendering.execute(job, {"partnership": "S37000005"}, 60, kernels=Pool())
