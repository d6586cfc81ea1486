"""Weight decay (lesson: docs/lessons/weight-decay.md).

Replace every ``raise NotImplementedError`` with your implementation, then run
``nox -s grade -- --only decay``.
"""

from __future__ import annotations

import numpy as np


def decay_factor(lr, lam, n_samples):
    """Return the decay factor ``1 − 2·lr·λ/N`` of one gradient step.

    One step is ``w ← (1 − 2·lr·λ/N) w − lr·(2/N) Xᵀ(ŷ − y)``. The value of
    the formula is returned for every valid input, also when it is ``≤ 0``.

    Parameters
    ----------
    lr : float
        The learning rate, > 0.
    lam : float
        λ ≥ 0.
    n_samples : int
        N ≥ 1.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``lr`` is not positive, ``lam`` is negative, either is not finite,
        or ``n_samples`` is not an integer ≥ 1. The message names the argument.
    """
    raise NotImplementedError("decay_factor is not written yet")


def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    """Return the weights over ``n_steps`` steps of pure weight decay.

    With the data gradient switched off, row ``t`` is ``w0 · factor**t`` with
    ``factor = 1 − 2·lr·λ/N``: exponential decay, which never reaches zero.

    Parameters
    ----------
    w0 : array_like, shape (d,)
        The starting weights.
    lr : float
        The learning rate, > 0.
    lam : float
        λ ≥ 0.
    n_samples : int
        N ≥ 1.
    n_steps : int
        The number of steps, ≥ 0.

    Returns
    -------
    numpy.ndarray, shape (n_steps + 1, d), float64
        Row 0 is ``w0``.

    Raises
    ------
    ValueError
        If ``w0`` is not 1-D, empty or not finite, ``lr`` is not positive,
        ``lam`` is negative, a count is not an integer (``n_samples ≥ 1``,
        ``n_steps ≥ 0``), or the decay factor is ``≤ 0`` (the learning rate
        is too large for this λ: the message names ``lr``).
    """
    raise NotImplementedError("decay_trajectory is not written yet")
