"""Checks for exercises/gradient.py: ``penalty_gradient`` and ``ridge_gradients``."""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from checks.engine import feedback as fb
from checks.engine.diagnosis import diagnose
from checks.packs.shared import exact as oracles
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen

FINITE_DIFFERENCE_STEP = 1e-3  # J is quadratic: central differences are exact but for rounding


def _gradients(gradient, p, lam=None):
    """Call ridge_gradients and return (grad_w, grad_b, call text), failing on a malformed result."""
    lam = p.lam if lam is None else lam
    call = fb.describe_call("ridge_gradients", p.X, p.y, p.w, p.b, lam)
    grad_w, grad_b = fb.as_pair(gradient.ridge_gradients(p.X, p.y, p.w, p.b, lam), call)
    return fb.as_vector(grad_w, call, p.w.shape), fb.as_number(grad_b, call), call


@given(w=gen.vectors(), lam=gen.lams(), n_samples=gen.sample_counts())
@example(w=ex.w, lam=0.7, n_samples=5)
@example(w=ex.w_more, lam=2.5, n_samples=3)
def test_penalty_gradient_matches_formula(gradient, w, lam, n_samples):
    call = fb.describe_call("penalty_gradient", w, lam, n_samples)
    got = fb.as_vector(gradient.penalty_gradient(w, lam, n_samples), call, w.shape)
    expected = 2 * lam * w / n_samples
    fb.expect_close(
        got, expected, np.abs(expected), call, formula="(2λ/N) w", diagnose=lambda: diagnose(gradient, "penalty_gradient")
    )


@given(problem=gen.problems())
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7))
@example(problem=gen.Problem(X=ex.X[:5], y=ex.y[:5], w=ex.w_more, b=-1.3, lam=2.5))
def test_ridge_gradients_match_formula(gradient, problem):
    grad_w, grad_b, call = _gradients(gradient, problem)
    p = problem
    (expected_w, expected_b), (scale_w, scale_b) = oracles.ridge_gradients(p.X, p.y, p.w, p.b, p.lam)
    hint = lambda: diagnose(gradient, "ridge_gradients")  # noqa: E731
    fb.expect_close(grad_w, expected_w, scale_w, call, what="grad_w", formula="(2/N) Xᵀ(Xw + b − y) + (2λ/N) w", diagnose=hint)
    fb.expect_close(grad_b, expected_b, scale_b, call, what="grad_b", formula="(2/N) Σ(Xw + b − y)", diagnose=hint)


@given(problem=gen.problems())
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7))
def test_ridge_gradients_match_finite_differences(gradient, problem):
    """Each partial derivative agrees with a central difference of J (the checks' own J)."""
    p = problem
    grad_w, grad_b, call = _gradients(gradient, p)
    h = FINITE_DIFFERENCE_STEP

    def loss(w, b):
        return oracles.ridge_loss(p.X, p.y, w, b, p.lam)

    steps = np.eye(len(p.w)) * h
    pairs = [(loss(p.w + e, p.b), loss(p.w - e, p.b)) for e in steps] + [(loss(p.w, p.b + h), loss(p.w, p.b - h))]
    numeric = np.array([(plus[0] - minus[0]) / (2 * h) for plus, minus in pairs])
    # Rounding in each J is about 1e-16 of its scale, amplified by 1/h in the difference.
    tolerance = np.array([1e-9 * max(plus[1], minus[1]) / h for plus, minus in pairs]) + 1e-9 * np.abs(numeric)
    numeric_w, numeric_b = numeric[:-1], numeric[-1]
    if np.any(np.abs(np.append(grad_w, grad_b) - numeric) > tolerance):
        known = diagnose(gradient, "ridge_gradients")
        fb.fail(
            f"{call} returned grad_w={fb.show(grad_w)}, grad_b={fb.show(grad_b)}, but central differences "
            f"(J(θ + h) − J(θ − h)) / 2h of the ridge loss give {fb.show(numeric_w)} and {fb.show(numeric_b)}: "
            "your gradient is not the derivative of J." + (f"\nDiagnosis: {known}" if known else "")
        )


@given(problem=gen.problems(), other_lam=st.floats(0.5, 1e3))
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7), other_lam=2.5)
def test_bias_gradient_does_not_depend_on_lam(gradient, problem, other_lam):
    """∂J/∂b is the same for every λ: the bias is never penalized."""
    _, grad_b, call = _gradients(gradient, problem, lam=0.0)
    _, other_grad_b, other_call = _gradients(gradient, problem, lam=other_lam)
    p = problem
    _, (_, scale_b) = oracles.ridge_gradients(p.X, p.y, p.w, p.b, other_lam)
    if abs(grad_b - other_grad_b) > fb.FORMULA_RTOL * scale_b + fb.TINY:
        fb.fail(
            f"grad_b changes with λ: {fb.show(grad_b)} from {call} but {fb.show(other_grad_b)} from {other_call}.\n"
            "The bias is never penalized, so ∂J/∂b = (2/N) Σ(Xw + b − y) has no λ in it."
        )
