"""MkDocs hook: figures and widget data computed from the reference solutions.

At build time this hook imports the reference modules in ``solutions/`` (flat
modules, put on ``sys.path`` for the duration of the import), computes every
figure with matplotlib's Agg backend and adds each SVG to the build as a
generated file ``figures/<name>.svg``: the SVGs exist only in the built site,
never in ``docs/``. It also precomputes the data of the two interactive
widgets and inlines it as JSON into the pages that show them.

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

import importlib
import io
import json
import logging
import os
import re
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.figures")

_KIT = Path(__file__).resolve().parents[2]
if str(_KIT) not in sys.path:
    sys.path.insert(0, str(_KIT))
from checks.engine import course  # noqa: E402 - the kit root must be importable first

# The reference's shared helper, then every exercise module (from the packs).
SOLUTION_MODULES = ("_validation", *course.modules())
MARKER = re.compile(r"^<!-- (figure|widget): ([a-z0-9-]+) -->[ \t]*$", re.MULTILINE)

# name -> (alt text, caption); the functions that draw them are in FIGURES below.
# The alt text is for readers who cannot see the image: it says what is drawn
# and what it shows (axes, curves, where they go), not only what it is called.
# The caption, read by everyone, explains why it matters.
CAPTIONS = {
    "ridge-trace": (
        "Ridge trace, two line charts against lambda on a log axis from 0.01 to 10,000. "
        "Left: six coefficient curves; each starts at its least-squares value on the left and "
        "bends towards zero as lambda grows, and all are near zero at the right edge. "
        "Right: the norm of the weight vector, largest at small lambda, falling steadily towards zero "
        "and never rising.",
        "The ridge trace. Left: every coefficient of the closed-form solution "
        "against λ (log axis). Right: the norm ‖w*‖₂, which only ever falls. "
        "Computed with the reference `ridge_closed_form`.",
    ),
    "decay-l1-l2": (
        "Two line charts of one weight over 80 gradient steps, starting at 2, with the data "
        "gradient switched off. Left, linear axis: the L2 weight (solid line) shrinks by the same "
        "factor every step and curves down towards zero without reaching it; the L1 weight "
        "(dashed line) falls in a straight line, reaches zero about halfway and stays there. "
        "Right, log axis: the L2 weight is a straight falling line, while the L1 line drops out "
        "of the chart where it hits zero.",
        "One weight under pure decay (data gradient switched off). L2 multiplies it by the "
        "decay factor every step and never reaches zero (a straight line on the log axis, "
        "right); L1 subtracts a constant and hits zero in a finite number of steps. "
        "L2 path from the reference `decay_trajectory`.",
    ),
    "geometry": (
        "Two panels in the plane of the weights w1 (across) and w2 (up). In both, nested ellipses "
        "are contours of the data loss around the least-squares solution, a cross at upper right. "
        "Left: a shaded circle centred at the origin, the L2 ball; the bold ellipse touches it at "
        "a red point where both weights are non-zero, and a dotted curve, the ridge path, runs "
        "from the origin to the cross. Right: a shaded diamond of the same size, the L1 ball; the "
        "bold ellipse touches it at its corner on the w1 axis, a red point where w2 is zero.",
        "Contours of the data loss (ellipses) around the least-squares solution (cross). "
        "Left: the L2 ball touches a contour at a point with both weights non-zero; the "
        "dotted curve is the whole ridge path from the reference `ridge_closed_form`. "
        "Right: an L1 ball of the same size touches first at a corner, where w₂ = 0.",
    ),
    "validation-curve": (
        "Line chart of mean squared error against lambda, both on log axes, lambda from one "
        "millionth to 1000, for a degree-12 polynomial. The training error is lowest at the "
        "smallest lambda and rises steadily as lambda grows. The validation error starts far "
        "above it (labelled: overfits, large gap), falls to a minimum marked by a dotted "
        "vertical line and labelled with its lambda, then rises again together with the "
        "training error at large lambda (labelled: underfits, both high).",
        "Training and validation error (mean squared error, no penalty) of a degree-12 "
        "polynomial fitted by the reference `ridge_closed_form` on a small synthetic data set. "
        "Training error only grows with λ; validation error falls, bottoms out, and rises "
        "again once λ underfits.",
    ),
    "forgotten-n": (
        "Line chart at lambda = 10 of the share of the least-squares weight norm that survives "
        "the penalty, from 0 to 1, against the number of samples N, from 10 to 3000 on a log "
        "axis. Solid line, this course's penalty with lambda over N: it rises with N and "
        "approaches 1, the data outweighing the penalty. Dashed line, the same penalty with "
        "the 1/N forgotten: it stays flat and low however many samples arrive.",
        "How much of the least-squares weights survive (‖w*‖ / ‖w_OLS‖) as the data set "
        "grows, at λ = 10. With the penalty (λ/N)Σw² the data soon outweigh it; written "
        "without the 1/N it acts like λ·N and keeps crushing the weights however much "
        "data arrives. Both from the reference `ridge_closed_form`.",
    ),
}

_state: dict = {"figures": {}, "widgets": {}, "reason": None}


# ------------------------------------------------------------------ solutions


def _solutions_dir(config) -> Path:
    override = os.environ.get("RIDGE_LAB_SOLUTIONS")
    if override:
        return Path(override).resolve()
    return Path(config.config_file_path).resolve().parent / "solutions"


def load_solutions(folder: Path) -> dict:
    """Import the reference modules from ``folder`` without leaving them behind."""
    missing = [m for m in SOLUTION_MODULES if not (folder / f"{m}.py").is_file()]
    if missing:
        raise PluginError(
            f"figures: {folder} lacks {', '.join(m + '.py' for m in missing)}; "
            "the figures are computed from the reference solutions"
        )
    saved = {m: sys.modules.pop(m) for m in SOLUTION_MODULES if m in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        modules = {m: importlib.import_module(m) for m in SOLUTION_MODULES}
    except Exception as exc:  # a broken reference must stop the build, loudly
        raise PluginError(f"figures: importing the reference solutions from {folder} failed: {exc!r}") from exc
    finally:
        sys.path.remove(str(folder))
        for m in SOLUTION_MODULES:
            sys.modules.pop(m, None)
        sys.modules.update(saved)
    return modules


# --------------------------------------------------------------------- data


def _rng(seed):
    import numpy as np

    return np.random.default_rng(seed)


def polynomial_data():
    """Small noisy 1-D data set, expanded into standardized polynomial features."""
    import numpy as np

    rng = _rng(27)
    degree = 12

    def truth(x):
        return np.sin(2.5 * x) + 0.4 * x

    x_train = np.sort(rng.uniform(-1.0, 1.0, 18))
    x_val = np.sort(rng.uniform(-1.0, 1.0, 200))
    y_train = truth(x_train) + rng.normal(0.0, 0.3, x_train.size)
    y_val = truth(x_val) + rng.normal(0.0, 0.3, x_val.size)
    powers = np.arange(1, degree + 1)
    raw = x_train[:, None] ** powers
    mean, std = raw.mean(axis=0), raw.std(axis=0)

    def features(x):
        return (np.asarray(x)[:, None] ** powers - mean) / std

    return dict(
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        features=features,
        truth=truth,
        degree=degree,
    )


def validation_curve(sol, data, lams):
    import numpy as np

    ridge = sol["closed_form"].ridge_closed_form
    Ft, Fv = data["features"](data["x_train"]), data["features"](data["x_val"])
    train, val, fits = [], [], []
    grid = np.linspace(-1.0, 1.0, 121)
    Fg = data["features"](grid)
    for lam in lams:
        w, b = ridge(Ft, data["y_train"], float(lam))
        train.append(float(np.mean((Ft @ w + b - data["y_train"]) ** 2)))
        val.append(float(np.mean((Fv @ w + b - data["y_val"]) ** 2)))
        fits.append(Fg @ w + b)
    return np.array(train), np.array(val), grid, np.array(fits)


def l1_path(w0, lr, lam, n_samples, n_steps):
    """Pure L1 shrinkage, (λ/N)|w| in this course's convention (not in solutions/)."""
    import numpy as np

    step = lr * lam / n_samples
    w = [float(w0)]
    for _ in range(n_steps):
        w.append(float(np.sign(w[-1]) * max(abs(w[-1]) - step, 0.0)))
    return np.array(w)


# ------------------------------------------------------------------ figures


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def fig_ridge_trace(sol, plt, np):
    rng = _rng(3)
    n, d = 60, 6
    base = rng.normal(size=(n, 3))
    X = np.column_stack(
        [
            base[:, 0],
            base[:, 0] + 0.3 * rng.normal(size=n),  # a correlated pair
            base[:, 1],
            base[:, 2],
            rng.normal(size=n),
            rng.normal(size=n),
        ]
    )
    w_true = np.array([2.0, -1.0, 1.5, -0.7, 0.4, 0.0])
    y = X @ w_true + 1.0 + rng.normal(0, 1.0, n)
    lams = np.logspace(-2, 4, 90)
    W = np.array([sol["closed_form"].ridge_closed_form(X, y, float(lam))[0] for lam in lams])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.6), layout="constrained")
    for j in range(d):
        ax1.plot(lams, W[:, j], lw=1.8, label=f"$w_{j + 1}$")
    ax1.axhline(0, color="0.4", lw=0.8)
    ax1.set_xscale("log")
    ax1.set_xlabel("λ")
    ax1.set_ylabel("coefficient")
    ax1.set_title("each coefficient")
    ax1.legend(ncol=2, fontsize=8, frameon=False)
    ax2.plot(lams, np.linalg.norm(W, axis=1), color="k", lw=2)
    ax2.set_xscale("log")
    ax2.set_xlabel("λ")
    ax2.set_ylabel("‖w*‖₂")
    ax2.set_title("the norm only shrinks")
    ax2.set_ylim(bottom=0)
    return fig


def fig_decay(sol, plt, np):
    lr, lam, n, steps, w0 = 0.1, 5.0, 10, 80, 2.0
    l2 = sol["decay"].decay_trajectory([w0], lr, lam, n, steps)[:, 0]
    factor = sol["decay"].decay_factor(lr, lam, n)
    l1 = l1_path(w0, lr, lam, n, steps)
    t = np.arange(steps + 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.4), layout="constrained")
    for ax in (ax1, ax2):
        ax.plot(t, l2, lw=2, label=f"L2: × {factor:g} per step")
        ax.plot(t, l1, lw=2, ls="--", label=f"L1: − {lr * lam / n:g} per step")
        ax.set_xlabel("step")
    ax1.axhline(0, color="0.4", lw=0.8)
    ax1.set_ylabel("weight")
    ax1.set_title("linear axis")
    ax1.legend(frameon=False)
    ax2.set_yscale("log")
    ax2.set_title("log axis: L1 drops out at zero")
    return fig


def fig_geometry(sol, plt, np):
    rng = _rng(11)
    n = 200
    A = rng.normal(size=(n, 2)) @ np.array([[1.0, 0.0], [0.5, 0.7]])
    X = A - A.mean(axis=0)
    w_ols = np.array([2.0, 0.7])
    y = X @ w_ols + rng.normal(0, 0.05, n)
    y = y - y.mean()
    ridge = sol["closed_form"].ridge_closed_form
    w_ols = ridge(X, y, 0.0, fit_intercept=False)[0]

    def mse(W1, W2):
        R = X[:, 0, None, None] * W1 + X[:, 1, None, None] * W2 - y[:, None, None]
        return np.mean(R**2, axis=0)

    g = np.linspace(-1.6, 2.8, 161)
    W1, W2 = np.meshgrid(g, g)
    Z = mse(W1, W2)
    lam = 120.0
    w_r = ridge(X, y, lam, fit_intercept=False)[0]
    radius = float(np.linalg.norm(w_r))
    path = np.array([ridge(X, y, float(lam_i), fit_intercept=False)[0] for lam_i in np.logspace(-2, 5, 80)])
    # L1 ball of the same "budget" |w1| + |w2| = t: the first contact is the
    # minimum of the loss along the diamond's boundary.
    t = radius
    s = np.linspace(0, 4, 4001)
    corners = np.array([[t, 0], [0, t], [-t, 0], [0, -t], [t, 0]])
    k = np.minimum(s.astype(int), 3)
    frac = (s - k)[:, None]
    boundary = corners[k] * (1 - frac) + corners[k + 1] * frac
    losses = np.mean((X @ boundary.T - y[:, None]) ** 2, axis=0)
    w_l1 = boundary[np.argmin(losses)]
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.4), layout="constrained")
    theta = np.linspace(0, 2 * np.pi, 300)
    for ax, title, shape, w_hat, level_at in (
        (axes[0], "L2: circle", (radius * np.cos(theta), radius * np.sin(theta)), w_r, w_r),
        (axes[1], "L1: diamond", (corners[:, 0], corners[:, 1]), w_l1, w_l1),
    ):
        level = float(np.mean((X @ level_at - y) ** 2))
        lowest = float(np.mean((X @ w_ols - y) ** 2))
        levels = lowest + (level - lowest) * np.array([0.04, 0.2, 0.5, 1.0, 1.8])
        ax.contour(W1, W2, Z, levels=levels, colors="tab:blue", linewidths=[0.8] * 3 + [1.8] + [0.8])
        ax.fill(*shape, color="tab:orange", alpha=0.3, lw=2, ec="tab:orange")
        ax.plot(*w_ols, "kx", ms=9, mew=2)
        ax.annotate("least squares", w_ols, xytext=(6, 6), textcoords="offset points", fontsize=9)
        ax.plot(*w_hat, "o", color="tab:red", ms=7)
        ax.annotate(
            f"({w_hat[0]:.2f}, {w_hat[1]:.2f})", w_hat, xytext=(8, -14), textcoords="offset points", fontsize=9, color="tab:red"
        )
        ax.axhline(0, color="0.5", lw=0.6)
        ax.axvline(0, color="0.5", lw=0.6)
        ax.set_aspect("equal")
        ax.set_xlim(g[0], g[-1])
        ax.set_ylim(-1.4, 2.0)
        ax.set_xlabel("$w_1$")
        ax.set_ylabel("$w_2$")
        ax.set_title(title)
    axes[0].plot(path[:, 0], path[:, 1], ":", color="k", lw=1.4)
    return fig


def fig_validation(sol, plt, np):
    data = polynomial_data()
    lams = np.logspace(-6, 3, 80)
    train, val, _, _ = validation_curve(sol, data, lams)
    best = int(np.argmin(val))
    fig, ax = plt.subplots(figsize=(6.5, 3.6), layout="constrained")
    ax.plot(lams, train, lw=2, label="training error")
    ax.plot(lams, val, lw=2, label="validation error")
    ax.axvline(lams[best], color="0.4", ls=":", lw=1)
    ax.text(lams[best] * 1.4, train.min() * 0.95, f"lowest validation error:\nλ ≈ {lams[best]:.2g}", fontsize=9)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("λ")
    ax.set_ylabel("mean squared error")
    ax.text(2e-6, np.sqrt(train[0] * val[0]), "overfits:\nlarge gap", fontsize=9)
    ax.text(4e1, val[-1] * 0.35, "underfits:\nboth high", fontsize=9)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(0.25, 1.0))
    return fig


def fig_forgotten(sol, plt, np):
    rng = _rng(5)
    n_max, d, lam = 3000, 4, 10.0
    X = rng.normal(size=(n_max, d))
    w_true = np.array([1.0, -2.0, 0.5, 1.5])
    y = X @ w_true + 0.5 + rng.normal(0, 1.0, n_max)
    sizes = np.unique(np.logspace(1, np.log10(n_max), 30).astype(int))
    ridge = sol["closed_form"].ridge_closed_form
    ours, forgot = [], []
    for n in sizes:
        w_ols = ridge(X[:n], y[:n], 1e-12)[0]
        scale = np.linalg.norm(w_ols)
        ours.append(np.linalg.norm(ridge(X[:n], y[:n], lam)[0]) / scale)
        # (1/N)Σr² + λΣw² = (1/N)(Σr² + (λN)Σw²): the same loss with λ' = λ·N.
        forgot.append(np.linalg.norm(ridge(X[:n], y[:n], lam * float(n))[0]) / scale)
    fig, ax = plt.subplots(figsize=(6.5, 3.4), layout="constrained")
    ax.plot(sizes, ours, lw=2, label="(λ/N) Σ w²  (this course)")
    ax.plot(sizes, forgot, lw=2, ls="--", label="λ Σ w²  (1/N forgotten)")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("number of samples N")
    ax.set_ylabel("‖w*‖ / ‖w_OLS‖")
    ax.legend(frameon=False, loc="center right")
    return fig


def fig_shrinkage(sol, plt, np):
    rng = _rng(8)
    n = 50
    scales = np.array([3.0, 1.5, 0.8, 0.3, 0.1])  # columns of very different spread
    X = rng.normal(size=(n, len(scales))) * scales + rng.uniform(-2, 2, len(scales))
    lams = np.logspace(-3, 4, 120)
    shrink = sol["shrinkage"]
    F = np.array([shrink.shrinkage_factors(X, float(lam)) for lam in lams])
    df = np.array([shrink.effective_degrees_of_freedom(X, float(lam)) for lam in lams])
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.6), layout="constrained")
    for j in range(F.shape[1]):
        (line,) = ax1.plot(lams, F[:, j], lw=1.8, label=f"$s_{j + 1}$ = {s[j]:.2g}")
        ax1.plot(s[j] ** 2, 0.5, "o", color=line.get_color(), ms=4)
    ax1.set_xscale("log")
    ax1.set_ylim(0, 1.02)
    ax1.set_xlabel("λ")
    ax1.set_ylabel("$f_j = s_j^2 / (s_j^2 + λ)$")
    ax1.set_title("each direction (dot: λ = $s_j^2$, half kept)")
    ax1.legend(fontsize=8, frameon=False, loc="lower left")
    ax2.plot(lams, df, color="k", lw=2)
    ax2.axhline(len(s), color="0.5", ls=":", lw=1)
    ax2.set_xscale("log")
    ax2.set_ylim(0, len(s) + 0.2)
    ax2.set_xlabel("λ")
    ax2.set_ylabel("df(λ) = Σ $f_j$")
    ax2.set_title(f"degrees of freedom: from {len(s)} down to 0")
    return fig


CAPTIONS["shrinkage-factors"] = (
    "Shrinkage factors, two line charts against lambda on a log axis. Left: five curves, one per singular "
    "direction of a centred design; each starts near 1 at small lambda, passes one half where lambda equals "
    "that direction's squared singular value (marked with a dot) and falls towards 0, the directions with "
    "small singular values first. Right: their sum, the effective degrees of freedom, falling steadily from "
    "5 at small lambda towards 0 at large lambda.",
    "Left: the shrinkage factor sⱼ²/(sⱼ² + λ) of each of five singular directions of a "
    "centred design against λ (log axis). Each falls from 1 to 0, passing ½ at λ = sⱼ² "
    "(dots): the directions with small singular values are shrunk first. Right: their sum, "
    "the effective degrees of freedom, falls from 5 (the rank) towards 0. Computed with the "
    "reference `shrinkage_factors` and `effective_degrees_of_freedom`.",
)


FIGURES = {
    "ridge-trace": fig_ridge_trace,
    "decay-l1-l2": fig_decay,
    "geometry": fig_geometry,
    "validation-curve": fig_validation,
    "forgotten-n": fig_forgotten,
    "shrinkage-factors": fig_shrinkage,
}


# ------------------------------------------------------------------ widgets


def _round(values, digits=6):
    return [float(f"{v:.{digits}g}") for v in values]


def widget_decay(sol, np):
    lrs = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5]
    lams = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
    n, steps, w0 = 20, 60, 2.0
    decay = sol["decay"]
    paths = {}
    for i, lr in enumerate(lrs):
        for j, lam in enumerate(lams):
            factor = float(decay.decay_factor(lr, lam, n))
            try:
                l2 = decay.decay_trajectory([w0], lr, lam, n, steps)[:, 0]
                l2 = _round(l2)
            except ValueError as exc:  # factor <= 0: the reference refuses it
                l2 = None
                message = str(exc)
            entry = {"factor": float(f"{factor:.6g}"), "l2": l2, "l1": _round(l1_path(w0, lr, lam, n, steps))}
            if l2 is None:
                entry["error"] = message
            paths[f"{i},{j}"] = entry
    return {"lrs": lrs, "lams": lams, "n": n, "steps": steps, "w0": w0, "paths": paths, "start": [3, 3]}


def widget_lambda(sol, np):
    data = polynomial_data()
    lams = np.logspace(-6, 3, 46)
    train, val, grid, fits = validation_curve(sol, data, lams)
    return {
        "lams": _round(lams, 4),
        "train": _round(train, 5),
        "val": _round(val, 5),
        "x_train": _round(data["x_train"], 5),
        "y_train": _round(data["y_train"], 5),
        "x_val": _round(data["x_val"][::4], 5),
        "y_val": _round(data["y_val"][::4], 5),
        "grid": _round(grid, 4),
        "truth": _round(data["truth"](grid), 5),
        "fits": [_round(f, 4) for f in fits],
        "degree": data["degree"],
        "start": int(np.argmin(val)),
    }


WIDGETS = {"decay": widget_decay, "lambda": widget_lambda}


# --------------------------------------------------------------------- hooks


def on_files(files: Files, config) -> Files:
    _state.update(figures={}, widgets={}, reason=None)
    mode = os.environ.get("RIDGE_LAB_FIGURES", "auto").strip().lower()
    if mode not in ("auto", "require", "off"):
        raise PluginError(f"figures: RIDGE_LAB_FIGURES must be auto, require or off, not {mode!r}")
    folder = _solutions_dir(config)
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
    sol = load_solutions(folder)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "ridge-lab",
            "svg.fonttype": "path",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
        }
    ):
        for name, draw in FIGURES.items():
            try:
                svg = _svg(draw(sol, plt, np))
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
            if name not in CAPTIONS:
                raise PluginError(f"figures: {page.file.src_uri} asks for unknown figure '{name}'")
            alt, caption = CAPTIONS[name]
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
