"""MkDocs hook: figures and widget data computed from the reference solutions.

At build time this hook imports the reference modules in ``solutions/``
(``reference_solutions.py``), computes every figure with matplotlib's Agg backend and adds each SVG to the build as a
generated file ``figures/<name>.svg``: the SVGs exist only in the built site,
never in ``docs/``. It also precomputes the data of the two interactive
widgets and inlines it as JSON into the pages that show them.

The figures and widgets live by family (``figures_closed_form.py``,
``figures_decay.py``, ``figures_validation.py``), their data in
``lesson_data.py`` (shared with the lesson numbers) and what every figure
shares in ``figure_drawing.py``; this module only puts them into the pages.

Pages ask for them with HTML comments, one per line::

    <!-- figure: ridge-trace -->
    <!-- widget: decay -->

The student release ships no ``solutions/``. Then (mode ``auto``, the
default) the hook logs one INFO line, builds no figures, and replaces every
marker with a short note, so ``mkdocs build --strict`` still passes.

Environment:

* ``RIDGE_LAB_FIGURES``: ``auto`` (default), ``require`` (missing
  ``solutions/`` is an error; the kit's own tests use this) or ``off``.
* ``RIDGE_LAB_SOLUTIONS``: another folder holding the reference modules.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# Loaded by its path (by MkDocs and by the kit's tests): its sibling modules must be importable.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import figure_drawing  # noqa: E402
import figures_closed_form  # noqa: E402
import figures_decay  # noqa: E402
import figures_validation  # noqa: E402
import hook_kit  # noqa: E402
import reference_solutions  # noqa: E402

# Names the kit's tests use: one figure, the data of the λ widget, one widget.
from figures_closed_form import fig_ridge_trace  # noqa: E402, F401
from figures_decay import widget_decay  # noqa: E402, F401
from lesson_data import polynomial_data  # noqa: E402, F401

log = logging.getLogger("mkdocs.hooks.figures")

MARKER = re.compile(r"^<!-- (figure|widget): ([a-z0-9-]+) -->[ \t]*$", re.MULTILINE)
FAMILIES = (figures_closed_form, figures_decay, figures_validation)
FIGURES = {name: figure for family in FAMILIES for name, figure in family.FIGURES.items()}
WIDGETS = {name: make for family in FAMILIES for name, make in getattr(family, "WIDGETS", {}).items()}

_state: dict = {"figures": {}, "widgets": {}, "reason": None}


def on_files(files: Files, config) -> Files:
    _state.update(figures={}, widgets={}, reason=None)
    mode = os.environ.get("RIDGE_LAB_FIGURES", "auto").strip().lower()
    if mode not in ("auto", "require", "off"):
        raise PluginError(f"figures: RIDGE_LAB_FIGURES must be auto, require or off, not {mode!r}")
    kit = hook_kit.kit_folder(config)
    folder = reference_solutions.solutions_folder(kit)
    if mode == "off":
        _state["reason"] = "figures are switched off in this build (RIDGE_LAB_FIGURES=off)"
        log.info("figures: %s", _state["reason"])
        return files
    if not folder.is_dir():
        if mode == "require":
            raise PluginError(
                f"figures: {folder} not found; the figures and widgets are computed from the "
                "reference solutions (unset RIDGE_LAB_FIGURES=require to build without them)"
            )
        _state["reason"] = "this copy of the kit ships no reference solutions, so no figures were built"
        log.info("figures: %s not found; building without figures and widgets", folder)
        return files

    start = time.perf_counter()
    modules = ("_validation", *hook_kit.course_of(kit).modules())  # the reference's helper, then every exercise
    absent = reference_solutions.missing(folder, modules)
    if absent:
        raise PluginError(f"figures: {folder} lacks {', '.join(absent)}; the figures are computed from the reference solutions")
    try:
        sol = reference_solutions.load(folder, modules)
    except Exception as exc:  # a broken reference must stop the build, loudly
        raise PluginError(f"figures: importing the reference solutions from {folder} failed: {exc!r}") from exc
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    with matplotlib.rc_context(figure_drawing.STYLE):
        for name, figure in FIGURES.items():
            try:
                svg = figure_drawing.svg(figure.draw(sol, plt, np))
            except PluginError:
                raise
            except Exception as exc:
                raise PluginError(f"figures: computing '{name}' from the solutions failed: {exc!r}") from exc
            src_uri = f"figures/{name}.svg"
            files.append(File.generated(config, src_uri, content=svg))
            _state["figures"][name] = src_uri
    for name, make in WIDGETS.items():
        try:
            _state["widgets"][name] = make(sol, np)
        except Exception as exc:
            raise PluginError(f"figures: computing widget '{name}' from the solutions failed: {exc!r}") from exc
    log.info(
        "figures: %d figures and %d widgets computed from %s in %.1f s",
        len(_state["figures"]),
        len(_state["widgets"]),
        folder,
        time.perf_counter() - start,
    )
    return files


def _code(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def _relative(page, src_uri: str) -> str:
    depth = page.file.src_uri.count("/")
    return "../" * depth + src_uri


def on_page_markdown(markdown: str, page, config, files):
    def replace(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        if kind == "figure":
            if name not in FIGURES:
                raise PluginError(f"figures: {page.file.src_uri} asks for unknown figure '{name}'")
            alt, caption = FIGURES[name].alt, FIGURES[name].caption
            if name not in _state["figures"]:
                return f'!!! note "Figure not built"\n\n    {caption}\n\n    ({_state["reason"]}.)\n'
            return (
                f'<figure class="ridge-figure" markdown="span">\n'
                f"  ![{alt}]({_relative(page, _state['figures'][name])}){{ loading=lazy }}\n"
                f"  <figcaption>{_code(caption)}</figcaption>\n"
                f"</figure>\n"
            )
        if name not in WIDGETS:
            raise PluginError(f"figures: {page.file.src_uri} asks for unknown widget '{name}'")
        if name not in _state["widgets"]:
            return f'!!! note "Interactive widget not built"\n\n    ({_state["reason"]}.)\n'
        payload = json.dumps(_state["widgets"][name], separators=(",", ":"))
        return (
            f'<div class="ridge-widget" data-widget="{name}">'
            f'<script type="application/json" class="ridge-widget-data">{payload}</script>'
            f"</div>\n"
        )

    return MARKER.sub(replace, markdown)
