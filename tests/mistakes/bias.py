"""Mistake bank for bias.py (read as text by ``tests/bank.py``; never imported)."""

import numpy as np
from _validation import as_array, as_real, check_columns, check_rows

from tests.bank import mistake


def _step_inputs(X, y, w, b, lam, lr):  # the reference's validation, as a student would copy it
    X, y, w = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1), as_array(w, "w", ndim=1)
    check_rows(X, y)
    check_columns(X, w)
    return X, y, w, as_real(b, "b"), as_real(lam, "lam", minimum=0.0), as_real(lr, "lr", positive=True)


@mistake("augmented_gradient.penalizes_theta0")
def augmented_gradient(Xa, y, theta, lam):
    Xa, y, theta = as_array(Xa, "Xa", ndim=2), as_array(y, "y", ndim=1), as_array(theta, "theta", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    check_rows(Xa, y, x_name="Xa")
    check_columns(Xa, theta, x_name="Xa", w_name="theta")
    return 2 / len(y) * Xa.T @ (Xa @ theta - y) + 2 * lam / len(y) * theta


@mistake("augmented_gradient.forgot_1_over_n")
def augmented_gradient(Xa, y, theta, lam):
    Xa, y, theta = as_array(Xa, "Xa", ndim=2), as_array(y, "y", ndim=1), as_array(theta, "theta", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    check_rows(Xa, y, x_name="Xa")
    check_columns(Xa, theta, x_name="Xa", w_name="theta")
    penalty = 2 * lam * theta
    penalty[0] = 0.0
    return 2 / len(y) * Xa.T @ (Xa @ theta - y) + penalty


@mistake("gradient_step.decays_bias")
def gradient_step(X, y, w, b, lam, lr):
    X, y, w, b, lam, lr = _step_inputs(X, y, w, b, lam, lr)
    factor = 1 - 2 * lr * lam / len(y)
    r = X @ w + b - y
    return factor * w - lr * 2 / len(y) * X.T @ r, float(factor * b - lr * 2 * r.mean())


@mistake("gradient_step.climbs")
def gradient_step(X, y, w, b, lam, lr):
    X, y, w, b, lam, lr = _step_inputs(X, y, w, b, lam, lr)
    r = X @ w + b - y
    return w + lr * (2 / len(y) * X.T @ r + 2 * lam / len(y) * w), float(b + lr * 2 * r.mean())


@mistake("gradient_step.penalty_forgot_1_over_n")
def gradient_step(X, y, w, b, lam, lr):
    X, y, w, b, lam, lr = _step_inputs(X, y, w, b, lam, lr)
    r = X @ w + b - y
    return (1 - 2 * lr * lam) * w - lr * 2 / len(y) * X.T @ r, float(b - lr * 2 * r.mean())


@mistake("bias.no_validation")
def augmented_gradient(Xa, y, theta, lam):
    Xa, y, theta = np.asarray(Xa, float), np.asarray(y, float), np.asarray(theta, float)
    penalty = theta.copy()
    penalty[0] = 0.0
    return 2 / len(y) * Xa.T @ (Xa @ theta - y) + 2 * lam / len(y) * penalty


@mistake("bias.no_validation")
def gradient_step(X, y, w, b, lam, lr):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    r = X @ w + b - y
    return (1 - 2 * lr * lam / len(y)) * w - lr * 2 / len(y) * X.T @ r, float(b - lr * 2 * r.mean())


@mistake("bias.requires_numpy_arrays")
def augmented_gradient(Xa, y, theta, lam):
    as_array(Xa, "Xa", ndim=2), as_array(y, "y", ndim=1), as_array(theta, "theta", ndim=1)
    lam = as_real(lam, "lam", minimum=0.0)
    penalty = np.concatenate([[0.0], theta[1:]])
    return 2 / len(y) * Xa.T @ (Xa @ theta - y) + 2 * lam / len(y) * penalty


@mistake("bias.returns_list_pair")
def gradient_step(X, y, w, b, lam, lr):
    X, y, w, b, lam, lr = _step_inputs(X, y, w, b, lam, lr)
    r = X @ w + b - y
    return [list((1 - 2 * lr * lam / len(y)) * w - lr * 2 / len(y) * X.T @ r), b - lr * 2 * r.mean()]


@mistake("bias.modifies_w")
def gradient_step(X, y, w, b, lam, lr):
    X, y, _, b, lam, lr = _step_inputs(X, y, w, b, lam, lr)
    w = np.asarray(w, dtype=float)
    r = X @ w + b - y
    w -= lr * (2 / len(y) * X.T @ r + 2 * lam / len(y) * w)
    return w, float(b - lr * 2 * r.mean())


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
