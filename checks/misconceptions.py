"""Known mistakes, recognised from what a wrong answer returns.

When a value check fails, ``diagnose(module, function)`` calls the student's
function on a few generic *probe* inputs (no zeros, no ones, N > 1: every
mistake below gives a different number there) and compares the answers with
each known wrong variant computed from the same inputs. A variant that
matches at every probe names the mistake; the feedback then says what went
wrong, how to fix it and which lesson explains it.

``tests/mistakes/`` holds one small wrong implementation per entry here, and
``nox -s verify`` proves each one is diagnosed as itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from checks import metadata, oracles, strategies
from checks.sandbox import StudentError, SubmissionUnavailable


@dataclass(frozen=True)
class Misconception:
    """One known mistake in one function.

    Attributes
    ----------
    key : str
        Stable identifier, ``"<function>.<mistake>"``; the mistake bank names it.
    diagnosis : str
        What went wrong and how to fix it, addressed to the student.
    wrong : callable
        Computes the mistaken answer from the function's arguments.
    """

    key: str
    diagnosis: str
    wrong: Callable


def _sumsq(w) -> float:
    w = np.asarray(w, float)
    return float(w @ w)


def _res(X, y, w, b):
    return np.asarray(X, float) @ np.asarray(w, float) + b - np.asarray(y, float)


def _mse(X, y, w, b) -> float:
    r = _res(X, y, w, b)
    return float(r @ r / len(r))


def _data_grad(X, y, w, b):
    X = np.asarray(X, float)
    r = _res(X, y, w, b)
    return 2 * X.T @ r / len(r), 2 * r.sum() / len(r)


def _gradients(X, y, w, b, lam, *, penalty_scale=1.0, data_scale=1.0, bias_penalty=0.0):
    gw, gb = _data_grad(X, y, w, b)
    n = np.asarray(X).shape[0]
    return (
        data_scale * gw + penalty_scale * 2 * lam * np.asarray(w, float) / n,
        data_scale * gb + bias_penalty * 2 * lam * b / n,
    )


def _closed(X, y, lam, fit_intercept, *, centre=True, lam_scale=1.0, penalize_intercept=False, plain_bias=False, one_entry=False):
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


def _linear_decay(w0, lr, lam, n, steps):
    w0 = np.asarray(w0, float)
    t = np.arange(steps + 1)[:, None]
    return np.sign(w0) * np.maximum(np.abs(w0) - t * 2 * lr * lam / n * np.abs(w0).max(), 0.0)


_FORGOT_N = "you forgot to divide the penalty by N (the number of samples): yours is exactly N times too large. Use (λ/N) Σ w²."
_HALF = "you used the ½ convention (λ/2N) Σ w²: this course's penalty has no ½. Use (λ/N) Σ w²."
_GRAD_FORGOT_N = (
    "your penalty gradient is exactly N times too large: you forgot to divide by N. "
    "The derivative of (λ/N) Σ w² is (2λ/N) w."
)

MISCONCEPTIONS: dict[str, list[Misconception]] = {
    "l2_penalty": [
        Misconception("l2_penalty.forgot_1_over_n", _FORGOT_N, lambda w, lam, n: lam * _sumsq(w)),
        Misconception("l2_penalty.half_convention", _HALF, lambda w, lam, n: lam * _sumsq(w) / (2 * n)),
        Misconception(
            "l2_penalty.l1_instead_of_l2",
            "you summed absolute values |w| (the L1 penalty). L2 squares each weight: (λ/N) Σ w².",
            lambda w, lam, n: lam * float(np.abs(w).sum()) / n,
        ),
        Misconception(
            "l2_penalty.norm_not_squared",
            "you used the norm ‖w‖ instead of its square ‖w‖² = Σ w². Drop the square root.",
            lambda w, lam, n: lam * float(np.sqrt(_sumsq(w))) / n,
        ),
    ],
    "ridge_loss": [
        Misconception("ridge_loss.forgot_1_over_n", _FORGOT_N, lambda X, y, w, b, lam: _mse(X, y, w, b) + lam * _sumsq(w)),
        Misconception("ridge_loss.half_convention", _HALF, lambda X, y, w, b, lam: _mse(X, y, w, b) + lam * _sumsq(w) / (2 * len(y))),
        Misconception(
            "ridge_loss.penalizes_bias",
            "your loss penalizes the bias b² as well. The bias is never penalized: the penalty is (λ/N) Σ wⱼ² over the weights only.",
            lambda X, y, w, b, lam: _mse(X, y, w, b) + lam * (_sumsq(w) + b * b) / len(y),
        ),
        Misconception(
            "ridge_loss.sum_not_mean",
            "you summed the squared errors instead of averaging them: divide Σ (ŷ − y)² by N.",
            lambda X, y, w, b, lam: _mse(X, y, w, b) * len(y) + lam * _sumsq(w) / len(y),
        ),
        Misconception(
            "ridge_loss.l1_instead_of_l2",
            "your penalty sums |w| (L1). The L2 penalty squares each weight: (λ/N) Σ w².",
            lambda X, y, w, b, lam: _mse(X, y, w, b) + lam * float(np.abs(w).sum()) / len(y),
        ),
        Misconception(
            "ridge_loss.forgot_penalty",
            "your loss has no penalty term: add (λ/N) Σ w² to the mean squared error.",
            lambda X, y, w, b, lam: _mse(X, y, w, b),
        ),
    ],
    "penalty_gradient": [
        Misconception("penalty_gradient.forgot_1_over_n", _GRAD_FORGOT_N, lambda w, lam, n: 2 * lam * np.asarray(w, float)),
        Misconception(
            "penalty_gradient.forgot_factor_2",
            "your penalty gradient is half the right size: the derivative of wⱼ² is 2wⱼ, so the gradient is (2λ/N) w.",
            lambda w, lam, n: lam * np.asarray(w, float) / n,
        ),
        Misconception(
            "penalty_gradient.sign_flipped",
            "your penalty gradient has the wrong sign: it points towards larger weights. It is +(2λ/N) w.",
            lambda w, lam, n: -2 * lam * np.asarray(w, float) / n,
        ),
    ],
    "ridge_gradients": [
        Misconception("ridge_gradients.penalty_forgot_1_over_n", _GRAD_FORGOT_N, lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, penalty_scale=len(y))),
        Misconception(
            "ridge_gradients.penalty_forgot_factor_2",
            "your penalty gradient is half the right size: d/dw of (λ/N) w² is (2λ/N) w.",
            lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, penalty_scale=0.5),
        ),
        Misconception(
            "ridge_gradients.penalty_sign_flipped",
            "your penalty gradient has the wrong sign: add +(2λ/N) w, do not subtract it.",
            lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, penalty_scale=-1.0),
        ),
        Misconception(
            "ridge_gradients.data_sign_flipped",
            "your data gradient has the wrong sign: it is (2/N) Xᵀ(ŷ − y), prediction minus target.",
            lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, data_scale=-1.0),
        ),
        Misconception(
            "ridge_gradients.data_forgot_1_over_n",
            "your data gradient is N times too large: divide Xᵀ(ŷ − y) and Σ(ŷ − y) by N (it is a mean).",
            lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, data_scale=len(y)),
        ),
        Misconception(
            "ridge_gradients.forgot_penalty",
            "your weight gradient has no penalty term: add (2λ/N) w.",
            lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, penalty_scale=0.0),
        ),
        Misconception(
            "ridge_gradients.bias_penalized",
            "your bias gradient includes a penalty term (2λ/N) b. The bias is never penalized: ∂J/∂b = (2/N) Σ(ŷ − y), with no λ.",
            lambda X, y, w, b, lam: _gradients(X, y, w, b, lam, bias_penalty=1.0),
        ),
    ],
    "augmented_gradient": [
        Misconception(
            "augmented_gradient.penalizes_theta0",
            "you penalized θ[0], the bias. Zero the first entry of the penalty: (2λ/N)·[0, w₁, …, w_d].",
            lambda Xa, y, theta, lam: _data_grad(Xa, y, theta, 0.0)[0] + 2 * lam * np.asarray(theta, float) / len(y),
        ),
        Misconception(
            "augmented_gradient.forgot_1_over_n",
            _GRAD_FORGOT_N,
            lambda Xa, y, theta, lam: _data_grad(Xa, y, theta, 0.0)[0] + 2 * lam * np.r_[0.0, np.asarray(theta, float)[1:]],
        ),
    ],
    "gradient_step": [
        Misconception(
            "gradient_step.decays_bias",
            "your step decays the bias as well as the weights. Only w is multiplied by the decay factor; b ← b − lr·(2/N) Σ(ŷ − y).",
            lambda X, y, w, b, lam, lr: (
                np.asarray(w, float) - lr * _gradients(X, y, w, b, lam)[0],
                b - lr * _gradients(X, y, w, b, lam, bias_penalty=1.0)[1],
            ),
        ),
        Misconception(
            "gradient_step.climbs",
            "your step goes up the gradient. Gradient descent subtracts: w − lr·∇w J and b − lr·∂J/∂b.",
            lambda X, y, w, b, lam, lr: (
                np.asarray(w, float) + lr * _gradients(X, y, w, b, lam)[0],
                b + lr * _gradients(X, y, w, b, lam)[1],
            ),
        ),
        Misconception(
            "gradient_step.penalty_forgot_1_over_n",
            "your step decays the weights N times too hard: the decay factor is 1 − 2·lr·λ/N, with the N.",
            lambda X, y, w, b, lam, lr: (
                np.asarray(w, float) - lr * _gradients(X, y, w, b, lam, penalty_scale=len(y))[0],
                b - lr * _gradients(X, y, w, b, lam)[1],
            ),
        ),
    ],
    "decay_factor": [
        Misconception(
            "decay_factor.half_convention",
            "your factor is 1 − lr·λ/N, the ½-convention factor. With this course's loss the penalty gradient is (2λ/N) w, so the factor is 1 − 2·lr·λ/N.",
            lambda lr, lam, n: 1 - lr * lam / n,
        ),
        Misconception(
            "decay_factor.forgot_1_over_n",
            "your factor has no N: it is 1 − 2·lr·λ/N (the penalty is averaged over the N samples).",
            lambda lr, lam, n: 1 - 2 * lr * lam,
        ),
        Misconception(
            "decay_factor.returned_decrement",
            "you returned the decrement 2·lr·λ/N, the part taken away. The factor is what multiplies w: 1 − 2·lr·λ/N.",
            lambda lr, lam, n: 2 * lr * lam / n,
        ),
    ],
    "decay_trajectory": [
        Misconception(
            "decay_trajectory.n_steps_rows",
            "your trajectory has n_steps rows. Row 0 is w0 itself, so there are n_steps + 1 rows (t = 0 … n_steps).",
            lambda w0, lr, lam, n, steps: oracles.decay_trajectory(w0, lr, lam, n, steps)[:-1],
        ),
        Misconception(
            "decay_trajectory.starts_at_step_1",
            "your trajectory starts one step late: row 0 must be w0 itself (factor⁰), row t is w0 · factor**t.",
            lambda w0, lr, lam, n, steps: oracles.decay_trajectory(w0, lr, lam, n, steps + 1)[1:],
        ),
        Misconception(
            "decay_trajectory.linear_decay",
            "your weights shrink by a constant amount each step and reach zero: that is L1's linear decay. "
            "L2 multiplies by the factor each step, w0 · factor**t, which never reaches zero.",
            _linear_decay,
        ),
    ],
    "ridge_closed_form": [
        Misconception(
            "ridge_closed_form.no_centering",
            "you did not centre X and y before solving. With an intercept, solve with Xc = X − x̄ and yc = y − ȳ, then b = ȳ − x̄ᵀw.",
            lambda X, y, lam, fit: _closed(X, y, lam, fit, centre=False),
        ),
        Misconception(
            "ridge_closed_form.penalizes_intercept",
            "you penalized the intercept (a column of ones inside (AᵀA + λI)). Centre instead, so λ only touches the weights.",
            lambda X, y, lam, fit: _closed(X, y, lam, fit, penalize_intercept=True),
        ),
        Misconception(
            "ridge_closed_form.lambda_times_n",
            "you used λ·N in place of λ. Under this course's loss the system is (XcᵀXc + λI) w = Xcᵀyc: the N cancels.",
            lambda X, y, lam, fit: _closed(X, y, lam, fit, lam_scale=len(y)),
        ),
        Misconception(
            "ridge_closed_form.lambda_over_n",
            "you used λ/N in place of λ. Under this course's loss the system is (XcᵀXc + λI) w = Xcᵀyc: the N cancels.",
            lambda X, y, lam, fit: _closed(X, y, lam, fit, lam_scale=1 / len(y)),
        ),
        Misconception(
            "ridge_closed_form.bias_is_mean_y",
            "your intercept is mean(y). It is b = ȳ − x̄ᵀw: subtract the weights' share of the mean.",
            lambda X, y, lam, fit: _closed(X, y, lam, fit, plain_bias=True),
        ),
        Misconception(
            "ridge_closed_form.lambda_on_one_entry",
            "you added λ to one diagonal entry only. Add λ to every diagonal entry: XcᵀXc + λ·I with I = numpy.eye(d).",
            lambda X, y, lam, fit: _closed(X, y, lam, fit, one_entry=True),
        ),
    ],
}

PROBES = strategies.EXAMPLE_CALLS

_CORRECT: dict[str, Callable] = {
    "l2_penalty": lambda *a: oracles.l2_penalty(*a)[0],
    "ridge_loss": lambda *a: oracles.ridge_loss(*a)[0],
    "penalty_gradient": lambda w, lam, n: 2 * lam * np.asarray(w, float) / n,
    "ridge_gradients": lambda *a: oracles.ridge_gradients(*a)[0],
    "augmented_gradient": lambda *a: oracles.augmented_gradient(*a)[0],
    "gradient_step": lambda *a: oracles.gradient_step(*a)[0],
    "decay_factor": oracles.decay_factor,
    "decay_trajectory": oracles.decay_trajectory,
    "ridge_closed_form": oracles.ridge_closed_form,
}


def _flatten(value) -> np.ndarray | None:
    """One float vector from a number, an array or a pair; None if impossible."""
    try:
        if isinstance(value, (tuple, list)) and len(value) == 2 and np.ndim(value[1]) == 0:
            return np.concatenate([np.ravel(np.asarray(value[0], float)), [float(value[1])]])
        return np.ravel(np.asarray(value, float))
    except (TypeError, ValueError):
        return None


def _same(a, b) -> bool:
    a, b = _flatten(a), _flatten(b)
    return a is not None and b is not None and a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def diagnose(module, function: str) -> str | None:
    """Name the known mistake ``module.function`` makes, or return None.

    ``module`` is the ``StudentModule`` proxy. The answer is kept on it: a
    failing submission is probed once per function, not once per example.
    """
    key = ("diagnosis", function)
    if key not in module.memo:
        module.memo[key] = _match(module, function)
    return module.memo[key]


def identify(module, function: str) -> Misconception | None:
    """The ``Misconception`` whose variant ``function`` reproduces at every probe."""
    try:
        answers = [module.outcome(function, *probe).value for probe in PROBES[function]]
    except (StudentError, SubmissionUnavailable):
        return None
    if all(_same(answer, _CORRECT[function](*probe)) for answer, probe in zip(answers, PROBES[function])):
        return None
    for mistake in MISCONCEPTIONS[function]:
        if all(_same(answer, mistake.wrong(*probe)) for answer, probe in zip(answers, PROBES[function])):
            return mistake
    return None


def _match(module, function: str) -> str | None:
    mistake = identify(module, function)
    if mistake is None:
        return None
    lesson = metadata.exercise(module.name).lesson
    return f"{mistake.diagnosis} (lesson: docs/{lesson})"
