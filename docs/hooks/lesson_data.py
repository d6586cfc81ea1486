"""The data sets the lessons quote numbers from and the figures draw: each defined here only.

NumPy only, fixed seeds: every build computes the same numbers and figures.
"""

from __future__ import annotations

import numpy as np


def ridge_trace_data() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of the ridge trace: 60 samples, six features, the first two a correlated pair."""
    rng = np.random.default_rng(3)
    n = 60
    base = rng.normal(size=(n, 3))
    X = np.column_stack(
        [
            base[:, 0],
            base[:, 0] + 0.3 * rng.normal(size=n),  # a correlated pair
            base[:, 1],
            base[:, 2],
            rng.normal(size=n),
            rng.normal(size=n),
        ]
    )
    w_true = np.array([2.0, -1.0, 1.5, -0.7, 0.4, 0.0])
    y = X @ w_true + 1.0 + rng.normal(0, 1.0, n)
    return X, y


def near_duplicate_data() -> tuple[np.ndarray, np.ndarray]:
    """Two features that almost copy each other; the target uses both equally."""
    rng = np.random.default_rng(32)
    n = 40
    x1 = rng.normal(size=n)
    x2 = x1 + 0.05 * rng.normal(size=n)
    y = 0.5 * x1 + 0.5 * x2 + rng.normal(0, 0.5, n)
    return np.column_stack([x1, x2]), y


def polynomial_data() -> dict:
    """Small noisy 1-D data set, expanded into standardized polynomial features."""
    rng = np.random.default_rng(27)
    degree = 12

    def truth(x):
        return np.sin(2.5 * x) + 0.4 * x

    x_train = np.sort(rng.uniform(-1.0, 1.0, 18))
    x_val = np.sort(rng.uniform(-1.0, 1.0, 200))
    y_train = truth(x_train) + rng.normal(0.0, 0.3, x_train.size)
    y_val = truth(x_val) + rng.normal(0.0, 0.3, x_val.size)
    powers = np.arange(1, degree + 1)
    raw = x_train[:, None] ** powers
    mean, std = raw.mean(axis=0), raw.std(axis=0)

    def features(x):
        return (np.asarray(x)[:, None] ** powers - mean) / std

    return dict(
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        features=features,
        truth=truth,
        degree=degree,
    )


def l1_path(w0, lr, lam, n_samples, n_steps) -> np.ndarray:
    """Pure L1 shrinkage, (λ/N)|w| in this course's convention (not in solutions/)."""
    step = lr * lam / n_samples
    w = [float(w0)]
    for _ in range(n_steps):
        w.append(float(np.sign(w[-1]) * max(abs(w[-1]) - step, 0.0)))
    return np.array(w)
