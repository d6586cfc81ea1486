"""Checks for exercises/closed_form.py: ``ridge_closed_form``."""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checks.engine import feedback as fb
from checks.engine.diagnosis import diagnose
from checks.packs.shared import exact as oracles
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen


def _solve(closed_form, X, y, lam, fit_intercept=True):
    """Call ridge_closed_form and return (w, b, call text), failing on a malformed result."""
    call = fb.describe_call("ridge_closed_form", X, y, lam, fit_intercept)
    w, b = fb.as_pair(closed_form.ridge_closed_form(X, y, lam, fit_intercept), call)
    return fb.as_vector(w, call, (np.shape(X)[1],)), fb.as_number(b, call), call


def _diagnosis(closed_form) -> str:
    known = diagnose(closed_form, "ridge_closed_form")
    return f"\nDiagnosis: {known}" if known else ""


@given(data=gen.well_posed())
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=False))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=2.5, fit_intercept=True))
def test_matches_reference_solution(closed_form, data):
    """On well-posed data, (w, b) agree with the checks' own augmented least-squares solve."""
    w, b, call = _solve(closed_form, data.X, data.y, data.lam, data.fit_intercept)
    expected_w, expected_b = oracles.ridge_closed_form(data.X, data.y, data.lam, data.fit_intercept)
    if not (fb.coefficients_close(w, expected_w) and fb.coefficients_close(b, expected_b)):
        fb.fail(
            f"{call} returned w = {fb.show(w)}, b = {fb.show(b)}; expected w* = {fb.show(expected_w)}, b* = {fb.show(expected_b)}"
            " = the minimizer of (1/N) Σ (Xw + b − y)² + (λ/N) Σ w²." + _diagnosis(closed_form)
        )


@given(data=st.one_of(gen.well_posed(), gen.well_posed(wide=True)))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=False))
def test_gradient_is_zero_at_the_solution(closed_form, data):
    """∇J(w*, b*) = 0, also when there are more features than samples (d > N)."""
    w, b, call = _solve(closed_form, data.X, data.y, data.lam, data.fit_intercept)
    (grad_w, grad_b), (scale_w, scale_b) = oracles.ridge_gradients(data.X, data.y, w, b, data.lam)
    # At a correct answer the gradient is rounding noise (~1e-14 of its scale); the usual bugs leave ≥ 1e-7.
    residual = np.abs(np.append(grad_w, grad_b if data.fit_intercept else 0.0))
    scale = np.append(scale_w, scale_b)
    if np.any(residual > 1e-8 * scale + 1e-12):
        fb.fail(
            f"{call} returned w = {fb.show(w)}, b = {fb.show(b)}, where the gradient of J is not zero: "
            f"∇w J = {fb.show(grad_w)}"
            + (f", ∂J/∂b = {fb.show(grad_b)}" if data.fit_intercept else "")
            + ". The minimizer of J has ∇J = 0."
            + _diagnosis(closed_form)
        )


@settings(max_examples=10)
@given(data=gen.well_posed(lam_zero=False))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True))
def test_weights_shrink_as_lambda_grows(closed_form, data):
    """‖w*(λ)‖₂ is non-increasing in λ (a single coefficient need not shrink monotonically)."""
    lams = data.lam * np.array([0.0, 0.1, 1.0, 10.0, 100.0, 1e4])
    norms = []
    for lam in lams:
        w, _, _ = _solve(closed_form, data.X, data.y, float(lam), data.fit_intercept)
        norms.append(float(np.linalg.norm(w)))
    for (low, high), (n_low, n_high) in zip(zip(lams, lams[1:]), zip(norms, norms[1:])):
        if n_high > n_low * (1 + 1e-9) + 1e-12:
            fb.fail(
                f"‖w*‖ grew from {fb.show(n_low)} at λ = {fb.show(low)} to {fb.show(n_high)} at λ = {fb.show(high)} "
                f"on X = {fb.show(data.X)}, y = {fb.show(data.y)}.\nA larger λ never makes the weight vector longer."
                + _diagnosis(closed_form)
            )


@given(data=gen.well_posed(lam_zero=False), factor=st.floats(1.0, 1e6))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True), factor=1e5)
def test_weights_never_reach_zero(closed_form, data, factor):
    """For finite λ and Xcᵀyc ≠ 0, w* is not the zero vector (L2 shrinks, it does not select)."""
    lam = data.lam * factor
    w, _, call = _solve(closed_form, data.X, data.y, lam, data.fit_intercept)
    if not np.any(w != 0):
        fb.fail(
            f"{call} returned w = {fb.show(w)}, all zero. Ridge shrinks weights towards zero but never sets them to exactly 0 (that is L1)."
            + _diagnosis(closed_form)
        )


@given(data=gen.well_posed(lam_zero=True))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.0, fit_intercept=True))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.0, fit_intercept=False))
def test_lambda_zero_gives_least_squares(closed_form, data):
    """λ → 0 gives ordinary least squares on full-column-rank data."""
    w, b, call = _solve(closed_form, data.X, data.y, 0.0, data.fit_intercept)
    expected_w, expected_b = oracles.least_squares(data.X, data.y, data.fit_intercept)
    if not (fb.coefficients_close(w, expected_w) and fb.coefficients_close(b, expected_b)):
        fb.fail(
            f"{call} returned w = {fb.show(w)}, b = {fb.show(b)}; with λ = 0 the answer is the least-squares fit "
            f"w = {fb.show(expected_w)}, b = {fb.show(expected_b)}." + _diagnosis(closed_form)
        )


@given(data=gen.well_posed(fit_intercept=True, lam_zero=False), shift=st.floats(2.0, 50.0))
@example(data=gen.WellPosed(X=ex.X, y=ex.y, lam=0.7, fit_intercept=True), shift=10.0)
def test_huge_lambda_gives_zero_weights_and_mean_intercept(closed_form, data, shift):
    """With λ = 1e12, w* ≈ 0 and b* ≈ mean(y): the intercept is never penalized."""
    y = data.y + shift
    w, b, call = _solve(closed_form, data.X, y, 1e12, True)
    if np.linalg.norm(w) > 1e-6 * (1 + np.linalg.norm(y)) or abs(b - y.mean()) > 1e-6 * (1 + abs(y.mean())):
        fb.fail(
            f"{call} returned w = {fb.show(w)}, b = {fb.show(b)}; with λ = 1e12 expected w ≈ 0 and b ≈ mean(y) = {fb.show(y.mean())}."
            " λ shrinks the weights only: the intercept is never penalized." + _diagnosis(closed_form)
        )
