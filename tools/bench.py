"""Grading speed on this machine: ``nox -s bench`` (``python -m tools.bench``).

Students grade on every save, so the kit's goal is: a warm ``nox -s grade`` on
the reference solutions within 2 s (median of 5), ``--only MODULE`` within 1 s,
and a cold first run on a fresh copy of the kit (the README's first command,
environment creation included, pip and uv caches warm) within 8 s. This prints
those figures next to the floor (importing NumPy, pytest and Hypothesis) and
splits a run into what dominates it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOX = [sys.executable, "-m", "nox", "--no-color"]
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


def timed(command: list[str], runs: int, env: dict | None = None) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``command`` (its output discarded)."""
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        seconds.append(time.perf_counter() - began)
    return seconds


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


def row(label: str, seconds: list[float], goal: float | None = None) -> str:
    median = statistics.median(seconds)
    verdict = "" if goal is None else ("  ok" if median <= goal else f"  over the {goal:g} s goal")
    spread = f"(min {min(seconds):.2f}, max {max(seconds):.2f}, n={len(seconds)})" if len(seconds) > 1 else ""
    return f"  {label:<44} {median:6.2f} s  {spread}{verdict}"


def diagnosis_cost(runs: int) -> tuple[float, float]:
    """Median seconds to grade a wrong submission in-process, with and without diagnosis.

    The submission has one known mistake per module (from the mistake bank),
    so every module's checks fail and ask for a diagnosis.
    """
    from checks.engine import course, diagnosis, grade
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
        with grade.grading_environment():
            grade.run_checks(folder, course.modules())  # warm imports
            for _ in range(runs):
                for enabled in (True, False):
                    diagnosis._match = original if enabled else (lambda module, function: None)
                    began = time.perf_counter()
                    grade.run_checks(folder, course.modules())
                    timings[enabled].append(time.perf_counter() - began)
        diagnosis._match = original
    return statistics.median(timings[True]), statistics.median(timings[False])


def bulk_throughput(students: int, jobs: int | None) -> None:
    """Grade a synthetic class (``tools/sample_class.py``) with ``python -m checks.engine.bulk``; print the figures.

    Goal: 100 submissions (correct, wrong, partial, broken and hostile, a hang
    included) within 60 s. Prints the wall time, the CPU time it took (the
    floor on two cores is CPU / 2) and which kinds of submission the grading
    time went to (from each report's ``execution_time``).
    """
    import collections
    import resource

    from tools.sample_class import make_class

    grade_python = STUDENT_PYTHON
    with tempfile.TemporaryDirectory(prefix="ridge-lab-bench-") as scratch:
        kinds = make_class(Path(scratch) / "class", students)
        out = Path(scratch) / "out"
        command = [str(grade_python), "-m", "checks.engine.bulk", str(Path(scratch) / "class"), "--out", str(out)]
        if jobs:
            command += ["--jobs", str(jobs)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        spent: dict[str, list[float]] = collections.defaultdict(list)
        for path in (out / "reports").glob("*.json"):
            spent[kinds[path.stem].split(":")[0]].append(json.loads(path.read_text())["execution_time"])
    goal = 60.0 * students / 100
    verdict = "ok" if seconds <= goal else f"over the {goal:g} s goal"
    print(f"\nBulk grading (nox -s grade-all), {students} submissions, jobs={jobs or 'default'}:")
    print(
        f"  {seconds:6.1f} s wall, {seconds / students:.2f} s per submission, {cpu:.0f} CPU-s ({cpu / students:.2f} per submission)  {verdict}"
    )
    total = sum(sum(times) for times in spent.values()) or 1.0
    print("  where the grading time went (sum of each report's execution_time, by kind of submission):")
    for kind, times in sorted(spent.items(), key=lambda item: -sum(item[1])):
        print(f"    {kind:<14} n={len(times):<3} mean {statistics.mean(times):5.2f} s   {100 * sum(times) / total:3.0f} %")


def _grade_class(python: Path, submissions: Path, out: Path, jobs: int | None, *extra: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m checks.engine.bulk`` run."""
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


def sharded_throughput(students: int, shards: int, jobs: int | None) -> None:
    """Grade a synthetic class as ``shards`` shards one after the other, then merge; print each part's figures.

    On one machine the shards run in turn, so this measures the cost of
    sharding (each shard's start-up, the merge), not a speed-up: on N
    machines the wall time is the slowest shard plus the merge.
    """
    from tools.sample_class import make_class

    grade_python = ROOT / ".nox" / "grade" / "bin" / "python"
    with tempfile.TemporaryDirectory(prefix="ridge-lab-bench-") as scratch:
        make_class(Path(scratch) / "class", students)
        times = [
            _grade_class(grade_python, Path(scratch) / "class", Path(scratch) / f"out-{k}", jobs, "--shard", f"{k}/{shards}")
            for k in range(1, shards + 1)
        ]
        began = time.perf_counter()
        subprocess.run(
            [
                str(grade_python),
                "-m",
                "checks.engine.bulk.shards",
                *(str(Path(scratch) / f"out-{k}") for k in range(1, shards + 1)),
                "--out",
                str(Path(scratch) / "merged"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        merge_seconds = time.perf_counter() - began
    print(f"\nThe same class as {shards} shards (run one after the other here) and the merge:")
    for k, (seconds, cpu) in enumerate(times, 1):
        print(f"  shard {k}/{shards}: {seconds:6.1f} s wall, {cpu:.0f} CPU-s")
    print(f"  merge: {merge_seconds:.1f} s;  on {shards} machines: {max(t for t, _ in times) + merge_seconds:.1f} s wall")


def class_report_speed(students: int) -> None:
    """Seconds to build gradebook.csv, canvas.csv and report.html for ``students`` reports.

    The reports are a real graded report of the reference and of stubs,
    copied and perturbed (checks failed at random, a diagnosis added to some).
    """
    import copy
    import random

    from checks.engine import course
    from checks.engine.bulk import outputs

    grade_python = ROOT / ".nox" / "grade" / "bin" / "python"
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
        goal = 1.3 * statistics.median(floor)
        print(row("cached: nothing changed since the last grade", unchanged, goal=goal))
        edited_module = course.modules()[-1]
        path = folder / f"{edited_module}.py"
        edits = []
        for run in range(runs):
            path.write_text(path.read_text() + f"\n# edit {run}\n")
            edits += timed(command, 1, env=env)
        only = timed([*command, "--only", edited_module, "--no-cache"], runs, env=env)
        print(row(f"cached: after editing {edited_module}.py", edits, goal=statistics.median(only)))
        print(row(f"  --only {edited_module} (the goal above)", only))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold run (it downloads packages)")
    parser.add_argument("--bulk", type=int, default=100, metavar="N", help="bulk-grade N synthetic submissions (0 skips)")
    parser.add_argument("--jobs", type=int, default=None, help="grader processes for --bulk (default: checks.engine.bulk's)")
    parser.add_argument(
        "--shards", type=int, default=0, metavar="N", help="also grade the --bulk class as N shards and merge them"
    )
    parser.add_argument(
        "--class-report", type=int, default=1000, metavar="N", help="time the class files for N synthetic reports (0 skips)"
    )
    parser.add_argument("--bulk-only", action="store_true", help="skip the single-submission measurements")
    arguments = parser.parse_args(argv)
    runs = arguments.runs

    print(f"Ridge Lab grading benchmark: {machine()}")
    if arguments.bulk_only:
        subprocess.run([*NOX, "-s", "grade", "--", "solutions"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if arguments.bulk:
            bulk_throughput(arguments.bulk, arguments.jobs)
        if arguments.bulk and arguments.shards:
            sharded_throughput(arguments.bulk, arguments.shards, arguments.jobs)
        if arguments.class_report:
            class_report_speed(arguments.class_report)
        return 0
    subprocess.run([*NOX, "-s", "grade", "--", "solutions"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    grade_python = STUDENT_PYTHON
    floor_modules = ("numpy", "pytest", "hypothesis")
    floor = timed([str(grade_python), "-c", "import " + ", ".join(floor_modules)], runs)
    grader = timed([str(grade_python), "-m", "checks.engine.grade", "solutions", "--report", os.devnull], runs)
    full = timed([*NOX, "-s", "grade", "--", "solutions", "--report", os.devnull], runs)
    unisolated = timed(
        [str(grade_python), "-m", "checks.engine.grade", "solutions", "--report", os.devnull],
        runs,
        env={**os.environ, "GRADER_ISOLATION": "none"},
    )
    print(row("floor: import numpy, pytest, hypothesis", floor))
    print(row("grader alone: python -m checks.engine.grade solutions", grader))
    print(row("  the same without isolation (GRADER_ISOLATION=none)", unisolated))
    incremental_rows(grade_python, floor, runs)
    print(row("nox -s grade -- solutions (warm)", full, goal=2.0))
    from checks.engine import course

    for module in course.modules():
        only = timed([*NOX, "-s", "grade", "--", "solutions", "--only", module, "--report", os.devnull], runs)
        print(row(f"nox -s grade -- solutions --only {module}", only, goal=1.0))

    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "r.json"
        subprocess.run(
            [str(grade_python), "-m", "checks.engine.grade", "solutions", "--report", str(report_path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        checks_seconds = json.loads(report_path.read_text())["execution_time"]
        if not arguments.skip_cold:
            cold = cold_first_command(Path(scratch))
            print(row("cold: fresh copy, python3 noxw.py -s grade (caches warm)", [cold], goal=8.0))
    median_grader, median_floor, median_full = (statistics.median(x) for x in (grader, floor, full))
    print("\nWhere a warm `nox -s grade` spends its time (medians):")
    print(f"  nox itself (start-up, environment check)          {median_full - median_grader:6.2f} s")
    print(f"  Python start-up and imports (the floor)           {median_floor:6.2f} s")
    print(f"  the rest of the grader (collection, checks)       {median_grader - median_floor:6.2f} s")
    print(f"    of which the grader's own clock (pytest run)    {checks_seconds:6.2f} s  (one run)")
    with_diagnosis, without = diagnosis_cost(runs)
    print("\nMisconception diagnosis on a submission with one known mistake per module (in-process):")
    print(
        f"  with diagnosis {with_diagnosis:.2f} s, without {without:.2f} s: +{100 * (with_diagnosis / without - 1):.0f} % (goal ≤ 10 %)"
    )
    if arguments.bulk:
        bulk_throughput(arguments.bulk, arguments.jobs)
    if arguments.bulk and arguments.shards:
        sharded_throughput(arguments.bulk, arguments.shards, arguments.jobs)
    if arguments.class_report:
        class_report_speed(arguments.class_report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
