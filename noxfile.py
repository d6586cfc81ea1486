"""Ridge Lab sessions: ``nox -s grade`` for students, ``nox -s verify`` for the kit.

Every environment installs exactly the versions pinned (with hashes) in
``lock/<purpose>.txt``, which ``nox -s lock`` exports from ``uv.lock``, itself
resolved from the dependency groups of ``pyproject.toml``. Environments are
reused, and a stamp file skips the installer while the lock is unchanged.

The student sessions (grade, hint, watch) share one environment, built by
the ``student`` session they require, so the first ``nox -s hint`` after
``nox -s grade`` costs no setup; the class-grading sessions (grade-all,
class-report, merge-grades) share the ``bulk`` one (the grader plus copydetect). nox uses uv when it is installed (as
``python3 noxw.py`` does), else virtualenv and pip.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
LOCK = ROOT / "lock"
BACKEND = "uv|virtualenv"
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
STUDENT_SESSIONS_ENV = "student"
BULK_ENV = "bulk"

nox.options.sessions = ["grade"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True


def install(session: nox.Session, *requirements: str) -> None:
    """Install into the session's environment, compiled to bytecode as pip does by default.

    uv leaves the ``.pyc`` files to the first import, which cannot write them
    where ``PYTHONDONTWRITEBYTECODE`` is set (as on many CI machines): every
    grader, jail and test process would then compile pytest, Hypothesis and
    NumPy again, about 0.6 CPU-s of each grading.
    """
    compile_bytecode = ("--compile-bytecode",) if session.venv_backend == "uv" else ()
    session.install(*compile_bytecode, *requirements)


def install_lock(session: nox.Session, purpose: str) -> bool:
    """Install ``lock/<purpose>.txt`` (hash-checked), skipping the installer when already done; True if it installed."""
    lock = LOCK / f"{purpose}.txt"
    stamp = Path(session.virtualenv.location) / ".ridge-lab-lock"
    wanted = f"{purpose} {hashlib.sha256(lock.read_bytes()).hexdigest()}"
    if stamp.is_file() and stamp.read_text() == wanted:
        return False
    install(session, "-r", str(lock))
    stamp.write_text(wanted)
    return True


def compile_checks(session: nox.Session) -> None:
    """Compile ``checks/`` to bytecode with the environment's Python, as ``install`` does for the dependencies.

    Where ``PYTHONDONTWRITEBYTECODE`` is set, no grading writes it, and each
    one compiled the engine and the check files again: 0.03 s of grading one
    module (measured on ``--only shrinkage``). A file edited later is
    compiled in memory again, as before.
    """
    session.run("python", "-m", "compileall", "-q", str(ROOT / "checks"), silent=True)


def student_python(session: nox.Session) -> str:
    """The interpreter of the shared student environment (built by the ``student`` session)."""
    return (Path(session.cache_dir) / "student-python").read_text().strip()


def run_student(session: nox.Session, *command: str) -> None:
    """Run ``command`` in the student environment.

    NumPy's OpenBLAS keeps one thread per core polling after each call; the
    grader's matrices are tiny, so one thread does the same work without
    taking CPU from the sandboxed worker (measured: a grading's CPU time
    1.54 → 1.46 s, 1.5 % less wall time, on two cores).
    """
    session.run(student_python(session), *command, *session.posargs, external=True, env={"OPENBLAS_NUM_THREADS": "1"})


# ------------------------------------------------------------ for students


def _record_python(session: nox.Session, environment: str) -> None:
    """Write where this environment's interpreter is, for the sessions that run in it."""
    python = Path(session.virtualenv.bin) / ("python.exe" if sys.platform == "win32" else "python")
    cache = Path(session.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{environment}-python").write_text(str(python))


@nox.session(name=STUDENT_SESSIONS_ENV, venv_backend=BACKEND, default=False)
def student(session: nox.Session) -> None:
    """The grading environment that grade, hint and watch share (built on demand)."""
    if install_lock(session, "grade"):
        compile_checks(session)
    _record_python(session, STUDENT_SESSIONS_ENV)


@nox.session(name=BULK_ENV, venv_backend=BACKEND, default=False)
def bulk(session: nox.Session) -> None:
    """The class-grading environment (the grader plus copydetect) that grade-all, class-report and merge-grades share."""
    if install_lock(session, "bulk"):
        compile_checks(session)
    _record_python(session, BULK_ENV)


def run_bulk(session: nox.Session, *command: str) -> None:
    python = (Path(session.cache_dir) / f"{BULK_ENV}-python").read_text().strip()
    session.run(python, *command, *session.posargs, external=True)


@nox.session(venv_backend="none", requires=[STUDENT_SESSIONS_ENV])
def grade(session: nox.Session) -> None:
    """Grade exercises/ (or the folder given after --); see README.md."""
    run_student(session, "-m", "checks.engine.grade")


@nox.session(venv_backend="none", requires=[STUDENT_SESSIONS_ENV])
def hint(session: nox.Session) -> None:
    """Show the next hint for a module: nox -s hint -- MODULE."""
    run_student(session, "-m", "checks.engine.hint")


@nox.session(venv_backend="none", requires=[STUDENT_SESSIONS_ENV])
def watch(session: nox.Session) -> None:
    """Re-grade each module as soon as its file is saved (Ctrl-C to stop)."""
    run_student(session, "-m", "checks.engine.watch")


# ------------------------------------------------------------- for the kit


def _kit_tests(arguments: list[str]) -> list[str]:
    """pytest's arguments, with ``tests`` added unless a path is given: a bare ``pytest`` grades the exercises."""
    paths = [argument for argument in arguments if not argument.startswith("-") and Path(argument.split("::")[0]).exists()]
    return list(arguments) if paths else ["tests", *arguments]


@nox.session(venv_backend=BACKEND)
def verify(session: nox.Session) -> None:
    """The kit's own test suite: proves the checks sound (see tests/); nox -s verify -- --quick: the authors' inner loop (about a minute)."""
    install_lock(session, "verify")
    # One pytest-xdist worker per core (tests/shared.py); `-- -n 0` runs it in one process.
    session.run("python", "-m", "pytest", "-n", "auto", *_kit_tests(session.posargs))


@nox.session(venv_backend="none", requires=[STUDENT_SESSIONS_ENV])
def bench(session: nox.Session) -> None:
    """Time grading on this machine against the floor, profile a run, grade a synthetic class: nox -s bench [-- --bulk N]."""
    run_student(session, "-m", "tools.bench")


@nox.session(venv_backend=BACKEND, default=False)
def lock(session: nox.Session) -> None:
    """Re-resolve uv.lock to the newest allowed versions and export lock/*.txt: nox -s lock [-- UV-LOCK-OPTIONS]."""
    install_lock(session, "bootstrap")  # uv itself, at its locked version
    session.run("python", "-m", "tools.lock", *session.posargs)


@nox.session(venv_backend=BACKEND, requires=[STUDENT_SESSIONS_ENV], default=False)
def compat(session: nox.Session) -> None:
    """Grade the mistake bank and the alternatives under the oldest allowed versions and the locked ones; verdicts must agree."""
    stamp = Path(session.virtualenv.location) / ".ridge-lab-lock"
    oldest_requirements = [pin.replace(">=", "==") for pin in nox.project.dependency_groups(PYPROJECT, "grade")]
    wanted = " ".join(oldest_requirements)
    if not (stamp.is_file() and stamp.read_text() == wanted):
        install(session, *oldest_requirements)
        stamp.write_text(wanted)
    oldest = Path(session.virtualenv.bin) / ("python.exe" if sys.platform == "win32" else "python")
    session.run(student_python(session), "-m", "tools.compat", "--oldest", str(oldest), *session.posargs, external=True)


# --------------------------------------------------------------- course site
# mkdocs.yml and docs/ (lessons, quizzes, hooks); the browser tests live in
# tests/site/ and run in `verify`.

SITE_DIR = ROOT / "build" / "site"
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}


@nox.session(venv_backend=BACKEND)
def docs(session: nox.Session) -> None:
    """Build the course site into build/site/; any warning fails the build."""
    install_lock(session, "docs")
    session.run("mkdocs", "build", "--strict", "--site-dir", str(SITE_DIR), *session.posargs, env=MKDOCS_ENV)


@nox.session(venv_backend=BACKEND)
def serve(session: nox.Session) -> None:
    """Live preview of the course site at http://127.0.0.1:8000/."""
    install_lock(session, "docs")
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=MKDOCS_ENV)


@nox.session(venv_backend=BACKEND)
def publish(session: nox.Session) -> None:
    """Publish the site to the gh-pages branch (mkdocs gh-deploy). Never in CI."""
    if os.environ.get("CI"):
        session.error("publish pushes to the gh-pages branch and is never run in CI")
    install_lock(session, "docs")
    session.run("mkdocs", "gh-deploy", "--strict", *session.posargs, env=MKDOCS_ENV)


# ------------------------------------------------------- class-scale grading
# Instructor tools (tools/, checks/engine/bulk/); see GRADING.md, "Grading a class".


@nox.session(venv_backend=BACKEND)
def release(session: nox.Session) -> None:
    """Build dist/ridge-lab-student.zip (no solutions; tools/release.py) and dist/ridge-lab-site.zip (the site for file://; tools/site_zip.py)."""
    install_lock(session, "docs")
    session.run("python", "-m", "tools.release", *session.posargs)
    session.run("python", "-m", "tools.site_zip", env=MKDOCS_ENV)


@nox.session(venv_backend="none", requires=[STUDENT_SESSIONS_ENV])
def gradescope(session: nox.Session) -> None:
    """Build the Gradescope autograder dist/gradescope-autograder.zip (see tools/gradescope.py)."""
    run_student(session, "-m", "tools.gradescope", "build")


@nox.session(name="grade-all", venv_backend="none", requires=[BULK_ENV])
def grade_all(session: nox.Session) -> None:
    """Grade a class: nox -s grade-all -- SUBMISSIONS [--out DIR] [--jobs N] [--shard K/N] [--roster CSV] [--force] (see GRADING.md)."""
    run_bulk(session, "-m", "checks.engine.bulk")


@nox.session(name="class-report", venv_backend="none", requires=[BULK_ENV])
def class_report(session: nox.Session) -> None:
    """Rebuild DIR/report.html from DIR/reports/: nox -s class-report -- DIR."""
    run_bulk(session, "-m", "checks.engine.bulk.classreport")


@nox.session(name="merge-grades", venv_backend="none", requires=[BULK_ENV])
def merge_grades(session: nox.Session) -> None:
    """Merge the --out folders of shards: nox -s merge-grades -- DIR_1 ... DIR_N --out DIR."""
    run_bulk(session, "-m", "checks.engine.bulk.shards")


@nox.session(name="new-exercise", venv_backend="none", requires=[STUDENT_SESSIONS_ENV])
def new_exercise(session: nox.Session) -> None:
    """Write every file of a new exercise: nox -s new-exercise -- NAME (see CONTRIBUTING.md)."""
    run_student(session, "-m", "tools.new_exercise")


# ----------------------------------------------------------------- notebook
# workbook.ipynb and the extension behind %grade, %hint and %exercise
# (checks/engine/notebook.py); see README.md, "In a notebook".


@nox.session(venv_backend=BACKEND, requires=[STUDENT_SESSIONS_ENV], default=False)
def notebook(session: nox.Session) -> None:
    """Open the workbook in JupyterLab: nox -s notebook [-- JUPYTERLAB-OPTIONS] (--install-only: only build its kernel)."""
    install_lock(session, "notebook")
    session.run("python", "-m", "tools.workbook")  # generated from the packs, like the release's copy
    session.run("jupyter", "lab", "workbook.ipynb", *session.posargs)
