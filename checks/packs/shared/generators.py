"""Hypothesis strategies that generate the checks' inputs.

Plain ``arrays(elements=floats(...))`` gives constant columns and
near-singular designs more than half of the time, so the closed-form checks
draw a *recipe* (N, d, a seed, a condition number, offsets) and build a
well-posed design from it in NumPy. Formula checks need no conditioning and
draw entries directly, which also gives Hypothesis small examples to shrink to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from checks.engine.plugin import grading_seed

MAX_SAMPLES = 12
MAX_FEATURES = 5


def seeded_rng(drawn: int) -> np.random.Generator:
    """The generator of one drawn seed, mixed with the grading seed of a grade of record.

    Hypothesis tries its simplest example (every draw at its minimum) under
    any seed; mixing in the grading seed makes that example's data secret too.
    Without a grading seed (a student's own run) it is ``default_rng(drawn)``.
    """
    secret = grading_seed()
    return np.random.default_rng(drawn if secret is None else [drawn, secret])


def lams() -> st.SearchStrategy[float]:
    """λ ≥ 0: zero, moderate and large values."""
    return st.one_of(st.just(0.0), st.floats(0.0, 1e3, allow_subnormal=False))


def learning_rates() -> st.SearchStrategy[float]:
    return st.floats(1e-4, 1.0, allow_subnormal=False)


def sample_counts() -> st.SearchStrategy[int]:
    return st.integers(1, 50)


@st.composite
def _filler(draw):
    """A function ``(shape) -> array`` that fills arrays from one drawn seed and style.

    Drawing every entry through Hypothesis costs ~0.1 ms a number, most of a
    grading run; a seed costs one draw. Hypothesis still shrinks the sizes,
    the seed and the style, whose first choice (small integers) gives
    readable failing examples.
    """
    style = draw(st.sampled_from(["integers", "uniform", "wide", "with zeros"]))
    rng = seeded_rng(draw(st.integers(0, 2**32 - 1)))

    def fill(shape):
        if style == "integers":
            return rng.integers(-5, 6, shape).astype(float)
        if style == "uniform":
            return rng.uniform(-10, 10, shape)
        if style == "wide":
            return rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 4, shape)
        return rng.uniform(-10, 10, shape) * (rng.random(shape) < 0.5)

    return fill


@st.composite
def vectors(draw, max_size: int = 6) -> np.ndarray:
    """A float vector of 1 to ``max_size`` entries."""
    return draw(_filler())(draw(st.integers(1, max_size)))


@dataclass(frozen=True)
class Problem:
    """One regression problem: data, a point ``(w, b)`` and a λ."""

    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    b: float
    lam: float


@st.composite
def problems(draw) -> Problem:
    """Arbitrary (not necessarily well-posed) data and a point to evaluate at."""
    n_samples = draw(st.integers(1, MAX_SAMPLES))
    n_features = draw(st.integers(1, MAX_FEATURES))
    fill = draw(_filler())
    return Problem(
        X=fill((n_samples, n_features)),
        y=fill(n_samples),
        w=fill(n_features),
        b=float(fill(())),
        lam=draw(lams()),
    )


@dataclass(frozen=True)
class WellPosed:
    """Data whose centred design ``Xc`` has a known condition number."""

    X: np.ndarray
    y: np.ndarray
    lam: float
    fit_intercept: bool


def design(rng: np.random.Generator, n_samples: int, n_features: int, condition: float, centred: bool, max_offset: float = 5.0):
    """Return an (N, d) matrix whose (centred) singular values span ``condition``.

    With ``centred``, the columns are orthogonal to the ones vector before an
    offset is added, so ``X − mean(X)`` has exactly these singular values.
    """
    rank = min(n_features, n_samples - 1 if centred else n_samples)
    basis = rng.standard_normal((n_samples, n_samples))
    if centred:
        basis[:, 0] = 1.0
    q, _ = np.linalg.qr(basis)
    left = q[:, 1 : rank + 1] if centred else q[:, :rank]
    right, _ = np.linalg.qr(rng.standard_normal((n_features, n_features)))
    singular = np.geomspace(1.0, 1.0 / condition, rank) * np.sqrt(n_samples)
    X = (left * singular) @ right[:, :rank].T
    if centred:
        X = X + rng.uniform(-max_offset, max_offset, n_features)
    return X


@st.composite
def well_posed(
    draw,
    *,
    fit_intercept=None,
    lam_zero: bool | None = None,
    wide: bool = False,
    max_log_condition: float = 3.0,
    max_offset: float = 5.0,
) -> WellPosed:
    """Full-column-rank data (``wide=True``: d > N with λ > 0) for coefficient checks.

    ``lam_zero`` forces λ = 0 (True), forbids it (False) or lets it be drawn.
    The centred design's condition number is at most ``10**max_log_condition``
    and column means lie within ``±max_offset``.
    """
    fit_intercept = draw(st.booleans()) if fit_intercept is None else fit_intercept
    offset = 1 if fit_intercept else 0
    if wide:
        n_features = draw(st.integers(2 + offset, MAX_FEATURES + 2))
        n_samples = draw(st.integers(1 + offset, n_features - 1))
    else:
        n_features = draw(st.integers(1, MAX_FEATURES))
        n_samples = draw(st.integers(n_features + offset + 1, n_features + offset + 10))
    seed = draw(st.integers(0, 2**32 - 1))
    condition = 10 ** draw(st.floats(0.0, max_log_condition))
    if lam_zero is True:
        lam = 0.0
    else:
        lam = 10 ** draw(st.floats(-3.0, 3.0))
        if lam_zero is None and not wide and draw(st.booleans()):
            lam = 0.0
    rng = seeded_rng(seed)
    X = design(rng, n_samples, n_features, condition, centred=fit_intercept, max_offset=max_offset)
    true_w = rng.standard_normal(n_features) * 3
    y = X @ true_w + (rng.uniform(-5, 5) if fit_intercept else 0.0) + rng.standard_normal(n_samples)
    return WellPosed(X=X, y=y, lam=lam, fit_intercept=fit_intercept)


def generic(rng: np.random.Generator, shape) -> np.ndarray:
    """Entries of magnitude 0.5 to 3 and random sign: no zeros, no ones by accident, nothing ill-scaled."""
    return rng.uniform(0.5, 3.0, shape) * rng.choice([-1.0, 1.0], shape)


def calls(build) -> st.SearchStrategy[tuple]:
    """Valid argument tuples ``build(rng)`` from a drawn seed: the contract checks' valid calls (``VALID_CALLS``)."""
    return st.integers(0, 2**32 - 1).map(lambda seed: tuple(build(seeded_rng(seed))))


def problem_arguments(rng: np.random.Generator) -> tuple:
    """``(X, y, w, b, lam)`` of a generic tall problem: the valid call of the functions that take all five."""
    X = generic(rng, sizes(rng))
    return X, generic(rng, len(X)), generic(rng, X.shape[1]), float(generic(rng, ())), moderate_lam(rng)


def sizes(rng: np.random.Generator) -> tuple[int, int]:
    """``(N, d)`` of a tall problem: 1 ≤ d ≤ MAX_FEATURES, d + 2 ≤ N ≤ MAX_SAMPLES."""
    n_features = int(rng.integers(1, MAX_FEATURES + 1))
    return int(rng.integers(n_features + 2, MAX_SAMPLES + 1)), n_features


def moderate_lam(rng: np.random.Generator) -> float:
    """λ between 0.1 and 10: every term of every formula matters."""
    return float(10 ** rng.uniform(-1.0, 1.0))
