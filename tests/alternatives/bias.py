"""Correct alternatives for bias.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_real, check_columns, check_rows

from tests.bank import alternative


@alternative("bias.step_through_augmented_gradient")
def gradient_step(X, y, w, b, lam, lr):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam, lr = as_real(b, "b"), as_real(lam, "lam", minimum=0.0), as_real(lr, "lr", positive=True)
    check_rows(X, y)
    check_columns(X, w)
    Xa = np.column_stack([np.ones(len(y)), X])
    theta = np.concatenate([[b], w])
    theta = theta - lr * augmented_gradient(Xa, y, theta, lam)
    return theta[1:], theta[0]


@alternative("bias.masked_penalty")
def augmented_gradient(Xa, y, theta, lam):
    Xa, y, theta = as_array(Xa, "Xa", ndim=2), as_array(y, "y", ndim=1), as_array(theta, "theta", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    check_rows(Xa, y, x_name="Xa")
    check_columns(Xa, theta, x_name="Xa", w_name="theta")
    mask = np.ones_like(theta)
    mask[0] = 0.0
    return (2.0 * Xa.T @ (Xa @ theta - y) + 2.0 * lam * mask * theta) / len(y)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
