"""Loops-and-lists decay.py."""

import numpy as np
from _checks import count, number, vector


def decay_factor(lr, lam, n_samples):
    lr = number(lr, "lr", positive=True)
    lam = number(lam, "lam", low=0)
    n_samples = count(n_samples, "n_samples", 1)
    return 1 - 2 * lr * lam / n_samples


def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w = vector(w0, "w0")
    factor = decay_factor(lr, lam, n_samples)
    n_steps = count(n_steps, "n_steps", 0)
    if factor <= 0:
        raise ValueError("lr is too large for this lam: the decay factor would be <= 0")
    rows = []
    for t in range(n_steps + 1):
        rows.append([weight * factor**t for weight in w])
    return np.array(rows)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
