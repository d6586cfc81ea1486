"""Correct alternatives for closed_form.py (read as text by ``tests/bank.py``; never imported).

Each solves the same problem another way; all must get full marks.
"""

import numpy as np
from _validation import as_array, as_real, check_rows

from tests.bank import alternative


def _centred(X, y, lam, fit_intercept):
    X, y = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    y_mean = y.mean() if fit_intercept else 0.0
    return X - x_mean, y - y_mean, x_mean, y_mean, lam


@alternative("closed_form.explicit_inverse")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    Xc, yc, x_mean, y_mean, lam = _centred(X, y, lam, fit_intercept)
    w = np.linalg.inv(Xc.T @ Xc + lam * np.eye(Xc.shape[1])) @ Xc.T @ yc
    return w, float(y_mean - x_mean @ w)


@alternative("closed_form.normal_equations_solve")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    Xc, yc, x_mean, y_mean, lam = _centred(X, y, lam, fit_intercept)
    w = np.linalg.solve(Xc.T @ Xc + lam * np.identity(Xc.shape[1]), Xc.T @ yc)
    return w, y_mean - x_mean @ w


@alternative("closed_form.cholesky")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    Xc, yc, x_mean, y_mean, lam = _centred(X, y, lam, fit_intercept)
    L = np.linalg.cholesky(Xc.T @ Xc + lam * np.eye(Xc.shape[1]))
    w = np.linalg.solve(L.T, np.linalg.solve(L, Xc.T @ yc))
    return w, float(y_mean - x_mean @ w)


@alternative("closed_form.augmented_least_squares")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    Xc, yc, x_mean, y_mean, lam = _centred(X, y, lam, fit_intercept)
    d = Xc.shape[1]
    stacked = np.vstack([Xc, np.sqrt(lam) * np.eye(d)])
    w = np.linalg.lstsq(stacked, np.concatenate([yc, np.zeros(d)]), rcond=None)[0]
    return w, float(y_mean - x_mean @ w)


@alternative("closed_form.dual_when_wide")
def ridge_closed_form(X, y, lam, fit_intercept=True):
    Xc, yc, x_mean, y_mean, lam = _centred(X, y, lam, fit_intercept)
    n, d = Xc.shape
    if d > n and lam > 0:
        w = Xc.T @ np.linalg.solve(Xc @ Xc.T + lam * np.eye(n), yc)
    else:
        w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(d), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
