"""The shrinkage checks' own answers, from the hat matrix rather than an SVD of ``Xc``.

Deliberately not the reference solution's route (``solutions/`` is never
imported here): no centring and no singular values. The hat matrix of the
ridge fit is built column by column as the fitted values for the targets
``y = e₁ … e_N`` of the augmented least-squares problem
``min ‖[1 X] θ − y‖² + λ‖w‖²`` (the intercept column gets no penalty row);
with an intercept its share ``11ᵀ/N`` is taken off again. What remains is
``H = Xc (XcᵀXc + λI)⁻¹ Xcᵀ``, whose non-zero eigenvalues are the shrinkage
factors and whose trace is ``df(λ)``.

Each answer comes with the *condition* ``κ = (‖X‖²_F + λ) / (s²_min + λ)``
(``s_min`` the smallest of the ``min(N, d)`` singular values of ``Xc``, the
uncentred ``‖X‖_F`` so that the rounding of the centring counts): how much a
correct float64 route (an SVD, the eigenvalues of a Gram matrix, a solve for
the hat matrix) can amplify rounding. It only sizes a tolerance; it never
decides a value.

Inputs are assumed valid (the checks generate them); outputs are float64.
The hat matrix and ``κ`` are computed once per distinct input (``memo.by_value``).
"""

from __future__ import annotations

import math

import numpy as np

from checks.packs.shared.memo import by_value

# A factor or df may be off by at most RTOL · κ (times min(N, d) for df): see test_shrinkage.py for the measurements.
RTOL = 1e-10


@by_value
def hat_matrix(X, lam, fit_intercept=True) -> np.ndarray:
    """Return the symmetric ``(N, N)`` hat matrix ``Xc (XcᵀXc + λI)⁻¹ Xcᵀ`` (intercept share removed)."""
    X = np.asarray(X, float)
    n_samples, n_features = X.shape
    design = np.hstack([np.ones((n_samples, 1)), X]) if fit_intercept else X
    penalty_rows = math.sqrt(lam) * np.eye(n_features)
    if fit_intercept:
        penalty_rows = np.hstack([np.zeros((n_features, 1)), penalty_rows])
    stacked = np.vstack([design, penalty_rows])
    targets = np.vstack([np.eye(n_samples), np.zeros((n_features, n_samples))])
    hat = design @ np.linalg.lstsq(stacked, targets, rcond=None)[0]
    if fit_intercept:
        hat = hat - 1.0 / n_samples
    return (hat + hat.T) / 2


@by_value
def condition(X, lam, fit_intercept=True) -> float:
    """Return ``κ = (‖X‖²_F + λ) / (s²_min + λ)``, a rough size (see the module docstring)."""
    X = np.asarray(X, float)
    Xc = X - X.mean(axis=0) if fit_intercept else X
    gram = Xc @ Xc.T if Xc.shape[0] <= Xc.shape[1] else Xc.T @ Xc
    smallest = max(float(np.linalg.eigvalsh(gram)[0]), 0.0)
    return (float(np.sum(X * X)) + lam) / max(smallest + lam, np.finfo(float).tiny)


def shrinkage_factors(X, lam, fit_intercept=True) -> tuple[np.ndarray, float]:
    """Return the ``min(N, d)`` largest eigenvalues of the hat matrix, largest first, and ``κ``."""
    eigenvalues = np.linalg.eigvalsh(hat_matrix(X, lam, fit_intercept))[::-1][: min(np.shape(X))]
    return eigenvalues, condition(X, lam, fit_intercept)


def effective_degrees_of_freedom(X, lam, fit_intercept=True) -> tuple[float, float]:
    """Return ``trace(H)`` (an exact-rounded sum of its diagonal) and ``κ``."""
    return math.fsum(np.diag(hat_matrix(X, lam, fit_intercept))), condition(X, lam, fit_intercept)


def factor_tolerance(X, lam, fit_intercept=True) -> float:
    """How far a correct factor may be from the oracle's: ``RTOL · κ``."""
    return RTOL * condition(X, lam, fit_intercept)


def df_tolerance(X, lam, fit_intercept=True) -> float:
    """How far a correct ``df`` may be from the oracle's: ``RTOL · κ · min(N, d)``."""
    return RTOL * condition(X, lam, fit_intercept) * min(np.shape(X))
