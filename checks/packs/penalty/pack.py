"""The penalty pack: example calls, the oracle's answers and the known mistakes.

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

_FORGOT_N = "you forgot to divide the penalty by N (the number of samples): yours is exactly N times too large. Use (λ/N) Σ w²."
_HALF = "you used the ½ convention (λ/2N) Σ w²: this course's penalty has no ½. Use (λ/N) Σ w²."

EXAMPLE_CALLS = {
    "l2_penalty": [(ex.w, 0.7, 5), (ex.w_more, 2.5, 3)],
    "ridge_loss": [(ex.X, ex.y, ex.w, 0.9, 0.7), (ex.X[:5], ex.y[:5], ex.w_more, -1.3, 2.5)],
}

# Valid calls for the contract checks, drawn under the grading seed (shapes and values vary).
VALID_CALLS = {
    "l2_penalty": gen.calls(lambda rng: (gen.generic(rng, rng.integers(1, 6)), gen.moderate_lam(rng), int(rng.integers(2, 30)))),
    "ridge_loss": gen.calls(gen.problem_arguments),
}

CORRECT = {
    "l2_penalty": lambda *a: exact.l2_penalty(*a)[0],
    "ridge_loss": lambda *a: exact.ridge_loss(*a)[0],
}

MISCONCEPTIONS = [
    # l2_penalty
    Misconception("l2_penalty.forgot_1_over_n", _FORGOT_N, lambda w, lam, n: lam * plain.sumsq(w)),
    Misconception("l2_penalty.half_convention", _HALF, lambda w, lam, n: lam * plain.sumsq(w) / (2 * n)),
    Misconception(
        "l2_penalty.l1_instead_of_l2",
        "you summed absolute values |w| (the L1 penalty). L2 squares each weight: (λ/N) Σ w².",
        lambda w, lam, n: lam * float(np.abs(w).sum()) / n,
    ),
    Misconception(
        "l2_penalty.norm_not_squared",
        "you used the norm ‖w‖ instead of its square ‖w‖² = Σ w². Drop the square root.",
        lambda w, lam, n: lam * float(np.sqrt(plain.sumsq(w))) / n,
    ),
    # ridge_loss
    Misconception("ridge_loss.forgot_1_over_n", _FORGOT_N, lambda X, y, w, b, lam: plain.mse(X, y, w, b) + lam * plain.sumsq(w)),
    Misconception(
        "ridge_loss.half_convention", _HALF, lambda X, y, w, b, lam: plain.mse(X, y, w, b) + lam * plain.sumsq(w) / (2 * len(y))
    ),
    Misconception(
        "ridge_loss.penalizes_bias",
        "your loss penalizes the bias b² as well. The bias is never penalized: the penalty is (λ/N) Σ wⱼ² over the weights only.",
        lambda X, y, w, b, lam: plain.mse(X, y, w, b) + lam * (plain.sumsq(w) + b * b) / len(y),
    ),
    Misconception(
        "ridge_loss.sum_not_mean",
        "you summed the squared errors instead of averaging them: divide Σ (ŷ − y)² by N.",
        lambda X, y, w, b, lam: plain.mse(X, y, w, b) * len(y) + lam * plain.sumsq(w) / len(y),
    ),
    Misconception(
        "ridge_loss.l1_instead_of_l2",
        "your penalty sums |w| (L1). The L2 penalty squares each weight: (λ/N) Σ w².",
        lambda X, y, w, b, lam: plain.mse(X, y, w, b) + lam * float(np.abs(w).sum()) / len(y),
    ),
    Misconception(
        "ridge_loss.forgot_penalty",
        "your loss has no penalty term: add (λ/N) Σ w² to the mean squared error.",
        lambda X, y, w, b, lam: plain.mse(X, y, w, b),
    ),
]
