"""Loops-and-lists bias.py."""

import numpy as np
from _checks import matrix, number, same_length, vector


def augmented_gradient(Xa, y, theta, lam):
    Xa, y, theta = matrix(Xa, "Xa"), vector(y, "y"), vector(theta, "theta")
    lam = number(lam, "lam", low=0)
    same_length(Xa, y, "Xa", "y")
    same_length(Xa[0], theta, "Xa", "theta")
    n = len(y)
    gradient = [0.0] + [2 * lam * t / n for t in theta[1:]]
    for row, target in zip(Xa, y):
        error = sum(x * t for x, t in zip(row, theta)) - target
        for j, x in enumerate(row):
            gradient[j] += 2 * error * x / n
    return np.array(gradient)


def gradient_step(X, y, w, b, lam, lr):
    X, y, w = matrix(X, "X"), vector(y, "y"), vector(w, "w")
    b, lam, lr = number(b, "b"), number(lam, "lam", low=0), number(lr, "lr", positive=True)
    same_length(X, y, "X", "y")
    same_length(X[0], w, "X", "w")
    gradient = augmented_gradient([[1.0] + row for row in X], y, [b] + w, lam)
    return np.array([weight - lr * g for weight, g in zip(w, gradient[1:])]), b - lr * gradient[0]


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
