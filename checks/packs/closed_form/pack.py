"""The closed_form pack: example calls, the oracle's answers and the known mistakes.

``EXAMPLE_CALLS`` are valid, generic arguments (no zeros or ones, N > 1) from
which the contract checks derive bad input and on which every mistake below
gives a different answer: the diagnosis probes with them.
"""

from __future__ import annotations

import numpy as np

from checks.engine.diagnosis import Misconception
from checks.packs.shared import exact, plain
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen

EXAMPLE_CALLS = {
    "ridge_closed_form": [(ex.X, ex.y, 0.7, True), (ex.X, ex.y, 2.5, True), (ex.X, ex.y, 0.7, False)],
}


def _well_posed(rng: np.random.Generator) -> tuple:
    """(X, y, λ, fit_intercept) on full-column-rank data with a condition number of at most 10."""
    fit_intercept = bool(rng.integers(2))
    n_samples, n_features = gen.sizes(rng)
    X = gen.design(rng, n_samples, n_features, 10 ** rng.uniform(0, 1), centred=fit_intercept)
    return X, X @ gen.generic(rng, n_features) + gen.generic(rng, n_samples), gen.moderate_lam(rng), fit_intercept


# Valid calls for the contract checks, drawn under the grading seed (shapes and values vary).
VALID_CALLS = {"ridge_closed_form": gen.calls(_well_posed)}

CORRECT = {
    "ridge_closed_form": exact.ridge_closed_form,
}

MISCONCEPTIONS = [
    # ridge_closed_form
    Misconception(
        "ridge_closed_form.no_centering",
        "you did not centre X and y before solving. With an intercept, solve with Xc = X − x̄ and yc = y − ȳ, then b = ȳ − x̄ᵀw.",
        lambda X, y, lam, fit: plain.closed(X, y, lam, fit, centre=False),
    ),
    Misconception(
        "ridge_closed_form.penalizes_intercept",
        "you penalized the intercept (a column of ones inside (AᵀA + λI)). Centre instead, so λ only touches the weights.",
        lambda X, y, lam, fit: plain.closed(X, y, lam, fit, penalize_intercept=True),
    ),
    Misconception(
        "ridge_closed_form.lambda_times_n",
        "you used λ·N in place of λ. Under this course's loss the system is (XcᵀXc + λI) w = Xcᵀyc: the N cancels.",
        lambda X, y, lam, fit: plain.closed(X, y, lam, fit, lam_scale=len(y)),
    ),
    Misconception(
        "ridge_closed_form.lambda_over_n",
        "you used λ/N in place of λ. Under this course's loss the system is (XcᵀXc + λI) w = Xcᵀyc: the N cancels.",
        lambda X, y, lam, fit: plain.closed(X, y, lam, fit, lam_scale=1 / len(y)),
    ),
    Misconception(
        "ridge_closed_form.bias_is_mean_y",
        "your intercept is mean(y). It is b = ȳ − x̄ᵀw: subtract the weights' share of the mean.",
        lambda X, y, lam, fit: plain.closed(X, y, lam, fit, plain_bias=True),
    ),
    Misconception(
        "ridge_closed_form.lambda_on_one_entry",
        "you added λ to one diagonal entry only. Add λ to every diagonal entry: XcᵀXc + λ·I with I = numpy.eye(d).",
        lambda X, y, lam, fit: plain.closed(X, y, lam, fit, one_entry=True),
    ),
]
