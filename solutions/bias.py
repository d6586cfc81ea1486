"""Never penalize the bias (lesson: docs/lessons/bias.md)."""

from __future__ import annotations

import numpy as np
from _validation import as_array, as_real, check_columns, check_rows, regression_inputs


def augmented_gradient(Xa, y, theta, lam):
    """Return the gradient of ``J`` in the augmented form, skipping the bias.

    With ``Xa = [1 | X]`` and ``θ = [b, w₁, …, w_d]``::

        ∇θ J = (2/N) Xaᵀ(Xa θ − y) + (2λ/N) [0, w₁, …, w_d]

    ``θ[0]`` is the bias: it gets the data gradient but no penalty.
    That the first column of ``Xa`` holds ones is not checked.

    Parameters
    ----------
    Xa : array_like, shape (N, d + 1)
        The augmented design matrix. A single column (d = 0: the bias
        alone) is valid too; no check uses it.
    y : array_like, shape (N,)
        The targets.
    theta : array_like, shape (d + 1,)
        The bias followed by the weights.
    lam : float
        The regularization strength λ ≥ 0.

    Returns
    -------
    numpy.ndarray, shape (d + 1,), float64

    Raises
    ------
    ValueError
        With a message that names the argument (for lengths that disagree,
        either of the two), if

        - ``Xa`` is not 2-D or holds NaN or infinity;
        - ``y`` is not 1-D, is empty, holds NaN or infinity, or its length is
          not the number of rows of ``Xa``;
        - ``theta`` is not 1-D, is empty, holds NaN or infinity, or its length
          is not the number of columns of ``Xa``;
        - ``lam`` is negative, NaN or infinite.
    """
    Xa = as_array(Xa, "Xa", ndim=2)
    y = as_array(y, "y", ndim=1)
    theta = as_array(theta, "theta", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    check_rows(Xa, y, x_name="Xa")
    check_columns(Xa, theta, x_name="Xa", w_name="theta")
    n_samples = Xa.shape[0]
    penalized = theta.copy()
    penalized[0] = 0.0
    return (2.0 / n_samples) * (Xa.T @ (Xa @ theta - y)) + (2.0 * lam / n_samples) * penalized


def gradient_step(X, y, w, b, lam, lr):
    """Return ``(w_new, b_new)`` after one step of gradient descent on ``J``.

    ``w_new = (1 − 2·lr·λ/N) w − lr·(2/N) Xᵀ(ŷ − y)`` and
    ``b_new = b − lr·(2/N) Σ(ŷ − y)``, with ``ŷ = X w + b``: the weights are
    decayed, the bias is not.

    Parameters
    ----------
    X : array_like, shape (N, d)
    y : array_like, shape (N,)
    w : array_like, shape (d,)
    b : float
    lam : float
        λ ≥ 0.
    lr : float
        The learning rate, > 0.

    Returns
    -------
    w_new : numpy.ndarray, shape (d,), float64
    b_new : float

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
        - ``lam`` is negative, NaN or infinite;
        - ``lr`` is 0, negative or NaN.
    """
    # Self-contained on purpose: a module of a submission may not rely on
    # another (a bug in gradient.py must not cost marks here).
    X, y, w, b, lam = regression_inputs(X, y, w, b, lam)
    lr = as_real(lr, "lr", positive=True)
    n_samples = X.shape[0]
    residuals = X @ w + b - y
    decay = 1.0 - 2.0 * lr * lam / n_samples
    return decay * w - lr * (2.0 / n_samples) * (X.T @ residuals), float(b - lr * 2.0 * residuals.sum() / n_samples)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
