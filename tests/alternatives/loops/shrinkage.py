"""Loops-and-lists shrinkage.py: Jacobi eigenvalues of the smaller Gram matrix."""

import numpy as np
from _checks import matrix, number


def _jacobi_eigenvalues(A, sweeps=100):
    """Eigenvalues of the symmetric matrix A (lists), by cyclic Jacobi rotations."""
    A = [row[:] for row in A]
    n = len(A)
    for _ in range(sweeps):
        off = sum(A[i][j] ** 2 for i in range(n) for j in range(n) if i != j)
        if off <= 1e-30 * sum(A[i][i] ** 2 for i in range(n)) or off == 0.0:
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                if A[p][q] == 0.0:
                    continue
                theta = (A[q][q] - A[p][p]) / (2 * A[p][q])
                t = (1.0 if theta >= 0 else -1.0) / (abs(theta) + (theta * theta + 1) ** 0.5)
                c = 1 / (t * t + 1) ** 0.5
                s = t * c
                for k in range(n):  # columns p and q
                    akp, akq = A[k][p], A[k][q]
                    A[k][p], A[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):  # rows p and q
                    apk, aqk = A[p][k], A[q][k]
                    A[p][k], A[q][k] = c * apk - s * aqk, s * apk + c * aqk
    return [A[i][i] for i in range(n)]


def shrinkage_factors(X, lam, fit_intercept=True):
    X = matrix(X, "X")
    lam = number(lam, "lam", low=0)
    n, d = len(X), len(X[0])
    means = [sum(row[j] for row in X) / n if fit_intercept else 0.0 for j in range(d)]
    Xc = [[row[j] - means[j] for j in range(d)] for row in X]
    if n <= d:
        gram = [[sum(a * b for a, b in zip(Xc[i], Xc[k])) for k in range(n)] for i in range(n)]
    else:
        gram = [[sum(row[i] * row[k] for row in Xc) for k in range(d)] for i in range(d)]
    squares = sorted(_jacobi_eigenvalues(gram), reverse=True)
    return np.array([square / (square + lam) for square in squares])


def effective_degrees_of_freedom(X, lam, fit_intercept=True):
    return float(sum(shrinkage_factors(X, lam, fit_intercept)))


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
