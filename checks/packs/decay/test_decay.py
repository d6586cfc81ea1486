"""Checks for exercises/decay.py: ``decay_factor`` and ``decay_trajectory``."""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from checks.engine import contract
from checks.engine import feedback as fb
from checks.engine.diagnosis import diagnose
from checks.packs.decay.pack import EXAMPLE_CALLS, VALID_CALLS
from checks.packs.shared import exact as oracles
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen

STRICT_SHRINK_BELOW = 1 - 1e-9  # contract §5: strict shrinkage is checked only below this factor


@st.composite
def decaying(draw, *, strict=False):
    """(lr, λ, N) whose decay factor lies in (0, 1]; ``strict``: at most 1 − 1e-9."""
    n_samples = draw(gen.sample_counts())
    lam = draw(st.floats(1e-3, 1e3)) if strict else draw(gen.lams())
    # The factor is 1 − 2·lr·λ/N: draw the fraction of the way to zero instead of lr.
    fraction = draw(st.floats(1e-6 if strict else 0.0, 0.999))
    # At most 1e6: with λ near the smallest float, N / 2λ overflows 2·lr·λ (capping lr only moves the factor towards 1).
    lr = min(max(fraction * n_samples / (2 * lam), 1e-12), 1e6) if lam > 0 else draw(gen.learning_rates())
    return lr, lam, n_samples


@given(lr=st.floats(1e-4, 10.0), lam=gen.lams(), n_samples=gen.sample_counts())
@example(lr=0.05, lam=0.7, n_samples=5)
@example(lr=0.1, lam=2.5, n_samples=3)
def test_decay_factor_matches_formula(decay, lr, lam, n_samples):
    """Also where the factor is ≤ 0: the formula's value is returned, not clipped."""
    call = fb.describe_call("decay_factor", lr, lam, n_samples)
    got = fb.as_number(decay.decay_factor(lr, lam, n_samples), call)
    expected = oracles.decay_factor(lr, lam, n_samples)
    scale = 1 + 2 * lr * lam / n_samples
    fb.expect_close(got, expected, scale, call, formula="1 − 2·lr·λ/N", diagnose=lambda: diagnose(decay, "decay_factor"))


@given(w0=gen.vectors(4), params=decaying(), n_steps=st.integers(0, 30))
@example(w0=ex.w, params=(0.05, 0.7, 5), n_steps=4)
@example(w0=ex.w_more, params=(0.1, 2.5, 3), n_steps=3)
def test_decay_trajectory_matches_formula(decay, w0, params, n_steps):
    lr, lam, n_samples = params
    call = fb.describe_call("decay_trajectory", w0, lr, lam, n_samples, n_steps)
    expected = oracles.decay_trajectory(w0, lr, lam, n_samples, n_steps)
    hint = lambda: diagnose(decay, "decay_trajectory")  # noqa: E731
    got = decay.decay_trajectory(w0, lr, lam, n_samples, n_steps)
    if np.shape(got) != expected.shape:
        fb.fail(
            f"{call} returned shape {np.shape(got)}; expected {expected.shape} (n_steps + 1 rows, one per step t = 0 … n_steps)."
            + (f"\nDiagnosis: {known}" if (known := hint()) else "")
        )
    got = fb.as_vector(got, call, expected.shape)
    # Row t has t roundings of the factor in it: allow for them (measured: correct code stays within t·2e-16).
    scale = np.abs(expected) * (1 + np.arange(n_steps + 1))[:, None]
    fb.expect_close(got, expected, scale, call, formula="w0 · factor**t, t = 0 … n_steps", diagnose=hint)


@given(w0=gen.vectors(4).filter(lambda w: np.all(w != 0)), params=decaying(strict=True), n_steps=st.integers(1, 60))
@example(w0=ex.w, params=(0.05, 0.7, 5), n_steps=40)
def test_weights_keep_sign_and_shrink_but_never_reach_zero(decay, w0, params, n_steps):
    """With 0 < factor < 1, every weight keeps its sign and shrinks strictly, but never reaches 0."""
    lr, lam, n_samples = params
    call = fb.describe_call("decay_trajectory", w0, lr, lam, n_samples, n_steps)
    path = fb.as_vector(decay.decay_trajectory(w0, lr, lam, n_samples, n_steps), call, (n_steps + 1, len(w0)))
    # Beyond the float range (values underflowing to subnormals) nothing is required.
    in_range = np.abs(oracles.decay_trajectory(w0, lr, lam, n_samples, n_steps)) > fb.TINY
    hint = lambda: f"\nDiagnosis: {known}" if (known := diagnose(decay, "decay_trajectory")) else ""  # noqa: E731
    for t in range(1, n_steps + 1):
        row, previous = path[t], path[t - 1]
        for j in np.flatnonzero(in_range[t]):
            if row[j] == 0:
                fb.fail(
                    f"{call}: weight {j} reached exactly 0 at step {t}. L2 decay multiplies by the factor each step and never reaches zero."
                    + hint()
                )
            if np.sign(row[j]) != np.sign(w0[j]):
                fb.fail(
                    f"{call}: weight {j} changed sign at step {t} ({fb.show(previous[j])} → {fb.show(row[j])}). With 0 < factor < 1 the sign is kept."
                    + hint()
                )
            if not abs(row[j]) < abs(previous[j]):
                fb.fail(
                    f"{call}: weight {j} did not shrink at step {t} ({fb.show(previous[j])} → {fb.show(row[j])}). With factor < 1 every step shrinks it."
                    + hint()
                )


# overshoot ≥ 1.001: at exactly 1 the factor 1 − 2·lr·λ/N rounds to ±1e-16, not reliably ≤ 0
@given(
    lam=st.floats(0.1, 100.0),
    n_samples=gen.sample_counts(),
    overshoot=st.floats(1.001, 100.0),
    valid=VALID_CALLS["decay_trajectory"],
)
@example(lam=2.5, n_samples=3, overshoot=1.5, valid=EXAMPLE_CALLS["decay_trajectory"][0])
def test_trajectory_rejects_nonpositive_factor(decay, lam, n_samples, overshoot, valid):
    """A factor ≤ 0 (lr ≥ N / 2λ) flips the weights' sign: ValueError naming lr (and a valid call is answered)."""
    lr = overshoot * n_samples / (2 * lam)
    w0 = np.array([1.5, -0.5])
    factor = 1 - 2 * lr * lam / n_samples
    why = f"the decay factor 1 − 2·lr·λ/N = {factor:.4g} is ≤ 0 (learning rate too large for this λ)"
    contract.expect_rejected(decay, "decay_trajectory", list(valid), [([w0, lr, lam, n_samples, 3], ("lr",), why)])
