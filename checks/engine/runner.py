"""Run the checks of some modules against a submission folder, in this process: ``run_checks``.

pytest runs the check files in-process with the kit's plugin (``plugin.py``)
and a collector that turns each verdict into a ``CheckResult``. Everything
that grades calls this: the command line (``grade.py``), the watcher, the
class grader, the kit's own tests.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from checks.engine import course, diagnosis, plugin, report, sandbox
from checks.engine.feedback import CheckFailed, describe_call, loose_argument_note
from checks.engine.report import CHECKS_DIR, CheckResult
from checks.engine.sandbox import StudentError, SubmissionUnavailable


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
            module = course.module_of_check_file(item.path)
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
    started: sandbox.Submission | None = None,
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
        How long the sandbox started here polls for a worker's reply before
        sleeping (0 where every core is busy, as in bulk grading); the
        sandbox's default when None. A ``started`` sandbox keeps its own.
    plugins : sequence
        More pytest plugins for this run (``parallel.ModuleClaims``).
    started : sandbox.Submission, optional
        The sandbox of ``folder``, started by the caller before importing
        this module (its interpreter imports NumPy meanwhile); the caller
        closes it. None: start one here and close it on return.
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
    with contextlib.ExitStack() as owned:
        if started is None:
            started = owned.enter_context(contextlib.closing(sandbox.Submission(folder, spin_seconds=spin_seconds)))
            started.warm_up()  # before pytest: its interpreter imports NumPy while pytest starts and collects the checks
        status = pytest.main(arguments, plugins=[collector, plugin.Submission(started), *plugins])
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
