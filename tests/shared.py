"""What one run of the kit's suite shares across its processes: a folder, results computed once, summary lines.

``nox -s verify`` runs the suite in pytest-xdist workers (``-n``). A result
that many tests read, such as the bank's verdicts or a site build, is
computed once per run whichever worker asks first:

- :func:`run_folder` is one temporary folder for the whole run: the
  controlling process makes it, gives it to every worker, and removes it
  at the end;
- :class:`SharedJobs` computes named jobs in background threads. A job is
  claimed with an exclusive ``flock`` on ``<name>.lock`` in that folder;
  its result is pickled beside it. A thread takes the first job no other
  process holds, so two workers compute two jobs at once, and a job claimed
  elsewhere is read from its pickle once its lock is released;
- :func:`summary_line` records a line for the end of the run, which a
  worker sends to the controlling process (a worker's own output is not
  shown).

Without xdist (``pytest tests``) the same code runs in one process.
"""

from __future__ import annotations

import fcntl
import pickle
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path

import pytest

_FOLDER_KEY = "ridge_lab_run_folder"  # in an xdist worker's workerinput
_LINES_KEY = "ridge_lab_summary_lines"  # in an xdist worker's workeroutput
_FOLDER = pytest.StashKey[Path]()
_LINES = pytest.StashKey[list[str]]()


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def run_folder(config: pytest.Config) -> Path:
    """The run's shared temporary folder (the controlling process's, in a worker)."""
    if _FOLDER not in config.stash:
        if is_worker(config):
            config.stash[_FOLDER] = Path(config.workerinput[_FOLDER_KEY])
        else:
            config.stash[_FOLDER] = Path(tempfile.mkdtemp(prefix="ridge-lab-verify-"))
    return config.stash[_FOLDER]


def summary_line(config: pytest.Config, line: str) -> None:
    """Print ``line`` after the run's results (once, in the controlling process)."""
    lines = config.stash.setdefault(_LINES, [])
    if line not in lines:
        lines.append(line)


class SharedJobs:
    """Named jobs ``compute(folder) -> picklable``, each computed once per run by whichever process claims it first."""

    def __init__(self, folder: Path, jobs: dict[str, Callable[[Path], object]], threads: int = 1):
        self._folder = folder
        self._jobs = jobs
        self._threads = threads
        self._futures: dict[str, Future] = {}
        self._pending: list[str] = []
        self._workers: list[threading.Thread] = []
        self._guard = threading.Lock()

    def start(self, names: Iterable[str]) -> None:
        """Start ``names`` (in this order, those not started yet) in the background."""
        with self._guard:
            for name in names:
                if name not in self._futures:
                    self._futures[name] = Future()
                    self._pending.append(name)
            self._workers = [worker for worker in self._workers if worker.is_alive()]
            while self._pending and len(self._workers) < self._threads:
                worker = threading.Thread(target=self._work, name="ridge-lab-shared-job", daemon=True)
                worker.start()
                self._workers.append(worker)

    def result(self, name: str):
        """The job's result; its exception if it failed.

        A job no thread of this process has begun is done here and now rather
        than after the background's other jobs.
        """
        with self._guard:
            future = self._futures.setdefault(name, Future())
            ours = not (future.running() or future.done()) and future.set_running_or_notify_cancel()
            if ours and name in self._pending:
                self._pending.remove(name)
        if ours:
            self._run(name, self._claim(name, blocking=True))
        return future.result()

    def shutdown(self) -> None:
        """Start nothing more; wait for the jobs under way."""
        with self._guard:
            for name in self._pending:
                self._futures[name].cancel()
            self._pending.clear()
            workers = list(self._workers)
        for worker in workers:
            worker.join()

    def _claim(self, name: str, blocking: bool):
        handle = open(self._folder / f"{name}.lock", "a")  # noqa: SIM115 - held until the job is done
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            return None
        return handle

    def _next(self):
        """``(name, held lock)``: the first pending job no other process holds, else the first, once it is released."""
        with self._guard:
            candidates = list(self._pending)
        if not candidates:
            return None, None
        for name in candidates:
            handle = self._claim(name, blocking=False)
            if handle is not None:
                return name, handle
        return candidates[0], self._claim(candidates[0], blocking=True)

    def _work(self) -> None:
        while True:
            name, handle = self._next()
            if name is None:
                return
            with self._guard:
                taken = name not in self._pending  # by another thread of this process meanwhile
                if not taken:
                    self._pending.remove(name)
                    self._futures[name].set_running_or_notify_cancel()
            if taken:
                handle.close()
            else:
                self._run(name, handle)

    def _run(self, name: str, handle) -> None:
        """Compute (or read) job ``name`` under its held lock, and release it."""
        future = self._futures[name]
        with handle:
            try:
                future.set_result(self._computed(name))
            except BaseException as error:  # noqa: BLE001 - handed to the fixture that waits for it
                future.set_exception(error)

    def _computed(self, name: str):
        stored = self._folder / f"{name}.pickle"
        if stored.exists():
            return pickle.loads(stored.read_bytes())
        value = self._jobs[name](self._folder / name)
        partial = stored.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value))
        partial.replace(stored)
        return value


class XdistHooks:
    """The controlling process's side: hand every worker the run folder, gather the workers' summary lines,
    and give each worker whole units of work (``work_unit(nodeid)``) in the order the workers collected them."""

    def __init__(self, config: pytest.Config, work_unit: Callable[[str], str]):
        self._config = config
        self._work_unit = work_unit

    def pytest_xdist_make_scheduler(self, config: pytest.Config, log):
        from xdist.scheduler import LoadScopeScheduling

        work_unit = self._work_unit

        class WorkUnitScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                return work_unit(nodeid)

        config.option.loadscopereorder = False  # the collection order is the order to start them in
        return WorkUnitScheduling(config, log)

    def pytest_configure_node(self, node) -> None:
        node.workerinput[_FOLDER_KEY] = str(run_folder(self._config))

    def pytest_testnodedown(self, node, error) -> None:
        for line in getattr(node, "workeroutput", {}).get(_LINES_KEY, []):
            summary_line(self._config, line)


def configure(config: pytest.Config, work_unit: Callable[[str], str]) -> None:
    """Called from the root conftest's ``pytest_configure``; ``work_unit(nodeid)`` names the unit a test belongs to."""
    if config.pluginmanager.hasplugin("xdist") and not is_worker(config):
        config.pluginmanager.register(XdistHooks(config, work_unit), "ridge-lab-xdist")


def session_finished(config: pytest.Config) -> None:
    """Called from ``pytest_sessionfinish``: a worker sends its summary lines."""
    if is_worker(config):
        config.workeroutput[_LINES_KEY] = list(config.stash.get(_LINES, []))


def terminal_summary(terminalreporter, config: pytest.Config) -> None:
    for line in config.stash.get(_LINES, []):
        terminalreporter.write_line(line)


def unconfigure(config: pytest.Config) -> None:
    """Remove the run folder (only the process that made it)."""
    if not is_worker(config) and _FOLDER in config.stash:
        shutil.rmtree(config.stash[_FOLDER], ignore_errors=True)
