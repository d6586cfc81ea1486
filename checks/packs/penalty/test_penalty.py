"""Checks for exercises/penalty.py: ``l2_penalty`` and ``ridge_loss``."""

from hypothesis import example, given
from hypothesis import strategies as st

from checks.engine import feedback as fb
from checks.engine.diagnosis import diagnose
from checks.packs.shared import exact as oracles
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen


@given(w=gen.vectors(), lam=gen.lams(), n_samples=gen.sample_counts())
@example(w=ex.w, lam=0.7, n_samples=5)
@example(w=ex.w_more, lam=2.5, n_samples=3)
def test_l2_penalty_matches_formula(penalty, w, lam, n_samples):
    call = fb.describe_call("l2_penalty", w, lam, n_samples)
    got = fb.as_number(penalty.l2_penalty(w, lam, n_samples), call)
    expected, scale = oracles.l2_penalty(w, lam, n_samples)
    fb.expect_close(got, expected, scale, call, formula="(λ/N) Σ w²", diagnose=lambda: diagnose(penalty, "l2_penalty"))


@given(problem=gen.problems())
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7))
@example(problem=gen.Problem(X=ex.X[:5], y=ex.y[:5], w=ex.w_more, b=-1.3, lam=2.5))
def test_ridge_loss_matches_formula(penalty, problem):
    p = problem
    call = fb.describe_call("ridge_loss", p.X, p.y, p.w, p.b, p.lam)
    got = fb.as_number(penalty.ridge_loss(p.X, p.y, p.w, p.b, p.lam), call)
    expected, scale = oracles.ridge_loss(p.X, p.y, p.w, p.b, p.lam)
    fb.expect_close(
        got, expected, scale, call, formula="(1/N) Σ (Xw + b − y)² + (λ/N) Σ w²", diagnose=lambda: diagnose(penalty, "ridge_loss")
    )


@given(problem=gen.problems(), lam=st.floats(0.1, 100.0))
@example(problem=gen.Problem(X=ex.X, y=ex.y, w=ex.w, b=0.9, lam=0.7), lam=2.5)
def test_ridge_loss_never_penalizes_bias(penalty, problem, lam):
    """J(w, b; λ) − J(w, b; 0) is the penalty (λ/N) Σ w², whatever the bias b."""
    p = problem
    call = fb.describe_call("ridge_loss", p.X, p.y, p.w, p.b, lam)
    with_penalty = fb.as_number(penalty.ridge_loss(p.X, p.y, p.w, p.b, lam), call)
    without = fb.as_number(penalty.ridge_loss(p.X, p.y, p.w, p.b, 0.0), fb.describe_call("ridge_loss", p.X, p.y, p.w, p.b, 0.0))
    expected, _ = oracles.l2_penalty(p.w, lam, len(p.y))
    _, scale = oracles.ridge_loss(p.X, p.y, p.w, p.b, lam)
    fb.expect_close(
        with_penalty - without,
        expected,
        scale,
        call,
        what="a penalty part J(λ) − J(0) of",
        formula="(λ/N) Σ w² (the bias is never penalized)",
        diagnose=lambda: diagnose(penalty, "ridge_loss"),
    )
