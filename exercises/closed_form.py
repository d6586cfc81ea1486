"""The closed form of ridge regression (lesson: docs/lessons/closed-form.md).

Replace every ``raise NotImplementedError`` with your implementation, then run
``python3 noxw.py -s grade -- --only closed_form`` (on Windows, ``py`` for ``python3``).
"""

from __future__ import annotations

import numpy as np


def ridge_closed_form(X, y, lam, fit_intercept=True):
    """Return the minimizer ``(w*, b*)`` of the ridge loss ``J``.

    With an intercept, centre ``Xc = X − x̄`` and ``yc = y − ȳ``, then
    ``w* = (XcᵀXc + λI)⁻¹ Xcᵀ yc`` and ``b* = ȳ − x̄ᵀ w*``. Without one,
    ``w* = (XᵀX + λI)⁻¹ Xᵀ y`` and ``b* = 0``. Solving the linear system
    (``numpy.linalg.solve``) or least squares is faster and more accurate
    than forming the inverse, though ``numpy.linalg.inv`` also gets full
    marks on the well-posed data the checks use. It must also work when
    there are more features than samples (``d > N``).

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
    raise NotImplementedError("ridge_closed_form is not written yet")
