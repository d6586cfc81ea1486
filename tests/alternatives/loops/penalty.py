"""Loops-and-lists penalty.py: correct, and written unlike the reference."""

from _checks import count, matrix, number, same_length, vector


def l2_penalty(w, lam, n_samples):
    w = vector(w, "w")
    lam = number(lam, "lam", low=0)
    n_samples = count(n_samples, "n_samples", 1)
    total = 0.0
    for weight in w:
        total += weight * weight
    return lam * total / n_samples


def ridge_loss(X, y, w, b, lam):
    X, y, w = matrix(X, "X"), vector(y, "y"), vector(w, "w")
    b, lam = number(b, "b"), number(lam, "lam", low=0)
    same_length(X, y, "X", "y")
    same_length(X[0], w, "X", "w")
    squared = 0.0
    for row, target in zip(X, y):
        prediction = b
        for x, weight in zip(row, w):
            prediction += x * weight
        squared += (prediction - target) ** 2
    return squared / len(y) + l2_penalty(w, lam, len(y))


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
