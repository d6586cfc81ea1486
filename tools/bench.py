"""Grading speed on this machine: ``nox -s bench`` (``python -m tools.bench``).

Students grade on every save, so the kit's goals are multiples of the floor
(a Python that imports NumPy, pytest and Hypothesis, measured in the same
run): a warm ``nox -s grade`` on the reference solutions within 3.5× (median
of 5), ``--only MODULE`` within 2.5×, an unchanged submission (the cache)
within 1.3×; a cold first run on a fresh copy of the kit (the README's first
command, environment creation included, pip and uv caches warm) within 8 s.
Each row also gives the CPU time, which a busy machine changes less than the
wall time. Then one run is split into its phases (instrumented from outside
the engine), and a synthetic class is graded whole and in shards
(``--bulk N``, default 100; 1,000 takes about 7 minutes on two cores).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import noxw
from checks.engine import course

ROOT = course.KIT_ROOT
# bench runs in the student environment (NumPy, pytest); nox lives in noxw.py's .venv.
NOX = [str(noxw.venv_python()), "-m", "nox", "--no-color"]
# The environment grade, hint and watch share (noxfile.py's `student` session).
STUDENT_PYTHON = ROOT / ".nox" / "student" / "bin" / "python"


def cold_first_command(scratch: Path) -> float:
    """Seconds of the README's first command (``python3 noxw.py -s grade``) on a fresh copy of the kit.

    Environment creation included (``.venv`` for nox, then the student
    environment); the pip and uv caches are the machine's own, so warm.
    """
    import shutil

    kit = scratch / "fresh-kit"
    shutil.copytree(ROOT, kit, ignore=shutil.ignore_patterns(".git", ".nox", ".venv", "build", "dist", "__pycache__"))
    began = time.perf_counter()
    subprocess.run([sys.executable, "noxw.py", "-s", "grade", "--", "solutions", "--report", os.devnull], cwd=kit,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - began


@dataclass(frozen=True)
class Measured:
    """Wall-clock and CPU seconds (the command's and its children's) of each run."""

    wall: list[float]
    cpu: list[float]


def timed(command: list[str], runs: int, env: dict | None = None) -> Measured:
    """Time ``runs`` runs of ``command`` (its output discarded)."""
    import resource

    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Measured(wall, cpu)


def machine() -> str:
    model = "unknown CPU"
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def row(label: str, measured: Measured, floor: Measured | None = None, goal: float | None = None) -> str:
    """One line: median wall time, spread, CPU time; against ``floor``, the ratios and the goal (a multiple of the floor)."""
    median = statistics.median(measured.wall)
    spread = (
        f"(min {min(measured.wall):.2f}, max {max(measured.wall):.2f}, n={len(measured.wall)})" if len(measured.wall) > 1 else ""
    )
    text = f"  {label:<52} {median:6.2f} s {spread:<28} CPU {statistics.median(measured.cpu):5.2f} s"
    if floor is not None:
        ratio = median / statistics.median(floor.wall)
        cpu_ratio = statistics.median(measured.cpu) / statistics.median(floor.cpu)
        text += f"  {ratio:4.1f}× floor (CPU {cpu_ratio:4.1f}×)"
        if goal is not None:
            text += "  ok" if ratio <= goal else f"  over the {goal:g}× goal"
    return text


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def diagnosis_cost(runs: int) -> tuple[float, float]:
    """Median seconds to grade a wrong submission in-process, with and without diagnosis.

    The submission has one known mistake per module (from the mistake bank),
    so every module's checks fail and ask for a diagnosis.
    """
    from checks.engine import course, diagnosis, runner
    from tests import bank

    chosen = {}
    for entry in bank.read_entries(ROOT / "tests" / "mistakes", "mistake"):
        if any(entry.key.split(".")[0] in pack.functions for pack in course.packs()) and entry.module not in chosen:
            chosen[entry.module] = entry
    with tempfile.TemporaryDirectory() as scratch:
        folder = bank.build_submission(None, Path(scratch) / "wrong")
        for entry in chosen.values():
            path = folder / f"{entry.module}.py"
            path.write_text(path.read_text() + "\n\n" + entry.code + "\n")
        timings = {True: [], False: []}
        original = diagnosis._match
        with runner.grading_environment():
            runner.run_checks(folder, course.modules())  # warm imports
            for _ in range(runs):
                for enabled in (True, False):
                    diagnosis._match = original if enabled else (lambda module, function: None)
                    began = time.perf_counter()
                    runner.run_checks(folder, course.modules())
                    timings[enabled].append(time.perf_counter() - began)
        diagnosis._match = original
    return statistics.median(timings[True]), statistics.median(timings[False])


def _grade_class(python: Path, submissions: Path, out: Path, jobs: int | None, *extra: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m checks.engine.bulk`` run (``nox -s grade-all``)."""
    import resource

    command = [str(python), "-m", "checks.engine.bulk", str(submissions), "--out", str(out), *extra]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def class_throughput(students: int, shards: int, jobs: int | None) -> None:
    """Grade a synthetic class (``tools/sample_class.py``) whole, then as ``shards`` shards and the merge; print the figures.

    Goal: 100 submissions (correct, wrong, partial, broken and hostile, a hang
    included) within 60 s. Prints the wall time, the CPU time it took (the
    floor on two cores is CPU / 2), which kinds of submission the grading time
    went to (from each report's ``execution_time``), and each phase of the
    sharded run. On one machine the shards run in turn, so sharding shows its
    cost (each shard's start-up, the merge), not a speed-up: on N machines the
    wall time is the slowest shard plus the merge.
    """
    from tools.sample_class import make_class

    with tempfile.TemporaryDirectory(prefix="ridge-lab-bench-") as scratch:
        submissions, out = Path(scratch) / "class", Path(scratch) / "out"
        began = time.perf_counter()
        kinds = make_class(submissions, students)
        print(f"\nA synthetic class of {students} submissions (written in {time.perf_counter() - began:.1f} s), {load()}:")
        seconds, cpu = _grade_class(STUDENT_PYTHON, submissions, out, jobs)
        goal = 60.0 * students / 100
        verdict = "ok" if seconds <= goal else f"over the {goal:g} s goal"
        print(
            f"  nox -s grade-all, jobs={jobs or 'default'}: {seconds:6.1f} s wall, {seconds / students:.3f} s per submission, "
            f"{cpu:.0f} CPU-s ({cpu / students:.2f} per submission)  {verdict}"
        )
        spent: dict[str, list[float]] = collections.defaultdict(list)
        for path in (out / "reports").glob("*.json"):
            spent[kinds[path.stem].split(":")[0]].append(json.loads(path.read_text())["execution_time"])
        total = sum(sum(times) for times in spent.values()) or 1.0
        print("  where the grading time went (sum of each report's execution_time, by kind of submission):")
        for kind, times in sorted(spent.items(), key=lambda item: -sum(item[1])):
            print(f"    {kind:<14} n={len(times):<4} mean {statistics.mean(times):5.2f} s   {100 * sum(times) / total:3.0f} %")
        if not shards:
            return
        times = [
            _grade_class(STUDENT_PYTHON, submissions, Path(scratch) / f"out-{k}", jobs, "--shard", f"{k}/{shards}")
            for k in range(1, shards + 1)
        ]
        began = time.perf_counter()
        parts = [str(Path(scratch) / f"out-{k}") for k in range(1, shards + 1)]
        merge = [str(STUDENT_PYTHON), "-m", "checks.engine.bulk.shards", *parts, "--out", str(Path(scratch) / "merged")]
        subprocess.run(merge, cwd=ROOT, stdout=subprocess.DEVNULL)
        merge_seconds = time.perf_counter() - began
    print(f"  the same class as {shards} shards (nox -s grade-all -- --shard K/{shards}, one after the other) and the merge:")
    for k, (seconds, cpu) in enumerate(times, 1):
        print(f"    shard {k}/{shards}: {seconds:6.1f} s wall, {cpu:.0f} CPU-s")
    print(
        f"    merge (nox -s merge-grades): {merge_seconds:.1f} s;  sharded in turn: {sum(t for t, _ in times) + merge_seconds:.1f} s, "
        f"on {shards} machines: {max(t for t, _ in times) + merge_seconds:.1f} s wall"
    )


def class_report_speed(students: int) -> None:
    """Seconds to build gradebook.csv, canvas.csv and report.html for ``students`` reports.

    The reports are a real graded report of the reference and of stubs,
    copied and perturbed (checks failed at random, a diagnosis added to some).
    """
    import copy
    import random

    from checks.engine import course
    from checks.engine.bulk import outputs

    grade_python = STUDENT_PYTHON
    with tempfile.TemporaryDirectory(prefix="ridge-lab-bench-") as scratch:
        path = Path(scratch) / "r.json"
        subprocess.run(
            [str(grade_python), "-m", "checks.engine.grade", "solutions", "--report", str(path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        template = json.loads(path.read_text())
        mistakes = [(pack.module, m, pack.lesson) for pack in course.packs() for m in pack.definitions.MISCONCEPTIONS]
        chance = random.Random(0)
        documents = []
        for index in range(students):
            document = copy.deepcopy(template)
            document["extra_data"] |= {"student": f"student{index:04d}", "submission": f"student{index:04d}", "files_sha256": {}}
            for test in document["tests"]:
                if chance.random() < 0.15:
                    module, mistake, lesson = chance.choice([m for m in mistakes if m[0] == test["tags"][0]] or mistakes)
                    test |= {
                        "status": "failed",
                        "score": 0,
                        "output": f"wrong\nDiagnosis: {mistake.diagnosis} (lesson: docs/{lesson})",
                    }
            document["score"] = sum(test["score"] for test in document["tests"])
            documents.append(document)
        out = Path(scratch) / "out"
        out.mkdir()
        began = time.perf_counter()
        outputs.write_all(out, documents, {}, "total")
        seconds = time.perf_counter() - began
    verdict = "ok" if seconds <= 10 * students / 1000 else "over the goal"
    print(
        f"\nClass files (gradebook.csv, canvas.csv, report.html) for {students} students: {seconds:.2f} s  {verdict} (goal ≤ 10 s for 1,000)"
    )


def incremental_rows(grade_python: Path, floor: list[float], runs: int) -> None:
    """Warm grading with the cache: nothing changed, and one module edited (against ``--only`` it)."""
    from checks.engine import course

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "work"
        subprocess.run(["cp", "-r", str(ROOT / "solutions"), str(folder)], check=True)
        env = {**os.environ, "GRADER_CACHE": "1", "XDG_CACHE_HOME": str(Path(scratch) / "cache"), "GRADER_ISOLATION": "none"}
        command = [str(grade_python), "-m", "checks.engine.grade", str(folder), "--report", os.devnull]
        subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        unchanged = timed(command, runs, env=env)
        print(row("cached: nothing changed since the last grade", unchanged, floor, goal=1.3))
        edited_module = course.modules()[-1]
        path = folder / f"{edited_module}.py"
        edits = Measured([], [])
        for run in range(runs):
            path.write_text(path.read_text() + f"\n# edit {run}\n")
            once = timed(command, 1, env=env)
            edits.wall.extend(once.wall)
            edits.cpu.extend(once.cpu)
        only = timed([*command, "--only", edited_module, "--no-cache"], runs, env=env)
        print(row(f"cached: after editing {edited_module}.py", edits, floor))
        print(row(f"  --only {edited_module} (its goal: no slower)", only, floor))


CHECKS_OWN = "checks' own code: Hypothesis drawing and shrinking, assertions"


class PhaseClock:
    """Wall time spent in wrapped functions, exclusive of the wrapped functions they call."""

    def __init__(self):
        self.exclusive: dict[str, float] = collections.defaultdict(float)
        self.calls: dict[str, int] = collections.defaultdict(int)
        self._children: list[float] = []

    def wrap(self, owner, name: str, label: str) -> None:
        """Time ``owner.name`` (a module function or a class's method) under ``label``; absent names are skipped."""
        original = getattr(owner, name, None)
        if original is None:
            return

        @functools.wraps(original)
        def timed(*args, **kwargs):
            began = time.perf_counter()
            self._children.append(0.0)
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - began
                self.exclusive[label] += elapsed - self._children.pop()
                self.calls[label] += 1
                if self._children:
                    self._children[-1] += elapsed

        setattr(owner, name, timed)


def profile_one_run(folder: str, only: str | None, explicit_only: bool = False) -> dict:
    """Grade ``folder`` once in this (fresh) process with timers on each phase; ``{phase: seconds}`` and per-check times.

    Runs the grader's own ``main``, every module in this process (not
    shared with a fork, as ``main`` does with two cores); the timers wrap the
    engine's functions from outside (nothing in ``checks/`` changes). A phase's time excludes the
    other phases it calls (a call's round trip excludes the worker's import).
    """
    began = time.perf_counter()
    import hypothesis  # noqa: F401
    import numpy  # noqa: F401
    import pytest

    imported_floor = time.perf_counter()
    from checks.engine import course, diagnosis, feedback, grade, report, runner, sandbox
    from checks.packs.shared import exact

    imported = time.perf_counter()
    grade.worth_splitting = lambda modules: False  # the timers see this process only: grade every module in it
    clock = PhaseClock()
    clock.wrap(pytest, "main", "pytest itself: configuration, collection, hooks")
    clock.wrap(sandbox.jail, "_jail_works", "isolation probe: can a jail be made here (once per process)")
    clock.wrap(sandbox.intake.StagedSubmission, "__init__", "take the submission in (copy its regular files)")
    clock.wrap(sandbox.transport.Zygote, "__init__", "start the zygote or its jail (bubblewrap, a Python that imports NumPy)")
    clock.wrap(sandbox.transport.Worker, "__init__", "start a worker (a fork of the zygote)")
    clock.wrap(sandbox.proxy.Submission, "_sweep", "between modules: kill the last module's processes, check the jail")
    clock.wrap(sandbox.proxy.Submission, "close", "end the submission: kill the jail, remove the copy")
    clock.wrap(sandbox.proxy.StudentModule, "_ensure_ready", "wait for a worker to import the student's module")
    clock.wrap(sandbox.proxy.StudentModule, "outcome", "calls: round trips to the worker")
    clock.wrap(diagnosis, "diagnose", "diagnosis of a failure")
    for name in ("expect_close", "coefficients_close", "as_number", "as_vector", "as_pair"):
        clock.wrap(feedback, name, "comparisons (feedback.expect_close, conversions)")
    for name in [n for n in vars(exact) if not n.startswith("_") and callable(getattr(exact, n))]:
        clock.wrap(exact, name, "oracles (checks/packs/shared/exact.py)")
    for name in ("gradescope", "write_json", "table", "progress", "checks_fingerprint"):
        clock.wrap(report, name, "report: JSON, table, fingerprint")
    per_check: dict[str, float] = {}
    collector = runner._Collector

    class TimedCollector(collector):
        def pytest_runtest_makereport(self, item, call):
            if call.when == "call":
                per_check[f"{course.module_of_check_file(item.path)}: {item.originalname.removeprefix('test_')}"] = call.duration
            return super().pytest_runtest_makereport(item, call)

    runner._Collector = TimedCollector
    arguments = [folder, "--report", os.devnull, "--no-cache", *(["--only", only] if only else [])]
    arguments += ["--explicit-only"] if explicit_only else []
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        started = time.perf_counter()
        grade.main(arguments)
        graded = time.perf_counter() - started
    phases = {
        "imports: numpy, pytest, hypothesis (the floor)": imported_floor - began,
        "imports: the engine": imported - imported_floor,
        **clock.exclusive,
    }
    # What the checks spent outside every timed phase: Hypothesis (drawing, shrinking) and the checks' own lines.
    own = sum(per_check.values()) - sum(
        clock.exclusive[label]
        for label in clock.exclusive
        if label.startswith(("calls", "wait for", "start a worker", "diagnosis", "comparisons", "oracles"))
    )
    phases[CHECKS_OWN] = max(own, 0.0)
    phases["pytest itself: configuration, collection, hooks"] -= phases[CHECKS_OWN]
    phases["the rest of the grader (cache, environment, output)"] = graded - sum(
        seconds for label, seconds in clock.exclusive.items() if not label.startswith("imports")
    )
    return {"phases": phases, "checks": per_check, "seconds": imported - began + graded}


def _profiles(grade_python: Path, only: str | None, runs: int, explicit_only: bool) -> list[dict]:
    env = None
    command = [str(grade_python), "-m", "tools.bench", "--profile-one", "solutions", *(["--only", only] if only else [])]
    command += ["--explicit-only"] if explicit_only else []
    samples = []
    for _ in range(runs):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip()[-2000:])
        samples.append(json.loads(done.stdout.splitlines()[-1]))
    return samples


def print_profile(grade_python: Path, only: str | None, runs: int) -> None:
    """Print the medians of ``runs`` instrumented runs: each phase, explicit examples against generation, the slowest checks."""
    try:
        samples = _profiles(grade_python, only, runs, explicit_only=False)
        explicit = _profiles(grade_python, only, runs, explicit_only=True)
    except RuntimeError as error:
        print(f"  (profiling failed: {error})")
        return
    what = f"--only {only}" if only else "every module"
    total = statistics.median(sample["seconds"] for sample in samples)
    print(
        f"\nWhere one grading run of solutions/ ({what}) spends its time, in one process, medians of {runs} (total {total:.2f} s):"
    )
    phases = {label: statistics.median(sample["phases"].get(label, 0.0) for sample in samples) for label in samples[0]["phases"]}
    for label, seconds in sorted(phases.items(), key=lambda item: -item[1]):
        print(f"  {label:<70} {seconds:6.3f} s  {100 * seconds / total:3.0f} %")
    checks = {name: statistics.median(sample["checks"].get(name, 0.0) for sample in samples) for name in samples[0]["checks"]}
    explicit_checks = statistics.median(sum(sample["checks"].values()) for sample in explicit)
    print(
        f"  the checks take {sum(checks.values()):.2f} s in all; with the explicit examples alone "
        f"(--explicit-only) {explicit_checks:.2f} s, so generated examples and shrinking cost "
        f"{sum(checks.values()) - explicit_checks:.2f} s"
    )
    print(f"  the slowest of {len(checks)} checks (whole check, calls included):")
    for name, seconds in sorted(checks.items(), key=lambda item: -item[1])[:8]:
        print(f"    {name:<68} {seconds:6.3f} s")


WHOLE_GOAL, ONLY_GOAL = 3.5, 2.5  # warm `nox -s grade`, and with --only, as multiples of the floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold run (it downloads packages)")
    parser.add_argument(
        "--bulk", type=int, default=100, metavar="N", help="bulk-grade N synthetic submissions (0 skips; 1000 takes ~7 min)"
    )
    parser.add_argument("--jobs", type=int, default=None, help="grader processes for --bulk (default: checks.engine.bulk's)")
    parser.add_argument(
        "--shards", type=int, default=2, metavar="N", help="also grade the --bulk class as N shards and merge them (0 skips)"
    )
    parser.add_argument(
        "--class-report", type=int, default=1000, metavar="N", help="time the class files for N synthetic reports (0 skips)"
    )
    parser.add_argument("--bulk-only", action="store_true", help="skip the single-submission measurements")
    parser.add_argument("--profile-one", metavar="FOLDER", help=argparse.SUPPRESS)  # one instrumented run, JSON out
    parser.add_argument("--only", help=argparse.SUPPRESS)
    parser.add_argument("--explicit-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.profile_one:
        print(json.dumps(profile_one_run(arguments.profile_one, arguments.only, arguments.explicit_only)))
        return 0
    runs = arguments.runs

    print(f"Ridge Lab grading benchmark: {machine()}; {load()}")
    subprocess.run([*NOX, "-s", "grade", "--", "solutions"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    grade_python = STUDENT_PYTHON
    if not arguments.bulk_only:
        single_submission(grade_python, runs, arguments.skip_cold)
    if arguments.bulk:
        class_throughput(arguments.bulk, arguments.shards, arguments.jobs)
    if arguments.class_report:
        class_report_speed(arguments.class_report)
    print(f"\nAt the end: {load()}")
    return 0


def single_submission(grade_python: Path, runs: int, skip_cold: bool) -> None:
    """Warm and cold grading of solutions/ against the floor, the cache, the profile of a run, diagnosis."""
    from checks.engine import course

    floor = timed([str(grade_python), "-c", "import numpy, pytest, hypothesis"], runs)
    print(row("floor: import numpy, pytest, hypothesis", floor))
    full = timed([*NOX, "-s", "grade", "--", "solutions", "--report", os.devnull], runs)
    print(row("nox -s grade -- solutions (warm)", full, floor, goal=WHOLE_GOAL))
    for module in course.modules():
        only = timed([*NOX, "-s", "grade", "--", "solutions", "--only", module, "--report", os.devnull], runs)
        print(row(f"nox -s grade -- solutions --only {module}", only, floor, goal=ONLY_GOAL))
    grader = timed([str(grade_python), "-m", "checks.engine.grade", "solutions", "--report", os.devnull], runs)
    print(row("grader alone: python -m checks.engine.grade solutions", grader, floor))
    unisolated = timed(
        [str(grade_python), "-m", "checks.engine.grade", "solutions", "--report", os.devnull],
        runs,
        env={**os.environ, "GRADER_ISOLATION": "none"},
    )
    print(row("  the same without isolation (GRADER_ISOLATION=none)", unisolated, floor))
    incremental_rows(grade_python, floor, runs)
    if not skip_cold:
        with tempfile.TemporaryDirectory() as scratch:
            cold = cold_first_command(Path(scratch))
        print(
            f"  {'cold: fresh copy, python3 noxw.py -s grade (caches warm)':<52} {cold:6.2f} s"
            + ("  ok" if cold <= 8 else "  over the 8 s goal")
        )
    median_grader, median_floor, median_full = (statistics.median(x.wall) for x in (grader, floor, full))
    print("\nWhere a warm `nox -s grade` spends its time (medians):")
    print(f"  nox itself (start-up, environment check)          {median_full - median_grader:6.2f} s")
    print(f"  Python start-up and imports (the floor)           {median_floor:6.2f} s")
    print(f"  the rest of the grader                            {median_grader - median_floor:6.2f} s")
    print_profile(grade_python, None, runs)
    print_profile(grade_python, course.modules()[0], runs)
    with_diagnosis, without = diagnosis_cost(runs)
    print("\nMisconception diagnosis on a submission with one known mistake per module (in-process):")
    print(
        f"  with diagnosis {with_diagnosis:.2f} s, without {without:.2f} s: +{100 * (with_diagnosis / without - 1):.0f} % (goal ≤ 10 %)"
    )


if __name__ == "__main__":
    sys.exit(main())
