"""Grade one submission's modules in two processes at once: ``run_split``.

Each module's checks still run in one process, in their order, against one
worker, so every verdict is the one a single process gives. The two
processes claim modules from a queue they share (a pipe holding one byte per
module; the module with the most checks is claimed first), so neither sits
idle while the other has work left.

The second process is a fork of the first, made before pytest starts: it has
every import already and starts its own sandbox. It hands its verdicts back
through a pipe, as JSON; a module it did not grade (it died) is graded again
by the first.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.engine import course
from checks.engine.report import CheckResult


class ModuleClaims:
    """A pytest plugin: run a module's checks only in the process that claims the module first.

    Both processes order the modules alike (most checks first) and read the
    queue only on reaching a module neither has claimed, so the position a
    read returns is never behind that module: everything between is the
    other process's.
    """

    def __init__(self, queue: int):
        self._queue = queue
        self._order: list[str] = []
        self._mine: set[str] = set()
        self._decided = 0  # every position of self._order below it is claimed, by one process or the other

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        counts: dict[str, int] = {}
        for item in items:
            module = course.module_of_check_file(item.path)
            counts[module] = counts.get(module, 0) + 1
        self._order = sorted(counts, key=lambda module: -counts[module])  # stable: ties keep the course's order
        items.sort(key=lambda item: self._order.index(course.module_of_check_file(item.path)))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
        position = self._order.index(course.module_of_check_file(item.path))
        if position >= self._decided:
            claimed = os.read(self._queue, 1)
            if claimed and claimed[0] < len(self._order):
                self._mine.add(self._order[claimed[0]])
                self._decided = claimed[0] + 1
            else:  # nothing left to claim (a module without checks leaves a position of its own)
                self._decided = len(self._order)
        return None if self._order[position] in self._mine else True  # True: handled, here by not running it


Run = Callable[..., list[CheckResult]]


def run_split(run: Run, folder: Path, modules: tuple[str, ...], *, started_here=None, **options) -> list[CheckResult]:
    """``run(folder, modules, **options)`` (``runner.run_checks``) shared between this process and a fork of it.

    Returns the verdicts in ``modules`` order. Neither process polls for its
    worker's replies (``spin_seconds=0``) unless ``options`` say otherwise:
    four busy processes would share two cores. ``started_here``, a sandbox
    this process started before the fork, is given to this process's runs
    alone (``run(..., started=started_here)``); the fork starts its own.
    """
    here = {} if started_here is None else {"started": started_here}
    options.setdefault("spin_seconds", 0.0)
    queue, queue_end = os.pipe()
    os.write(queue_end, bytes(range(len(modules))))
    os.close(queue_end)
    answers, answer_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking with threads; NumPy's OpenBLAS pool is the
            # only other one, and OpenBLAS stops it for a fork and restarts it when used.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:  # no process to spare (a process limit): grade everything here
        for fd in (queue, answers, answer_end):
            os.close(fd)
        return run(folder, modules, **here, **options)
    if pid == 0:
        _second_process(run, folder, modules, options, queue, answers, answer_end)
    os.close(answer_end)
    try:
        results = run(folder, modules, plugins=[ModuleClaims(queue)], **here, **options)
        theirs = _read_answer(answers)
    finally:
        os.close(answers)
        os.close(queue)
        os.waitpid(pid, 0)
    results += theirs
    missing = tuple(module for module in modules if not any(result.module == module for result in results))
    if missing:  # the second process died before answering for them
        results += run(folder, missing, **here, **options)
    return sorted(results, key=lambda result: modules.index(result.module))  # stable: each module's checks in order


def _second_process(run: Run, folder: Path, modules, options, queue: int, answers: int, answer_end: int) -> None:
    """Grade what this fork claims, write the verdicts to ``answer_end``, and end without returning."""
    status = 1
    try:
        os.close(answers)
        results = run(folder, modules, plugins=[ModuleClaims(queue)], **options)
        payload = json.dumps([dataclasses.asdict(result) for result in results]).encode()
        with os.fdopen(answer_end, "wb") as stream:
            stream.write(payload)
        status = 0
    finally:
        os._exit(status)


def _read_answer(answers: int) -> list[CheckResult]:
    """The second process's verdicts (none if it died before answering)."""
    chunks = []
    while chunk := os.read(answers, 1 << 16):
        chunks.append(chunk)
    try:
        return [CheckResult(**fields) for fields in json.loads(b"".join(chunks))]
    except (ValueError, TypeError):
        return []
