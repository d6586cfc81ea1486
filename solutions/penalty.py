"""The L2 penalty and the ridge loss (lesson: docs/lessons/l2-penalty.md)."""

from __future__ import annotations

import numpy as np
from _validation import as_array, as_count, as_real, regression_inputs


def l2_penalty(w, lam, n_samples):
    """Return the L2 penalty ``(λ/N) Σⱼ wⱼ²``.

    Parameters
    ----------
    w : array_like, shape (d,)
        The weights (never the bias).
    lam : float
        The regularization strength λ ≥ 0.
    n_samples : int
        N ≥ 1, the number of training samples the penalty is averaged over.
        A Python ``int`` or a NumPy integer (``numpy.int64``); not a
        ``bool``, not a float.

    Returns
    -------
    float
        ``lam / n_samples * sum(w**2)``.

    Raises
    ------
    ValueError
        With a message that names the argument, if

        - ``w`` is not 1-D, is empty, or holds NaN or infinity;
        - ``lam`` is negative, NaN or infinite;
        - ``n_samples`` is less than 1, a ``bool`` or a float (also a whole one
          such as ``3.0``).
    """
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return float(lam * np.dot(w, w) / n_samples)


def ridge_loss(X, y, w, b, lam):
    """Return the ridge loss ``J(w, b) = (1/N) Σᵢ (ŷᵢ − yᵢ)² + (λ/N) Σⱼ wⱼ²``.

    The prediction is ``ŷ = X w + b``. The bias ``b`` is never penalized.

    Parameters
    ----------
    X : array_like, shape (N, d)
        The design matrix, N ≥ 1 samples and d ≥ 1 features.
    y : array_like, shape (N,)
        The targets.
    w : array_like, shape (d,)
        The weights.
    b : float
        The bias (intercept).
    lam : float
        The regularization strength λ ≥ 0.

    Returns
    -------
    float
        The mean squared error of ``X w + b`` against ``y`` plus the penalty.

    Raises
    ------
    ValueError
        With a message that names the argument (for lengths that disagree,
        either of the two), if

        - ``X`` is not 2-D or holds NaN or infinity;
        - ``y`` is not 1-D, is empty, holds NaN or infinity, or its length is
          not the number of rows of ``X``;
        - ``w`` is not 1-D, is empty, holds NaN or infinity, or its length is
          not the number of columns of ``X``;
        - ``b`` is NaN;
        - ``lam`` is negative, NaN or infinite.
    """
    X, y, w, b, lam = regression_inputs(X, y, w, b, lam)
    n_samples = X.shape[0]
    residuals = X @ w + b - y
    return float(np.dot(residuals, residuals) / n_samples + lam * np.dot(w, w) / n_samples)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
