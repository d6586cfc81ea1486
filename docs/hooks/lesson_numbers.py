"""MkDocs hook: numbers in the lessons computed at build time.

A page writes a placeholder ``{{ num:NAME }}`` wherever it quotes a number
that depends on data or on the kit itself, and this hook replaces it with the
value computed now, so the text cannot go stale. ``NUMBERS`` below lists every
name; an unknown name stops the build.

* ``exercise-count`` comes from the exercise list (the exercise packs
  through ``checks.engine.course``), written as a word ("five", "six", ...).
* The ``trace-*`` numbers come from the data of the ridge-trace figure, the
  ``dup-*`` numbers from a small data set with two near-duplicate features
  (both defined in ``lesson_data.py``, the figures' data too). Both are solved with the reference ``ridge_closed_form`` from
  ``solutions/`` (``RIDGE_LAB_SOLUTIONS`` points elsewhere). The student
  release ships no ``solutions/``: then the same closed form is solved with
  NumPy here, and the hook says so in one INFO line. (``RIDGE_LAB_FIGURES=require``
  makes a missing ``solutions/`` an error; the figures hook enforces it.)

The placeholders are replaced before any plugin reads the page, so they may
stand inside a quiz too. This module imports MkDocs only when it runs as a
hook: the kit's tests import it to check the numbers without MkDocs.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import numpy as np

try:
    from mkdocs.plugins import event_priority
except ImportError:  # imported by the tests, without MkDocs

    def event_priority(priority):
        return lambda function: function


# Loaded by its path (by MkDocs and by the kit's tests): its sibling modules must be importable.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import hook_kit  # noqa: E402
import reference_solutions  # noqa: E402

# The data sets, importable from here as before (tests/test_lesson_facts.py).
from lesson_data import near_duplicate_data, ridge_trace_data  # noqa: E402

log = logging.getLogger("mkdocs.hooks.lesson_numbers")

PLACEHOLDER = re.compile(r"\{\{\s*num:([a-z0-9-]+)\s*\}\}")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
REFERENCE_MODULES = ("_validation", "closed_form")


# ------------------------------------------------------------------ solvers


def numpy_ridge(X, y, lam):
    """The closed form of CONTRACT §1 with an intercept: ``(w*, b*)``."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


def reference_ridge(folder: Path):
    """``ridge_closed_form`` from the reference modules in ``folder``, or None."""
    if reference_solutions.missing(folder, REFERENCE_MODULES):
        return None
    return reference_solutions.load(folder, REFERENCE_MODULES)["closed_form"].ridge_closed_form


# --------------------------------------------------------------------- data


DUPLICATE_LAMBDA = 10.0


def zero_crossing(ridge, X, y, j, lo, hi, tol=1e-10):
    """The λ in [lo, hi] where coefficient ``j`` changes sign (bisection on log λ)."""

    def coef(lam):
        return ridge(X, y, lam)[0][j]

    sign_lo = np.sign(coef(lo))
    if sign_lo == np.sign(coef(hi)):
        raise ValueError(f"coefficient {j} does not change sign between λ = {lo} and {hi}")
    a, b = np.log(lo), np.log(hi)
    while b - a > tol:
        mid = 0.5 * (a + b)
        if np.sign(coef(np.exp(mid))) == sign_lo:
            a = mid
        else:
            b = mid
    return float(np.exp(0.5 * (a + b)))


def trace_facts(ridge):
    """What the lessons quote from the ridge trace.

    ``w2_zero``: where w₂ crosses zero. ``w6_ols``: |w₆| of least squares.
    ``w6_peak`` and ``w6_peak_lam``: the largest |w₆| along the trace, and
    its λ (found on a fine grid, then refined).
    """
    X, y = ridge_trace_data()
    lams = np.logspace(-3, 2, 501)
    w6 = np.array([abs(ridge(X, y, float(lam))[0][5]) for lam in lams])
    k = int(np.argmax(w6))
    fine = np.linspace(lams[max(k - 1, 0)], lams[min(k + 1, lams.size - 1)], 401)
    w6_fine = np.array([abs(ridge(X, y, float(lam))[0][5]) for lam in fine])
    return {
        "w2_zero": zero_crossing(ridge, X, y, 1, 1.0, 100.0),
        "w6_ols": abs(float(ridge(X, y, 0.0)[0][5])),
        "w6_peak": float(w6_fine.max()),
        "w6_peak_lam": float(fine[int(np.argmax(w6_fine))]),
    }


def duplicate_facts(ridge):
    """w₂ of the near-duplicate data: least squares and ridge at λ = 10."""
    X, y = near_duplicate_data()
    return {
        "w2_ols": float(ridge(X, y, 0.0)[0][1]),
        "w2_ridge": float(ridge(X, y, DUPLICATE_LAMBDA)[0][1]),
        "lam": DUPLICATE_LAMBDA,
    }


def exercise_count(root: Path) -> int:
    """How many exercise packs the course has (``checks/packs/``)."""
    return len(hook_kit.course_of(root).packs())


def as_word(count: int) -> str:
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def compute_numbers(root: Path, ridge) -> dict[str, str]:
    """Every placeholder's text, keyed by its name."""
    trace = trace_facts(ridge)
    dup = duplicate_facts(ridge)
    return {
        "exercise-count": as_word(exercise_count(root)),
        "trace-w2-zero": f"{trace['w2_zero']:.3g}",
        "trace-w6-ols": f"{trace['w6_ols']:.3g}",
        "trace-w6-peak": f"{trace['w6_peak']:.3g}",
        "trace-w6-peak-lam": f"{trace['w6_peak_lam']:.1g}",
        "dup-w2-ols": f"{dup['w2_ols']:.2f}",
        "dup-w2-ridge": f"{dup['w2_ridge']:.2f}",
        "dup-lam": f"{dup['lam']:g}",
    }


def fill(markdown: str, numbers: dict[str, str], where: str = "page") -> str:
    """Replace every placeholder; an unknown name is an error."""

    def replace(match):
        name = match.group(1)
        if name not in numbers:
            raise KeyError(f"{where}: unknown number placeholder {{{{ num:{name} }}}}")
        return numbers[name]

    return PLACEHOLDER.sub(replace, markdown)


# --------------------------------------------------------------------- hooks

_numbers: dict[str, str] = {}


def on_config(config):
    from mkdocs.exceptions import PluginError

    root = hook_kit.kit_folder(config)
    folder = reference_solutions.solutions_folder(root)
    ridge = reference_ridge(folder)
    if ridge is None:
        log.info("lesson numbers: no reference solutions in %s; solving with NumPy", folder)
        ridge = numpy_ridge
    try:
        _numbers.clear()
        _numbers.update(compute_numbers(root, ridge))
    except Exception as exc:  # a broken reference or metadata must stop the build
        raise PluginError(f"lesson numbers: {exc!r}") from exc
    return config


@event_priority(50)  # before mkdocs-quiz reads the page: placeholders may be quiz answers
def on_page_markdown(markdown, page, config, files):
    from mkdocs.exceptions import PluginError

    try:
        return fill(markdown, _numbers, page.file.src_uri)
    except KeyError as exc:
        raise PluginError(str(exc.args[0])) from exc
