"""Weight decay (lesson: docs/lessons/weight-decay.md).

Replace every ``raise NotImplementedError`` with your implementation, then run
``python3 noxw.py -s grade -- --only decay`` (on Windows, ``py`` for ``python3``).
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
        N ≥ 1. A Python ``int`` or a NumPy integer (``numpy.int64``); not a
        ``bool``, not a float.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        With a message that names the argument, if

        - ``lr`` is 0, negative or NaN;
        - ``lam`` is negative, NaN or infinite;
        - ``n_samples`` is less than 1, a ``bool`` or a float (also a whole one
          such as ``3.0``).
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
        N ≥ 1. A Python ``int`` or a NumPy integer (``numpy.int64``); not a
        ``bool``, not a float.
    n_steps : int
        The number of steps, ≥ 0. A Python ``int`` or a NumPy integer (``numpy.int64``); not a
        ``bool``, not a float.

    Returns
    -------
    numpy.ndarray, shape (n_steps + 1, d), float64
        Row 0 is ``w0``.

    Raises
    ------
    ValueError
        With a message that names the argument, if

        - ``w0`` is not 1-D, is empty, or holds NaN or infinity;
        - ``lr`` is 0, negative or NaN;
        - ``lam`` is negative, NaN or infinite;
        - ``n_samples`` is less than 1, a ``bool`` or a float (also a whole one
          such as ``3.0``);
        - ``n_steps`` is negative, a ``bool`` or a float (also a whole one such
          as ``3.0``);
        - the decay factor ``1 − 2·lr·λ/N`` is ≤ 0: the learning rate is too
          large for this λ, and the message names ``lr``.
    """
    raise NotImplementedError("decay_trajectory is not written yet")
