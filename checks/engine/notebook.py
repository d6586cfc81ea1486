"""The notebook front end: ``%load_ext`` the course's extension, then ``%grade`` and ``%hint``.

``%grade [MODULE] [GRADER-ARGUMENTS]`` runs the grader's own entry point
(``python -m checks.engine.grade``) in a subprocess of the grading
environment that ``nox -s grade`` uses, never in the kernel: a submission
that hangs or crashes cannot take the kernel with it, and the grade is the
one ``nox -s grade`` gives for the same files. It then renders the report
the grader wrote (``results.json``, nothing recomputed) as an HTML table,
with a plain-text fallback where HTML is not shown: each module's score,
the feedback of its first failing check (with the diagnosis) and a link to
its lesson. A first argument that names a module becomes ``--only MODULE``;
every other argument goes to the grader as it is (a folder, ``--no-cache``).

``%hint MODULE`` shows the module's next hint; it shares ``nox -s hint``'s
record of the hints already shown. ``%exercise MODULE`` links the module's
exercise file and names the functions to write (on Colab it opens the file
in Colab's editor).

The grading environment is the interpreter ``nox -s student`` records in
``.nox/.cache/student-python``. When there is none yet, ``%grade`` first
builds it with ``noxw.py -s student``, as ``nox -s grade`` would.
"""

from __future__ import annotations

import html
import json
import os
import re
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from checks.engine import course
from checks.engine.report import CheckResult, module_totals, table

KIT_ROOT = course.KIT_ROOT
STUDENT_PYTHON_RECORD = KIT_ROOT / ".nox" / ".cache" / "student-python"
DEFAULT_REPORT = "results.json"
# The sandbox already stops a submission's hang within seconds per check; past this the grader itself is stuck.
GRADE_TIMEOUT_SECONDS = 600.0
_LESSON_PATH = re.compile(r"docs/[A-Za-z0-9_./-]+\.md(?:#[A-Za-z0-9_-]+)?")


class NotebookError(Exception):
    """Grading could not run; the message is the one line the student sees."""


# ------------------------------------------------------------ the grader, in a subprocess


def _recorded_python() -> str | None:
    """The interpreter ``nox -s student`` recorded, if it is recorded and still there."""
    recorded = STUDENT_PYTHON_RECORD.read_text().strip() if STUDENT_PYTHON_RECORD.is_file() else ""
    return recorded if recorded and Path(recorded).is_file() else None


def grading_python() -> str:
    """The grading environment's interpreter, built with ``noxw.py -s student`` when there is none yet."""
    recorded = _recorded_python()
    if recorded:
        return recorded
    print("Building the grading environment (once; it takes about a minute)...", flush=True)
    status = _stream([sys.executable, str(KIT_ROOT / "noxw.py"), "-s", "student"])
    if status != 0:
        raise NotebookError(f"building the grading environment failed (noxw.py -s student exited with {status})")
    recorded = _recorded_python()
    if not recorded:
        raise NotebookError(f"noxw.py -s student recorded no interpreter in {STUDENT_PYTHON_RECORD}")
    return recorded


def _stream(command: list[str]) -> int:
    """Run ``command`` in the kit, printing its output into the cell as it comes; Ctrl-C (interrupt) stops it."""
    process = subprocess.Popen(
        command, cwd=KIT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        for line in process.stdout:
            print(line, end="", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        _stop(process)
        raise


def _stop(process: subprocess.Popen) -> None:
    """End ``process`` and every process it started (it leads a session of its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        process.kill()
    process.wait()


def grader_arguments(line: str) -> list[str]:
    """The grader's arguments for a ``%grade`` line: a leading module name becomes ``--only MODULE``."""
    words = shlex.split(line)
    if words and words[0] in course.modules():
        return ["--only", words[0], *words[1:]]
    return words


def report_path(arguments: list[str]) -> Path:
    """Where the grader writes its report for these arguments (``--report FILE``, else ``results.json``), from the kit."""
    path = DEFAULT_REPORT
    for index, word in enumerate(arguments):
        if word == "--report" and index + 1 < len(arguments):
            path = arguments[index + 1]
        elif word.startswith("--report="):
            path = word.removeprefix("--report=")
    return KIT_ROOT / path


def run_grader(arguments: list[str], *, python: str | None = None, timeout: float = GRADE_TIMEOUT_SECONDS) -> GradeReport:
    """Grade as ``nox -s grade -- ARGUMENTS`` does, in a subprocess, and return the report it wrote.

    Raises ``NotebookError`` (with the grader's ``error:`` line) when the
    grader could not run, did not finish within ``timeout`` seconds or was interrupted.
    """
    command = [python or grading_python(), "-m", "checks.engine.grade", *arguments]
    process = subprocess.Popen(
        command, cwd=KIT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        output, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise NotebookError(f"the grader did not finish within {timeout:g} s and was stopped") from None
    except KeyboardInterrupt:
        _stop(process)
        raise NotebookError("grading was interrupted") from None
    if process.returncode not in (0, 1):
        said = [line for line in (errors + output).splitlines() if line.startswith("error:")]
        reason = said[0].removeprefix("error:").strip() if said else f"the grader exited with status {process.returncode}"
        raise NotebookError(reason)
    return GradeReport.from_json(json.loads(report_path(arguments).read_text(encoding="utf-8")))


# ------------------------------------------------------------ rendering the report


def _kit_href(path: str) -> str:
    """A link to a kit file (``docs/…#anchor``) that works from the notebook's folder (the kernel's working directory)."""
    file, _, anchor = path.partition("#")
    relative = Path(os.path.relpath(KIT_ROOT / file, Path.cwd())).as_posix()
    return relative + (f"#{anchor}" if anchor else "")


def _link(path: str) -> str:
    return f'<a href="{html.escape(_kit_href(path))}" target="_blank">{html.escape(path)}</a>'


def _commands_as_code(escaped: str) -> str:
    """``escaped`` HTML with each magic it names (``%grade MODULE``, ``%hint MODULE``) set as code."""
    modules = "|".join(re.escape(module) for module in course.modules())
    magic = re.compile(rf"%(?:grade|hint)(?: (?:{modules})\b)?")
    return magic.sub(lambda match: f"<code>{match.group(0)}</code>", escaped)


def _html_text(text: str) -> str:
    """``text`` escaped for HTML, with every lesson path in it a link."""
    escaped = html.escape(text)
    return _LESSON_PATH.sub(lambda match: _link(match.group(0)), escaped)


@dataclass(frozen=True)
class GradeReport:
    """A grader report (the Gradescope ``results.json``) as a notebook shows it."""

    results: tuple[CheckResult, ...]  # in the report's order

    @classmethod
    def from_json(cls, data: dict) -> GradeReport:
        return cls(
            tuple(
                CheckResult(
                    module=test["tags"][0],
                    check=test["name"].split(": ", 1)[1],
                    passed=test["status"] == "passed",
                    feedback=test["output"],
                    points=test["max_score"],
                )
                for test in data["tests"]
            )
        )

    def modules(self) -> list[tuple[str, int, int, CheckResult | None]]:
        """``(module, score, max_score, first failing result or None)`` in the course's order."""
        return [
            (module, score, maximum, next((r for r in self.results if r.module == module and not r.passed), None))
            for module, (score, maximum) in module_totals(list(self.results)).items()
        ]

    def next_step(self) -> str:
        """What to do next, with the notebook's commands."""
        graded = [module for module, *_ in self.modules()]
        remaining = [module for module, score, maximum, _ in self.modules() if score < maximum]
        if remaining:
            module = remaining[0]
            return f"Next: {module} ({course.pack(module).title}): %grade {module}   (stuck? %hint {module})"
        if set(graded) == set(course.modules()):
            return "Every module is complete. Well done!"
        return "This module is complete: run %grade to see every module."

    def text(self) -> str:
        """The plain-text fallback: the terminal's table and the next step."""
        return f"{course.name()}\n{table(list(self.results))}\n  {self.next_step()}"

    def html(self) -> str:
        cell = 'style="text-align: left; vertical-align: top"'
        rows = []
        for module, score, maximum, failure in self.modules():
            exercise = course.pack(module)
            if failure is None:
                verdict = "all checks pass"
            else:
                verdict = (
                    f"<b>{html.escape(failure.check)}</b>"
                    f'<pre style="white-space: pre-wrap; word-break: normal; overflow-wrap: break-word; margin: 0.3em 0 0">{_html_text(failure.feedback)}</pre>'
                )
            rows.append(
                f"<tr><td {cell}>{'✓' if score == maximum else '✗'}</td>"
                f"<td {cell}><b>{html.escape(exercise.title)}</b><br><code>{html.escape(module)}</code></td>"
                f"<td {cell}>{score}&nbsp;/&nbsp;{maximum}</td>"
                f"<td {cell}>{verdict}</td>"
                f"<td {cell}>{_link('docs/' + exercise.lesson)}</td></tr>"
            )
        score = sum(result.score for result in self.results)
        maximum = sum(result.points for result in self.results)
        header = "".join(f"<th {cell}>{name}</th>" for name in ("", "Exercise", "Score", "First failing check", "Lesson"))
        return (
            f'<div class="grade-report"><table><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody>'
            f"<tfoot><tr><td {cell}></td><th {cell}>Total</th><th {cell}>{score}&nbsp;/&nbsp;{maximum}</th>"
            f'<td {cell} colspan="2"></td></tr></tfoot></table>'
            f"<p>{_commands_as_code(html.escape(self.next_step()))}</p></div>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(self.text())


# ------------------------------------------------------------ hints


@dataclass(frozen=True)
class Hints:
    """The hints ``%hint`` shows now for one module."""

    module: str
    shown: tuple[tuple[int, str], ...]  # (number, text)
    total: int

    def last(self) -> bool:
        return bool(self.shown) and self.shown[-1][0] >= self.total

    def closing(self) -> str:
        if self.last():
            return "That was the last hint. The lesson explains the rest:"
        return f"Run %hint {self.module} again for the next hint."

    def lesson(self) -> str:
        return "docs/" + course.pack(self.module).lesson

    def text(self) -> str:
        lines = [f"{course.pack(self.module).title} ({self.module})"]
        lines += [f"\nHint {number}/{self.total}: {text}" for number, text in self.shown]
        lines.append(f"\n{self.closing()}" + (f" {self.lesson()}" if self.last() else ""))
        return "\n".join(lines)

    def html(self) -> str:
        title = f"<p><b>{html.escape(course.pack(self.module).title)}</b> (<code>{html.escape(self.module)}</code>)</p>"
        hints = "".join(f"<p><b>Hint {number}/{self.total}:</b> {html.escape(text)}</p>" for number, text in self.shown)
        closing = _commands_as_code(html.escape(self.closing())) + (f" {_link(self.lesson())}" if self.last() else "")
        return f'<div class="hint">{title}{hints}<p>{closing}</p></div>'

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(self.text())


def next_hints(module: str) -> Hints:
    """The next hint of ``module``, remembered in the same record as ``nox -s hint``'s."""
    from checks.engine import hint

    if module not in course.modules():
        raise NotebookError(f"give a module: {', '.join(course.modules())}")
    state = hint._load(hint.STATE_FILE)
    shown, count = hint.next_hints(module, state)
    state[module] = count
    hint._save(hint.STATE_FILE, state)
    return Hints(module=module, shown=tuple(shown), total=len(course.pack(module).hints))


# ------------------------------------------------------------ the exercise file


@dataclass(frozen=True)
class ExerciseFile:
    """A module's exercise file, as ``%exercise`` shows it: a link to edit it and the functions to write."""

    module: str

    def path(self) -> str:
        return f"{course.course()['exercises']}/{self.module}.py"

    def functions(self) -> list[str]:
        return [f"{name}({', '.join(course.parameter_names(name))})" for name in course.pack(self.module).functions]

    def text(self) -> str:
        return (
            f"{course.pack(self.module).title}: write {', '.join(self.functions())} in {self.path()}, "
            f"save it, then run %grade {self.module}."
        )

    def html(self) -> str:
        functions = ", ".join(f"<code>{html.escape(function)}</code>" for function in self.functions())
        return (
            f"<p><b>{html.escape(course.pack(self.module).title)}</b>: write {functions} in {_link(self.path())}, "
            f"save it, then run <code>%grade {html.escape(self.module)}</code>.</p>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(self.text())


def open_exercise(module: str) -> ExerciseFile:
    """The exercise file of ``module``; on Colab, also opened in Colab's editor."""
    if module not in course.modules():
        raise NotebookError(f"give a module: {', '.join(course.modules())}")
    exercise = ExerciseFile(module)
    if "google.colab" in sys.modules:
        from google.colab import files

        files.view(str(KIT_ROOT / exercise.path()))
    return exercise


# ------------------------------------------------------------ the IPython extension


def _show(shown) -> None:
    from IPython.display import display

    display(shown)


def grade_magic(line: str) -> None:
    """%grade [MODULE] [GRADER-ARGUMENTS]: grade as nox -s grade does and show the report."""
    try:
        _show(run_grader(grader_arguments(line)))
    except NotebookError as error:
        print(f"error: {error}", file=sys.stderr)


def hint_magic(line: str) -> None:
    """%hint MODULE: the module's next hint."""
    try:
        _show(next_hints(line.strip()))
    except NotebookError as error:
        print(f"error: {error}", file=sys.stderr)


def exercise_magic(line: str) -> None:
    """%exercise MODULE: the module's exercise file to edit (opened in the editor on Colab)."""
    try:
        _show(open_exercise(line.strip()))
    except NotebookError as error:
        print(f"error: {error}", file=sys.stderr)


def load_ipython_extension(ipython) -> None:
    """Register ``%grade``, ``%hint`` and ``%exercise`` (IPython calls this on ``%load_ext``)."""
    ipython.register_magic_function(grade_magic, magic_kind="line", magic_name="grade")
    ipython.register_magic_function(hint_magic, magic_kind="line", magic_name="hint")
    ipython.register_magic_function(exercise_magic, magic_kind="line", magic_name="exercise")
