"""``python -m checks.engine.bulk SUBMISSIONS [--out DIR] [--jobs N] [--timeout S] [--force] [--shard K/N] [--seed N] [--roster CSV] [--canvas-columns total|modules]``.

Grades every student of SUBMISSIONS (one sub-folder or ``.zip`` each, see
``intake``) in a pool of grader processes (see ``pool``) and writes, into
DIR, one report per student (``reports/<student>.json``: the Gradescope
report, with the files taken and their SHA-256 in ``extra_data``; a student
who could not be graded gets one too, saying why) and, built from those
reports, ``gradebook.csv``, ``canvas.csv`` and ``report.html``.

A rerun reuses a student's report only if it names the same files (SHA-256)
and the same checks (``checks_sha256``); everything else is graded again,
and so is everything with ``--force``. ``--shard K/N`` grades only the K-th
of N disjoint parts of the class (see ``shards``).

Only this process writes into DIR, and only after every grader process that
touched a student is dead. Exit status: 0 when every student was graded
(whatever their scores), 1 when some could not be, 2 on bad arguments (one
``error:`` line).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from checks.engine import course, report, sandbox
from checks.engine.bulk import outputs, pool, shards, similarity
from checks.engine.bulk.gradebook import CANVAS_LAYOUTS, STATUS_ERROR, StudentResult, load_roster, result_from_report
from checks.engine.bulk.grader import make_undumpable
from checks.engine.bulk.intake import Student, Taken, find_students, report_stem, take_submission
from checks.engine.files import UsageError

DEFAULT_TIMEOUT_SECONDS = 120.0  # one submission; a hang costs its checks a few seconds each, not minutes
EXIT_OK, EXIT_SOME_ERRORS, EXIT_USAGE = 0, 1, 2


def report_path(out: Path, student: str) -> Path:
    return out / "reports" / f"{report_stem(student)}.json"


class Progress:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, one line per student otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = self.stream.isatty()
        self.lock = threading.Lock()

    def advance(self, result: StudentResult) -> None:
        with self.lock:
            self.done += 1
            width = 30
            filled = width * self.done // max(self.total, 1)
            elapsed = time.perf_counter() - self.started
            what = "skipped" if result.skipped else result.status if result.status != "ok" else f"{result.score}"
            line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {elapsed:5.1f} s  {result.student}: {what}"
            if self.tty:
                self.stream.write("\r" + line[:120].ljust(120) + ("\n" if self.done == self.total else ""))
            else:
                self.stream.write(line + "\n")
            self.stream.flush()


def _submission_extra(student: Student, taken: Taken | None) -> dict:
    extra = {"student": student.name, "submission": student.folder_name}
    if taken is not None:
        extra |= {"files": taken.files, "files_sha256": taken.sha256, "submission_notes": taken.reason()}
    return extra


def error_report(student: Student, taken: Taken | None, reason: str) -> dict:
    """The report of a student who could not be graded: no checks, the reason in ``extra_data``."""
    return {
        "score": 0,
        "max_score": 0,
        "execution_time": 0.0,
        "output": f"This submission could not be graded: {reason}",
        "visibility": "visible",
        "tests": [],
        "extra_data": {
            "kit_version": report.kit_version(),
            "checks_sha256": report.checks_fingerprint(),
            **_submission_extra(student, taken),
            "grading_status": STATUS_ERROR,
            "grading_error": reason,
        },
    }


def trusted_report(path: Path, student: Student, taken: Taken, checks_sha256: str) -> dict | None:
    """The existing report at ``path`` if it graded these very files with these very checks; None otherwise."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        extra = document["extra_data"]
        pool._check_document(document)
    except (OSError, ValueError, KeyError, TypeError, pool.GraderFailed):
        return None
    same = (
        extra.get("grading_status") != STATUS_ERROR
        and extra.get("student") == student.name
        and extra.get("checks_sha256") == checks_sha256
        and extra.get("files_sha256") == taken.sha256
        and extra.get("files") == taken.files
        and extra.get("submission_notes") == taken.reason()
    )
    return document if same else None


def grade_student(
    student: Student,
    out: Path,
    grader: pool.GraderProcess,
    scratch_root: Path,
    *,
    timeout: float,
    force: bool,
    checks_sha256: str,
    seed: int,
) -> tuple[dict, bool]:
    """Grade one student; return the report and whether it was an existing one reused.

    The student's files are copied into a private (0700) scratch folder of
    their own, removed only once no grader process can be using it.
    """
    scratch = Path(tempfile.mkdtemp(dir=scratch_root))
    try:
        folder = scratch / "submission"
        try:
            taken = take_submission(student.source, folder)
        except (ValueError, OSError) as error:
            return error_report(student, None, str(error)), False
        if not force and (existing := trusted_report(report_path(out, student.name), student, taken, checks_sha256)):
            return existing, True
        tokens = similarity.submission_tokens(folder)  # before grading: the submission's code may rewrite its files
        try:
            document = grader.grade(folder, timeout, seed)
        except pool.GraderFailed as failure:
            return error_report(student, taken, str(failure)), False
        document["extra_data"].update(_submission_extra(student, taken))
        if tokens is not None:
            document["extra_data"][similarity.REPORT_KEY] = tokens
        return document, False
    finally:
        pool.sweep_orphans()
        shutil.rmtree(scratch, ignore_errors=True)


def grade_all(
    submissions: Path,
    out: Path,
    *,
    jobs: int = 2,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    shard: tuple[int, int] | None = None,
    roster: dict | None = None,
    layout: str = "total",
    progress_stream=None,
    seed: int | None = None,
) -> list[StudentResult]:
    """Grade every student of ``submissions`` (or of one shard) into ``out``; return one result per student.

    Every student's generated examples are drawn from ``seed`` (a fresh secret one when None), which each
    report records in ``extra_data.seed``: ``--seed`` with it regrades exactly.
    """
    seed = secrets.randbits(64) if seed is None else seed
    (out / "reports").mkdir(parents=True, exist_ok=True)
    students = find_students(submissions, out)
    if shard is not None:
        students = [student for student in students if shards.in_shard(student.name, *shard)]
        shards.write_manifest(out, *shard, len(students))
    checks_sha256 = report.checks_fingerprint()
    progress = Progress(len(students), progress_stream)
    pending: queue.Queue[Student] = queue.Queue()
    for student in students:
        pending.put(student)
    documents: dict[str, dict] = {}
    results: list[StudentResult] = []
    lock = threading.Lock()
    stopping = threading.Event()
    scratch_root = Path(tempfile.mkdtemp(prefix=f"{course.slug()}-bulk-"))
    scratch_root.chmod(0o711)  # each student's copy below is 0700; a worker's uid may pass through to its own
    graders = [pool.GraderProcess(out / "grader.log", scratch=scratch_root) for _ in range(max(1, min(jobs, len(students))))]

    def record(student: Student, document: dict, reused: bool) -> None:
        if not reused:
            report.write_json(report_path(out, student.name), document)
        result = result_from_report(document)
        result.skipped = reused
        with lock:
            documents[student.name] = document
            results.append(result)
        progress.advance(result)

    def work(grader: pool.GraderProcess) -> None:
        while not stopping.is_set():
            try:
                student = pending.get_nowait()
            except queue.Empty:
                return
            try:
                document, reused = grade_student(
                    student, out, grader, scratch_root, timeout=timeout, force=force, checks_sha256=checks_sha256, seed=seed
                )
                record(student, document, reused)
            except Exception as error:  # noqa: BLE001 - one student never stops the run, and always gets a row
                grader.stop()
                record(student, error_report(student, None, f"the grader failed: {type(error).__name__}: {error}"), False)
            if not pending.empty():
                grader.start()  # a replacement imports while the next submission is taken

    threads = [threading.Thread(target=work, args=(grader,)) for grader in graders]
    try:
        for grader in graders:
            if not pending.empty():
                grader.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stopping.set()
        for grader in graders:
            grader.stop()
        for thread in threads:
            if thread.is_alive():
                thread.join()
        pool.sweep_orphans()
        shutil.rmtree(scratch_root, ignore_errors=True)
    for student in students:  # a thread that died still leaves its students a row each
        if student.name not in documents:
            record(student, error_report(student, None, "the grader stopped before grading this submission"), False)
    outputs.write_all(out, [documents[name] for name in sorted(documents)], roster or {}, layout)
    return sorted(results, key=lambda result: result.student)


def default_jobs() -> int:
    # Grading waits on worker processes (and a hanging submission waits out its
    # time-outs), so one grader more than cores keeps the cores busy.
    return (os.cpu_count() or 1) + 1


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise UsageError(message)

    parser = Parser(prog="nox -s grade-all --", description="Grade a folder of submissions into a gradebook and a class report.")
    parser.add_argument("submissions", help="folder holding one sub-folder or .zip per student")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="grader processes (default: cores + 1)")
    parser.add_argument("--out", default="build/grades", help="output folder (default: build/grades)")
    parser.add_argument("--force", action="store_true", help="grade again students who already have a report")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds per submission (default: %(default)g)"
    )
    parser.add_argument("--shard", metavar="K/N", help="grade only the K-th of N disjoint parts of the class")
    parser.add_argument(
        "--seed", type=int, help="draw the generated examples from this seed (default: a fresh secret one, in every report)"
    )
    parser.add_argument(
        "--roster", metavar="CSV", help="CSV mapping submission folders to names and IDs (columns: folder, name, id, ...)"
    )
    parser.add_argument(
        "--canvas-columns", choices=CANVAS_LAYOUTS, default="total", help="canvas.csv: one column in all, or one per module"
    )
    arguments = parser.parse_args(argv)
    if not Path(arguments.submissions).is_dir():
        raise UsageError(f"no such folder: {arguments.submissions}")
    if arguments.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if arguments.timeout <= 0:
        raise UsageError("--timeout must be positive")
    arguments.shard = shards.parse_shard(arguments.shard) if arguments.shard else None
    out = Path(arguments.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    return arguments


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        arguments = parse_arguments(argv)
        roster = load_roster(Path(arguments.roster) if arguments.roster else None)
        out = Path(arguments.out)
        out.mkdir(parents=True, exist_ok=True)
    except (UsageError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    warning = sandbox.warning()
    if warning:
        print(warning, file=sys.stderr)
    pool.become_subreaper()
    make_undumpable()  # no worker can reach this process's pipes or memory through /proc
    started = time.perf_counter()
    results = grade_all(
        Path(arguments.submissions),
        out,
        jobs=arguments.jobs,
        force=arguments.force,
        timeout=arguments.timeout,
        shard=arguments.shard,
        roster=roster,
        layout=arguments.canvas_columns,
        seed=arguments.seed,
    )
    seconds = time.perf_counter() - started
    errors = [result for result in results if result.status != "ok"]
    skipped = sum(result.skipped for result in results)
    print(
        f"Graded {len(results) - skipped} of {len(results)} students in {seconds:.1f} s"
        f" ({skipped} already graded, {len(errors)} could not be graded)."
    )
    for result in errors:
        print(f"  {result.student}: {result.reason}")
    print(
        f"Gradebook: {out / 'gradebook.csv'} (Canvas: {out / 'canvas.csv'}); class report: {out / 'report.html'}; reports: {out / 'reports'}/"
    )
    return EXIT_SOME_ERRORS if errors else EXIT_OK
