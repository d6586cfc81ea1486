"""The GitHub Classroom workflow: ``python -m tools.classroom`` writes ``.github/workflows/classroom.yml``.

The workflow has the form Classroom itself generates (``push`` and
``repository_dispatch``, one job ``run-autograding-tests``, command-grader
steps, then ``autograding-grading-reporter``), with one grading step per
module so that partial credit reaches Classroom: each step's ``max-score``
is that module's maximum (``points_per_check`` × its checks, counted here
from ``checks/test_<module>.py``). ``tests/test_classroom.py`` keeps the
committed file equal to what this module generates and the points equal to
the grader's.

Tamper-proofing: in Classroom the student's repository holds the checks, so
before grading, a step recomputes the checks' fingerprint (the
``checks_sha256`` of every report) and compares it with the one
``nox -s release`` writes into this workflow (the placeholder
``RIDGE-LAB-CHECKS-FINGERPRINT`` below), and every file of ``checks/`` with
``MANIFEST.json``. Only verified checks and the five exercise files are
copied to a folder outside the repository (``../ridge-lab-grading``) and
graded there; when anything differs, every module reports "checks modified"
and scores 0. Mark ``.github/``, ``checks/`` and ``MANIFEST.json`` as
protected paths in the Classroom assignment so that edits to the workflow
itself are flagged too.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from checks.engine import course

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "classroom.yml"
FINGERPRINT_PLACEHOLDER = "RIDGE-LAB-CHECKS-FINGERPRINT"
GRADING_FOLDER = "../ridge-lab-grading"
PYTHON_VERSION = "3.12"
STEP_TIMEOUT_MINUTES = 10


def module_points(kit: Path = ROOT) -> dict[str, int]:
    """``{module: max score}``: points per check × the ``test_*`` functions of its check file."""
    points = {}
    for exercise in course.packs():
        tree = ast.parse((kit / "checks" / exercise.check_file).read_text(encoding="utf-8"))
        checks = [
            node
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        ]
        points[exercise.module] = exercise.points_per_check * len(checks)
    return points


def pinned_grade_requirements() -> list[str]:
    """The grade group's packages pinned to the versions installed here (the ones the kit was verified with)."""
    from tools.gradescope import pinned_requirements

    direct = {"numpy", "pytest", "hypothesis"}
    return [pin for pin in pinned_requirements() if pin.split("==")[0] in direct]


PREPARE = r"""python - <<'PY'
import hashlib, json, pathlib, shutil, sys

EXPECTED = "{fingerprint}"
MODULES = {modules!r}
repo = pathlib.Path.cwd()
work = (repo / "{grading_folder}").resolve()
shutil.rmtree(work, ignore_errors=True)
(work / "submission").mkdir(parents=True)
(work / "grade_module.py").write_text({runner!r})

problems = []
try:
    manifest = json.loads((repo / "MANIFEST.json").read_text())
    expected_files = dict(manifest["files"])
except Exception as error:
    manifest, expected_files = {{}}, {{}}
    problems.append(f"MANIFEST.json is missing or unreadable ({{error}})")
checks = repo / "checks"
present = sorted(p.relative_to(repo).as_posix() for p in checks.rglob("*") if not p.is_dir()) if checks.is_dir() else []
problems += [f"{{name}} was added" for name in present if name not in expected_files]
for name, digest in sorted(expected_files.items()):
    path = repo / name
    if path.is_symlink() or not path.is_file():
        problems.append(f"{{name}} is missing")
    elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
        problems.append(f"{{name}} was changed")
digest = hashlib.sha256()
if checks.is_dir():
    for path in sorted(checks.glob("*.py")) + sorted(checks.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
if digest.hexdigest() != EXPECTED or manifest.get("checks_sha256") != EXPECTED:
    problems.append("the checks' fingerprint is not the released one")
if problems:
    reason = ("checks modified: " + "; ".join(problems)
              + ". Restore checks/ and MANIFEST.json from the starter repository: until then every module scores 0.")
    (work / "CHECKS-MODIFIED").write_text(reason)
    print(f"::error title=checks modified::{{reason}}")
    sys.exit(0)
shutil.copytree(checks, work / "checks")
(work / "pyproject.toml").write_text(f'[project]\nname = "ridge-lab"\nversion = "{{manifest["kit_version"]}}"\n')
for module in MODULES:
    source = repo / "exercises" / f"{{module}}.py"
    if source.is_file() and not source.is_symlink():
        shutil.copyfile(source, work / "submission" / f"{{module}}.py")
print(f"checks verified ({{EXPECTED[:12]}}); grading in {{work}}")
PY
"""

RUNNER = """import pathlib, subprocess, sys
work = pathlib.Path(__file__).resolve().parent
module = sys.argv[1]
marker = work / "CHECKS-MODIFIED"
if marker.exists():
    print(marker.read_text(), file=sys.stderr)
    sys.exit(1)
done = subprocess.run(
    [sys.executable, "-m", "checks.engine.grade", "submission", "--only", module, "--report", f"report-{module}.json"],
    cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
)
print(done.stdout, file=sys.stdout if done.returncode == 0 else sys.stderr)
sys.exit(0 if done.returncode == 0 else 1)
"""


def _indent(text: str, spaces: int) -> str:
    return "".join((" " * spaces + line) if line.strip() else line for line in text.splitlines(keepends=True))


def workflow(kit: Path = ROOT) -> str:
    points = module_points(kit)
    modules = list(points)
    prepare = PREPARE.format(fingerprint=FINGERPRINT_PLACEHOLDER, modules=modules, grading_folder=GRADING_FOLDER, runner=RUNNER)
    lines = [
        "# GitHub Classroom autograding for Ridge Lab: one step per module, so partial credit reaches Classroom.",
        "# Generated by `python -m tools.classroom` from checks/ and checks/exercises.toml; do not edit by hand",
        "# (tests/test_classroom.py keeps it in step). `nox -s release` writes the checks' fingerprint into it.",
        "name: Autograding Tests",
        "'on':",
        "- push",
        "- repository_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
        "    - name: Checkout code",
        "      uses: actions/checkout@v4",
        "    - name: Set up Python",
        "      uses: actions/setup-python@v5",
        "      with:",
        f"        python-version: '{PYTHON_VERSION}'",
        "    - name: Install the grader's requirements",
        f"      run: python -m pip install --quiet --disable-pip-version-check {' '.join(pinned_grade_requirements())}",
        "    - name: Verify the checks",
        "      run: |",
        _indent(prepare, 8).rstrip("\n"),
    ]
    for module in modules:
        lines += [
            f"    - name: {module}",
            f"      id: {module}",
            "      uses: classroom-resources/autograding-command-grader@v1",
            "      with:",
            f"        test-name: {module}",
            "        setup-command: ''",
            f"        command: python -I {GRADING_FOLDER}/grade_module.py {module}",
            f"        timeout: {STEP_TIMEOUT_MINUTES}",
            f"        max-score: {points[module]}",
        ]
    lines += [
        "    - name: Autograding Reporter",
        "      uses: classroom-resources/autograding-grading-reporter@v1",
        "      env:",
        *(f'        {module.upper()}_RESULTS: "${{{{steps.{module}.outputs.result}}}}"' for module in modules),
        "      with:",
        f"        runners: {','.join(modules)}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.classroom", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed workflow is not up to date")
    arguments = parser.parse_args(argv)
    text = workflow()
    if arguments.check:
        current = WORKFLOW.read_text(encoding="utf-8") if WORKFLOW.is_file() else ""
        if current != text:
            print(f"error: {WORKFLOW.relative_to(ROOT)} is out of date: run python -m tools.classroom", file=sys.stderr)
            return 1
        return 0
    WORKFLOW.parent.mkdir(parents=True, exist_ok=True)
    WORKFLOW.write_text(text, encoding="utf-8")
    print(f"Wrote {WORKFLOW.relative_to(ROOT)} ({', '.join(f'{m} {p}' for m, p in module_points().items())} points).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
