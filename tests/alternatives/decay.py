"""Correct alternatives for decay.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_count

from tests.bank import alternative


@alternative("decay.repeated_multiplication")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w = as_array(w0, "w0", ndim=1).copy()
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError(f"lr is too large for this lam: decay factor {factor} <= 0")
    rows = [w.copy()]
    for _ in range(n_steps):
        w = w * factor
        rows.append(w)
    return np.vstack(rows)


@alternative("decay.cumulative_product")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w0 = as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError("lr too large for this lam (decay factor <= 0)")
    powers = np.cumprod(np.r_[1.0, np.full(n_steps, factor)])
    return np.outer(powers, w0)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
