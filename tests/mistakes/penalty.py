"""Mistake bank for penalty.py: realistic wrong versions of l2_penalty and ridge_loss.

Read as text by ``tests/bank.py`` and appended to the reference module (whose
imports and helpers they use); never imported.
"""

import numpy as np
from _validation import as_array, as_count, as_real, check_columns, check_rows

from tests.bank import mistake


@mistake("l2_penalty.forgot_1_over_n")
def l2_penalty(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return float(lam * np.sum(w**2))


@mistake("l2_penalty.half_convention")
def l2_penalty(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return float(lam / (2 * n_samples) * np.sum(w**2))


@mistake("l2_penalty.l1_instead_of_l2")
def l2_penalty(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return float(lam / n_samples * np.sum(np.abs(w)))


@mistake("l2_penalty.norm_not_squared")
def l2_penalty(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return float(lam / n_samples * np.linalg.norm(w))


@mistake("ridge_loss.penalizes_bias")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    theta = np.concatenate([[b], w])
    return float(np.mean((X @ w + b - y) ** 2) + lam / len(y) * np.sum(theta**2))


@mistake("ridge_loss.sum_not_mean")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return float(np.sum((X @ w + b - y) ** 2) + lam / len(y) * np.sum(w**2))


@mistake("ridge_loss.forgot_1_over_n")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return float(np.mean((X @ w + b - y) ** 2) + lam * np.sum(w**2))


@mistake("ridge_loss.half_convention")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return float(np.mean((X @ w + b - y) ** 2) + lam / (2 * len(y)) * np.sum(w**2))


@mistake("ridge_loss.l1_instead_of_l2")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return float(np.mean((X @ w + b - y) ** 2) + lam / len(y) * np.sum(np.abs(w)))


@mistake("ridge_loss.forgot_penalty")
def ridge_loss(X, y, w, b, lam):
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return float(np.mean((X @ w + b - y) ** 2))


@mistake("penalty.no_validation")
def l2_penalty(w, lam, n_samples):
    w = np.asarray(w, dtype=float)
    return float(lam * np.dot(w, w) / n_samples)


@mistake("penalty.no_validation")
def ridge_loss(X, y, w, b, lam):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    return float(np.mean((X @ w + b - y) ** 2) + lam * np.dot(w, w) / len(y))


@mistake("penalty.requires_numpy_arrays")
def l2_penalty(w, lam, n_samples):
    if not isinstance(n_samples, int) or isinstance(n_samples, bool) or n_samples < 1:
        raise ValueError("n_samples must be a positive int")
    lam = as_real(lam, "lam", minimum=0.0)
    as_array(w, "w", ndim=1)
    return float(lam * w.dot(w) / n_samples)


@mistake("penalty.returns_arrays")
def l2_penalty(w, lam, n_samples):
    w = as_array(w, "w", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    n_samples = as_count(n_samples, "n_samples", minimum=1)
    return np.array([lam * np.dot(w, w) / n_samples])


@mistake("penalty.modifies_y")
def ridge_loss(X, y, w, b, lam):
    X, w = as_array(X, "X", ndim=2), as_array(w, "w", ndim=1)
    as_array(y, "y", ndim=1)
    b, lam = as_real(b, "b"), as_real(lam, "lam", minimum=0.0)
    y = np.asarray(y, dtype=float)
    check_rows(X, y)
    check_columns(X, w)
    y -= X @ w + b  # y now holds minus the residuals: the caller's y is gone
    return float(np.mean(y**2) + lam * np.dot(w, w) / len(y))


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
