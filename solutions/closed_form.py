"""The closed form of ridge regression (lesson: docs/lessons/closed-form.md)."""

from __future__ import annotations

import numpy as np
from _validation import as_array, as_real, check_rows


def ridge_closed_form(X, y, lam, fit_intercept=True):
    """Return the minimizer ``(w*, b*)`` of the ridge loss ``J``.

    With an intercept, centre ``Xc = X − x̄`` and ``yc = y − ȳ``, then
    ``w* = (XcᵀXc + λI)⁻¹ Xcᵀ yc`` and ``b* = ȳ − x̄ᵀ w*``. Without one,
    ``w* = (XᵀX + λI)⁻¹ Xᵀ y`` and ``b* = 0``. The inverse is never formed:
    this reference uses the SVD ``Xc = U S Vᵀ``, where
    ``w* = V diag(s / (s² + λ)) Uᵀ yc``, which never squares the condition
    number and works for ``d > N``.

    Parameters
    ----------
    X : array_like, shape (N, d)
    y : array_like, shape (N,)
    lam : float
        λ ≥ 0. With λ = 0 and rank-deficient ``Xc`` (also N = 1 with an
        intercept) the minimizer is not unique: no check uses that case.
    fit_intercept : bool, default True

    Returns
    -------
    w : numpy.ndarray, shape (d,), float64
    b : float

    Raises
    ------
    ValueError
        With a message that names the argument (for lengths that disagree,
        either of the two), if

        - ``X`` is not 2-D or holds NaN or infinity;
        - ``y`` is not 1-D, is empty, holds NaN or infinity, or its length is
          not the number of rows of ``X``;
        - ``lam`` is negative, NaN or infinite.
    """
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise ValueError(f"fit_intercept must be True or False, got {fit_intercept!r}")
    check_rows(X, y)
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), y.mean()
        X, y = X - x_mean, y - y_mean
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    # s / (s² + λ), with the directions of a zero singular value left out when λ = 0.
    denominators = s * s + lam
    shrink = np.divide(s, denominators, out=np.zeros_like(s), where=denominators > 0)
    w = Vt.T @ (shrink * (U.T @ y))
    b = float(y_mean - x_mean @ w) if fit_intercept else 0.0
    return w, b


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
