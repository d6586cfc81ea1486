"""Long-lived grader processes, each grading many submissions, and what to do when one misbehaves.

Process start and imports (pytest, Hypothesis, NumPy, the checks) are paid
once per grader process, not once per student. Every answer is checked: it
must come within the time-out, be one JSON line under ``MAX_ANSWER_BYTES``,
carry the id of the request it answers (a fresh random id per request) and
hold a well-formed report. Anything else, a grader that died, hung or was
stopped with SIGSTOP included, costs that student an ``error`` and the
grader process is killed with everything it started and replaced at once.

The bulk process is made a *child subreaper* (Linux): a process that a
worker starts and abandons is re-parented to it rather than to init, so
``sweep_orphans`` can find and kill it.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from checks.engine import course
from checks.engine.report import KIT_ROOT

MAX_ANSWER_BYTES = 8 * 2**20
PR_SET_CHILD_SUBREAPER = 36
_STARTING = threading.Lock()  # no orphan sweep while a grader process is being started
_GRADERS: set[int] = set()  # pids of the live grader processes
_SUBREAPER = False  # orphans are swept only in a process that asked to inherit them
GRADER_COMMAND = (sys.executable, "-m", "checks.engine.bulk.grader")


class GraderFailed(Exception):
    """A grader process gave no usable answer; the message says why (for the gradebook)."""


def become_subreaper() -> None:
    """Inherit the processes that this process's descendants abandon (for ``sweep_orphans``); call it in a command's main."""
    global _SUBREAPER
    try:
        _SUBREAPER = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        pass


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, recursively (from Linux's /proc; none found elsewhere)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        children = _children(todo.pop())
        found += children
        todo += children
    return found


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):  # its process group (a worker's own session) and itself
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except (ChildProcessError, OSError):
        pass


def sweep_orphans() -> int:
    """Kill and reap every child of this process that is not a grader process (abandoned by a worker); return how many.

    Does nothing unless ``become_subreaper`` was called: in any other process
    a child that is not a grader may be someone else's.
    """
    if not _SUBREAPER:
        return 0
    with _STARTING:
        orphans = [pid for pid in _children(os.getpid()) if pid not in _GRADERS]
        for pid in orphans:
            for descendant in descendants(pid):
                _kill(descendant)
            _kill(pid)
            _reap(pid)
    return len(orphans)


def _check_document(document) -> dict:
    """``document`` if it is a well-formed report of this course's checks; ``GraderFailed`` otherwise."""
    modules = set(course.modules())
    try:
        tests = document["tests"]
        ok = (
            isinstance(tests, list)
            and all(
                isinstance(test["name"], str)
                and isinstance(test["output"], str)
                and test["status"] in ("passed", "failed")
                and type(test["score"]) is int
                and type(test["max_score"]) is int
                and 0 <= test["score"] <= test["max_score"]
                and test["tags"][0] in modules
                for test in tests
            )
            and document["score"] == sum(test["score"] for test in tests)
            and document["max_score"] == sum(test["max_score"] for test in tests)
            and isinstance(document["extra_data"], dict)
        )
    except (KeyError, TypeError, IndexError):
        ok = False
    if not ok:
        raise GraderFailed("the grader process sent a malformed report")
    return document


class GraderProcess:
    """One ``python -m checks.engine.bulk.grader``, started on first use and after every failure."""

    def __init__(self, log: Path, command: tuple[str, ...] | None = None, scratch: Path | None = None):
        self.log = log
        self.command = list(command or GRADER_COMMAND)
        self.scratch = scratch  # where each process gets a temporary folder of its own, removed when it is stopped
        self.tmp: Path | None = None
        self.process: subprocess.Popen | None = None
        self.answers: queue.Queue = queue.Queue()

    def start(self) -> None:
        """Start the process now (it imports while the caller prepares the next submission)."""
        if self.process is not None and self.process.poll() is None:
            return
        self.stop()
        env = dict(os.environ, PYTHONPATH=str(KIT_ROOT), PYTHONDONTWRITEBYTECODE="1")
        if self.scratch is not None:  # what a killed process leaves (its workers' folders) goes with it
            self.tmp = Path(tempfile.mkdtemp(dir=self.scratch))
            self.tmp.chmod(0o711)  # a worker's uid may pass through to the copy it reads (outside a jail), never list it
            env["TMPDIR"] = str(self.tmp)
        with _STARTING, open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=KIT_ROOT,  # the instructor's checks, never the submission's
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                start_new_session=True,
            )
            _GRADERS.add(self.process.pid)
        self.answers = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stdout, self.answers), daemon=True).start()

    @staticmethod
    def _read(stream, answers: queue.Queue) -> None:
        """Forward each answer line (or ``None`` at the end or on a line too long) to ``answers``."""
        while True:
            try:
                line = stream.readline(MAX_ANSWER_BYTES + 1)
            except (OSError, ValueError):
                line = b""
            if not line.endswith(b"\n"):  # the end, or a line longer than allowed
                answers.put(None)
                return
            answers.put(line)

    def grade(self, folder: Path, timeout: float, seed: int) -> dict:
        """The report of the submission in ``folder``, its examples drawn from ``seed``; ``GraderFailed`` when there is no trustworthy one.

        On any failure the grader process has been killed, with every process
        it started, before this returns: nothing uses ``folder`` any more.
        """
        self.start()
        identifier = secrets.token_hex(16)
        try:
            request = {"id": identifier, "folder": str(folder), "seed": seed}
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except (OSError, ValueError):
            self.stop()
            raise GraderFailed("the grader process could not be reached") from None
        try:
            line = self.answers.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise GraderFailed(f"grading took longer than {timeout:g} s") from None
        if line is None:
            try:  # at the end of its output a dying process may not have exited quite yet
                died = self.process.wait(timeout=1) is not None
            except subprocess.TimeoutExpired:
                died = False
            self.stop()
            raise GraderFailed(
                "the grader process died while grading this submission" if died else "the grader process sent a malformed answer"
            )
        try:
            answer = json.loads(line)
            if not isinstance(answer, dict) or answer.get("id") != identifier:
                raise ValueError("not the answer to this request")
        except ValueError:
            self.stop()
            raise GraderFailed("the grader process sent an answer to another request") from None
        if not answer.get("ok"):
            raise GraderFailed(str(answer.get("reason", "unknown failure"))[:500])
        try:
            return _check_document(answer.get("document"))
        except GraderFailed:
            self.stop()
            raise

    def stop(self) -> None:
        """Kill the grader process and everything it started (workers run in sessions of their own), and wait for it."""
        process, self.process = self.process, None
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGSTOP)  # it can start no new process now
        except (ProcessLookupError, PermissionError):
            pass
        for pid in descendants(process.pid):
            _kill(pid)
        _kill(process.pid)
        process.wait()
        with _STARTING:
            _GRADERS.discard(process.pid)
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
