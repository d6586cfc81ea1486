"""The mistake bank and the alternative correct implementations, as submissions.

``tests/mistakes/<module>.py`` and ``tests/alternatives/<module>.py`` hold
small implementations, each function decorated with the entry it belongs to::

    @mistake("l2_penalty.forgot_1_over_n")
    def l2_penalty(w, lam, n_samples):
        ...

The files are read as text, never imported. An entry becomes a submission
folder by copying ``solutions/`` and appending the entry's functions (with the
file's imports and undecorated helper functions) to its module: the later definition replaces the reference
one, and may use the reference module's imports and helpers.

An entry whose key names a known misconception (``checks/misconceptions.py``)
must be diagnosed as that misconception; other keys (``<module>.<what>``) name
mistakes the checks catch without a diagnosis, such as missing validation.
``tests/alternatives/loops/`` is a complete submission written differently
from the reference (plain Python loops and lists, its own validation).

An entry changes one module, and modules are graded independently (each
module's checks call only that module), so the bank is graded module by
module: ``BankGrader`` keeps long-lived grader processes (``python -m
tests.bank --serve``, the grader's own ``run_checks`` called once per job),
gives each the next job as soon as it is free, and pays the imports once per
process instead of once per submission.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from checks.engine import course
from checks.engine.report import CheckResult

ROOT = course.KIT_ROOT
SOLUTIONS = ROOT / "solutions"
MODULES = course.modules()


@dataclass(frozen=True)
class Entry:
    """One mistake or alternative: the module it changes and the code appended to it."""

    key: str
    module: str
    code: str

    @property
    def id(self) -> str:
        return self.key


def read_entries(folder: Path, decorator: str) -> list[Entry]:
    """All entries of ``folder/<module>.py`` files, grouped by key, in file order."""
    entries: dict[str, Entry] = {}
    for module in MODULES:
        path = folder / f"{module}.py"
        if not path.is_file():
            continue
        source = path.read_text()
        lines = source.splitlines()
        helpers, decorated = [], []
        for node in ast.parse(source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not ast.unparse(node).startswith("from tests"):
                helpers.append(ast.unparse(node))  # the file's own imports travel with its entries
            if not isinstance(node, ast.FunctionDef):
                continue
            keys = [
                d.args[0].value for d in node.decorator_list if isinstance(d, ast.Call) and getattr(d.func, "id", "") == decorator
            ]
            code = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            (decorated.append((keys[0], code)) if keys else helpers.append(code))
        # Undecorated functions are helpers shared by the file's entries.
        for key, code in decorated:
            previous = entries.get(key)
            combined = f"{previous.code}\n\n\n{code}" if previous else "\n\n\n".join([*helpers, code])
            entries[key] = Entry(key, module, combined)
    return list(entries.values())


def build_submission(entry: Entry | None, destination: Path) -> Path:
    """Write the reference solutions, with ``entry``'s functions appended, to ``destination``."""
    shutil.copytree(SOLUTIONS, destination, ignore=shutil.ignore_patterns("__pycache__"))
    if entry is not None:
        path = destination / f"{entry.module}.py"
        path.write_text(path.read_text() + "\n\n# --- replaced for this test ---\n" + entry.code + "\n")
    return destination


def mistake(key: str):
    """Marks a function as (part of) a mistake-bank entry; the bank reads the key from the source."""
    return lambda function: function


alternative = mistake


@dataclass(frozen=True)
class Job:
    """One grading job: the checks of ``modules`` run against the submission ``folder``."""

    key: str
    folder: Path
    modules: tuple[str, ...]


class _GraderProcess:
    """One ``python -m tests.bank --serve`` process: one JSON job a line in, one JSON answer a line out."""

    def __init__(self, python: str, arguments: list[str], env: dict[str, str] | None):
        self.errors = tempfile.TemporaryFile(mode="w+", prefix="ridge-lab-grader-")
        self.process = subprocess.Popen(
            [python, "-m", "tests.bank", "--serve", *arguments],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            env=None if env is None else {**os.environ, **env},
        )

    def grade(self, job: Job) -> list[CheckResult]:
        self.process.stdin.write(json.dumps([str(job.folder), list(job.modules)]) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            self.process.wait()
            self.errors.seek(0)
            raise RuntimeError(
                f"the grader process stopped on {job.key} ({self.process.returncode}):\n{self.errors.read()[-4000:]}"
            )
        return [CheckResult(**fields) for fields in json.loads(answer)]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()
        self.errors.close()


class BankGrader:
    """Grade many jobs through ``processes`` long-lived grader processes, each taking the next job when free.

    Parameters
    ----------
    processes : int
        How many grader processes run side by side (one per core).
    python : str
        The interpreter that grades (another environment's, for ``nox -s compat``).
    arguments, env : list of str, dict
        Extra command-line arguments and environment variables of every grader process
        (for instance the explicit-only switch).
    """

    def __init__(self, processes: int = 2, python: str = sys.executable, arguments: Iterable[str] = (), env: dict | None = None):
        self.processes, self.python, self.arguments, self.env = processes, python, list(arguments), env

    def grade(self, jobs: Iterable[Job]) -> dict[str, list[CheckResult]]:
        """``{job key: verdicts}`` for every job; a grader process that fails raises ``RuntimeError``."""
        pending: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            pending.put(job)
        found: dict[str, list[CheckResult]] = {}
        failures: list[BaseException] = []

        def work() -> None:
            grader = _GraderProcess(self.python, self.arguments, self.env)
            try:
                while not failures:
                    try:
                        job = pending.get_nowait()
                    except queue.Empty:
                        return
                    found[job.key] = grader.grade(job)
            except BaseException as error:  # reported by the caller's thread
                failures.append(error)
            finally:
                grader.close()

        threads = [threading.Thread(target=work) for _ in range(self.processes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        return found


def serve(explicit_only: bool) -> int:
    """Answer jobs from stdin (``[folder, [module, ...]]`` a line) with verdicts on stdout, in this process."""
    from checks.engine.runner import grading_environment, run_checks

    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything printed while grading goes to stderr; stdout carries the answers only
    with grading_environment():
        for line in sys.stdin:
            folder, modules = json.loads(line)
            # Graders run side by side on every core: neither side polls for the other (transport.SPIN_SECONDS).
            results = run_checks(Path(folder), tuple(modules), explicit_only=explicit_only, spin_seconds=0.0)
            answers.write(json.dumps([result.__dict__ for result in results], ensure_ascii=False) + "\n")
            answers.flush()
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Grade jobs sent on stdin in this process (see BankGrader).")
    parser.add_argument("--serve", action="store_true", required=True)
    parser.add_argument("--explicit-only", action="store_true", help="the checks' explicit examples alone")
    sys.exit(serve(parser.parse_args().explicit_only))
