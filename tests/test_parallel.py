"""A whole submission is graded in two processes (``checks/engine/parallel.py``) with the verdicts of one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from checks.engine import course, parallel, report
from checks.engine.grade import worth_splitting
from checks.engine.report import CheckResult
from checks.engine.runner import grading_environment, run_checks
from checks.engine.sandbox import transport
from tests import bank
from tests.conftest import MISTAKES, grade

SEED = 20261204


def test_two_processes_give_the_report_of_one(tmp_path):
    """Mistakes in three modules (so in both processes): the entry point's report equals a one-process grading's."""
    folder = bank.build_submission(None, tmp_path / "mistakes")
    for module in ("shrinkage", "bias", "penalty"):
        entry = next(entry for entry in MISTAKES if entry.module == module)
        path = folder / f"{module}.py"
        path.write_text(path.read_text() + "\n\n" + entry.code + "\n")
    if not worth_splitting(course.modules()):
        pytest.skip("this machine grades in one process (one core, or no Linux fork): nothing to compare")
    split = grade(folder, "--seed", str(SEED)).report["tests"]
    with grading_environment():
        one = report.gradescope(run_checks(folder.resolve(), course.modules(), seed=SEED), seconds=0.0)["tests"]
    assert split == one
    assert sum(test["status"] == "failed" for test in one) >= 3


@contextlib.contextmanager
def _claimers(count: int):
    """``count`` claimers sharing one queue, and stand-in items: a different number per module."""
    queue, queue_end = os.pipe()
    os.write(queue_end, bytes(range(len(course.modules()))))
    os.close(queue_end)
    items = [SimpleNamespace(path=pack.check_file) for pack in course.packs() for _ in range(len(pack.functions) + 1)]
    claimers = [parallel.ModuleClaims(queue) for _ in range(count)]
    for claimer in claimers:
        claimer.pytest_collection_modifyitems(items)
    try:
        yield claimers, items
    finally:
        os.close(queue)


def test_every_module_is_graded_by_exactly_one_process():
    with _claimers(2) as (claimers, items):
        graded = _take_turns(claimers, items)
    by_module = {module: {who for who, graded_module in graded if graded_module == module} for module in course.modules()}
    assert all(len(processes) == 1 for processes in by_module.values()), by_module
    assert {who for who, _ in graded} == {0, 1}, "one process graded everything"
    per_module = {module: sum(1 for _, graded_module in graded if graded_module == module) for module in course.modules()}
    assert per_module == {pack.module: len(pack.functions) + 1 for pack in course.packs()}, "a check ran twice or not at all"


def _take_turns(claimers, items) -> list[tuple[int, str]]:
    """Two processes taking turns, an item at a time: ``(process, module)`` of each check that ran."""
    graded: list[tuple[int, str]] = []
    cursors = [0, 0]
    turn = 0
    while any(cursor < len(items) for cursor in cursors):  # the two processes take turns, one item at a time
        who = turn % 2 if cursors[turn % 2] < len(items) else 1 - turn % 2
        item = items[cursors[who]]
        if claimers[who].pytest_runtest_protocol(item, None) is None:
            graded.append((who, course.module_of_check_file(item.path)))
        cursors[who] += 1
        turn += 1
    return graded


def test_modules_with_the_most_checks_are_claimed_first():
    with _claimers(1) as (_, items):
        counts = [sum(1 for item in items if item.path == pack.check_file) for pack in course.packs()]
        order = [course.module_of_check_file(item.path) for item in items]
    assert order == sorted(order, key=lambda module: -counts[course.modules().index(module)])


def test_a_module_the_second_process_leaves_ungraded_is_graded_by_the_first(tmp_path):
    """The fork dies after claiming a module: its module is graded all the same."""
    first = os.getpid()
    claimed, claimed_end = os.pipe()
    graded_by_first: list[tuple[str, ...]] = []

    def run(folder: Path, modules: tuple[str, ...], plugins=(), **options) -> list[CheckResult]:
        items = [SimpleNamespace(path=course.pack(module).check_file) for module in modules]
        for plugin in plugins:
            plugin.pytest_collection_modifyitems(items)
        if os.getpid() != first:  # the fork: claim one module, then die without answering
            plugins[0].pytest_runtest_protocol(items[0], None)
            os.write(claimed_end, b"!")
            os._exit(9)
        if plugins:
            os.read(claimed, 1)  # let the fork claim first
        mine = [item for item in items if not plugins or plugins[0].pytest_runtest_protocol(item, None) is None]
        graded_by_first.append(tuple(course.module_of_check_file(item.path) for item in mine))
        return [CheckResult(course.module_of_check_file(item.path), "check", True, "passed", 1) for item in mine]

    results = parallel.run_split(run, tmp_path, course.modules())
    os.close(claimed)
    os.close(claimed_end)
    assert [result.module for result in results] == list(course.modules())
    assert len(graded_by_first) == 2, "the module the fork claimed was not graded again"


def test_without_a_process_to_spare_every_module_is_graded_in_this_one(tmp_path, monkeypatch):
    def no_fork():
        raise BlockingIOError("fork: Resource temporarily unavailable")

    calls = []

    def run(folder: Path, modules: tuple[str, ...], plugins=(), **options) -> list[CheckResult]:
        calls.append((modules, list(plugins)))
        return [CheckResult(module, "check", True, "passed", 1) for module in modules]

    monkeypatch.setattr(os, "fork", no_fork)
    results = parallel.run_split(run, tmp_path, course.modules())
    assert calls == [(course.modules(), [])]
    assert [result.module for result in results] == list(course.modules())


def test_a_grader_polls_for_replies_only_where_a_core_is_spare(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert transport.spin_seconds_here() == 0.0
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert transport.spin_seconds_here() == transport.SPIN_SECONDS > 0
