"""Plain NumPy building blocks from which packs compute the answers of known mistakes.

Deliberately simple (no compensated sums): a mistake is recognised by a
whole factor or term, far above rounding.
"""

from __future__ import annotations

import numpy as np


def sumsq(w) -> float:
    w = np.asarray(w, float)
    return float(w @ w)


def res(X, y, w, b):
    return np.asarray(X, float) @ np.asarray(w, float) + b - np.asarray(y, float)


def mse(X, y, w, b) -> float:
    r = res(X, y, w, b)
    return float(r @ r / len(r))


def data_grad(X, y, w, b):
    X = np.asarray(X, float)
    r = res(X, y, w, b)
    return 2 * X.T @ r / len(r), 2 * r.sum() / len(r)


def gradients(X, y, w, b, lam, *, penalty_scale=1.0, data_scale=1.0, bias_penalty=0.0):
    gw, gb = data_grad(X, y, w, b)
    n = np.asarray(X).shape[0]
    return (
        data_scale * gw + penalty_scale * 2 * lam * np.asarray(w, float) / n,
        data_scale * gb + bias_penalty * 2 * lam * b / n,
    )


def closed(X, y, lam, fit_intercept, *, centre=True, lam_scale=1.0, penalize_intercept=False, plain_bias=False, one_entry=False):
    X, y = np.asarray(X, float), np.asarray(y, float)
    n, d = X.shape
    if fit_intercept and penalize_intercept:
        A = np.hstack([np.ones((n, 1)), X])
        theta = np.linalg.solve(A.T @ A + lam * np.eye(d + 1), A.T @ y)
        return theta[1:], float(theta[0])
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept and centre else (np.zeros(d), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    penalty = np.zeros((d, d))
    if one_entry:
        penalty[0, 0] = lam
    else:
        penalty = lam * lam_scale * np.eye(d)
    w = np.linalg.solve(Xc.T @ Xc + penalty, Xc.T @ yc)
    if not fit_intercept:
        return w, 0.0
    if plain_bias:
        return w, float(y.mean())
    return w, float(y.mean() - X.mean(axis=0) @ w)


GRAD_FORGOT_N = (
    "your penalty gradient is exactly N times too large: you forgot to divide by N. The derivative of (λ/N) Σ w² is (2λ/N) w."
)
