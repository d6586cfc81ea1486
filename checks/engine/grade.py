"""The grader's entry point: ``python -m checks.engine.grade [PATH] [--only MODULE] [--report FILE] [--junit FILE]
[--seed N] [--explicit-only]``.

Runs the checks (pytest + Hypothesis, in this process through ``runner.py``;
with two cores or more, two or more modules are shared with a fork of it, see
``parallel.py``) against the submission folder PATH (default ``exercises/``),
whose code runs only in sandboxed worker processes. Prints a table and the
total, writes the Gradescope report. Modules served from the cache
(``cache.py``) need neither pytest nor Hypothesis, so this module imports them
only to grade.

A student's own run draws the same examples every time. A
grade of record (run as root or under CI) draws them from a fresh secret
seed, recorded in the report as ``extra_data.seed``; ``--seed N`` regrades
with seed N and gives the same report.

Exit status: 0 on full marks, 1 when some check failed, 2 when grading could
not run (bad arguments, no such folder, unwritable report), with a single line
starting ``error:`` and no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import secrets
import sys
import time
from pathlib import Path

# Nothing here imports pytest or Hypothesis: the sandbox starts before they are imported (_grade).
from checks.engine import cache, course, environment, report, sandbox
from checks.engine.files import UsageError
from checks.engine.sandbox import transport

EXIT_PASSED, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog="nox -s grade --", description=f"Grade a {course.name()} submission.")
    parser.add_argument(
        "path", nargs="?", default=course.exercises_folder_name(), help="submission folder (default: %(default)s)"
    )
    parser.add_argument("--only", metavar="MODULE", help=f"grade one module: {', '.join(course.modules())}")
    parser.add_argument("--report", metavar="FILE", default="results.json", help="report path (default: results.json)")
    parser.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    parser.add_argument("--no-cache", action="store_true", help="grade every module, even unchanged ones")
    parser.add_argument(
        "--seed", type=_seed, metavar="N", help="draw the generated examples from seed N (a grade of record's extra_data.seed)"
    )
    parser.add_argument("--explicit-only", action="store_true", help="run the checks' explicit examples alone (no generation)")
    arguments = parser.parse_args(argv)
    folder = Path(arguments.path)
    if not folder.exists():
        raise UsageError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise UsageError(f"{folder} is a file; give the folder that holds the exercise modules")
    if arguments.only is not None and arguments.only not in course.modules():
        raise UsageError(f"unknown module {arguments.only!r}; choose one of {', '.join(course.modules())}")
    for option, value in (("--report", arguments.report), ("--junit", arguments.junit)):
        if value is None:
            continue
        report_path = Path(value)
        if report_path.is_dir():
            raise UsageError(f"{option} {report_path} is a folder; give a file name")
        parent = report_path.parent if str(report_path.parent) else Path(".")
        if (
            not parent.is_dir()
            or not os.access(parent, os.W_OK)
            or (report_path.exists() and not os.access(report_path, os.W_OK))
        ):
            raise UsageError(f"cannot write the report to {report_path}")
    return arguments


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 2**64 - 1")
    return value


def is_grade_of_record() -> bool:
    """True when this run's grade counts: the grader runs as root (Gradescope, containers) or under CI."""
    return (hasattr(os, "geteuid") and os.geteuid() == 0) or bool(os.environ.get("CI"))


def grading_seed(requested: int | None) -> int | None:
    """The seed of this run: ``requested``, else a fresh secret one for a grade of record, else None (a student's own run: fixed examples)."""
    if requested is not None:
        return requested
    return secrets.randbits(64) if is_grade_of_record() else None


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    folder = Path(arguments.path).resolve()
    selected = (arguments.only,) if arguments.only else course.modules()
    explicit_only = arguments.explicit_only
    # The cache serves a student's own runs, whose examples are fixed (cache.enabled() says when): such a run draws no seed.
    use_cache = cache.enabled() and not arguments.no_cache and arguments.seed is None and not explicit_only
    seed = None if use_cache else grading_seed(arguments.seed)
    started = time.perf_counter()
    drift = environment.drift_warning()
    if drift:
        print(drift, flush=True)
    print(f"{course.name()}: grading {arguments.path} ({', '.join(selected)})", flush=True)
    cached = {module: cache.load(folder, module) for module in selected} if use_cache else {}
    cached = {module: results for module, results in cached.items() if results is not None}
    to_grade = tuple(module for module in selected if module not in cached)
    fresh: list = []
    if to_grade:
        try:
            fresh = _grade(folder, to_grade, seed=seed, explicit_only=explicit_only)
        except (RuntimeError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_ERROR
        if use_cache:
            for module in to_grade:
                cache.store(folder, module, fresh)
    results = [result for module in selected for result in (cached.get(module) or [r for r in fresh if r.module == module])]
    seconds = time.perf_counter() - started
    report.write_json(Path(arguments.report), report.gradescope(results, seconds=seconds, seed=seed))
    if arguments.junit:
        from checks.engine.junit import write_junit

        write_junit(Path(arguments.junit), results, seconds=seconds)
    try:
        print(report.table(results, cached=set(cached)))
        print(report.progress(results, graded_all=arguments.only is None))
        print(f"Report written to {arguments.report} ({seconds:.1f} s).")
    except BrokenPipeError:  # e.g. piped into head: the report is already written
        sys.stderr.close()
    return EXIT_PASSED if all(result.passed for result in results) else EXIT_FAILED


def worth_splitting(modules: tuple[str, ...]) -> bool:
    """Whether grading ``modules`` in two processes (``parallel.run_split``) can help: two modules or more, two cores or more, and a Linux ``fork``."""
    return len(modules) > 1 and transport.usable_cores() > 1 and sys.platform.startswith("linux")


def _grade(folder: Path, modules: tuple[str, ...], **options) -> list:
    """Grade ``modules`` of ``folder``: in two processes where ``worth_splitting``, else in this one.

    This process's sandbox starts first, so that its interpreter imports
    NumPy while this one imports pytest and Hypothesis (``runner``). Two
    processes share every core with their workers: neither polls for
    replies (spin 0); one process polls where a core is spare.
    """
    sandbox.isolation_level()  # probed once, before a fork that inherits the answer
    split = worth_splitting(modules)
    with contextlib.closing(sandbox.Submission(folder, spin_seconds=0.0 if split else None)) as started:
        started.warm_up()
        from checks.engine import parallel, runner

        with runner.grading_environment():
            if split:
                return parallel.run_split(runner.run_checks, folder, modules, started_here=started, **options)
            return runner.run_checks(folder, modules, started=started, **options)


def run_as_command() -> int:
    """``main()`` for a process that ends when it returns (``python -m checks.engine.grade``).

    What the imports made (NumPy, pytest, Hypothesis: most of the objects)
    lives until the process ends, so the garbage collector is told to skip it
    (``gc.freeze``) while grading, and to skip everything at the exit, where
    walking every object once more takes about 0.05 s.
    """
    gc.freeze()
    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(run_as_command())
