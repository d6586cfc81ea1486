"""The gradient pack: example calls, the oracle's answers and the known mistakes.

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
    "penalty_gradient": [(ex.w, 0.7, 5), (ex.w_more, 2.5, 3)],
    "ridge_gradients": [(ex.X, ex.y, ex.w, 0.9, 0.7), (ex.X[:5], ex.y[:5], ex.w_more, -1.3, 2.5)],
}

# Valid calls for the contract checks, drawn under the grading seed (shapes and values vary).
VALID_CALLS = {
    "penalty_gradient": gen.calls(
        lambda rng: (gen.generic(rng, rng.integers(1, 6)), gen.moderate_lam(rng), int(rng.integers(2, 30)))
    ),
    "ridge_gradients": gen.calls(gen.problem_arguments),
}

CORRECT = {
    "penalty_gradient": lambda w, lam, n: 2 * lam * np.asarray(w, float) / n,
    "ridge_gradients": lambda *a: exact.ridge_gradients(*a)[0],
}

MISCONCEPTIONS = [
    # penalty_gradient
    Misconception("penalty_gradient.forgot_1_over_n", plain.GRAD_FORGOT_N, lambda w, lam, n: 2 * lam * np.asarray(w, float)),
    Misconception(
        "penalty_gradient.forgot_factor_2",
        "your penalty gradient is half the right size: the derivative of wⱼ² is 2wⱼ, so the gradient is (2λ/N) w.",
        lambda w, lam, n: lam * np.asarray(w, float) / n,
    ),
    Misconception(
        "penalty_gradient.sign_flipped",
        "your penalty gradient has the wrong sign: it points towards larger weights. It is +(2λ/N) w.",
        lambda w, lam, n: -2 * lam * np.asarray(w, float) / n,
    ),
    # ridge_gradients
    Misconception(
        "ridge_gradients.penalty_forgot_1_over_n",
        plain.GRAD_FORGOT_N,
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, penalty_scale=len(y)),
    ),
    Misconception(
        "ridge_gradients.penalty_forgot_factor_2",
        "your penalty gradient is half the right size: d/dw of (λ/N) w² is (2λ/N) w.",
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, penalty_scale=0.5),
    ),
    Misconception(
        "ridge_gradients.penalty_sign_flipped",
        "your penalty gradient has the wrong sign: add +(2λ/N) w, do not subtract it.",
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, penalty_scale=-1.0),
    ),
    Misconception(
        "ridge_gradients.data_sign_flipped",
        "your data gradient has the wrong sign: it is (2/N) Xᵀ(ŷ − y), prediction minus target.",
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, data_scale=-1.0),
    ),
    Misconception(
        "ridge_gradients.data_forgot_1_over_n",
        "your data gradient is N times too large: divide Xᵀ(ŷ − y) and Σ(ŷ − y) by N (it is a mean).",
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, data_scale=len(y)),
    ),
    Misconception(
        "ridge_gradients.forgot_penalty",
        "your weight gradient has no penalty term: add (2λ/N) w.",
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, penalty_scale=0.0),
    ),
    Misconception(
        "ridge_gradients.bias_penalized",
        "your bias gradient includes a penalty term (2λ/N) b. The bias is never penalized: ∂J/∂b = (2/N) Σ(ŷ − y), with no λ.",
        lambda X, y, w, b, lam: plain.gradients(X, y, w, b, lam, bias_penalty=1.0),
    ),
]
