"""Checks for exercises/shrinkage.py: ``shrinkage_factors`` and ``effective_degrees_of_freedom``.

Tolerance. A factor or ``df`` may be off by at most ``RTOL · κ``, with
``κ = (‖X‖²_F + λ) / (s²_min + λ)`` from the oracle: rounding in a correct
route is amplified by at most that condition number. Measured over 12 000
random cases (tall and wide, both ``fit_intercept`` values, condition ≤ 1e3,
column offsets up to ±50, λ = 0 on full-rank data, λ in [1e-3, 1e3] and in
[1e9, 1e13]), the largest error against the oracle, in units of ``ε · κ``
(ε = 2.2e-16), was:

- SVD of Xc (the reference), eigenvalues of XcᵀXc or of XcXcᵀ: 6;
- df as the sum of the factors, or as trace(Xc · solve(XcᵀXc + λI, Xcᵀ)): 11;
- df through an explicit inverse, or the dual trace(solve(XcXcᵀ + λI, XcXcᵀ))
  when the larger Gram matrix is singular: 1.5e4 (3.4e-12 absolute);
- the loop-based submission (Jacobi eigenvalues of the smaller Gram matrix):
  6 for the factors, 11 for df.

``RTOL = 1e-10`` (in ``oracle.py``) is 4.5 · 10⁵ ε: 30 times the worst of these. The known
mistakes are off by a whole term or factor (1e-3 or more on the fixed
examples).
"""

from dataclasses import dataclass

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checks.engine import feedback as fb
from checks.engine.diagnosis import diagnose
from checks.packs.shared import generators as gen
from checks.packs.shrinkage import oracle

RTOL = oracle.RTOL
FORMULA = "sⱼ² / (sⱼ² + λ), sⱼ the singular values of Xc (largest first)"


@dataclass(frozen=True)
class Case:
    """A design ``X``, a λ and whether an intercept is fitted."""

    X: np.ndarray
    lam: float
    fit_intercept: bool


def _fixed(seed, n_samples, n_features, lam, fit_intercept, offset=0.0):
    """A fixed, well-conditioned case (condition 20) whose columns have means far from 0."""
    rng = np.random.default_rng(seed)
    X = gen.design(rng, n_samples, n_features, 20.0, centred=fit_intercept, max_offset=5.0)
    return Case(X + offset * np.arange(1, n_features + 1), lam, fit_intercept)


# The fixed cases every value check runs first: together they expose every known mistake.
TALL = _fixed(11, 8, 3, 0.7, True)  # centring matters; the factors are distinct
TALL_NO_INTERCEPT = _fixed(12, 8, 3, 2.5, False, offset=1.5)  # centring would change the answer
WIDE = _fixed(13, 4, 6, 0.9, True)  # N < d: 4 factors, the last one for a zero singular value


def cases(*, wide=None, fit_intercept=None, lam_zero=None):
    """Well-posed cases: full column rank when tall; λ > 0 when wide (d > N)."""
    if wide is None:
        strategy = st.one_of(
            gen.well_posed(fit_intercept=fit_intercept, lam_zero=lam_zero), gen.well_posed(wide=True, fit_intercept=fit_intercept)
        )
    else:
        strategy = gen.well_posed(wide=wide, fit_intercept=fit_intercept, lam_zero=lam_zero)
    return strategy.map(lambda data: Case(data.X, data.lam, data.fit_intercept))


_tolerance = oracle.factor_tolerance


def _factors(shrinkage, X, lam, fit_intercept):
    """Call shrinkage_factors; return (factors, call text), failing unless it gives min(N, d) numbers."""
    call = fb.describe_call("shrinkage_factors", X, lam, fit_intercept)
    return fb.as_vector(shrinkage.shrinkage_factors(X, lam, fit_intercept), call, (min(np.shape(X)),)), call


def _df(shrinkage, X, lam, fit_intercept):
    call = fb.describe_call("effective_degrees_of_freedom", X, lam, fit_intercept)
    return fb.as_number(shrinkage.effective_degrees_of_freedom(X, lam, fit_intercept), call), call


def _diagnosis(shrinkage, function) -> str:
    known = diagnose(shrinkage, function)
    return f"\nDiagnosis: {known}" if known else ""


def _show_case(case: Case) -> str:
    return f"X = {fb.show(case.X)}, fit_intercept = {case.fit_intercept}"


@example(case=TALL)
@example(case=TALL_NO_INTERCEPT)
@example(case=WIDE)
@given(case=cases())
def test_factors_match_formula(shrinkage, case):
    """The factors are sⱼ²/(sⱼ² + λ), compared with the eigenvalues of the checks' own hat matrix."""
    got, call = _factors(shrinkage, case.X, case.lam, case.fit_intercept)
    expected, _ = oracle.shrinkage_factors(case.X, case.lam, case.fit_intercept)
    if not np.all(np.abs(got - expected) <= _tolerance(case.X, case.lam, case.fit_intercept)):
        fb.fail(
            f"{call} returned {fb.show(got)}; expected {fb.show(expected)} = {FORMULA}."
            + _diagnosis(shrinkage, "shrinkage_factors")
        )


@example(case=WIDE)
@example(case=TALL)
@given(case=cases())
def test_one_factor_per_singular_value(shrinkage, case):
    """There are min(N, d) factors, also when there are more features than samples."""
    call = fb.describe_call("shrinkage_factors", case.X, case.lam, case.fit_intercept)
    got = np.asarray(shrinkage.shrinkage_factors(case.X, case.lam, case.fit_intercept))
    expected = (min(case.X.shape),)
    if got.shape != expected:
        fb.fail(
            f"{call} returned shape {got.shape}; expected {expected}: X is {case.X.shape[0]} × {case.X.shape[1]}, "
            f"so Xc has min(N, d) = {expected[0]} singular values." + _diagnosis(shrinkage, "shrinkage_factors")
        )
    fb.as_vector(got, call, expected)  # the right number of factors must also be numbers


@example(case=TALL)
@given(case=cases(lam_zero=False))
def test_factors_come_largest_first(shrinkage, case):
    """The factors follow the singular values: largest first (f₁ ≥ f₂ ≥ …)."""
    got, call = _factors(shrinkage, case.X, case.lam, case.fit_intercept)
    tolerance = _tolerance(case.X, case.lam, case.fit_intercept)
    if np.any(got[1:] > got[:-1] + tolerance):
        fb.fail(
            f"{call} returned {fb.show(got)}, not largest first. sⱼ²/(sⱼ² + λ) grows with sⱼ, and the singular values "
            "come largest first." + _diagnosis(shrinkage, "shrinkage_factors")
        )


@example(case=WIDE)
@given(case=cases(lam_zero=False))
def test_factors_lie_between_zero_and_one(shrinkage, case):
    """For λ > 0, 0 ≤ fⱼ < 1 (within rounding below 0): ridge shrinks every direction, never flips or stretches one."""
    got, call = _factors(shrinkage, case.X, case.lam, case.fit_intercept)
    if not np.all((got >= -_tolerance(case.X, case.lam, case.fit_intercept)) & (got < 1.0)):
        fb.fail(
            f"{call} returned {fb.show(got)}; with λ > 0 every factor sⱼ²/(sⱼ² + λ) lies in [0, 1)."
            + _diagnosis(shrinkage, "shrinkage_factors")
        )


@example(case=_fixed(14, 9, 4, 0.5, True))
@example(case=_fixed(15, 9, 4, 0.5, False))
@given(case=cases(wide=False, lam_zero=False))
def test_zero_singular_value_gives_zero_factor(shrinkage, case):
    """A direction in which the data do not vary at all (sⱼ = 0) is shrunk away completely: fⱼ = 0 for λ > 0."""
    X = np.column_stack([case.X, case.X[:, 0]])  # a copied column: one more direction, with s = 0
    got, call = _factors(shrinkage, X, case.lam, case.fit_intercept)
    zero = min(X.shape) - 1
    if not abs(got[zero]) <= _tolerance(X, case.lam, case.fit_intercept):
        fb.fail(
            f"{call} returned {fb.show(got)}; the last column copies the first, so s = 0 in one direction and its factor "
            f"0²/(0² + λ) is 0, not {fb.show(got[zero])}." + _diagnosis(shrinkage, "shrinkage_factors")
        )


@settings(max_examples=5)
@example(case=TALL)
@given(case=cases(lam_zero=False))
def test_factors_shrink_as_lambda_grows(shrinkage, case):
    """Each fⱼ is non-increasing in λ."""
    lams = case.lam * np.array([0.01, 0.1, 1.0, 10.0, 1e3])
    rows = [_factors(shrinkage, case.X, float(lam), case.fit_intercept)[0] for lam in lams]
    for (low, high), (f_low, f_high) in zip(zip(lams, lams[1:]), zip(rows, rows[1:])):
        if np.any(f_high > f_low + _tolerance(case.X, low, case.fit_intercept)):
            fb.fail(
                f"The factors grew from {fb.show(f_low)} at λ = {fb.show(low)} to {fb.show(f_high)} at λ = {fb.show(high)} "
                f"on {_show_case(case)}.\nA larger λ shrinks every direction more." + _diagnosis(shrinkage, "shrinkage_factors")
            )


@example(case=TALL, shift=(40.0, -25.0, 12.5))
@given(case=cases(fit_intercept=True, lam_zero=False), shift=st.lists(st.floats(-50.0, 50.0), min_size=7, max_size=7))
def test_factors_ignore_a_shift_of_every_row(shrinkage, case, shift):
    """With an intercept, adding the same vector to every row of X changes no factor: centring removes it."""
    shifted = case.X + np.asarray(shift[: case.X.shape[1]])
    before, _ = _factors(shrinkage, case.X, case.lam, True)
    after, call = _factors(shrinkage, shifted, case.lam, True)
    if not np.all(np.abs(after - before) <= 2 * _tolerance(shifted, case.lam, True)):
        fb.fail(
            f"{call} returned {fb.show(after)}, but without the shift of every row by {fb.show(shifted[0] - case.X[0])} the "
            f"factors were {fb.show(before)}. With an intercept only the centred Xc matters."
            + _diagnosis(shrinkage, "shrinkage_factors")
        )


@example(case=TALL_NO_INTERCEPT, offset=(0.0, 0.0, 0.0))
@given(case=cases(fit_intercept=False, lam_zero=False), offset=st.lists(st.floats(-5.0, 5.0), min_size=7, max_size=7))
def test_without_intercept_factors_come_from_X_itself(shrinkage, case, offset):
    """With fit_intercept=False nothing is centred: the factors come from the singular values of X itself."""
    X = case.X + np.asarray(offset[: case.X.shape[1]])
    got, call = _factors(shrinkage, X, case.lam, False)
    expected, _ = oracle.shrinkage_factors(X, case.lam, False)
    if not np.all(np.abs(got - expected) <= _tolerance(X, case.lam, False)):
        fb.fail(
            f"{call} returned {fb.show(got)}; expected {fb.show(expected)} = sⱼ²/(sⱼ² + λ) with sⱼ the singular values of X "
            "itself (no intercept, no centring)." + _diagnosis(shrinkage, "shrinkage_factors")
        )


@example(case=TALL)
@example(case=TALL_NO_INTERCEPT)
@example(case=WIDE)
@given(case=cases())
def test_degrees_of_freedom_is_trace_of_hat_matrix(shrinkage, case):
    """df(λ) = trace(Xc (XcᵀXc + λI)⁻¹ Xcᵀ) = Σⱼ sⱼ²/(sⱼ² + λ); the intercept is not counted."""
    got, call = _df(shrinkage, case.X, case.lam, case.fit_intercept)
    expected, condition = oracle.effective_degrees_of_freedom(case.X, case.lam, case.fit_intercept)
    if not abs(got - expected) <= RTOL * condition * min(case.X.shape):
        fb.fail(
            f"{call} returned {fb.show(got)}; expected {fb.show(expected)} = trace(Xc (XcᵀXc + λI)⁻¹ Xcᵀ) = Σⱼ sⱼ²/(sⱼ² + λ)."
            + _diagnosis(shrinkage, "effective_degrees_of_freedom")
        )


@example(case=TALL)
@given(case=cases())
def test_degrees_of_freedom_is_sum_of_factors(shrinkage, case):
    """effective_degrees_of_freedom is the sum of shrinkage_factors on the same input."""
    factors, _ = _factors(shrinkage, case.X, case.lam, case.fit_intercept)
    got, call = _df(shrinkage, case.X, case.lam, case.fit_intercept)
    if not abs(got - float(np.sum(factors))) <= RTOL * oracle.condition(case.X, case.lam, case.fit_intercept) * min(case.X.shape):
        fb.fail(
            f"{call} returned {fb.show(got)}, but shrinkage_factors on the same input returned {fb.show(factors)}, "
            f"whose sum is {fb.show(float(np.sum(factors)))}. df(λ) = Σⱼ fⱼ, nothing added."
            + _diagnosis(shrinkage, "effective_degrees_of_freedom")
        )


@settings(max_examples=5)
@example(case=TALL)
@given(case=cases(lam_zero=False))
def test_degrees_of_freedom_falls_as_lambda_grows(shrinkage, case):
    """df(λ) is non-increasing in λ."""
    lams = case.lam * np.array([0.01, 0.1, 1.0, 10.0, 1e3])
    values = [_df(shrinkage, case.X, float(lam), case.fit_intercept)[0] for lam in lams]
    for (low, high), (df_low, df_high) in zip(zip(lams, lams[1:]), zip(values, values[1:])):
        if df_high > df_low + RTOL * oracle.condition(case.X, low, case.fit_intercept) * min(case.X.shape):
            fb.fail(
                f"df grew from {fb.show(df_low)} at λ = {fb.show(low)} to {fb.show(df_high)} at λ = {fb.show(high)} "
                f"on {_show_case(case)}.\nA larger λ leaves the fit fewer effective parameters."
                + _diagnosis(shrinkage, "effective_degrees_of_freedom")
            )


@example(case=TALL)
@given(case=cases(wide=False, lam_zero=True))
def test_degrees_of_freedom_tends_to_rank_as_lambda_vanishes(shrinkage, case):
    """On full-column-rank data, df(λ) → rank(Xc) = d as λ → 0 (λ = 1e-12 and λ = 0)."""
    rank = case.X.shape[1]
    for lam in (1e-12, 0.0):
        got, call = _df(shrinkage, case.X, lam, case.fit_intercept)
        # d − df(λ) = Σ λ/(sⱼ² + λ) ≤ 1e-12 / s²_min ≤ 1e-6 here (s²_min ≥ N · 1e-6 for condition ≤ 1e3).
        if not abs(got - rank) <= 1e-6 * rank:
            fb.fail(
                f"{call} returned {fb.show(got)}; X has full column rank {rank}, so as λ → 0 every factor tends to 1 "
                f"and df tends to {rank} (the intercept is not counted)." + _diagnosis(shrinkage, "effective_degrees_of_freedom")
            )


@example(case=TALL)
@given(case=cases(lam_zero=False))
def test_degrees_of_freedom_vanishes_as_lambda_grows(shrinkage, case):
    """df(λ) → 0 as λ → ∞: at λ = 1e12 it is at most ‖Xc‖²_F / λ."""
    lam = 1e12
    got, call = _df(shrinkage, case.X, lam, case.fit_intercept)
    bound = 2 * float(np.sum(case.X * case.X)) / lam + RTOL  # Σ sⱼ²/(sⱼ² + λ) ≤ Σ sⱼ²/λ ≤ ‖X‖²_F/λ
    if not abs(got) <= bound:
        fb.fail(
            f"{call} returned {fb.show(got)}; with λ = 1e12 every factor is nearly 0, so df ≈ 0 (at most {fb.show(bound)})."
            + _diagnosis(shrinkage, "effective_degrees_of_freedom")
        )
