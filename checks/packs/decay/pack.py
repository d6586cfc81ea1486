"""The decay pack: example calls, the oracle's answers and the known mistakes.

``EXAMPLE_CALLS`` are valid, generic arguments (no zeros or ones, N > 1) from
which the contract checks derive bad input and on which every mistake below
gives a different answer: the diagnosis probes with them.
"""

from __future__ import annotations

import numpy as np

from checks.engine.diagnosis import Misconception
from checks.packs.shared import exact
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen


def _linear_decay(w0, lr, lam, n, steps):
    w0 = np.asarray(w0, float)
    t = np.arange(steps + 1)[:, None]
    return np.sign(w0) * np.maximum(np.abs(w0) - t * 2 * lr * lam / n * np.abs(w0).max(), 0.0)


EXAMPLE_CALLS = {
    "decay_factor": [(0.05, 0.7, 5), (0.1, 2.5, 3)],
    "decay_trajectory": [(ex.w, 0.05, 0.7, 5, 4), (ex.w_more, 0.1, 2.5, 3, 3)],
}


def _decaying_trajectory(rng: np.random.Generator) -> tuple:
    """(w0, lr, λ, N, n_steps) whose decay factor lies between 0.1 and 0.99."""
    lam, n_samples = gen.moderate_lam(rng), int(rng.integers(2, 30))
    lr = (1 - rng.uniform(0.1, 0.99)) * n_samples / (2 * lam)
    return gen.generic(rng, rng.integers(1, 6)), float(lr), lam, n_samples, int(rng.integers(1, 12))


# Valid calls for the contract checks, drawn under the grading seed (shapes and values vary).
VALID_CALLS = {
    "decay_factor": gen.calls(lambda rng: (float(rng.uniform(0.001, 1.0)), gen.moderate_lam(rng), int(rng.integers(2, 30)))),
    "decay_trajectory": gen.calls(_decaying_trajectory),
}

CORRECT = {
    "decay_factor": exact.decay_factor,
    "decay_trajectory": exact.decay_trajectory,
}

MISCONCEPTIONS = [
    # decay_factor
    Misconception(
        "decay_factor.half_convention",
        "your factor is 1 − lr·λ/N, the ½-convention factor. With this course's loss the penalty gradient is (2λ/N) w, so the factor is 1 − 2·lr·λ/N.",
        lambda lr, lam, n: 1 - lr * lam / n,
    ),
    Misconception(
        "decay_factor.forgot_1_over_n",
        "your factor has no N: it is 1 − 2·lr·λ/N (the penalty is averaged over the N samples).",
        lambda lr, lam, n: 1 - 2 * lr * lam,
    ),
    Misconception(
        "decay_factor.returned_decrement",
        "you returned the decrement 2·lr·λ/N, the part taken away. The factor is what multiplies w: 1 − 2·lr·λ/N.",
        lambda lr, lam, n: 2 * lr * lam / n,
    ),
    # decay_trajectory
    Misconception(
        "decay_trajectory.n_steps_rows",
        "your trajectory has n_steps rows. Row 0 is w0 itself, so there are n_steps + 1 rows (t = 0 … n_steps).",
        lambda w0, lr, lam, n, steps: exact.decay_trajectory(w0, lr, lam, n, steps)[:-1],
    ),
    Misconception(
        "decay_trajectory.starts_at_step_1",
        "your trajectory starts one step late: row 0 must be w0 itself (factor⁰), row t is w0 · factor**t.",
        lambda w0, lr, lam, n, steps: exact.decay_trajectory(w0, lr, lam, n, steps + 1)[1:],
    ),
    Misconception(
        "decay_trajectory.linear_decay",
        "your weights shrink by a constant amount each step and reach zero: that is L1's linear decay. "
        "L2 multiplies by the factor each step, w0 · factor**t, which never reaches zero.",
        _linear_decay,
    ),
]
