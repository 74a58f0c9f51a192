"""Fresh kernels, started and warmed ahead of need, for the batch's workers.

Each report runs in a kernel of its own, so nothing (variables, pandas options,
matplotlib and seaborn settings, working directory, random state) can leak from
one report into the next. Starting a kernel and importing pandas, matplotlib and
hscp take a second or two, so a worker starts the next report's kernel, which
imports the heavy modules as it boots, while the current report runs: by the
time the next report needs it, it is ready.

Kernels die with the worker: ipykernel exits when its parent process goes
(JPY_PARENT_PID), and a worker shuts its kernels down on SIGTERM and at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import threading
from dataclasses import dataclass

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

KERNEL = "python3"
#: Imported by a kernel while it boots, before any report needs it. Only module
#: imports: they bind no name in the report's namespace and set no option.
WARM_MODULES = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "scipy.stats",
    "matplotlib.pyplot",
    "seaborn",
    "statsmodels.api",
    "hscp.report",
    "hscp.charts",
    "hscp.measures",
    "hscp.disclosure",
    "hscp.opendata",
    "hscp.performance",
    "hscp.forecast",
    "hscp.projection",
    "hscp.flow",
)


def _warm_lines(modules: tuple[str, ...]) -> list[str]:
    names = ", ".join(repr(m) for m in modules)
    return [
        f"for _hscp_m in ({names},):\n"
        "    try:\n"
        "        __import__(_hscp_m)\n"
        "    except Exception:\n"
        "        pass\n"
        "del _hscp_m"
    ]


def kernel_arguments(warm: tuple[str, ...] = WARM_MODULES) -> list[str]:
    args = [
        # The kernel warns at every start that it listens on local TCP; that is
        # expected for a kernel started by this process, so keep its log to errors.
        "--IPKernelApp.log_level=ERROR",
        "--HistoryManager.hist_file=:memory:",
    ]
    for line in _warm_lines(warm) if warm else []:
        args.append(f"--IPKernelApp.exec_lines={line}")
    return args


@dataclass
class Started:
    manager: AsyncKernelManager
    cwd: str


class KernelPool:
    """One kernel ready ahead: `take()` hands it over and starts the next."""

    def __init__(self, *, warm: tuple[str, ...] = WARM_MODULES, ahead: bool = True) -> None:
        self.warm = warm
        self.ahead = ahead
        self._next: Started | None = None
        self._lock = threading.Lock()
        self._live: set[AsyncKernelManager] = set()

    def _start(self, cwd: str) -> Started:
        km = AsyncKernelManager(kernel_name=KERNEL)
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=kernel_arguments(self.warm))
        self._live.add(km)
        return Started(km, cwd)

    def prestart(self, cwd: str) -> None:
        """Start a kernel ahead, before the first report needs one."""
        with self._lock:
            if self.ahead and self._next is None:
                self._next = self._start(cwd)

    def take(self, cwd: str) -> AsyncKernelManager:
        """A started kernel whose working directory is cwd (a fresh one if the one
        ready ahead was started elsewhere), and the next one started ahead."""
        with self._lock:
            ready, self._next = self._next, None
            if ready is None or ready.cwd != cwd:
                if ready is not None:
                    self.discard(ready.manager)
                ready = self._start(cwd)
            if self.ahead:
                self._next = self._start(cwd)
            return ready.manager

    def discard(self, km: AsyncKernelManager) -> None:
        """Shut a kernel down now (a report's kernel once the report is done)."""
        self._live.discard(km)
        # A kernel that is already gone is what we want.
        with contextlib.suppress(Exception):
            run_sync(km.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            run_sync(km.cleanup_resources)()

    def close(self) -> None:
        with self._lock:
            self._next = None
            for km in list(self._live):
                self.discard(km)


_POOL: KernelPool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> KernelPool:
    """This process's kernel pool (started on first use, closed at exit)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = KernelPool(ahead=os.environ.get("HSCP_KERNEL_AHEAD", "1") != "0")
            atexit.register(_POOL.close)
        return _POOL


def close_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.close()
            _POOL = None


# --- worker processes -----------------------------------------------------------------------


def init_worker(parent_pid: int, cwd: str | None = None) -> None:
    """In a batch worker: die with the batch, and take the kernels along.

    SIGTERM (from the batch when it is stopped) shuts the kernels down and exits.
    If the batch itself is killed (SIGKILL cannot be caught), the worker notices
    its parent is gone within half a second and does the same.
    """

    def stop(*_args) -> None:
        # Shutting the kernels down can block (the signal may arrive while this thread
        # holds the pool's lock, starting a kernel): exit regardless after two seconds.
        # Kernels left behind exit on their own once this process is gone.
        deadline = threading.Timer(2.0, os._exit, args=(143,))
        deadline.daemon = True
        deadline.start()
        close_pool()
        os._exit(143)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides what Ctrl-C does
    _set_parent_death_signal()

    def watch() -> None:
        import time

        while True:
            if os.getppid() != parent_pid:
                stop()
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True, name="hscp-parent-watch").start()
    if cwd:
        pool().prestart(cwd)  # the first kernel boots while the batch submits


def _set_parent_death_signal() -> None:
    """Linux: the kernel sends this process SIGTERM when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


# --- connecting without the fixed wait -------------------------------------------------------


def notebook_client_class():
    """nbclient's NotebookClient, connecting to a kernel as soon as it answers.

    jupyter_client's wait_for_ready ends with a flush of IOPub that always waits
    0.2 s for silence; here the client instead waits for the kernel's own 'idle' on
    IOPub for its kernel_info request, which proves IOPub is connected, and goes on
    at once.
    """
    from queue import Empty

    from nbclient import NotebookClient
    from nbclient.util import ensure_async, run_hook

    class ReadyClient(NotebookClient):
        async def async_start_new_kernel_client(self):
            assert self.km is not None
            self.kc = self.km.client()
            await ensure_async(self.kc.start_channels())
            await _ready(self.kc, self.km, self.startup_timeout, Empty, ensure_async)
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

    return ReadyClient


async def _ready(kc, km, timeout: float, empty, ensure_async) -> None:
    import time

    deadline = time.monotonic() + timeout
    msg_id = kc.kernel_info()
    while time.monotonic() < deadline:
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except empty:
            if not await ensure_async(km.is_alive()):
                raise RuntimeError("the kernel died before it answered") from None
            msg_id = kc.kernel_info()  # still booting: ask again
            continue
        if reply.get("parent_header", {}).get("msg_id") != msg_id:
            continue  # the answer to an earlier request: read on
        if await _idle_on_iopub(kc, msg_id, empty, ensure_async):
            return
        msg_id = kc.kernel_info()  # IOPub not connected yet: ask again
    raise RuntimeError(f"the kernel did not answer in {timeout:.0f} s")


async def _idle_on_iopub(kc, msg_id: str, empty, ensure_async) -> bool:
    """True once IOPub carries the kernel's 'idle' for msg_id; False after a second of silence."""
    while True:
        try:
            msg = await ensure_async(kc.iopub_channel.get_msg(timeout=1))
        except empty:
            return False
        if (
            msg.get("parent_header", {}).get("msg_id") == msg_id
            and msg["msg_type"] == "status"
            and msg["content"].get("execution_state") == "idle"
        ):
            return True
