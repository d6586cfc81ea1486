"""Mistake bank for gradient.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_count, as_real, check_columns, check_rows

from tests.bank import mistake


def _inputs(X, y, w, b, lam):  # the reference's validation, as a student would copy it
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    check_rows(X, y)
    check_columns(X, w)
    return X, y, w, as_real(b, "b"), as_real(lam, "lam", minimum=0.0)


@mistake("penalty_gradient.forgot_1_over_n")
def penalty_gradient(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    as_count(n_samples, "n_samples", minimum=1)
    return 2 * lam * w


@mistake("penalty_gradient.forgot_factor_2")
def penalty_gradient(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return lam / n_samples * w


@mistake("penalty_gradient.sign_flipped")
def penalty_gradient(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return -2 * lam / n_samples * w


@mistake("ridge_gradients.penalty_forgot_1_over_n")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r + 2 * lam * w, float(2 * r.mean())


@mistake("ridge_gradients.penalty_forgot_factor_2")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r + lam / len(y) * w, float(2 * r.mean())


@mistake("ridge_gradients.penalty_sign_flipped")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r - 2 * lam / len(y) * w, float(2 * r.mean())


@mistake("ridge_gradients.data_sign_flipped")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = y - (X @ w + b)
    return 2 / len(y) * X.T @ r + 2 * lam / len(y) * w, float(2 * r.mean())


@mistake("ridge_gradients.data_forgot_1_over_n")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 * X.T @ r + 2 * lam / len(y) * w, float(2 * r.sum())


@mistake("ridge_gradients.forgot_penalty")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r, float(2 * r.mean())


@mistake("ridge_gradients.bias_penalized")
def ridge_gradients(X, y, w, b, lam):
    X, y, w, b, lam = _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r + 2 * lam / len(y) * w, float(2 * r.mean() + 2 * lam / len(y) * b)


@mistake("gradient.no_validation")
def penalty_gradient(w, lam, n_samples):
    return 2 * lam / n_samples * np.asarray(w, dtype=float)


@mistake("gradient.no_validation")
def ridge_gradients(X, y, w, b, lam):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r + 2 * lam / len(y) * w, float(2 * r.mean())


@mistake("gradient.requires_numpy_arrays")
def ridge_gradients(X, y, w, b, lam):
    _inputs(X, y, w, b, lam)
    r = X @ w + b - y
    return 2 / len(y) * X.T @ r + 2 * lam / len(y) * w, float(2 * r.mean())


@mistake("gradient.returns_lists")
def penalty_gradient(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return [2 * lam / n_samples * value for value in w]


@mistake("gradient.modifies_w")
def penalty_gradient(w, lam, n_samples):
    as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    w = np.asarray(w, dtype=float)
    w *= 2 * lam / n_samples
    return w


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
