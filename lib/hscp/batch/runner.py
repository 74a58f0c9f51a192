"""The batch run: the lock on the output folder, signals, the pool of workers (local or
Dask), the run summary and retrying what failed."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from hscp import geography, store
from hscp.batch._common import STAGING, WORK, BatchError, notebooks_dir
from hscp.batch.index_page import write_index
from hscp.batch.jobs import Job, Result, plan
from hscp.batch.provenance import (
    code_hash,
    data_inputs,
    package_versions,
    redact,
    report_key,
    up_to_date,
)
from hscp.batch.rendering import export_html, job_id, render

# --- owning the output folder ------------------------------------------------------------


class RunLock:
    """An exclusive lock on an output folder for one batch (released when the batch
    ends, however it ends: the operating system drops it with the process)."""

    def __init__(self, out_dir: Path, run_id: str):
        self.path = out_dir / WORK / "lock"
        self.run_id = run_id
        self._fd: int | None = None

    def acquire(self, wait: bool = False) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.read(fd, 4096).decode(errors="replace").strip()
            os.close(fd)
            who = json.loads(holder) if holder.startswith("{") else {}
            raise BatchError(
                f"{self.path.parents[1]} is in use by another batch (process "
                f"{who.get('pid', '?')}, started {who.get('started', '?')}): wait for it to "
                "finish (or run with --wait), or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.write(
            fd,
            json.dumps(
                {
                    "pid": os.getpid(),
                    "run_id": self.run_id,
                    "started": datetime.now().isoformat(timespec="seconds"),
                }
            ).encode(),
        )
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


class Stopped(BaseException):
    """The batch was asked to stop (SIGTERM or SIGINT)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stop(signum, _frame):
    raise Stopped(signum)


# --- the batch --------------------------------------------------------------------------------


@dataclass
class Summary:
    started: str
    finished: str = ""
    seconds: float = 0.0
    run_id: str = ""
    status: str = "running"  # "complete" or "interrupted"
    data: dict = field(default_factory=dict)
    code_version: str = ""
    code_hash: str = ""
    packages: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    audit: dict = field(default_factory=dict)
    reports: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.reports if r["status"] not in ("ok", "skipped")]


def _entry(r: Result) -> dict:
    return {
        **asdict(r.job),
        "status": r.status,
        "seconds": round(r.seconds, 2),
        "html": r.html,
        "error": r.error,
        "timing": r.timing,
        "warnings": r.warnings,
    }


def run(
    jobs: list[Job],
    data: store.Store,
    out_dir: Path,
    *,
    workers: int = 2,
    options: dict | None = None,
    progress: bool = True,
    force: bool = True,
    scheduler: str | None = None,
    wait: bool = False,
    previous: list[dict] | None = None,
    audit: bool = True,
    notes: list[str] | None = None,
) -> Summary:
    """Render the jobs, in parallel, carrying on past failures; skip those up to date
    (unless force); stop cleanly on SIGTERM/SIGINT (Stopped is raised after the summary
    is written). `previous` are the reports of the summary a retry builds on."""
    from hscp import report

    options = dict(options or {})
    run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    options["run_id"] = run_id
    out_dir = Path(out_dir)
    _writable(out_dir)
    lock = RunLock(out_dir, run_id)
    lock.acquire(wait=wait)
    try:
        shutil.rmtree(out_dir / STAGING, ignore_errors=True)  # left by a batch that was killed
        os.environ["HSCP_CODE_VERSION"] = report.code_version()  # one version for every report
        summary = _new_summary(data, options, run_id, notes or [])
        os.environ["HSCP_CODE_HASH"] = summary.code_hash  # for the footer, beside the commit
        keys = {
            job_id(j): report_key(j, _key_params(options), data.path.name, summary.code_hash)
            for j in jobs
        }
        todo = [j for j in jobs if force or not up_to_date(out_dir, j, keys[job_id(j)])]
        skipped = [Result(j, "skipped", 0.0, html=j.html.as_posix()) for j in jobs if j not in todo]
        code = {"HSCP_CODE_VERSION": summary.code_version, "HSCP_CODE_HASH": summary.code_hash}
        tasks = [(j, {**options, "key": keys[job_id(j)], "environment": code}) for j in todo]
        results, stop = _render_all(tasks, data, out_dir, workers, progress, scheduler)
        done = {r.job for r in results}
        results += skipped + [Result(j, "interrupted", 0.0) for j in todo if j not in done]
        _finish(summary, jobs, results, previous, stop)
        if audit and stop is None:
            summary.audit = _audit(out_dir, data, options, [r.job for r in results])
        write_summary(summary, out_dir)
        write_index(summary, out_dir)
    finally:
        shutil.rmtree(out_dir / STAGING / run_id, ignore_errors=True)
        lock.release()
    if stop is not None:
        raise stop
    return summary


def _key_params(options: dict) -> dict:
    params = {k: options.get(k) for k in ("period_start", "period_end", "threshold", "period_text")}
    if tuple(options.get("formats") or ("html",)) != ("html",):  # a report without its .docx
        params["formats"] = list(options["formats"])  # or .pdf is out of date
    if options.get("audience", "analyst") != "analyst":  # a lead's report is another report
        params["audience"] = options["audience"]
    if options.get("open_data_dir"):  # a report made with other open data is out of date
        params["open_data_dir"] = options["open_data_dir"]
    return params


def _writable(out_dir: Path) -> None:
    try:
        (out_dir / WORK).mkdir(parents=True, exist_ok=True)
        probe = out_dir / WORK / f".probe-{os.getpid()}"
        probe.write_text("ok")
        probe.unlink()
    except OSError as err:
        raise BatchError(f"cannot write to the output folder {out_dir}: {err.strerror}") from None


def _new_summary(data: store.Store, options: dict, run_id: str, notes: list[str]) -> Summary:
    src = data.manifest.get("source", {})
    return Summary(
        started=datetime.now().isoformat(timespec="seconds"),
        run_id=run_id,
        code_version=os.environ["HSCP_CODE_VERSION"],
        code_hash=code_hash(),
        packages=package_versions(),
        data={
            "name": src.get("name"),
            "source": src.get("source"),
            "scale": src.get("scale"),
            "seed": src.get("seed"),
            "extract_date": str(src.get("extract_date") or ""),
            "period": data.manifest.get("period"),
            "store": data.path.name,
            "inputs": data_inputs(data),
            "problems": {t: redact(p) for t, p in data.problems.items()},
        },
        parameters={k: v for k, v in options.items() if k not in ("key", "run_id", "environment")},
        notes=notes,
    )


def _finish(summary: Summary, jobs: list[Job], results: list[Result], previous, stop) -> None:
    order = {job: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job])
    entries = [_entry(r) for r in results]
    if previous:
        fresh = {(e["partnership"], e["locality"], e["notebook"]) for e in entries}
        entries = [
            e for e in previous if (e["partnership"], e["locality"], e["notebook"]) not in fresh
        ] + entries
    summary.reports = entries
    summary.status = "interrupted" if stop is not None else "complete"
    if stop is not None:
        summary.notes.append(
            f"Stopped by {stop}: reports not finished are marked interrupted; "
            "earlier versions of them are untouched."
        )
    summary.finished = datetime.now().isoformat(timespec="seconds")
    summary.seconds = round(
        (
            datetime.fromisoformat(summary.finished) - datetime.fromisoformat(summary.started)
        ).total_seconds(),
        1,
    )


def _audit(out_dir: Path, data: store.Store, options: dict, jobs: list[Job]) -> dict:
    """The independent audit of this run's reports and the index (hscp.audit)."""
    from hscp import audit

    try:
        ids = audit.load_identifiers(data.path)
        findings = audit.audit(
            out_dir,
            threshold=int(options.get("threshold") or audit.DEFAULT_THRESHOLD),
            identifiers=ids,
            reports={f"{j.folder.as_posix()}/{j.name}" for j in jobs},
        )
    except Exception as err:  # noqa: BLE001 - an audit that cannot run is a failed audit
        return {"passed": False, "error": f"{type(err).__name__}: {redact(str(err))}"}
    return audit.verdict(findings)


def _render_all(tasks, data, out_dir, workers, progress, scheduler):
    """Render (job, options) tasks; returns (results, the Stopped that ended the run early,
    or None)."""
    from tqdm import tqdm

    results: list[Result] = []
    bar = tqdm(
        total=len(tasks), desc="Reports", unit="report", disable=not progress, file=sys.stderr
    )
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    stop = None
    try:
        for s in handlers:
            signal.signal(s, _raise_stop)
        if not tasks:
            pass
        elif scheduler:
            _run_dask(tasks, data, out_dir, scheduler, results, bar)
        elif workers <= 1 or len(tasks) == 1:
            _run_here(tasks, data, out_dir, results, bar)
        else:
            _run_pool(tasks, data, out_dir, workers, results, bar)
    except Stopped as err:
        stop = err
    finally:
        for s, h in handlers.items():
            signal.signal(s, h)
        bar.close()
    return results, stop


def _run_here(tasks, data, out_dir, results, bar) -> None:
    from hscp import _kernels

    _kernels.pool().prestart(str((notebooks_dir() / f"{tasks[0][0].notebook}.ipynb").parent))
    _warm_exporter()  # while the first kernel boots
    try:
        for job, options in tasks:
            results.append(render(job, str(data.path), str(out_dir), options))
            _tick(bar, results[-1])
    finally:
        _kernels.close_pool()


def _init_worker(parent_pid: int, cwd: str) -> None:
    """A worker: dies with the batch, has a kernel booting, and its HTML exporter built
    and warmed (the first export loads templates: half a second, once per worker)."""
    from hscp import _kernels

    _kernels.init_worker(parent_pid, cwd)
    _warm_exporter()


def _warm_exporter() -> None:
    import nbformat

    with contextlib.suppress(Exception):
        export_html(nbformat.v4.new_notebook(), {"css": "", "synthetic": False})


def _run_pool(tasks, data, out_dir, workers, results, bar) -> None:
    ctx = multiprocessing.get_context("spawn")
    first = str((notebooks_dir() / f"{tasks[0][0].notebook}.ipynb").parent)
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(os.getpid(), first),
    )
    futures = {
        pool.submit(render, job, str(data.path), str(out_dir), options): job
        for job, options in tasks
    }
    try:
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                results.append(
                    _lost(
                        futures[future],
                        "WorkerDied",
                        "the worker process died (out of memory, or killed)",
                    )  # fmt: skip
                )
            _tick(bar, results[-1])
    except Stopped:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _lost(job, error: str, message: str) -> Result:
    """The result of a report whose worker was lost before it could say."""
    return Result(job, "failed", 0.0, error={"kind": "batch", "error": error, "message": message})


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: each shuts its kernels down on SIGTERM."""
    processes = list((pool._processes or {}).values())  # noqa: SLF001 - no public handle
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=15)
        if p.is_alive():
            p.kill()


def _run_dask(tasks, data, out_dir, address, results, bar) -> None:
    """One task per report on an existing Dask distributed cluster; the workers must see
    the prepared data and the output folder at the same paths (a shared file system)."""
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError as err:
        raise BatchError("--scheduler needs dask.distributed: pip install -e '.[cluster]'") from err
    with Client(address, timeout="30s") as client:
        futures = {
            client.submit(
                render,
                job,
                str(data.path),
                str(out_dir),
                options,
                pure=False,
                key=f"hscp-{options['run_id']}-{i}",
            ): job
            for i, (job, options) in enumerate(tasks)
        }
        try:
            for future in dask_completed(list(futures)):
                try:
                    results.append(future.result())
                except Exception as err:  # noqa: BLE001 - a lost worker fails its report
                    results.append(_lost(futures[future], type(err).__name__, redact(str(err))))
                _tick(bar, results[-1])
        except Stopped:
            client.cancel(list(futures), force=True)
            raise


def _tick(bar, result: Result) -> None:
    bar.update(1)
    if result.status == "failed":
        message = (result.error or {}).get("message") or ""
        bar.write(
            f"FAILED {result.job.label()}: {(result.error or {}).get('error')}: "
            f"{message.splitlines()[0][:160] if message else ''}"
        )


def write_summary(summary: Summary, out_dir: Path) -> Path:
    """run-summary.json (and a copy kept in .hscp/runs, so no run's summary is lost)."""
    path = out_dir / "run-summary.json"
    payload = asdict(summary) | {
        "ok": sum(r["status"] in ("ok", "skipped") for r in summary.reports),
        "rendered": sum(r["status"] == "ok" for r in summary.reports),
        "skipped": sum(r["status"] == "skipped" for r in summary.reports),
        "failed": len(summary.failed),
    }
    text = json.dumps(payload, indent=2, default=str)
    history = out_dir / WORK / "runs"
    history.mkdir(parents=True, exist_ok=True)
    (history / f"{summary.run_id or 'run'}.json").write_text(text)
    tmp = path.with_suffix(f".json.tmp-{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)
    return path


def read_summary(out_dir: Path) -> dict | None:
    path = Path(out_dir) / "run-summary.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def retry_jobs(summary: dict) -> list[Job]:
    """The reports that did not render in a run (failed or interrupted), to run again."""
    jobs = []
    for r in summary.get("reports", []):
        if r["status"] in ("ok", "skipped"):
            continue
        p = geography.partnership(r["partnership"])
        loc = p.locality(r["locality"]) if r.get("locality") else None
        jobs += [
            j
            for j in plan([p.code], [loc] if loc else ["none"], [r["notebook"]])
            if j.locality == loc
        ]
    return jobs
