"""The shrinkage pack: example calls, the oracle's answers and the known mistakes.

``EXAMPLE_CALLS`` are valid, generic arguments from which the contract checks
derive bad input and on which every mistake below gives a different answer:
the diagnosis probes with them. The shared example ``X`` (7 × 3, columns with
non-zero means) is probed with and without an intercept, and a wide 3 × 5
matrix shows the mistakes that only appear when N < d.
"""

from __future__ import annotations

import math

import numpy as np

from checks.engine.diagnosis import Misconception
from checks.packs.shared import examples as ex
from checks.packs.shared import generators as gen
from checks.packs.shrinkage import oracle

WIDE_X = np.random.default_rng(20261201).uniform(-2, 2, (3, 5)) + 0.6

EXAMPLE_CALLS = {
    "shrinkage_factors": [(ex.X, 0.7, True), (ex.X, 2.5, False), (WIDE_X, 0.9, True)],
    "effective_degrees_of_freedom": [(ex.X, 0.7, True), (ex.X, 2.5, False), (WIDE_X, 0.9, True)],
}


def _valid_call(rng: np.random.Generator) -> tuple:
    """(X, λ, fit_intercept): tall or wide, λ > 0 (so that no factor is 0/0)."""
    n_samples, n_features = gen.sizes(rng)
    if rng.integers(2):
        n_samples, n_features = max(n_features, 2), min(n_samples, gen.MAX_FEATURES + 2)  # wide: d ≥ N
    return gen.generic(rng, (n_samples, n_features)), gen.moderate_lam(rng), bool(rng.integers(2))


# Valid calls for the contract checks, drawn under the grading seed (shapes and values vary).
VALID_CALLS = {"shrinkage_factors": gen.calls(_valid_call), "effective_degrees_of_freedom": gen.calls(_valid_call)}

# How far a correct answer may be from CORRECT's (absolute; the default is relative to the answer's largest entry).
TOLERANCE = {"shrinkage_factors": oracle.factor_tolerance, "effective_degrees_of_freedom": oracle.df_tolerance}

CORRECT = {
    "shrinkage_factors": lambda *a: oracle.shrinkage_factors(*a)[0],
    "effective_degrees_of_freedom": lambda *a: oracle.effective_degrees_of_freedom(*a)[0],
}


def _factors(X, lam, fit, *, centre=None, squared=True, complement=False, lam_scale=1.0, ascending=False, all_d=False):
    """Plain NumPy shrinkage factors with one known mistake switched on."""
    X = np.asarray(X, float)
    if fit if centre is None else centre:
        X = X - X.mean(axis=0)
    s = np.linalg.svd(X, compute_uv=False)
    if all_d:  # the d eigenvalues of the d × d matrix XcᵀXc: zeros beyond min(N, d)
        s = np.concatenate([s, np.zeros(X.shape[1] - len(s))])
    power = s * s if squared else s
    penalty = lam * (lam_scale if lam_scale != "N" else X.shape[0])
    factors = (penalty if complement else power) / (power + penalty)
    return factors[::-1] if ascending else factors


_NOT_SQUARED = (
    "you used sⱼ/(sⱼ + λ): the singular values must be squared. The factor is sⱼ²/(sⱼ² + λ) (sⱼ² is an eigenvalue of XcᵀXc)."
)
_COMPLEMENT = (
    "you returned λ/(sⱼ² + λ), the part that ridge takes away. The shrinkage factor is what it keeps: sⱼ²/(sⱼ² + λ), "
    "close to 1 for large sⱼ."
)
_NO_CENTRING = (
    "you did not centre X although fit_intercept is True. With an intercept the factors come from Xc = X − mean(X, axis=0)."
)
_CENTRES_ALWAYS = "you centred X although fit_intercept is False. Without an intercept the factors come from X itself."
_COVARIANCE = (
    "you used the covariance matrix XcᵀXc/N, which gives sⱼ²/(sⱼ² + Nλ). Under this course's loss the 1/N cancels: "
    "the factor is sⱼ²/(sⱼ² + λ) with the singular values of Xc itself."
)


def _df(**mistake):
    return lambda X, lam, fit: math.fsum(_factors(X, lam, fit, **mistake))


MISCONCEPTIONS = [
    # shrinkage_factors
    Misconception("shrinkage_factors.not_squared", _NOT_SQUARED, lambda X, lam, fit: _factors(X, lam, fit, squared=False)),
    Misconception("shrinkage_factors.lambda_on_top", _COMPLEMENT, lambda X, lam, fit: _factors(X, lam, fit, complement=True)),
    Misconception("shrinkage_factors.no_centering", _NO_CENTRING, lambda X, lam, fit: _factors(X, lam, fit, centre=False)),
    Misconception(
        "shrinkage_factors.centres_without_intercept", _CENTRES_ALWAYS, lambda X, lam, fit: _factors(X, lam, fit, centre=True)
    ),
    Misconception("shrinkage_factors.covariance_lambda_n", _COVARIANCE, lambda X, lam, fit: _factors(X, lam, fit, lam_scale="N")),
    Misconception(
        "shrinkage_factors.ascending",
        "your factors are in ascending order. Keep the order of the singular values, largest first, as numpy.linalg.svd returns them "
        "(numpy.linalg.eigvalsh returns eigenvalues smallest first: reverse them).",
        lambda X, lam, fit: _factors(X, lam, fit, ascending=True),
    ),
    Misconception(
        "shrinkage_factors.d_factors_when_wide",
        "you returned d factors although N < d. Xc has only min(N, d) singular values: take them from the SVD of Xc "
        "(or the smaller Gram matrix XcXcᵀ), not all d eigenvalues of XcᵀXc.",
        lambda X, lam, fit: _factors(X, lam, fit, all_d=True),
    ),
    # effective_degrees_of_freedom
    Misconception(
        "effective_degrees_of_freedom.counts_intercept",
        "you counted the intercept as one more degree of freedom. df(λ) = Σⱼ sⱼ²/(sⱼ² + λ) counts the shrunk directions only.",
        lambda X, lam, fit: math.fsum(_factors(X, lam, fit)) + (1.0 if fit else 0.0),
    ),
    Misconception("effective_degrees_of_freedom.not_squared", _NOT_SQUARED, _df(squared=False)),
    Misconception("effective_degrees_of_freedom.lambda_on_top", _COMPLEMENT, _df(complement=True)),
    Misconception("effective_degrees_of_freedom.no_centering", _NO_CENTRING, _df(centre=False)),
    Misconception("effective_degrees_of_freedom.centres_without_intercept", _CENTRES_ALWAYS, _df(centre=True)),
    Misconception("effective_degrees_of_freedom.covariance_lambda_n", _COVARIANCE, _df(lam_scale="N")),
]
