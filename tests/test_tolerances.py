"""The checks' tolerances come from measured float error, with a wide margin on both sides.

Measured here on every run: correct implementations written in different ways
(vectorized reference, loops, inv, Cholesky, augmented least squares) against
the checks' oracles, and the smallest error a known mistake makes.
"""

import importlib.util
import sys

import numpy as np
import pytest

from checks.engine import feedback
from checks.packs.shared import exact as oracles
from checks.packs.shared import generators as strategies
from tests import bank
from tests.conftest import ALTERNATIVES, MISTAKES, ROOT

RNG = np.random.default_rng(7)
CASES = 200


def _load(folder, module):
    spec = importlib.util.spec_from_file_location(f"_measured_{folder.name}_{module}", folder / f"{module}.py")
    loaded = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(folder))
    try:
        spec.loader.exec_module(loaded)
    finally:
        sys.path.remove(str(folder))
    return loaded


@pytest.fixture(scope="module")
def closed_form_solvers(tmp_path_factory):
    base = tmp_path_factory.mktemp("solvers")
    solvers = {"reference (SVD)": _load(ROOT / "solutions", "closed_form").ridge_closed_form}
    solvers["loops (Gaussian elimination)"] = _load(ROOT / "tests" / "alternatives" / "loops", "closed_form").ridge_closed_form
    for entry in ALTERNATIVES:
        if entry.module == "closed_form":
            solvers[entry.key] = _load(bank.build_submission(entry, base / entry.key), "closed_form").ridge_closed_form
    return solvers


def _problems():
    for _ in range(CASES):
        n_features = int(RNG.integers(1, 6))
        fit = bool(RNG.integers(2))
        n_samples = n_features + fit + int(RNG.integers(1, 11))
        X = strategies.design(RNG, n_samples, n_features, 10 ** RNG.uniform(0, 3), centred=fit)
        y = X @ RNG.standard_normal(n_features) + RNG.standard_normal(n_samples)
        yield X, y, float(10 ** RNG.uniform(-3, 3)), fit


def _relative_error(got, expected):
    w, b = got
    ew, eb = expected
    scale = max(1.0, float(np.max(np.abs(ew))), abs(eb))
    return max(float(np.max(np.abs(np.asarray(w) - ew))), abs(float(b) - eb)) / scale


def test_correct_closed_forms_agree_far_inside_the_tolerance(closed_form_solvers):
    worst = {}
    for X, y, lam, fit in _problems():
        expected = oracles.ridge_closed_form(X, y, lam, fit)
        for name, solve in closed_form_solvers.items():
            worst[name] = max(worst.get(name, 0.0), _relative_error(solve(X, y, lam, fit), expected))
    print("\nclosed form, worst error relative to max(1, |coefficients|) on cond ≤ 1e3:")
    for name, error in sorted(worst.items(), key=lambda item: item[1]):
        print(f"  {error:9.2e}  {name}")
    assert max(worst.values()) < feedback.COEFFICIENT_ATOL / 10


def test_closed_form_mistakes_fall_far_outside_the_tolerance(tmp_path):
    smallest = {}
    for entry in MISTAKES:
        if not entry.key.startswith("ridge_closed_form.") and entry.key != "closed_form.stabilizing_jitter":
            continue
        solve = _load(bank.build_submission(entry, tmp_path / entry.key), "closed_form").ridge_closed_form
        errors = [
            _relative_error(solve(X, y, lam, True), oracles.ridge_closed_form(X, y, lam, True)) for X, y, lam, _ in _problems()
        ]
        smallest[entry.key] = float(np.median(errors))
    print("\nclosed-form mistakes, median relative error:")
    for name, error in sorted(smallest.items(), key=lambda item: item[1]):
        print(f"  {error:9.2e}  {name}")
    assert min(smallest.values()) > feedback.COEFFICIENT_RTOL * 10


def test_correct_formulas_agree_far_inside_the_tolerance():
    implementations = {
        "reference": {m: _load(ROOT / "solutions", m) for m in ("penalty", "gradient")},
        "loops": {m: _load(ROOT / "tests" / "alternatives" / "loops", m) for m in ("penalty", "gradient")},
    }
    worst = {}
    for _ in range(CASES):
        n, d = int(RNG.integers(1, 13)), int(RNG.integers(1, 6))
        X = RNG.standard_normal((n, d)) * 10.0 ** RNG.integers(-3, 4, (n, d))
        y, w, b, lam = RNG.uniform(-10, 10, n), RNG.uniform(-10, 10, d), float(RNG.uniform(-10, 10)), float(RNG.uniform(0, 1e3))
        loss, loss_scale = oracles.ridge_loss(X, y, w, b, lam)
        (gw, gb), (sw, sb) = oracles.ridge_gradients(X, y, w, b, lam)
        for name, modules in implementations.items():
            got_loss = modules["penalty"].ridge_loss(X, y, w, b, lam)
            got_w, got_b = modules["gradient"].ridge_gradients(X, y, w, b, lam)
            error = max(abs(got_loss - loss) / loss_scale, float(np.max(np.abs(got_w - gw) / sw)), abs(got_b - gb) / sb)
            worst[name] = max(worst.get(name, 0.0), error)
    print(f"\nloss and gradients, worst error / scale: {worst} (tolerance {feedback.FORMULA_RTOL:g})")
    assert max(worst.values()) < feedback.FORMULA_RTOL / 1000


def test_huge_lambda_check_leaves_correct_descent_far_inside_its_tolerances():
    """bias: huge_lambda_sends_weights_to_zero_but_not_the_bias allows ‖w‖ and |b − mean(y)| up to
    HUGE_LAMBDA_RTOL of ‖w0‖ and mean(y); correct steps (reference and loops) use under a tenth of either."""
    from checks.packs.bias import test_bias as check

    steps = [
        _load(ROOT / "solutions", "bias").gradient_step,
        _load(ROOT / "tests" / "alternatives" / "loops", "bias").gradient_step,
    ]
    worst_b = worst_w = 0.0
    for _ in range(CASES):
        n_features = int(RNG.integers(1, strategies.MAX_FEATURES + 1))
        n_samples = n_features + 1 + int(RNG.integers(1, 11))
        X = strategies.design(RNG, n_samples, n_features, 10 ** RNG.uniform(0, 3), centred=True)
        y = X @ (RNG.standard_normal(n_features) * 3) + RNG.standard_normal(n_samples)
        y = y - y.mean() + RNG.uniform(10.0, 50.0)  # as the check sets it
        start_w = np.full(n_features, check.HUGE_LAMBDA_START_WEIGHT)
        for gradient_step in steps:
            w, b = start_w, float(y.mean())
            for _ in range(check.HUGE_LAMBDA_STEPS):
                w, b = gradient_step(X, y, w, b, check.HUGE_LAMBDA, n_samples / (4 * check.HUGE_LAMBDA))
            worst_b = max(worst_b, abs(b - y.mean()) / (check.HUGE_LAMBDA_RTOL * y.mean()))
            worst_w = max(worst_w, float(np.linalg.norm(w)) / (check.HUGE_LAMBDA_RTOL * float(np.linalg.norm(start_w))))
    assert worst_b < 0.1 and worst_w < 0.1, (worst_b, worst_w)
