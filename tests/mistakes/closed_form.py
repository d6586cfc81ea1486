"""Mistake bank for closed_form.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_real, check_rows

from tests.bank import mistake


def _inputs(X, y, lam):  # the reference's validation, as a student would copy it
    X, y = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1)
    check_rows(X, y)
    return X, y, as_real(lam, "lam", minimum=0.0)


@mistake("ridge_closed_form.no_centering")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    w = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    return w, float(y.mean() - X.mean(axis=0) @ w) if fit_intercept else 0.0


@mistake("ridge_closed_form.penalizes_intercept")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    if not fit_intercept:
        return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y), 0.0
    A = np.hstack([np.ones((len(y), 1)), X])
    theta = np.linalg.solve(A.T @ A + lam * np.eye(A.shape[1]), A.T @ y)
    return theta[1:], float(theta[0])


@mistake("ridge_closed_form.lambda_times_n")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * len(y) * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


@mistake("ridge_closed_form.lambda_over_n")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam / len(y) * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


@mistake("ridge_closed_form.bias_is_mean_y")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean)


@mistake("ridge_closed_form.lambda_on_one_entry")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    A = Xc.T @ Xc
    A[0, 0] += lam
    w = np.linalg.solve(A, Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


@mistake("closed_form.lambda_subtracted")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.lstsq(Xc.T @ Xc - lam * np.eye(X.shape[1]), Xc.T @ yc, rcond=None)[0]
    return w, float(y_mean - x_mean @ w)


@mistake("closed_form.soft_thresholding")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    # Confuses L2 with L1: shrinks the least-squares weights by λ and cuts them at zero.
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w_ols = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    w = np.sign(w_ols) * np.maximum(np.abs(w_ols) - lam, 0.0)
    return w, float(y_mean - x_mean @ w)


@mistake("closed_form.stabilizing_jitter")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    # Adds 1e-3 to λ "for numerical stability": wrong at λ = 0 and for small λ.
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + (lam + 1e-3) * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


@mistake("closed_form.no_validation")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y = np.asarray(X, float), np.asarray(y, float)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


@mistake("closed_form.requires_numpy_arrays")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


@mistake("closed_form.returns_list")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y, lam = _inputs(X, y, lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
    return list(w), float(y_mean - x_mean @ w)


@mistake("closed_form.centres_in_place")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    _inputs(X, y, lam)
    X, y, lam = np.asarray(X, dtype=float), np.asarray(y, dtype=float), float(lam)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    X -= x_mean
    y -= y_mean
    w = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    return w, float(y_mean - x_mean @ w)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
