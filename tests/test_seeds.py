"""Grades of record draw their examples from a seed: reproducible with it, unlearnable without it, fair under all.

Everything here grades in this process (``run_checks``), as bulk grading
does: a grading costs its checks alone, not a new interpreter.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from checks.engine import course, sandbox
from checks.engine.grade import grading_seed
from checks.engine.runner import grading_environment, run_checks
from tests import shared
from tests import test_computing_nothing as idle
from tests.bank import ROOT, build_submission
from tests.conftest import ALTERNATIVES, MISTAKES, grade

SEEDS = range(6)  # the reference and the loops submission, every module
ALTERNATIVE_SEEDS = SEEDS[:3]  # the alternatives (each changes one or two functions): fewer, to keep the test short
MODULES = course.modules()


def _grade(folder: Path, modules=MODULES, **options):
    with grading_environment():
        return run_checks(folder.resolve(), tuple(modules), spin_seconds=0.0, **options)  # other tests share the cores


def _verdicts(results) -> list[tuple[str, bool, str]]:
    return [(result.name, result.passed, result.feedback) for result in results]


@pytest.fixture(scope="module")
def correct_submissions(tmp_path_factory) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """``{name: (folder, modules to grade)}``: the reference, the loops submission, and the alternatives in rounds.

    Round ``i`` puts the ``i``-th alternative of every module into one
    submission (alternatives of one module replace the same functions, so
    they cannot share one) and grades only the modules it changed.
    """
    base = tmp_path_factory.mktemp("correct")
    found = {"reference": (ROOT / "solutions", MODULES), "loops": (ROOT / "tests" / "alternatives" / "loops", MODULES)}
    by_module: dict[str, list] = {}
    for entry in ALTERNATIVES:
        by_module.setdefault(entry.module, []).append(entry)
    for index in range(max(len(entries) for entries in by_module.values())):
        folder = build_submission(None, base / f"round-{index}")
        changed = []
        for module, entries in by_module.items():
            if index < len(entries):
                path = folder / f"{module}.py"
                path.write_text(path.read_text() + f"\n\n# --- {entries[index].key} ---\n" + entries[index].code + "\n")
                changed.append(module)
        found[f"alternatives round {index}"] = (folder, tuple(m for m in MODULES if m in changed))
    return found


@pytest.mark.slow
def test_correct_work_keeps_full_marks_under_every_seed(correct_submissions, pytestconfig):
    started = time.perf_counter()
    failures = []
    gradings = 0
    for seed in SEEDS:
        for name, (folder, modules) in correct_submissions.items():
            if name.startswith("alternatives") and seed not in ALTERNATIVE_SEEDS:
                continue
            results = _grade(folder, modules, seed=seed)
            gradings += 1
            failures += [f"seed {seed}, {name}: {r.name}: {r.feedback}" for r in results if not r.passed]
    shared.summary_line(
        pytestconfig, f"seeds: {gradings} seeded gradings of correct work in {time.perf_counter() - started:.0f} s"
    )
    assert not failures, "\n".join(failures)


class _Recorder:
    """Remembers the arguments of every call the checks make (in the grader, before the sandbox)."""

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        original = sandbox.StudentModule.outcome

        def outcome(module, function, *args, **kwargs):
            self.calls.append(idle.call_key(args) + function)
            return original(module, function, *args, **kwargs)

        monkeypatch.setattr(sandbox.StudentModule, "outcome", outcome)


@pytest.mark.slow
def test_same_seed_same_report_and_other_seeds_other_inputs(tmp_path, monkeypatch):
    recorder = _Recorder(monkeypatch)
    folder = build_submission(MISTAKES[0], tmp_path / "mistake")  # failures show generated inputs in the feedback
    runs = {}
    for label, seed in (("first", 7), ("again", 7), ("other", 8), ("local", None), ("local again", None)):
        recorder.calls.clear()
        runs[label] = (_verdicts(_grade(folder, seed=seed)), list(recorder.calls))
    assert runs["first"] == runs["again"], "the same seed gave a different report or different inputs"
    assert runs["local"] == runs["local again"], "a student's own runs differ"
    assert runs["first"][1] != runs["other"][1], "two seeds drew the same inputs"
    assert runs["first"][1] != runs["local"][1], "a seeded grading drew the local inputs"


def test_a_module_draws_the_same_inputs_graded_alone_or_with_every_module(monkeypatch):
    """What ``--only`` grades (and which check files it imports) changes nothing a check draws."""
    recorder = _Recorder(monkeypatch)
    module = MODULES[0]
    for seed in (None, 7):
        recorder.calls.clear()
        _grade(ROOT / "solutions", (module,), seed=seed)
        alone = list(recorder.calls)
        recorder.calls.clear()
        _grade(ROOT / "solutions", MODULES, seed=seed)
        assert recorder.calls[: len(alone)] == alone, f"{module} drew other inputs with every module graded (seed {seed})"


def test_hypothesis_draws_no_constants_from_the_modules_imported():
    """Hypothesis (6.131+) mixes constants from every imported local module into its draws; the grader turns that off."""
    providers = pytest.importorskip("hypothesis.internal.conjecture.providers")
    if not hasattr(providers, "_get_local_constants"):
        pytest.skip("this Hypothesis draws no constants from imported modules")
    import checks.engine.plugin  # noqa: F401  (the grader's plugin turns the pool off)
    from tests import bank  # noqa: F401  (a local module with constants of its own)

    assert len(providers._get_local_constants()) == 0, "imported modules change what checks draw"


@pytest.mark.slow
def test_memorised_local_answers_lose_points_in_a_grade_of_record(tmp_path, monkeypatch):
    """A table of every answer the reference gave on a student's own run scores well at home only."""
    answers: dict[str, dict[str, tuple]] = {}
    original = sandbox.StudentModule.outcome

    def outcome(module, function, *args, **kwargs):
        result = original(module, function, *args, **kwargs)
        answers.setdefault(function, {})[idle.call_key(args)] = idle.stored_answer(result.value)
        return result

    monkeypatch.setattr(sandbox.StudentModule, "outcome", outcome)
    _grade(ROOT / "solutions")  # a local run: no seed
    monkeypatch.setattr(sandbox.StudentModule, "outcome", original)

    folder = build_submission(None, tmp_path / "memorised")
    idle.rewrite(folder, lambda pack, function, parameters: idle.table_function(function, parameters, answers.get(function, {})))
    idle.assert_rewritten(folder, "_TABLE_{function}")
    at_home = sum(result.score for result in _grade(folder))
    of_record = sum(result.score for result in _grade(folder, seed=20261204))
    maximum = sum(pack.max_score for pack in course.packs())
    assert at_home == maximum, f"the memorised table scored {at_home}/{maximum} at home: the test no longer shows the problem"
    assert of_record < maximum / 4, f"the memorised table scored {of_record}/{maximum} in a grade of record"


def test_grade_of_record_records_a_fresh_seed_and_regrading_with_it_gives_the_same_report(tmp_path):
    entry = MISTAKES[0]
    folder = build_submission(entry, tmp_path / "mistake")
    first = grade(folder, "--only", entry.module, env={"CI": "1"})
    second = grade(folder, "--only", entry.module, env={"CI": "1"})
    seeds = first.report["extra_data"]["seed"], second.report["extra_data"]["seed"]
    assert all(isinstance(seed, int) for seed in seeds) and seeds[0] != seeds[1], seeds
    regraded = grade(folder, "--only", entry.module, "--seed", str(seeds[0]))
    assert regraded.report["extra_data"]["seed"] == seeds[0]
    assert regraded.report["tests"] == first.report["tests"]


def test_only_a_grade_of_record_draws_a_seed(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert grading_seed(None) is None
    assert grading_seed(5) == 5
    monkeypatch.setenv("CI", "true")
    assert isinstance(grading_seed(None), int)
