"""The checks' own answers: a second derivation of the contract's formulas.

Deliberately not the reference solution's method (``solutions/`` is never
imported here), so that ``nox -s verify`` catches a mistake in either:

- sums are exact-rounded (``math.fsum``) rather than BLAS dot products, and
  each value comes with a *scale*, the same sum taken over absolute values,
  which bounds the rounding error any correct float64 implementation makes;
- the decay factor is computed in exact rational arithmetic;
- the closed form solves the augmented least-squares problem
  ``min ‖[1 X] θ − y‖² + λ‖w‖²`` (no centring, no SVD of ``Xc``).

Inputs are assumed valid (the checks generate them); outputs are float64.
Each answer is computed once per distinct input (``memo.by_value``): the
checks and the engine's re-check of every answer ask the same questions.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from checks.packs.shared.memo import by_value


def residuals(X, y, w, b) -> tuple[np.ndarray, np.ndarray]:
    """Return ``ŷ − y`` and the scale ``Σⱼ|xᵢⱼ wⱼ| + |b| + |yᵢ|`` of each entry."""
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    values = np.array([math.fsum([*(X[i] * w), b, -y[i]]) for i in range(len(y))])
    scales = np.abs(X) @ np.abs(w) + abs(b) + np.abs(y)
    return values, scales


@by_value
def l2_penalty(w, lam, n_samples) -> tuple[float, float]:
    """Return ``(λ/N) Σ w²`` and its scale (the same: every term is ≥ 0)."""
    value = lam * math.fsum(np.square(np.asarray(w, float))) / n_samples
    return value, value


@by_value
def ridge_loss(X, y, w, b, lam) -> tuple[float, float]:
    """Return ``J(w, b)`` and its scale."""
    r, r_scale = residuals(X, y, w, b)
    n_samples = len(r)
    penalty, _ = l2_penalty(w, lam, n_samples)
    value = math.fsum(r * r) / n_samples + penalty
    scale = math.fsum((np.abs(r) + r_scale) ** 2) / n_samples + penalty
    return value, scale


@by_value
def ridge_gradients(X, y, w, b, lam):
    """Return ``(grad_w, grad_b)`` and their scales ``(scale_w, scale_b)``."""
    X, w = np.asarray(X, float), np.asarray(w, float)
    r, r_scale = residuals(X, y, w, b)
    n_samples = len(r)
    grad_w = np.array([2 * math.fsum(r * X[:, j]) / n_samples for j in range(X.shape[1])])
    grad_w += 2 * lam * w / n_samples
    grad_b = 2 * math.fsum(r) / n_samples
    scale_w = 2 * (np.abs(X).T @ (np.abs(r) + r_scale)) / n_samples + 2 * lam * np.abs(w) / n_samples
    scale_b = 2 * math.fsum(np.abs(r) + r_scale) / n_samples
    return (grad_w, grad_b), (scale_w, scale_b)


@by_value
def augmented_gradient(Xa, y, theta, lam):
    """Return the gradient for ``Xa = [1 | X]``, ``θ = [b, w…]`` and its scale."""
    Xa, theta = np.asarray(Xa, float), np.asarray(theta, float)
    # Treat every column as a weight column with zero bias, then un-penalize θ₀.
    (gradient, _), (scale, _) = ridge_gradients(Xa, y, theta, 0.0, lam)
    gradient, scale = gradient.copy(), scale.copy()  # ridge_gradients' answers are read-only (by_value)
    n_samples = Xa.shape[0]
    gradient[0] -= 2 * lam * theta[0] / n_samples
    scale[0] -= 2 * lam * abs(theta[0]) / n_samples
    return gradient, scale


@by_value
def gradient_step(X, y, w, b, lam, lr):
    """Return ``(w_new, b_new)`` and their scales."""
    (grad_w, grad_b), (scale_w, scale_b) = ridge_gradients(X, y, w, b, lam)
    w = np.asarray(w, float)
    return (w - lr * grad_w, b - lr * grad_b), (np.abs(w) + lr * scale_w, abs(b) + lr * scale_b)


@by_value
def decay_factor(lr, lam, n_samples) -> float:
    """Return ``1 − 2·lr·λ/N`` rounded once from the exact rational value."""
    return float(1 - 2 * Fraction(lr) * Fraction(lam) / n_samples)


@by_value
def decay_trajectory(w0, lr, lam, n_samples, n_steps) -> np.ndarray:
    """Return rows ``w0 · f**t``, ``t = 0 … n_steps``, with ``f`` the float factor.

    The powers are exact rationals rounded once, so the only error left in a
    student's answer is its own.
    """
    factor = Fraction(decay_factor(lr, lam, n_samples))
    w0 = [Fraction(float(value)) for value in np.asarray(w0, float)]
    rows, power = [], Fraction(1)
    for _ in range(n_steps + 1):
        rows.append([float(value * power) for value in w0])
        power *= factor
    return np.array(rows, dtype=float).reshape(n_steps + 1, len(w0))


@by_value
def ridge_closed_form(X, y, lam, fit_intercept=True):
    """Return ``(w*, b*)`` from the augmented least-squares problem.

    Rows ``[1 X | y]`` and ``√λ · [0 I | 0]`` (without the column of ones
    when there is no intercept) are stacked and solved with ``lstsq``: the
    intercept column gets no penalty row, so it is never shrunk.
    """
    X, y = np.asarray(X, float), np.asarray(y, float)
    n_samples, n_features = X.shape
    design = np.hstack([np.ones((n_samples, 1)), X]) if fit_intercept else X
    penalty_rows = math.sqrt(lam) * np.eye(n_features)
    if fit_intercept:
        penalty_rows = np.hstack([np.zeros((n_features, 1)), penalty_rows])
    stacked = np.vstack([design, penalty_rows])
    target = np.concatenate([y, np.zeros(n_features)])
    theta = np.linalg.lstsq(stacked, target, rcond=None)[0]
    return (theta[1:], float(theta[0])) if fit_intercept else (theta, 0.0)


@by_value
def least_squares(X, y, fit_intercept=True):
    """Return the ordinary least-squares ``(w, b)`` (λ = 0) for full-rank data."""
    return ridge_closed_form(X, y, 0.0, fit_intercept)
