"""Correct alternatives for gradient.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_real, check_columns, check_rows

from tests.bank import alternative


@alternative("gradient.per_sample_sum")
def ridge_gradients(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    n = X.shape[0]
    grad_w = np.zeros_like(w)
    grad_b = np.float64(0.0)
    for x_i, y_i in zip(X, y):
        error = x_i @ w + b - y_i
        grad_w += 2.0 * error * x_i / n
        grad_b += 2.0 * error / n
    return grad_w + penalty_gradient(w, lam, n), grad_b


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
