"""The closed form of ridge regression (lesson: docs/lessons/closed-form.md).

Replace every ``raise NotImplementedError`` with your implementation, then run
``nox -s grade -- --only closed_form``.
"""

from __future__ import annotations

import numpy as np


def ridge_closed_form(X, y, lam, fit_intercept=True):
    """Return the minimizer ``(w*, b*)`` of the ridge loss ``J``.

    With an intercept, centre ``Xc = X − x̄`` and ``yc = y − ȳ``, then
    ``w* = (XcᵀXc + λI)⁻¹ Xcᵀ yc`` and ``b* = ȳ − x̄ᵀ w*``. Without one,
    ``w* = (XᵀX + λI)⁻¹ Xᵀ y`` and ``b* = 0``. Never form the inverse:
    solve the linear system (``numpy.linalg.solve``) or use least squares.
    It must also work when there are more features than samples (``d > N``).

    Parameters
    ----------
    X : array_like, shape (N, d)
    y : array_like, shape (N,)
    lam : float
        λ ≥ 0. With λ = 0 and rank-deficient ``Xc`` the minimizer is not
        unique; the minimum-norm one is returned.
    fit_intercept : bool, default True

    Returns
    -------
    w : numpy.ndarray, shape (d,), float64
    b : float

    Raises
    ------
    ValueError
        If an array has the wrong number of dimensions, is empty or not
        finite, ``X`` and ``y`` disagree on N, ``lam`` is negative or not
        finite, or ``fit_intercept`` is not a bool. The message names the
        argument.
    """
    raise NotImplementedError("ridge_closed_form is not written yet")
