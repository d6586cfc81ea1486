"""Shrinkage factors and effective degrees of freedom (lesson: docs/lessons/closed-form.md).

Replace every ``raise NotImplementedError`` with your implementation, then run
``python3 noxw.py -s grade -- --only shrinkage`` (on Windows, ``py`` for ``python3``).
"""

from __future__ import annotations

import numpy as np


def shrinkage_factors(X, lam, fit_intercept=True):
    """Return ridge's shrinkage factor ``sⱼ² / (sⱼ² + λ)`` along each singular direction.

    ``s₁ ≥ s₂ ≥ …`` are the ``min(N, d)`` singular values of ``Xc``: the
    centred ``X − x̄`` with an intercept, ``X`` itself without one
    (``numpy.linalg.svd(Xc, compute_uv=False)`` gives them, largest first).
    Ridge multiplies the least-squares fit along the j-th direction by
    ``fⱼ``. A direction with ``sⱼ = 0`` and ``λ > 0`` has ``fⱼ = 0``.

    Parameters
    ----------
    X : array_like, shape (N, d)
    lam : float
        λ ≥ 0. With λ = 0 a zero singular value gives ``0/0``, which has no
        single right answer (no check uses it).
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
    raise NotImplementedError("shrinkage_factors is not written yet")


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
    raise NotImplementedError("effective_degrees_of_freedom is not written yet")
