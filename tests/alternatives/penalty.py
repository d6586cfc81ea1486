"""Correct alternatives for penalty.py, written differently from the reference.

Read as text by ``tests/bank.py`` and appended to the reference module; never
imported. Each must get full marks.
"""

import numpy as np
from _validation import as_array, as_count, as_real, check_columns, check_rows

from tests.bank import alternative


@alternative("penalty.numpy_scalars_out")
def l2_penalty(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return np.float64(lam) * np.sum(np.square(w)) / np.float64(n_samples)


@alternative("penalty.numpy_scalars_out")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return np.mean(np.square(np.einsum("ij,j->i", X, w) + b - y)) + l2_penalty(w, lam, len(y))


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
