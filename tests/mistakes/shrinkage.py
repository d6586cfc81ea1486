"""Mistake bank for shrinkage.py (read as text by ``tests/bank.py``; never imported)."""

import math

import numpy as np
from _validation import as_array, as_real

from tests.bank import mistake


def _inputs(X, lam):  # the reference's validation, as a student would copy it
    return as_array(X, "X", ndim=2), as_real(lam, "lam", minimum=0.0)


def _centred(X, fit_intercept):
    return X - X.mean(axis=0) if fit_intercept else X


@mistake("shrinkage_factors.not_squared")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False)
    return s / (s + lam)


@mistake("shrinkage_factors.lambda_on_top")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False)
    return lam / (s**2 + lam)


@mistake("shrinkage_factors.no_centering")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(X, compute_uv=False)
    return s**2 / (s**2 + lam)


@mistake("shrinkage_factors.centres_without_intercept")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return s**2 / (s**2 + lam)


@mistake("shrinkage_factors.covariance_lambda_n")
def shrinkage_factors(X, lam, fit_intercept=True):
    # Eigenvalues of the covariance matrix XcᵀXc/N against λ: the loss's 1/N counted twice.
    X, lam = _inputs(X, lam)
    Xc = _centred(X, fit_intercept)
    n, d = Xc.shape
    variances = np.linalg.eigvalsh(Xc.T @ Xc / n)[::-1][: min(n, d)]
    return variances / (variances + lam)


@mistake("shrinkage_factors.ascending")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    Xc = _centred(X, fit_intercept)
    squares = np.linalg.eigvalsh(Xc @ Xc.T if Xc.shape[0] <= Xc.shape[1] else Xc.T @ Xc)  # smallest first
    return squares / (squares + lam)


@mistake("shrinkage_factors.d_factors_when_wide")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    Xc = _centred(X, fit_intercept)
    squares = np.linalg.eigvalsh(Xc.T @ Xc)[::-1]  # d eigenvalues, also when N < d
    return squares / (squares + lam)


@mistake("effective_degrees_of_freedom.counts_intercept")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    return float(np.sum(shrinkage_factors(X, lam, fit_intercept))) + (1.0 if fit_intercept else 0.0)


@mistake("effective_degrees_of_freedom.not_squared")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False)
    return float(np.sum(s / (s + lam)))


@mistake("effective_degrees_of_freedom.lambda_on_top")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False)
    return float(np.sum(lam / (s**2 + lam)))


@mistake("effective_degrees_of_freedom.no_centering")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    # The hat-matrix trace, but of X itself.
    X, lam = _inputs(X, lam)
    return float(np.trace(X @ np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T)))


@mistake("effective_degrees_of_freedom.centres_without_intercept")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    Xc = X - X.mean(axis=0)
    return float(np.trace(Xc @ np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T)))


@mistake("effective_degrees_of_freedom.covariance_lambda_n")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    s = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False)
    return math.fsum(s**2 / (s**2 + len(X) * lam))


@mistake("shrinkage.inverse_factor")
def shrinkage_factors(X, lam, fit_intercept=True):
    # The factor ridge divides the least-squares fit by, (s² + λ)/s², instead of the one it multiplies by.
    X, lam = _inputs(X, lam)
    squares = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False) ** 2
    return (squares + lam) / np.maximum(squares, 1e-300)


@mistake("shrinkage.first_order_factor")
def shrinkage_factors(X, lam, fit_intercept=True):
    # 1 − λ/s², the first-order expansion of s²/(s² + λ): negative once λ > s².
    X, lam = _inputs(X, lam)
    squares = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False) ** 2
    return 1 - lam / np.maximum(squares, 1e-300)


@mistake("shrinkage.no_validation")
def shrinkage_factors(X, lam, fit_intercept=True):
    X = np.asarray(X, float)
    squares = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False) ** 2
    return squares / (squares + lam)


@mistake("shrinkage.no_validation")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    return float(np.sum(shrinkage_factors(X, lam, fit_intercept)))


@mistake("shrinkage.requires_numpy_arrays")
def shrinkage_factors(X, lam, fit_intercept=True):
    _inputs(X, lam)
    squares = np.linalg.svd(X - X.mean(axis=0) if fit_intercept else X, compute_uv=False) ** 2
    return squares / (squares + lam)


@mistake("shrinkage.returns_list")
def shrinkage_factors(X, lam, fit_intercept=True):
    X, lam = _inputs(X, lam)
    squares = np.linalg.svd(_centred(X, fit_intercept), compute_uv=False) ** 2
    return list(squares / (squares + lam))


@mistake("shrinkage.df_as_array")
def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    return np.sum(shrinkage_factors(X, lam, fit_intercept), keepdims=True)


@mistake("shrinkage.centres_in_place")
def shrinkage_factors(X, lam, fit_intercept=True):
    _inputs(X, lam)
    X = np.asarray(X, dtype=float)
    if fit_intercept:
        X -= X.mean(axis=0)
    squares = np.linalg.svd(X, compute_uv=False) ** 2
    return squares / (squares + lam)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
