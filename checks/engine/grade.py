"""The grader's entry point: ``python -m checks.engine.grade [PATH] [--only MODULE] [--report FILE] [--junit FILE]
[--seed N] [--explicit-only]``.

Runs the checks (pytest + Hypothesis, in this process; with two cores or more,
two or more modules are shared with a fork of it, see ``parallel.py``) against
the submission folder PATH (default ``exercises/``), whose code runs only in
sandboxed worker processes. Prints a table and the total, writes the
Gradescope report.

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
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from checks.engine import cache, course, diagnosis, environment, parallel, plugin, report
from checks.engine.feedback import CheckFailed, describe_call, loose_argument_note
from checks.engine.files import UsageError
from checks.engine.report import CHECKS_DIR, CheckResult
from checks.engine.sandbox import StudentError, SubmissionUnavailable, isolation_level
from checks.engine.sandbox.transport import SPIN_SECONDS

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


class _Collector:
    """A pytest plugin that records each verdict."""

    def __init__(self):
        self.results: list[CheckResult] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item, call):
        # Replaces pytest's own report: its source-annotated traceback costs
        # ~75 ms a failure and the student never sees it.
        passed = call.excinfo is None
        feedback = "passed" if passed else report.safe_text(_feedback(call.excinfo.value), report.MAX_OUTPUT_CHARS)
        if call.when == "call" or (call.when == "setup" and not passed):
            module = _module_of(item)
            self.results.append(
                CheckResult(
                    module=module,
                    check=item.originalname.removeprefix("test_"),
                    passed=passed,
                    feedback=feedback,
                    points=course.pack(module).points_per_check,
                    misconception=None if passed else diagnosis.named_in_check(),
                )
            )
        return pytest.TestReport(
            item.nodeid,
            item.location,
            keywords={},
            outcome="passed" if passed else "failed",
            longrepr=None if passed else feedback,
            when=call.when,
            duration=call.duration,
            start=call.start,
            stop=call.stop,
        )


def _module_of(item) -> str:
    return course.module_of_check_file(item.path)


def _feedback(error: BaseException) -> str:
    """The student-facing text for why a check failed."""
    if isinstance(error, (CheckFailed, SubmissionUnavailable)):
        return str(error)
    if isinstance(error, StudentError):
        where = f" (at {error.location})" if error.location else ""
        raised = f"{describe_call(error.function, *error.args_given)} raised {error.type_name}: {error.message}{where}.\n"
        note = loose_argument_note(error.function, error.args_given, error.message)
        if note:
            return raised + "This input is valid and must be accepted: " + note
        return raised + "Valid input must not raise: check the shapes and operations on that line."
    if type(error).__name__ in {"Flaky", "FlakyFailure", "FlakyReplay"}:
        return "the same input gave different results on two runs: does your code use randomness or keep state between calls?"
    return f"the check could not finish: {type(error).__name__}: {error}"


def run_checks(
    folder: Path,
    selected: tuple[str, ...],
    *,
    seed: int | None = None,
    explicit_only: bool = False,
    spin_seconds: float | None = None,
    plugins: Sequence[object] = (),
) -> list[CheckResult]:
    """Run the checks of ``selected`` modules against ``folder``; return the verdicts in order.

    Parameters
    ----------
    folder : Path
        The submission folder.
    selected : tuple of str
        The modules to grade.
    seed : int, optional
        Draw every check's generated examples from this seed (a grade of
        record); None draws them from seeds fixed by each check's name (a
        student's own run: the same examples every time).
    explicit_only : bool
        Run the checks' explicit examples alone, nothing generated.
    spin_seconds : float, optional
        How long to poll for a worker's reply before sleeping (0 where every
        core is busy, as in bulk grading); the sandbox's default when None.
    plugins : sequence
        More pytest plugins for this run (``parallel.ModuleClaims``).
    """
    collector = _Collector()
    arguments = [
        # Only the selected modules' check files: what a check draws depends on nothing else
        # (plugin.py: its seed comes from its name, and Hypothesis' pool of constants from
        # imported modules is off).
        *(str(course.pack(module).check_file) for module in selected),
        *([] if seed is None else [f"--grading-seed={seed}"]),
        *(["--explicit-only"] if explicit_only else []),
        f"--rootdir={CHECKS_DIR}",
        f"--confcutdir={CHECKS_DIR}",
        "--override-ini=addopts=",
        "--override-ini=python_files=test_*.py",
        "-p", "no:cacheprovider",
        "-p", "no:terminal",
        "-p", "no:warnings",
        "-p", "no:doctest",
        "-p", "no:unraisableexception",
        "-p", "no:threadexception",
        "--capture=fd",
        "--assert=plain",  # checks raise CheckFailed with their own text; rewriting costs ~2 s
    ]  # fmt: skip
    # Started before pytest: its interpreter imports NumPy while pytest starts and collects the checks.
    submission = plugin.Submission(folder, SPIN_SECONDS if spin_seconds is None else spin_seconds)
    try:
        submission.sandbox.warm_up()
        status = pytest.main(arguments, plugins=[collector, submission, *plugins])
    finally:
        submission.close()
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the checks themselves could not run (pytest exit status {int(status)})")
    return collector.results


@contextlib.contextmanager
def grading_environment():
    """Set up this process for ``run_checks``: call it once around any number of runs.

    Hypothesis gets a fresh storage folder outside the submission (nothing
    carries over between runs), and pytest loads only the kit's own plugins
    (others installed beside it must not change grading).
    """
    saved = {key: os.environ.get(key) for key in ("HYPOTHESIS_STORAGE_DIRECTORY", "PYTEST_DISABLE_PLUGIN_AUTOLOAD")}
    with tempfile.TemporaryDirectory(prefix=f"{course.slug()}-hypothesis-") as storage:
        os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = storage
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


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
        with grading_environment():
            try:
                isolation_level()  # probed once, before a fork that inherits the answer
                if parallel.worth_splitting(to_grade):
                    fresh = parallel.run_split(run_checks, folder, to_grade, seed=seed, explicit_only=explicit_only)
                else:
                    fresh = run_checks(folder, to_grade, seed=seed, explicit_only=explicit_only)
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
