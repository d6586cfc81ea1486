"""Loops-and-lists closed_form.py: Gaussian elimination with partial pivoting."""

import numpy as np
from _checks import matrix, number, same_length, vector


def _solve(A, rhs):
    n = len(A)
    M = [row[:] + [value] for row, value in zip(A, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(M[r][col]))
        M[col], M[pivot] = M[pivot], M[col]
        for r in range(col + 1, n):
            ratio = M[r][col] / M[col][col]
            for c in range(col, n + 1):
                M[r][c] -= ratio * M[col][c]
    solution = [0.0] * n
    for r in range(n - 1, -1, -1):
        solution[r] = (M[r][n] - sum(M[r][c] * solution[c] for c in range(r + 1, n))) / M[r][r]
    return solution


def ridge_closed_form(X, y, lam, fit_intercept=True):
    X, y = matrix(X, "X"), vector(y, "y")
    lam = number(lam, "lam", low=0)
    same_length(X, y, "X", "y")
    n, d = len(X), len(X[0])
    x_mean = [sum(row[j] for row in X) / n if fit_intercept else 0.0 for j in range(d)]
    y_mean = sum(y) / n if fit_intercept else 0.0
    Xc = [[row[j] - x_mean[j] for j in range(d)] for row in X]
    yc = [value - y_mean for value in y]
    A = [[sum(r[i] * r[j] for r in Xc) + (lam if i == j else 0.0) for j in range(d)] for i in range(d)]
    rhs = [sum(r[i] * t for r, t in zip(Xc, yc)) for i in range(d)]
    w = _solve(A, rhs)
    return np.array(w), y_mean - sum(m * weight for m, weight in zip(x_mean, w))


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
