"""Ridge Lab sessions: ``nox -s grade`` for students, ``nox -s verify`` for the kit.

Every session installs the dependency group of the same purpose from
``pyproject.toml`` (the one home of requirements). Virtual environments are
reused and a stamp file skips ``pip`` when the requirements have not changed,
so a warm ``nox -s grade`` costs little more than the grading itself.
"""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")

nox.options.sessions = ["grade"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True


def install_groups(session: nox.Session, *groups: str) -> None:
    """Install the named dependency groups, skipping pip when already done."""
    requirements = sorted(set(nox.project.dependency_groups(PYPROJECT, *groups)))
    stamp = Path(session.virtualenv.location) / ".ridge-lab-requirements"
    wanted = "\n".join(requirements)
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    session.install(*requirements)
    stamp.write_text(wanted)


@nox.session
def grade(session: nox.Session) -> None:
    """Grade exercises/ (or the folder given after --); see README.md."""
    install_groups(session, "grade")
    session.run("python", "-m", "checks.engine.grade", *session.posargs, external=False)


@nox.session
def hint(session: nox.Session) -> None:
    """Show the next hint for a module: nox -s hint -- MODULE."""
    install_groups(session, "grade")
    session.run("python", "-m", "checks.engine.hint", *session.posargs)


@nox.session
def watch(session: nox.Session) -> None:
    """Re-grade each module as soon as its file is saved (Ctrl-C to stop)."""
    install_groups(session, "grade")
    session.run("python", "-m", "checks.engine.watch", *session.posargs)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Time grading on this machine (warm and cold runs, medians of 5)."""
    import sys

    session.run(sys.executable, "-m", "tools.bench", *session.posargs, external=True)


@nox.session
def verify(session: nox.Session) -> None:
    """The kit's own test suite: proves the checks sound (see tests/)."""
    install_groups(session, "verify")
    session.run("python", "-m", "pytest", *session.posargs)


# --------------------------------------------------------------- course site
# mkdocs.yml and docs/ (lessons, quizzes, hooks); the browser tests live in
# tests/site/ and run in `verify`.

SITE_DIR = ROOT / "build" / "site"
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}


@nox.session
def docs(session: nox.Session) -> None:
    """Build the course site into build/site/; any warning fails the build."""
    install_groups(session, "docs")
    session.run("mkdocs", "build", "--strict", "--site-dir", str(SITE_DIR), *session.posargs, env=MKDOCS_ENV)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview of the course site at http://127.0.0.1:8000/."""
    install_groups(session, "docs")
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=MKDOCS_ENV)


@nox.session
def publish(session: nox.Session) -> None:
    """Publish the site to the gh-pages branch (mkdocs gh-deploy). Never in CI."""
    import os

    if os.environ.get("CI"):
        session.error("publish pushes to the gh-pages branch and is never run in CI")
    install_groups(session, "docs")
    session.run("mkdocs", "gh-deploy", "--strict", *session.posargs, env=MKDOCS_ENV)


# ------------------------------------------------------- class-scale grading
# Instructor tools (tools/, checks/engine/bulk/); see GRADING.md, "Grading a class".


@nox.session
def release(session: nox.Session) -> None:
    """Build the student release dist/ridge-lab-student.zip (no solutions; see tools/release.py)."""
    install_groups(session, "grade")
    session.run("python", "-m", "tools.release", *session.posargs)


@nox.session
def gradescope(session: nox.Session) -> None:
    """Build the Gradescope autograder dist/gradescope-autograder.zip (see tools/gradescope.py)."""
    install_groups(session, "grade")
    session.run("python", "-m", "tools.gradescope", "build", *session.posargs)


@nox.session(name="grade-all")
def grade_all(session: nox.Session) -> None:
    """Grade a class: nox -s grade-all -- SUBMISSIONS [--out DIR] [--jobs N] [--shard K/N] [--roster CSV] [--force] (see GRADING.md)."""
    install_groups(session, "grade")
    session.run("python", "-m", "checks.engine.bulk", *session.posargs)


@nox.session(name="class-report")
def class_report(session: nox.Session) -> None:
    """Rebuild DIR/report.html from DIR/reports/: nox -s class-report -- DIR."""
    install_groups(session, "grade")
    session.run("python", "-m", "checks.engine.bulk.classreport", *session.posargs)


@nox.session(name="merge-grades")
def merge_grades(session: nox.Session) -> None:
    """Merge the --out folders of shards: nox -s merge-grades -- DIR_1 ... DIR_N --out DIR."""
    install_groups(session, "grade")
    session.run("python", "-m", "checks.engine.bulk.shards", *session.posargs)


@nox.session(name="new-exercise", venv_backend="none")
def new_exercise(session: nox.Session) -> None:
    """Write the skeleton of a new exercise: nox -s new-exercise -- NAME (see CONTRIBUTING.md)."""
    import sys

    session.run(sys.executable, "-m", "tools.new_exercise", *session.posargs, external=True)
