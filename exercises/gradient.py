"""The gradient of the ridge loss (lesson: docs/lessons/gradient.md).

Replace every ``raise NotImplementedError`` with your implementation, then run
``python3 noxw.py -s grade -- --only gradient`` (on Windows, ``py`` for ``python3``).
"""

from __future__ import annotations

import numpy as np


def penalty_gradient(w, lam, n_samples):
    """Return the gradient of the penalty, ``∇w (λ/N) Σ wⱼ² = (2λ/N) w``.

    Parameters
    ----------
    w : array_like, shape (d,)
        The weights.
    lam : float
        The regularization strength λ ≥ 0.
    n_samples : int
        N ≥ 1, the number of training samples. A Python ``int`` or a NumPy integer (``numpy.int64``); not a
        ``bool``, not a float.

    Returns
    -------
    numpy.ndarray, shape (d,), float64
        ``2 * lam / n_samples * w``, a new array.

    Raises
    ------
    ValueError
        With a message that names the argument, if

        - ``w`` is not 1-D, is empty, or holds NaN or infinity;
        - ``lam`` is negative, NaN or infinite;
        - ``n_samples`` is less than 1, a ``bool`` or a float (also a whole one
          such as ``3.0``).
    """
    raise NotImplementedError("penalty_gradient is not written yet")


def ridge_gradients(X, y, w, b, lam):
    """Return both gradients of the ridge loss ``J(w, b)``.

    ``∇w J = (2/N) Xᵀ(ŷ − y) + (2λ/N) w`` and ``∂J/∂b = (2/N) Σᵢ (ŷᵢ − yᵢ)``,
    with ``ŷ = X w + b``. λ does not appear in ``∂J/∂b``.

    Parameters
    ----------
    X : array_like, shape (N, d)
        The design matrix.
    y : array_like, shape (N,)
        The targets.
    w : array_like, shape (d,)
        The weights.
    b : float
        The bias.
    lam : float
        The regularization strength λ ≥ 0.

    Returns
    -------
    grad_w : numpy.ndarray, shape (d,), float64
    grad_b : float

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
    raise NotImplementedError("ridge_gradients is not written yet")
