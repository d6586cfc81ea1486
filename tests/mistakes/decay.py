"""Mistake bank for decay.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_count, as_real

from tests.bank import mistake


@mistake("decay_factor.half_convention")
def decay_factor(lr, lam, n_samples):
    lr, lam = as_real(lr, "lr", positive=True), as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return 1 - lr * lam / n_samples


@mistake("decay_factor.forgot_1_over_n")
def decay_factor(lr, lam, n_samples):
    lr, lam = as_real(lr, "lr", positive=True), as_real(lam, "lam", minimum=0.0)
    as_count(n_samples, "n_samples", minimum=1)
    return 1 - 2 * lr * lam


@mistake("decay_factor.returned_decrement")
def decay_factor(lr, lam, n_samples):
    lr, lam = as_real(lr, "lr", positive=True), as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return 2 * lr * lam / n_samples


@mistake("decay_trajectory.n_steps_rows")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w0 = as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError("lr too large for this lam")
    return np.array([w0 * factor**t for t in range(n_steps)]).reshape(n_steps, len(w0))


@mistake("decay_trajectory.starts_at_step_1")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w0 = as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError("lr too large for this lam")
    return np.array([w0 * factor**t for t in range(1, n_steps + 2)])


@mistake("decay_trajectory.linear_decay")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    # Subtracts a fixed amount each step (the L1 picture) instead of multiplying.
    w0 = as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError("lr too large for this lam")
    step = (1 - factor) * np.abs(w0).max()
    return np.array([np.sign(w0) * np.maximum(np.abs(w0) - t * step, 0.0) for t in range(n_steps + 1)])


@mistake("decay.accepts_nonpositive_factor")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w0 = as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    return np.array([w0 * factor**t for t in range(n_steps + 1)])


@mistake("decay.no_validation")
def decay_factor(lr, lam, n_samples):
    return 1 - 2 * lr * lam / n_samples


@mistake("decay.no_validation")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    factor = 1 - 2 * lr * lam / n_samples
    return np.array([np.asarray(w0, float) * factor**t for t in range(n_steps + 1)])


@mistake("decay.requires_python_numbers")
def decay_factor(lr, lam, n_samples):
    if type(lr) is not float or type(lam) is not float or type(n_samples) is not int:
        raise ValueError("lr and lam must be float, n_samples int")
    lr, lam = as_real(lr, "lr", positive=True), as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return 1 - 2 * lr * lam / n_samples


@mistake("decay.returns_list_of_rows")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    w0 = as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError("lr is too large for this lam")
    return [list(w0 * factor**t) for t in range(n_steps + 1)]


@mistake("decay.modifies_w0")
def decay_trajectory(w0, lr, lam, n_samples, n_steps):
    as_array(w0, "w0", ndim=1)
    factor = decay_factor(lr, lam, n_samples)
    n_steps = as_count(n_steps, "n_steps", minimum=0)
    if factor <= 0:
        raise ValueError("lr is too large for this lam")
    w = np.asarray(w0, dtype=float)
    rows = [w.copy()]
    for _ in range(n_steps):
        w *= factor
        rows.append(w.copy())
    return np.array(rows)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
