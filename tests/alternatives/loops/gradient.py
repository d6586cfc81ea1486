"""Loops-and-lists gradient.py."""

import numpy as np
from _checks import count, matrix, number, same_length, vector


def penalty_gradient(w, lam, n_samples):
    w = vector(w, "w")
    lam = number(lam, "lam", low=0)
    n_samples = count(n_samples, "n_samples", 1)
    return np.array([2 * lam * weight / n_samples for weight in w])


def ridge_gradients(X, y, w, b, lam):
    X, y, w = matrix(X, "X"), vector(y, "y"), vector(w, "w")
    b, lam = number(b, "b"), number(lam, "lam", low=0)
    same_length(X, y, "X", "y")
    same_length(X[0], w, "X", "w")
    n = len(y)
    grad_w = [2 * lam * weight / n for weight in w]
    grad_b = 0.0
    for row, target in zip(X, y):
        error = b - target + sum(x * weight for x, weight in zip(row, w))
        for j, x in enumerate(row):
            grad_w[j] += 2 * error * x / n
        grad_b += 2 * error / n
    return np.array(grad_w), grad_b


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
