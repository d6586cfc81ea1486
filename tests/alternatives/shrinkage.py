# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
"""Correct alternatives for shrinkage.py (read as text by ``tests/bank.py``; never imported).

Each computes the same factors or degrees of freedom another way; all must get full marks.
"""

import numpy as np
from _validation import as_array, as_real

from tests.bank import alternative


def _centred(X, lam, fit_intercept):
    X = as_array(X, "X", ndim=2)
    lam = as_real(lam, "lam", minimum=0.0)
    return (X - X.mean(axis=0) if fit_intercept else X), lam


@alternative("shrinkage.eigvalsh_of_the_smaller_gram_matrix")
def shrinkage_factors(X, lam, fit_intercept=True):
    # sⱼ² are the eigenvalues of XcXcᵀ (N × N) or XcᵀXc (d × d): use the smaller one, and reverse
    # eigvalsh's ascending order. A zero eigenvalue may come out as −1e-16, so a factor as −1e-16/λ.
    Xc, lam = _centred(X, lam, fit_intercept)
    gram = Xc @ Xc.T if Xc.shape[0] <= Xc.shape[1] else Xc.T @ Xc
    squares = np.linalg.eigvalsh(gram)[::-1]
    return squares / (squares + lam)


@alternative("shrinkage.eigvalsh_of_the_smaller_gram_matrix")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    return float(np.sum(shrinkage_factors(X, lam, fit_intercept)))


@alternative("shrinkage.one_minus_lambda_fraction")
def shrinkage_factors(X, lam, fit_intercept=True):
    Xc, lam = _centred(X, lam, fit_intercept)
    s = np.linalg.svd(Xc, compute_uv=False)
    return 1.0 - lam / (s * s + lam)


@alternative("shrinkage.trace_of_the_hat_matrix")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    Xc, lam = _centred(X, lam, fit_intercept)
    hat = Xc @ np.linalg.solve(Xc.T @ Xc + lam * np.eye(Xc.shape[1]), Xc.T)
    return float(np.trace(hat))


@alternative("shrinkage.trace_with_an_explicit_inverse")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    Xc, lam = _centred(X, lam, fit_intercept)
    return float(np.trace(np.linalg.inv(Xc.T @ Xc + lam * np.eye(Xc.shape[1])) @ (Xc.T @ Xc)))


@alternative("shrinkage.dual_trace_when_wide")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    # trace(Xc (XcᵀXc + λI)⁻¹ Xcᵀ) = trace((XcXcᵀ + λI)⁻¹ XcXcᵀ): an N × N system when N < d.
    Xc, lam = _centred(X, lam, fit_intercept)
    n, d = Xc.shape
    if n < d and lam > 0:
        gram = Xc @ Xc.T
        return float(np.trace(np.linalg.solve(gram + lam * np.eye(n), gram)))
    return float(np.trace(np.linalg.solve(Xc.T @ Xc + lam * np.eye(d), Xc.T @ Xc)))


@alternative("shrinkage.factors_from_the_hat_matrix_eigenvalues")
def shrinkage_factors(X, lam, fit_intercept=True):
    Xc, lam = _centred(X, lam, fit_intercept)
    n, d = Xc.shape
    if n < d:
        gram = Xc @ Xc.T
        hat = np.linalg.solve(gram + lam * np.eye(n), gram)
    else:
        hat = np.linalg.solve(Xc.T @ Xc + lam * np.eye(d), Xc.T @ Xc)
    # hat is similar to a symmetric matrix; its eigenvalues are real up to rounding.
    return np.sort(np.linalg.eigvals(hat).real)[::-1]
