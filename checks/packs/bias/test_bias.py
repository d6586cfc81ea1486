"""Checks for exercises/bias.py: ``augmented_gradient`` and ``gradient_step``."""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checks.engine import feedback as fb
from checks.engine.diagnosis import diagnose
from checks.packs.shared import exact as oracles
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen

HUGE_LAMBDA = 1e6
HUGE_LAMBDA_STEPS = 30  # decay factor 1/2: the weights fall by 2**-30, the bias barely moves
HUGE_LAMBDA_START_WEIGHT = 3.0
HUGE_LAMBDA_RTOL = 1e-3  # of ‖w0‖ for w, of mean(y) for b (tests/test_tolerances.py measures the margin)


def _augmented(problem):
    p = problem
    return np.hstack([np.ones((len(p.y), 1)), p.X]), np.concatenate([[p.b], p.w])


def _step(bias, X, y, w, b, lam, lr):
    """Call gradient_step and return (w_new, b_new, call text), failing on a malformed result."""
    call = fb.describe_call("gradient_step", X, y, w, b, lam, lr)
    w_new, b_new = fb.as_pair(bias.gradient_step(X, y, w, b, lam, lr), call)
    return fb.as_vector(w_new, call, np.shape(w)), fb.as_number(b_new, call), call


@given(problem=gen.problems())
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7))
@example(problem=gen.Problem(X=ex.X[:5], y=ex.y[:5], w=ex.w_more, b=-1.3, lam=2.5))
def test_augmented_gradient_matches_formula(bias, problem):
    Xa, theta = _augmented(problem)
    call = fb.describe_call("augmented_gradient", Xa, problem.y, theta, problem.lam)
    got = fb.as_vector(bias.augmented_gradient(Xa, problem.y, theta, problem.lam), call, theta.shape)
    expected, scale = oracles.augmented_gradient(Xa, problem.y, theta, problem.lam)
    fb.expect_close(
        got,
        expected,
        scale,
        call,
        formula="(2/N) Xaᵀ(Xa θ − y) + (2λ/N)·[0, θ₁, …]",
        diagnose=lambda: diagnose(bias, "augmented_gradient"),
    )


@given(problem=gen.problems(), lam=st.floats(0.5, 1e3))
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7), lam=2.5)
def test_augmented_gradient_skips_the_bias(bias, problem, lam):
    """The entry for θ[0] (the bias) is the same for every λ."""
    Xa, theta = _augmented(problem)
    calls, entries = [], []
    for value in (0.0, lam):
        call = fb.describe_call("augmented_gradient", Xa, problem.y, theta, value)
        entries.append(fb.as_vector(bias.augmented_gradient(Xa, problem.y, theta, value), call, theta.shape)[0])
        calls.append(call)
    _, scale = oracles.augmented_gradient(Xa, problem.y, theta, lam)
    if abs(entries[0] - entries[1]) > fb.FORMULA_RTOL * scale[0] + fb.TINY:
        fb.fail(
            f"The bias entry θ[0] of the gradient changes with λ: {fb.show(entries[0])} from {calls[0]} "
            f"but {fb.show(entries[1])} from {calls[1]}.\nThe penalty must skip θ[0]: use (2λ/N)·[0, θ₁, …, θ_d]."
        )


@given(problem=gen.problems(), lr=gen.learning_rates())
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7), lr=0.05)
@example(problem=gen.Problem(X=ex.X[:5], y=ex.y[:5], w=ex.w_more, b=-1.3, lam=2.5), lr=0.1)
def test_gradient_step_matches_formula(bias, problem, lr):
    p = problem
    w_new, b_new, call = _step(bias, p.X, p.y, p.w, p.b, p.lam, lr)
    (expected_w, expected_b), (scale_w, scale_b) = oracles.gradient_step(p.X, p.y, p.w, p.b, p.lam, lr)
    hint = lambda: diagnose(bias, "gradient_step")  # noqa: E731
    fb.expect_close(
        w_new, expected_w, scale_w, call, what="w_new", formula="(1 − 2·lr·λ/N) w − lr·(2/N) Xᵀ(ŷ − y)", diagnose=hint
    )
    fb.expect_close(b_new, expected_b, scale_b, call, what="b_new", formula="b − lr·(2/N) Σ(ŷ − y)", diagnose=hint)


@given(problem=gen.problems(), lam=st.floats(0.5, 1e3), lr=gen.learning_rates())
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7), lam=2.5, lr=0.05)
def test_gradient_step_does_not_decay_the_bias(bias, problem, lam, lr):
    """The new bias is the same for every λ."""
    p = problem
    _, b_plain, call = _step(bias, p.X, p.y, p.w, p.b, 0.0, lr)
    _, b_decayed, other_call = _step(bias, p.X, p.y, p.w, p.b, lam, lr)
    _, (_, scale_b) = oracles.gradient_step(p.X, p.y, p.w, p.b, lam, lr)
    if abs(b_plain - b_decayed) > fb.FORMULA_RTOL * scale_b + fb.TINY:
        fb.fail(
            f"b_new changes with λ: {fb.show(b_plain)} from {call} but {fb.show(b_decayed)} from {other_call}.\n"
            "Only the weights are decayed; the bias step b − lr·(2/N) Σ(ŷ − y) has no λ in it."
        )


def _descend(bias, data, lam, lr, steps, w, b):
    for _ in range(steps):
        w, b, _ = _step(bias, data.X, data.y, w, b, lam, lr)
        if not (np.all(np.isfinite(w)) and np.isfinite(b)):
            fb.fail(f"gradient descent with your gradient_step diverged (lr={lr:.4g}, λ={lam:.4g}): w became {fb.show(w)}.")
    return w, b


@settings(max_examples=3)
@given(data=gen.well_posed(fit_intercept=True, lam_zero=False, max_log_condition=0.2, max_offset=0.5))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True))
def test_gradient_descent_converges_to_closed_form(bias, data):
    """Repeated steps from zero reach the minimizer of J (the checks' own closed form)."""
    n_samples, n_features = data.X.shape
    lam = min(data.lam, 10.0)
    augmented = np.hstack([np.ones((n_samples, 1)), data.X])
    hessian = 2 * (augmented.T @ augmented + lam * np.diag([0.0] + [1.0] * n_features)) / n_samples
    smallest, largest = np.linalg.eigvalsh(hessian)[[0, -1]]
    # The step 2/(L + μ) contracts the error by (κ − 1)/(κ + 1) per step: take enough for 1e-13.
    lr = 2 / (largest + smallest)
    rate = (largest - smallest) / (largest + smallest)
    steps = int(min(120, np.ceil(np.log(1e-13) / np.log(max(rate, 1e-3))) + 5))
    w, b = _descend(bias, data, lam, lr, steps, np.zeros(n_features), 0.0)
    expected_w, expected_b = oracles.ridge_closed_form(data.X, data.y, lam)
    if not (fb.coefficients_close(w, expected_w) and fb.coefficients_close(b, expected_b)):
        fb.fail(
            f"{steps} steps of gradient descent with your gradient_step (lr = {lr:.4g}, λ = {lam:.4g}, from w = 0, b = 0) "
            f"ended at w = {fb.show(w)}, b = {fb.show(b)}; the minimizer of J is w* = {fb.show(expected_w)}, "
            f"b* = {fb.show(expected_b)}.\nA correct step converges to w*, b*: check the signs and the λ term."
            + (f"\nDiagnosis: {known}" if (known := diagnose(bias, "gradient_step")) else "")
        )


@settings(max_examples=2)
@given(data=gen.well_posed(fit_intercept=True, lam_zero=False), y_mean=st.floats(10.0, 50.0))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True), y_mean=10.0)
def test_huge_lambda_sends_weights_to_zero_but_not_the_bias(bias, data, y_mean):
    """With λ = 1e6, descent drives w to 0 while b stays at mean(y): the bias is not penalized.

    mean(y) is set to 10–50, far from 0, so that a decayed bias visibly leaves it.
    A correct step still moves b a little (by 2·lr·(mean(X)·w + b − mean(y)), with
    lr = N/(4λ)); tests/test_tolerances.py requires correct steps to stay under a
    tenth of both tolerances. Left to the data, mean(y) could come near 0, where
    that move exceeded HUGE_LAMBDA_RTOL·|mean(y)| and failed correct work.
    """
    y = data.y - data.y.mean() + y_mean
    n_samples, n_features = data.X.shape
    lam = HUGE_LAMBDA
    lr = n_samples / (4 * lam)  # decay factor 1/2
    start_w = np.full(n_features, HUGE_LAMBDA_START_WEIGHT)
    shifted = gen.WellPosed(data.X, y, lam, True)
    w, b = _descend(bias, shifted, lam, lr, HUGE_LAMBDA_STEPS, start_w, float(y.mean()))
    if np.linalg.norm(w) > HUGE_LAMBDA_RTOL * np.linalg.norm(start_w) or abs(b - y.mean()) > HUGE_LAMBDA_RTOL * abs(y.mean()):
        fb.fail(
            f"{HUGE_LAMBDA_STEPS} steps of gradient descent with λ = 1e6 (decay factor 1/2) from w = {fb.show(start_w)}, b = mean(y) = "
            f"{fb.show(y.mean())} ended at w = {fb.show(w)}, b = {fb.show(b)}.\n"
            "Expected w ≈ 0 (weights are decayed) and b ≈ mean(y) (the bias is never decayed)."
            + (f"\nDiagnosis: {known}" if (known := diagnose(bias, "gradient_step")) else "")
        )
