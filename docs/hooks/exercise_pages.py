"""MkDocs hook: generate one page per exercise from the kit's own sources.

Nothing about an exercise is written twice. At build time this hook reads

* the exercise packs ``checks/packs/<module>/pack.toml`` (title, lesson, summary, points per check, hints),
* ``exercises/<module>.py`` with :mod:`ast` (signature and docstring of each
  function; the stubs are never imported),
* the number of checks, as the grader counts them (``ExercisePack.check_names()``:
  the check file's and the pack's contract checks), for the module's maximum score,

and turns them into virtual pages ``exercises/<module>.md`` plus an overview
``exercises/index.md``. The pages are appended to the "Exercises" section of
the nav, and every lesson named by an exercise gets a "Practice it" box that
links to its exercise page.
"""

from __future__ import annotations

import ast
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.exercise_pages")

EXERCISES_NAV_TITLE = "Exercises"
GRADE_ONE = "nox -s grade -- --only {module}"


@dataclass
class Function:
    name: str
    signature: str
    docstring: str


@dataclass
class Exercise:
    """An exercise's metadata (``checks.engine.course.ExercisePack``) plus what its page needs."""

    meta: Any  # checks.engine.course.ExercisePack: module, title, lesson, summary, points_per_check, hints
    functions: list[Function] = field(default_factory=list)
    stub_found: bool = False
    n_checks: int | None = None
    lesson_title: str = "the lesson"

    def __getattr__(self, name: str):
        # Only reached for names not defined here: the metadata's own fields.
        if name == "meta":
            raise AttributeError(name)
        return getattr(self.meta, name)

    @property
    def page(self) -> str:
        return f"exercises/{self.module}.md"

    @property
    def max_points(self) -> int | None:
        if self.n_checks is None:
            return None
        return self.points_per_check * self.n_checks

    def points_text(self) -> str:
        if self.max_points is None:
            return f"{self.points_per_check} per check"
        return (
            f"{self.max_points} ({self.n_checks} checks × "
            f"{self.points_per_check} point{'s' if self.points_per_check != 1 else ''})"
        )


_exercises: list[Exercise] = []


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def load_exercises(root: Path) -> list[Exercise]:
    """Read the metadata (through the kit's own reader) and the sources it points to."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from checks.engine import course

    course.packs.cache_clear()  # `mkdocs serve` rebuilds after edits to a pack
    try:
        entries = course.packs()
    except (OSError, KeyError, ValueError, course.PackError) as exc:
        raise PluginError(f"exercise pages: cannot read the exercise packs: {exc}") from exc
    out = []
    for entry in entries:
        ex = Exercise(meta=entry)
        ex.functions, ex.stub_found = read_functions(root / course.exercises_folder_name() / f"{ex.module}.py")
        ex.n_checks = len(entry.check_names()) if entry.check_file.is_file() else None
        ex.lesson_title = lesson_title(root / "docs" / ex.lesson.split("#")[0])
        out.append(ex)
    if not out:
        raise PluginError(f"exercise pages: {course.COURSE_DIR} holds no exercise pack")
    return out


def read_functions(path: Path) -> tuple[list[Function], bool]:
    """Signatures and docstrings of the public functions of a stub, via ast."""
    if not path.is_file():
        log.info("exercise pages: %s not found; its page shows no signatures", path)
        return [], False
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    functions = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            doc = ast.get_docstring(node, clean=True) or ""
            signature = f"def {node.name}({ast.unparse(node.args)})"
            if node.returns is not None:
                signature += f" -> {ast.unparse(node.returns)}"
            functions.append(Function(node.name, signature + ":", doc))
    return functions, True


def lesson_title(path: Path) -> str:
    """The first level-1 heading of a lesson (the link text on exercise pages)."""
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return "the lesson"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def _lesson_link(ex: Exercise) -> str:
    # Pages live in exercises/, lessons are given relative to docs/.
    return "../" + ex.lesson


def render_exercise(ex: Exercise, number: int, total: int) -> str:
    lines = [
        f"# Exercise {number}: {ex.title}",
        "",
        f"{ex.summary}",
        "",
        f"- **File to edit:** `exercises/{ex.module}.py`",
        f"- **Lesson:** [{ex.lesson_title}]({_lesson_link(ex)})",
        f"- **Points:** {ex.points_text()}",
        f"- **Grade just this one:** `{GRADE_ONE.format(module=ex.module)}`",
        "",
        "## What to write",
        "",
    ]
    if ex.functions:
        lines += [
            f"`exercises/{ex.module}.py` asks for "
            + ", ".join(f"`{f.name}`" for f in ex.functions)
            + ". Each docstring states the formula, the shapes and the errors to raise.",
            "",
        ]
        for f in ex.functions:
            lines += [f"### `{f.name}`", "", "```python", f.signature]
            if f.docstring:
                lines += [_indent('"""' + f.docstring + '\n"""')]
            lines += ["```", ""]
    else:
        lines += [
            f"The stub `exercises/{ex.module}.py` is not part of this build; open it in the kit to see the functions to write.",
            "",
        ]
    lines += [
        "Every function follows the kit's common rules: inputs may be lists or arrays, "
        "results are `float` or float64 `numpy.ndarray`, inputs are never modified, and "
        "bad input raises `ValueError` whose message names the offending argument "
        "(see [the conventions](../lessons/conventions.md)).",
        "",
        "## Hints",
        "",
        "Open them one at a time: each says a little more than the one before.",
        "",
    ]
    for i, hint in enumerate(ex.hints, 1):
        lines += [f'??? tip "Hint {i}"', "", _indent(hint), ""]
    lines += [
        "## Check your work",
        "",
        "Run the checks for this exercise only:",
        "",
        "```bash",
        GRADE_ONE.format(module=ex.module),
        "```",
        "",
        "The table shows your score for the module and the first failing check's "
        "feedback. `nox -s grade` grades all exercises at once.",
        "",
    ]
    return "\n".join(lines)


def render_index(exercises: list[Exercise]) -> str:
    lines = [
        "# Exercises",
        "",
        "Each exercise is one file in `exercises/`: a stub whose docstrings state what to "
        "build. Do them in this order; each has a lesson that teaches it.",
        "",
        "| # | Exercise | What you build | Points |",
        "|---|---|---|---|",
    ]
    for i, ex in enumerate(exercises, 1):
        lines.append(f"| {i} | [{ex.title}]({ex.module}.md) | {ex.summary} | {ex.points_text()} |")
    lines += [
        "",
        f"Grade everything with `nox -s grade`, or one exercise with `{GRADE_ONE.format(module='MODULE')}`.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------- hooks


def on_config(config):
    global _exercises
    _exercises = load_exercises(_root(config))
    nav = config.nav
    if nav is None:
        return config
    for entry in nav:
        if isinstance(entry, dict) and EXERCISES_NAV_TITLE in entry:
            section = entry[EXERCISES_NAV_TITLE]
            present = {item if isinstance(item, str) else next(iter(item.values())) for item in section}
            for ex in _exercises:
                if ex.page not in present:
                    section.append({ex.title: ex.page})
            break
    else:
        raise PluginError(f"exercise pages: mkdocs.yml nav has no '{EXERCISES_NAV_TITLE}' section")
    return config


def on_files(files: Files, config) -> Files:
    total = len(_exercises)
    generated = {"exercises/index.md": render_index(_exercises)}
    for i, ex in enumerate(_exercises, 1):
        generated[ex.page] = render_exercise(ex, i, total)
    for src_uri, content in generated.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"exercise pages: docs/{src_uri} exists; it is generated, delete it")
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_markdown(markdown: str, page, config, files):
    """Put each exercise's "Practice it" box into its lesson.

    A box goes to the marker ``<!-- exercise: MODULE -->`` when the lesson has
    one (several exercises can share a lesson), else to the first plain
    ``<!-- exercise -->``, else to the end of the page.
    """
    src = page.file.src_uri
    unplaced = []
    for ex in _exercises:
        if ex.lesson.split("#")[0] != src:
            continue
        rel = "../" + ex.page
        box = (
            f'!!! example "Practice it: {ex.title}"\n\n'
            f"    {ex.summary} Go to [the exercise]({rel}); grade it with "
            f"`{GRADE_ONE.format(module=ex.module)}`.\n"
        )
        own_marker = f"<!-- exercise: {ex.module} -->"
        if own_marker in markdown:
            markdown = markdown.replace(own_marker, box, 1)
        else:
            unplaced.append(box)
    if not unplaced:
        return markdown
    marker = "<!-- exercise -->"
    block = "\n".join(unplaced)
    if marker in markdown:
        return markdown.replace(marker, block, 1)
    return markdown + "\n\n" + block
