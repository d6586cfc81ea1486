"""Grade a folder of submissions into a gradebook: ``python -m checks.engine.bulk SUBMISSIONS [--jobs N] [--out DIR] [--force]``.

Every entry of SUBMISSIONS is one student: a sub-folder or a ``.zip`` file
(the student's name is its name without ``.zip``). Only the five exercise
files are taken from a submission (the first match by name, anywhere inside,
preferring a folder named ``exercises`` and then the shallowest path);
everything else, a ``checks/`` folder included, is ignored, so every student
is graded by the instructor's own checks. A zip is never extracted: the five
files are read from it with size caps, so a zip bomb or a ``../`` path costs
nothing.

Grading runs in ``--jobs`` long-lived grader processes (``python -m
checks.engine.bulk --serve``), each grading many submissions with ``run_checks``, so
process start and imports are paid once per process, not once per student.
A grader process that dies or exceeds ``--timeout`` on one submission is
replaced and that student is recorded as an error; the run always finishes.

Writes ``OUT/reports/<student>.json`` (the Gradescope report, with the files
taken and their SHA-256 in ``extra_data``) and ``OUT/gradebook.csv``
(student, one score column per module, total, status ``ok``/``error``,
reason). A rerun skips students whose report exists, unless ``--force``.

Exit status: 0 when every student was graded (whatever their scores), 1
when some could not be, 2 on bad arguments (one ``error:`` line).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import queue
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from checks.engine import course, report
from checks.engine.report import KIT_ROOT

MAX_FILE_BYTES = 256 * 1024  # one exercise file; the reference modules are ~5 KB
MAX_ZIP_BYTES = 64 * 2**20  # the .zip file itself
MAX_ENTRIES = 20_000  # zip members or folder entries looked at
DEFAULT_TIMEOUT_SECONDS = 600.0  # one submission, in one grader process
EXIT_OK, EXIT_SOME_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bulk grading cannot start; the message becomes the ``error:`` line."""


# ----------------------------------------------------------------- taking files


def exercise_files() -> tuple[str, ...]:
    return tuple(f"{module}.py" for module in course.modules())


def _rank(parts: tuple[str, ...]) -> tuple:
    """Preference among candidates of one name: under ``exercises/``, then shallow, then by path."""
    return ("exercises" not in parts[:-1], len(parts), "/".join(parts))


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(part in ("__MACOSX", "__pycache__") or part.startswith(".") for part in parts[:-1])


@dataclass
class Taken:
    """What was taken from one submission."""

    files: dict[str, str] = field(default_factory=dict)  # name -> path inside the submission
    sha256: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def reason(self) -> str:
        missing = [name for name in exercise_files() if name not in self.files]
        notes = list(self.notes)
        if len(missing) == len(exercise_files()):
            notes.insert(0, "none of the exercise files found")
        elif missing:
            notes.insert(0, f"missing {', '.join(missing)}")
        return "; ".join(notes)


def take_from_folder(source: Path, destination: Path) -> Taken:
    """Copy the exercise files found in the folder ``source`` (regular files only, never a link) to ``destination``."""
    wanted = set(exercise_files())
    candidates: dict[str, tuple[tuple, Path]] = {}
    seen = 0
    for directory, subdirectories, files in os.walk(source, followlinks=False):
        relative = Path(directory).relative_to(source).parts
        subdirectories[:] = sorted(d for d in subdirectories if not _ignored((*relative, d, "x")))
        seen += len(files) + len(subdirectories)
        if seen > MAX_ENTRIES:
            break
        for name in files:
            if name in wanted:
                parts = (*relative, name)
                rank = _rank(parts)
                if name not in candidates or rank < candidates[name][0]:
                    candidates[name] = (rank, Path(directory) / name)
    taken = Taken()
    for name, (rank, path) in sorted(candidates.items()):
        where = rank[2]
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            taken.notes.append(f"{where} is not a regular file (ignored)")
            continue
        if info.st_size > MAX_FILE_BYTES:
            taken.notes.append(f"{where} is larger than {MAX_FILE_BYTES // 1024} KB (ignored)")
            continue
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        _store(taken, destination, name, where, data)
    return taken


def take_from_zip(source: Path, destination: Path) -> Taken:
    """Read the exercise files from the zip ``source`` into ``destination``; never extract anything else.

    Raises ``ValueError`` when the file is not a readable zip.
    """
    if source.stat().st_size > MAX_ZIP_BYTES:
        raise ValueError(f"the zip is larger than {MAX_ZIP_BYTES // 2**20} MB")
    wanted = set(exercise_files())
    taken = Taken()
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_ENTRIES:
                raise ValueError(f"the zip holds more than {MAX_ENTRIES} entries")
            candidates: dict[str, tuple[tuple, zipfile.ZipInfo]] = {}
            for member in members:
                if member.is_dir():
                    continue
                parts = tuple(p for p in PurePosixPath(member.filename.replace("\\", "/")).parts if p not in ("", "/"))
                if not parts or parts[-1] not in wanted or _ignored(parts):
                    continue
                rank = _rank(parts)
                if parts[-1] not in candidates or rank < candidates[parts[-1]][0]:
                    candidates[parts[-1]] = (rank, member)
            for name, (rank, member) in sorted(candidates.items()):
                where = rank[2]
                if member.file_size > MAX_FILE_BYTES:
                    taken.notes.append(f"{where} is larger than {MAX_FILE_BYTES // 1024} KB (ignored)")
                    continue
                try:
                    with archive.open(member) as stream:
                        data = stream.read(MAX_FILE_BYTES + 1)  # never trust the declared size
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as error:
                    taken.notes.append(f"{where} could not be read from the zip ({error})")
                    continue
                _store(taken, destination, name, where, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ValueError(f"not a readable zip file ({error})") from None
    return taken


def _store(taken: Taken, destination: Path, name: str, where: str, data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        taken.notes.append(f"{where} is larger than {MAX_FILE_BYTES // 1024} KB (ignored)")
        return
    (destination / name).write_bytes(data)
    taken.files[name] = where
    taken.sha256[name] = hashlib.sha256(data).hexdigest()


def take_submission(source: Path, destination: Path) -> Taken:
    """Put the exercise files of a submission (folder or ``.zip``) into the empty folder ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        return take_from_folder(source, destination)
    return take_from_zip(source, destination)


# ------------------------------------------------------------- the grader process


def _serve() -> int:
    """Grade requests from stdin (one JSON line each), answer on the original stdout.

    Request: ``{"folder": ..., "report": ..., "extra": {...}}``; answer:
    ``{"ok": true, "score": .., "max_score": .., "modules": {m: [score, max]}}``
    or ``{"ok": false, "reason": ...}``. pytest and anything else write to
    stderr: the protocol's stream carries answers only.
    """
    from checks import sandbox
    from checks.engine.grade import grading_environment, run_checks

    # Busy-polling for a worker's reply saves latency when a core is idle; in
    # bulk grading every core is busy, and polling steals the CPU the workers
    # need (measured: ~1 CPU-s less per correct submission without it).
    sandbox.SPIN_SECONDS = 0.0
    answers = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    with grading_environment():
        for line in sys.stdin:
            request = json.loads(line)
            started = time.perf_counter()
            try:
                results = run_checks(Path(request["folder"]), course.modules())
                document = report.gradescope(results, seconds=time.perf_counter() - started)
                document["extra_data"].update(request.get("extra", {}))
                report.write_json(Path(request["report"]), document)
                answer = {
                    "ok": True,
                    "score": document["score"],
                    "max_score": document["max_score"],
                    "modules": {m: list(t) for m, t in report.module_totals(results).items()},
                }
            except Exception as error:  # noqa: BLE001 - one submission never stops the process
                answer = {"ok": False, "reason": f"the grader failed: {type(error).__name__}: {error}"}
            answers.write(json.dumps(answer) + "\n")
    return 0


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, recursively (from Linux's /proc; none found elsewhere)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(child) for child in Path(f"/proc/{parent}/task/{task}/children").read_text().split()]
            except (OSError, ValueError):
                continue
            found.extend(children)
            todo.extend(children)
    return found


class GraderProcess:
    """A long-lived ``python -m checks.engine.bulk --serve``, restarted when it dies or hangs."""

    def __init__(self, log: Path):
        self.log = log
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(KIT_ROOT), PYTHONDONTWRITEBYTECODE="1")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "checks.engine.bulk", "--serve"],
                cwd=KIT_ROOT,  # the instructor's checks, never the submission's
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=env,
                start_new_session=True,
            )

    def grade(self, request: dict, timeout: float) -> dict:
        if self.process is None or self.process.poll() is not None:
            self._start()
        process = self.process
        answer: list = []
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except OSError:
            self.stop()
            return {"ok": False, "reason": "the grader process could not be reached"}
        reader = threading.Thread(target=lambda: answer.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            self.stop()
            return {"ok": False, "reason": f"grading took longer than {timeout:.0f} s"}
        if not answer or not answer[0]:
            self.stop()
            return {"ok": False, "reason": "the grader process died while grading this submission"}
        return json.loads(answer[0])

    def stop(self) -> None:
        """Kill the grader process and its sandbox workers (each in a session of its own)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGSTOP)  # it can start no new worker now
        except (ProcessLookupError, PermissionError):
            pass
        for pid in _descendants(self.process.pid):
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.process = None


# ------------------------------------------------------------------ the run


@dataclass
class Student:
    name: str
    source: Path


@dataclass
class Outcome:
    student: str
    status: str  # "ok" or "error"
    reason: str = ""
    modules: dict[str, list[int]] = field(default_factory=dict)
    score: int | None = None
    skipped: bool = False


def find_students(submissions: Path, out: Path) -> list[Student]:
    """One student per sub-folder or ``.zip`` of ``submissions`` (hidden entries and ``out`` excluded)."""
    students: dict[str, Student] = {}
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith(".") or entry.resolve() == out.resolve():
            continue
        if entry.is_dir() and not entry.is_symlink():
            name = entry.name
        elif entry.suffix.lower() == ".zip" and entry.is_file():
            name = entry.name[: -len(".zip")]
        else:
            continue
        if name in students:  # alice/ and alice.zip: keep both, apart
            name = entry.name
        students[name] = Student(name, entry)
    return list(students.values())


def report_path(out: Path, student: str) -> Path:
    return out / "reports" / f"{student}.json"


class Progress:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, one line per student otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = self.stream.isatty()
        self.lock = threading.Lock()

    def advance(self, outcome: Outcome) -> None:
        with self.lock:
            self.done += 1
            width = 30
            filled = width * self.done // max(self.total, 1)
            elapsed = time.perf_counter() - self.started
            what = "skipped" if outcome.skipped else outcome.status if outcome.status != "ok" else f"{outcome.score}"
            line = (
                f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {elapsed:5.1f} s  {outcome.student}: {what}"
            )
            if self.tty:
                self.stream.write("\r" + line[:120].ljust(120) + ("\n" if self.done == self.total else ""))
            else:
                self.stream.write(line + "\n")
            self.stream.flush()


def _outcome_from_report(student: str, document: dict) -> Outcome:
    modules: dict[str, list[int]] = {}
    for test in document.get("tests", []):
        module = test["tags"][0]
        score, maximum = modules.get(module, [0, 0])
        modules[module] = [score + test["score"], maximum + test["max_score"]]
    reason = document.get("extra_data", {}).get("submission_notes", "")
    return Outcome(student, "ok", reason, modules, document.get("score"))


def grade_student(student: Student, out: Path, grader: GraderProcess, timeout: float) -> Outcome:
    scratch = Path(tempfile.mkdtemp(prefix=f"{course.slug()}-bulk-"))
    try:
        folder = scratch / "submission"
        try:
            taken = take_submission(student.source, folder)
        except (ValueError, OSError) as error:
            return Outcome(student.name, "error", str(error))
        extra = {
            "student": student.name,
            "submission": student.source.name,
            "files": taken.files,
            "files_sha256": taken.sha256,
            "submission_notes": taken.reason(),
        }
        answer = grader.grade({"folder": str(folder), "report": str(report_path(out, student.name)), "extra": extra}, timeout)
        if not answer.get("ok"):
            return Outcome(student.name, "error", answer.get("reason", "unknown failure"))
        return Outcome(student.name, "ok", taken.reason(), answer["modules"], answer["score"])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would start a formula (file names come from students)."""
    text = " ".join(str(text).split())
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def write_gradebook(path: Path, outcomes: list[Outcome]) -> None:
    modules = course.modules()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *modules, "total", "status", "reason"])
    for outcome in sorted(outcomes, key=lambda o: o.student):
        scores = [outcome.modules.get(module, [""])[0] for module in modules]
        total = outcome.score if outcome.status == "ok" else ""
        writer.writerow([_cell(outcome.student), *scores, total, outcome.status, _cell(outcome.reason)])
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(temporary, path)


def grade_all(
    submissions: Path,
    out: Path,
    *,
    jobs: int = 2,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    progress_stream=None,
) -> list[Outcome]:
    """Grade every student of ``submissions`` into ``out``; return one outcome per student."""
    (out / "reports").mkdir(parents=True, exist_ok=True)
    students = find_students(submissions, out)
    progress = Progress(len(students), progress_stream)
    outcomes: list[Outcome] = []
    pending: queue.Queue[Student] = queue.Queue()
    for student in students:
        existing = report_path(out, student.name)
        if existing.is_file() and not force:
            try:
                outcome = _outcome_from_report(student.name, json.loads(existing.read_text(encoding="utf-8")))
                outcome.skipped = True
                outcomes.append(outcome)
                progress.advance(outcome)
                continue
            except (ValueError, KeyError, IndexError, TypeError):
                pass  # an unreadable report: grade again
        existing.unlink(missing_ok=True)
        pending.put(student)
    lock = threading.Lock()

    def work() -> None:
        grader = GraderProcess(out / "grader.log")
        try:
            while True:
                try:
                    student = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcome = grade_student(student, out, grader, timeout)
                except Exception as error:  # noqa: BLE001 - one student never stops the run
                    outcome = Outcome(student.name, "error", f"{type(error).__name__}: {error}")
                with lock:
                    outcomes.append(outcome)
                progress.advance(outcome)
        finally:
            grader.stop()

    threads = [threading.Thread(target=work) for _ in range(max(1, min(jobs, pending.qsize())))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    write_gradebook(out / "gradebook.csv", outcomes)
    return outcomes


def default_jobs() -> int:
    # Grading waits on worker processes (and a hanging submission waits out its
    # time-out), so one grader more than cores keeps the cores busy.
    return (os.cpu_count() or 1) + 1


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise UsageError(message)

    parser = Parser(prog="nox -s grade-all --", description="Grade a folder of submissions into a gradebook.")
    parser.add_argument("submissions", help="folder holding one sub-folder or .zip per student")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="grader processes (default: cores + 1)")
    parser.add_argument("--out", default="build/grades", help="output folder (default: build/grades)")
    parser.add_argument("--force", action="store_true", help="grade again students who already have a report")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds per submission")
    arguments = parser.parse_args(argv)
    if not Path(arguments.submissions).is_dir():
        raise UsageError(f"no such folder: {arguments.submissions}")
    if arguments.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if arguments.timeout <= 0:
        raise UsageError("--timeout must be positive")
    out = Path(arguments.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    return arguments


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--serve"]:
        return _serve()
    try:
        arguments = parse_arguments(argv)
        out = Path(arguments.out)
        out.mkdir(parents=True, exist_ok=True)
    except (UsageError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    outcomes = grade_all(Path(arguments.submissions), out, jobs=arguments.jobs, force=arguments.force, timeout=arguments.timeout)
    seconds = time.perf_counter() - started
    errors = [o for o in outcomes if o.status != "ok"]
    skipped = sum(o.skipped for o in outcomes)
    print(
        f"Graded {len(outcomes) - skipped} of {len(outcomes)} students in {seconds:.1f} s"
        f" ({skipped} already graded, {len(errors)} could not be graded)."
    )
    for outcome in errors:
        print(f"  {outcome.student}: {outcome.reason}")
    print(f"Gradebook: {out / 'gradebook.csv'}; reports: {out / 'reports'}/")
    return EXIT_SOME_ERRORS if errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
