"""The bias pack: example calls, the oracle's answers and the known mistakes.

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
    "augmented_gradient": [(ex.Xa, ex.y, np.r_[0.9, ex.w], 0.7), (ex.Xa[:5], ex.y[:5], np.r_[-1.3, ex.w_more], 2.5)],
    "gradient_step": [(ex.X, ex.y, ex.w, 0.9, 0.7, 0.05), (ex.X[:5], ex.y[:5], ex.w_more, -1.3, 2.5, 0.1)],
}

# Valid calls for the contract checks, drawn under the grading seed (shapes and values vary).
VALID_CALLS = {
    "augmented_gradient": gen.calls(
        lambda rng: (
            (Xa := np.hstack([np.ones((len(X := gen.generic(rng, gen.sizes(rng))), 1)), X])),
            gen.generic(rng, len(Xa)),
            gen.generic(rng, Xa.shape[1]),
            gen.moderate_lam(rng),
        )
    ),
    "gradient_step": gen.calls(lambda rng: (*gen.problem_arguments(rng), float(rng.uniform(0.01, 0.5)))),
}

CORRECT = {
    "augmented_gradient": lambda *a: exact.augmented_gradient(*a)[0],
    "gradient_step": lambda *a: exact.gradient_step(*a)[0],
}

MISCONCEPTIONS = [
    # augmented_gradient
    Misconception(
        "augmented_gradient.penalizes_theta0",
        "you penalized θ[0], the bias. Zero the first entry of the penalty: (2λ/N)·[0, w₁, …, w_d].",
        lambda Xa, y, theta, lam: plain.data_grad(Xa, y, theta, 0.0)[0] + 2 * lam * np.asarray(theta, float) / len(y),
    ),
    Misconception(
        "augmented_gradient.forgot_1_over_n",
        plain.GRAD_FORGOT_N,
        lambda Xa, y, theta, lam: plain.data_grad(Xa, y, theta, 0.0)[0] + 2 * lam * np.r_[0.0, np.asarray(theta, float)[1:]],
    ),
    # gradient_step
    Misconception(
        "gradient_step.decays_bias",
        "your step decays the bias as well as the weights. Only w is multiplied by the decay factor; b ← b − lr·(2/N) Σ(ŷ − y).",
        lambda X, y, w, b, lam, lr: (
            np.asarray(w, float) - lr * plain.gradients(X, y, w, b, lam)[0],
            b - lr * plain.gradients(X, y, w, b, lam, bias_penalty=1.0)[1],
        ),
    ),
    Misconception(
        "gradient_step.climbs",
        "your step goes up the gradient. Gradient descent subtracts: w − lr·∇w J and b − lr·∂J/∂b.",
        lambda X, y, w, b, lam, lr: (
            np.asarray(w, float) + lr * plain.gradients(X, y, w, b, lam)[0],
            b + lr * plain.gradients(X, y, w, b, lam)[1],
        ),
    ),
    Misconception(
        "gradient_step.penalty_forgot_1_over_n",
        "your step decays the weights N times too hard: the decay factor is 1 − 2·lr·λ/N, with the N.",
        lambda X, y, w, b, lam, lr: (
            np.asarray(w, float) - lr * plain.gradients(X, y, w, b, lam, penalty_scale=len(y))[0],
            b - lr * plain.gradients(X, y, w, b, lam)[1],
        ),
    ),
]
