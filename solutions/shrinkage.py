# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
"""Shrinkage factors and effective degrees of freedom (lesson: docs/lessons/closed-form.md)."""

from __future__ import annotations

import math

import numpy as np
from _validation import as_array, as_real


def shrinkage_factors(X, lam, fit_intercept=True):
    """Return ridge's shrinkage factor ``sⱼ² / (sⱼ² + λ)`` along each singular direction.

    ``s₁ ≥ s₂ ≥ …`` are the ``min(N, d)`` singular values of ``Xc``: the
    centred ``X − x̄`` with an intercept, ``X`` itself without one. Ridge
    multiplies the least-squares fit along the j-th direction by ``fⱼ``. A
    direction with ``sⱼ = 0`` and ``λ > 0`` has ``fⱼ = 0``.

    Parameters
    ----------
    X : array_like, shape (N, d)
    lam : float
        λ ≥ 0. With λ = 0 a zero singular value gives ``0/0``; this
        reference returns 0 for it.
    fit_intercept : bool, default True
        Centre the columns of ``X`` first (the intercept is not shrunk).

    Returns
    -------
    numpy.ndarray, shape (min(N, d),), float64
        The factors in the order of the singular values, largest first.

    Raises
    ------
    ValueError
        With a message that names the argument, if

        - ``X`` is not 2-D, is empty, or holds NaN or infinity;
        - ``lam`` is negative, NaN or infinite.
    """
    X = as_array(X, "X", ndim=2)
    lam = as_real(lam, "lam", minimum=0.0)
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise ValueError(f"fit_intercept must be True or False, got {fit_intercept!r}")
    if fit_intercept:
        X = X - X.mean(axis=0)
    squares = np.linalg.svd(X, compute_uv=False) ** 2
    denominators = squares + lam
    return np.divide(squares, denominators, out=np.zeros_like(squares), where=denominators > 0)


def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    """Return the effective degrees of freedom ``df(λ) = Σⱼ sⱼ² / (sⱼ² + λ)`` of the ridge fit.

    ``df(λ)`` is the sum of the shrinkage factors, and equals the trace of
    the hat matrix ``Xc (XcᵀXc + λI)⁻¹ Xcᵀ``. It tends to ``rank(Xc)`` as
    λ → 0⁺ and falls towards 0 as λ grows. The intercept is not counted.

    Parameters
    ----------
    X : array_like, shape (N, d)
    lam : float
        λ ≥ 0. With λ = 0 and rank-deficient ``Xc`` a zero singular value
        gives ``0/0`` (and one that rounding leaves at 1e-16 gives 1): that
        case has no single right answer, and no check uses it.
    fit_intercept : bool, default True

    Returns
    -------
    float

    Raises
    ------
    ValueError
        With a message that names the argument, if

        - ``X`` is not 2-D, is empty, or holds NaN or infinity;
        - ``lam`` is negative, NaN or infinite.
    """
    return math.fsum(shrinkage_factors(X, lam, fit_intercept))


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
