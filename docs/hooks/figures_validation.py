"""The validation-curve figure and the data of the λ widget: a degree-12 polynomial fitted for many λ."""

from __future__ import annotations

import numpy as np
from figure_drawing import Figure, rounded
from lesson_data import polynomial_data


def validation_curve(sol, data, lams):
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


def widget_lambda(sol, np):
    data = polynomial_data()
    lams = np.logspace(-6, 3, 46)
    train, val, grid, fits = validation_curve(sol, data, lams)
    return {
        "lams": rounded(lams, 4),
        "train": rounded(train, 5),
        "val": rounded(val, 5),
        "x_train": rounded(data["x_train"], 5),
        "y_train": rounded(data["y_train"], 5),
        "x_val": rounded(data["x_val"][::4], 5),
        "y_val": rounded(data["y_val"][::4], 5),
        "grid": rounded(grid, 4),
        "truth": rounded(data["truth"](grid), 5),
        "fits": [rounded(f, 4) for f in fits],
        "degree": data["degree"],
        "start": int(np.argmin(val)),
    }


FIGURES = {
    "validation-curve": Figure(
        fig_validation,
        alt=(
            "Line chart of mean squared error against lambda, both on log axes, lambda from one millionth to "
            "1000, for a degree-12 polynomial. The training error is lowest at the smallest lambda and rises "
            "steadily as lambda grows. The validation error starts far above it (labelled: overfits, large "
            "gap), falls to a minimum marked by a dotted vertical line and labelled with its lambda, then "
            "rises again together with the training error at large lambda (labelled: underfits, both high)."
        ),
        caption=(
            "Training and validation error (mean squared error, no penalty) of a degree-12 polynomial fitted "
            "by the reference `ridge_closed_form` on a small synthetic data set. Training error only grows "
            "with λ; validation error falls, bottoms out, and rises again once λ underfits."
        ),
    ),
}
WIDGETS = {"lambda": widget_lambda}
