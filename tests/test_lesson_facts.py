"""Every number the lessons state, recomputed (issue 14).

A number on a lesson page is either filled in at build time by
``docs/hooks/lesson_numbers.py`` (a ``{{ num:NAME }}`` placeholder) or
written in the page and recomputed here, with NumPy and the reference
solutions; each test also checks that the page states the recomputed value.
The counterexamples behind the corrected statements are tests too, so that
the corrections stay true. No test here needs MkDocs, except the one that
compares the hook's data with the ridge-trace figure, which is skipped
without it (it always runs in ``nox -s verify``).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from checks.engine import course

ROOT = course.KIT_ROOT
DOCS = ROOT / "docs"
SOLUTIONS = ROOT / "solutions"
REFERENCE_MODULES = ("_validation", "penalty", "gradient", "decay", "closed_form", "shrinkage")


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


numbers = _load(DOCS / "hooks" / "lesson_numbers.py", "ridge_lab_lesson_numbers")


@pytest.fixture(scope="module")
def ref():
    """The reference modules of solutions/, imported without leaving them in sys.modules."""
    saved = {m: sys.modules.pop(m) for m in REFERENCE_MODULES if m in sys.modules}
    sys.path.insert(0, str(SOLUTIONS))
    try:
        modules = {m: importlib.import_module(m) for m in REFERENCE_MODULES}
    finally:
        sys.path.remove(str(SOLUTIONS))
        for m in REFERENCE_MODULES:
            sys.modules.pop(m, None)
        sys.modules.update(saved)
    return modules


@pytest.fixture(scope="module")
def ridge(ref):
    return ref["closed_form"].ridge_closed_form


def page(name: str) -> str:
    path = DOCS / "index.md" if name == "index" else DOCS / "lessons" / f"{name}.md"
    return path.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def says(name: str, *phrases: str) -> None:
    """Assert that a page states each phrase (line breaks and indents count as one space)."""
    text = _flat(page(name))
    for phrase in phrases:
        assert _flat(phrase) in text, f"docs/lessons/{name}.md should say {phrase!r}"


def num(x: float) -> str:
    """A number as the lessons write it (0.5, 2.5, 395, 0.99998)."""
    return f"{float(x):.12g}"


# ----------------------------------------------------- build-time numbers


def test_every_placeholder_in_the_docs_has_a_value(ridge):
    values = numbers.compute_numbers(ROOT, ridge)
    for path in [DOCS / "index.md", *sorted((DOCS / "lessons").glob("*.md"))]:
        filled = numbers.fill(path.read_text(encoding="utf-8"), values, str(path))
        assert "{{" not in filled, path


def test_build_numbers_are_the_same_without_the_reference_solutions(ridge):
    assert numbers.compute_numbers(ROOT, ridge) == numbers.compute_numbers(ROOT, numbers.numpy_ridge)


def test_exercise_count_on_the_home_page_follows_the_exercise_list():
    listed = len(course.packs())
    assert numbers.exercise_count(ROOT) == listed
    assert numbers.compute_numbers(ROOT, numbers.numpy_ridge)["exercise-count"] == numbers.as_word(listed)
    says("index", "{{ num:exercise-count }}")


def test_ridge_trace_numbers_use_the_data_of_the_figure(ridge):
    pytest.importorskip("mkdocs")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = _load(DOCS / "hooks" / "figures.py", "ridge_lab_figures_for_tests")
    fig = figures.fig_ridge_trace({"closed_form": SimpleNamespace(ridge_closed_form=ridge)}, plt, np)
    X, y = numbers.ridge_trace_data()
    lines = fig.axes[0].get_lines()[: X.shape[1]]
    for j, line in enumerate(lines):
        lams, drawn = line.get_xdata(), line.get_ydata()
        ours = [ridge(X, y, float(lam))[0][j] for lam in lams]
        np.testing.assert_allclose(drawn, ours, rtol=1e-12, atol=1e-12)
    plt.close(fig)


def test_trace_weight_two_is_exactly_zero_at_the_quoted_lambda(ridge):
    X, y = numbers.ridge_trace_data()
    lam = numbers.trace_facts(ridge)["w2_zero"]
    assert abs(ridge(X, y, lam)[0][1]) < 1e-8
    assert np.sign(ridge(X, y, 0.99 * lam)[0][1]) == -np.sign(ridge(X, y, 1.01 * lam)[0][1])
    assert np.all(ridge(X, y, lam)[0][[0, 2, 3, 4, 5]] != 0)
    says("closed-form", "{{ num:trace-w2-zero }}")


def test_a_single_trace_weight_grows_with_lambda_while_the_norm_falls(ridge):
    X, y = numbers.ridge_trace_data()
    facts = numbers.trace_facts(ridge)
    w_ols, w_peak = ridge(X, y, 0.0)[0], ridge(X, y, facts["w6_peak_lam"])[0]
    assert abs(w_peak[5]) > abs(w_ols[5])
    assert f"{facts['w6_peak']:.3g}" != f"{facts['w6_ols']:.3g}"  # the page shows the growth
    assert np.linalg.norm(w_peak) < np.linalg.norm(w_ols)
    says("closed-form", "{{ num:trace-w6-ols }}", "{{ num:trace-w6-peak }}")


def test_near_duplicate_features_raise_one_weight_while_the_norm_falls(ridge):
    X, y = numbers.near_duplicate_data()
    facts = numbers.duplicate_facts(ridge)
    assert 0 < facts["w2_ols"] < facts["w2_ridge"]
    assert np.linalg.norm(ridge(X, y, facts["lam"])[0]) < np.linalg.norm(ridge(X, y, 0.0)[0])
    says("closed-form", "{{ num:dup-w2-ols }}", "{{ num:dup-w2-ridge }}")


def test_the_norm_of_the_trace_never_grows(ridge):
    X, y = numbers.ridge_trace_data()
    norms = [np.linalg.norm(ridge(X, y, float(lam))[0]) for lam in np.logspace(-3, 4, 200)]
    assert np.all(np.diff(norms) <= 1e-12)


# ------------------------------------------------------- counterexamples


def test_an_orthogonal_design_gives_an_exact_zero_weight_at_every_lambda(ridge):
    X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    assert np.any(Xc.T @ yc != 0)  # the data carry signal
    for lam in (0.1, 1.0, 4.0, 100.0):
        w, _ = ridge(X, y, lam)
        np.testing.assert_allclose(w, [4 / (4 + lam), 0.0], atol=1e-14)
    says("closed-form", "w^* = (4/(4+\\lambda),\\ 0)")


def test_no_lesson_calls_a_ridge_zero_a_coincidence_or_denies_it_at_every_lambda():
    for name in ("closed-form", "choosing-lambda", "geometry"):
        text = _flat(page(name))
        for claim in ("by a coincidence of the data", "only through the data", "at any finite", "at finite $\\lambda$"):
            assert claim not in text, f"docs/lessons/{name}.md still says {claim!r}"


def ends_of_the_path(X, y):
    """Least-squares weights and ``Xcᵀyc``, the limit of ``λ·w*(λ)`` as λ → ∞."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    xty = Xc.T @ yc
    return np.linalg.solve(Xc.T @ Xc, xty), xty


def has_a_forced_sign_change(X, y):
    w_ols, xty = ends_of_the_path(X, y)
    return bool(np.any(np.sign(w_ols) != np.sign(xty)))


def random_data_set(rng, correlation, n=50, d=6):
    """The experiment of closed-form.md: y = X w_true + ε, features pairwise correlated as given."""
    X = np.sqrt(1 - correlation) * rng.normal(size=(n, d)) + np.sqrt(correlation) * rng.normal(size=(n, 1))
    return X, X @ rng.normal(size=d) + rng.normal(size=n)


def test_lambda_times_the_weights_tends_to_xc_transpose_yc(ridge):
    X, y = numbers.ridge_trace_data()
    _, xty = ends_of_the_path(X, y)
    lam = 1e9
    np.testing.assert_allclose(lam * ridge(X, y, lam)[0], xty, rtol=1e-6)
    says("closed-form", r"$\lambda\, w^* \to X_c^\top y_c$")


def test_the_trace_weights_whose_end_signs_differ_are_w2_and_w6_and_both_cross_zero(ridge):
    X, y = numbers.ridge_trace_data()
    w_ols, xty = ends_of_the_path(X, y)
    assert list(np.flatnonzero(np.sign(w_ols) != np.sign(xty)) + 1) == [2, 6]
    for j in (1, 5):
        assert np.sign(ridge(X, y, 1e-6)[0][j]) == -np.sign(ridge(X, y, 1e6)[0][j])
    says("closed-form", "the least-squares signs of $w_2$ and $w_6$ differ")


def test_w6_of_the_trace_crosses_zero_near_17_9_and_grows_again_before_it_falls(ridge):
    X, y = numbers.ridge_trace_data()
    crossing = numbers.zero_crossing(ridge, X, y, 5, 1.0, 100.0)
    assert f"{crossing:.3g}" == "17.9"
    assert abs(ridge(X, y, crossing)[0][5]) < 1e-8
    lams = np.logspace(np.log10(crossing), 4, 2001)[1:]
    w6 = np.array([ridge(X, y, float(lam))[0][5] for lam in lams])
    assert np.all(np.sign(w6) == -np.sign(ridge(X, y, 0.0)[0][5]))  # the other side of zero, all the way
    k = int(np.argmax(np.abs(w6)))
    regrown, regrown_lam = abs(w6[k]), lams[k]
    assert 0 < k < lams.size - 1 and abs(w6[-1]) < regrown / 10  # it grows, peaks, and falls again
    assert round(regrown_lam, -2) == 100
    says("closed-form", r"near $\lambda \approx 17.9$", f"to {regrown:.3g} near $\\lambda \\approx 100$")


def test_on_the_figure_s_lambda_range_four_trace_weights_fall_steadily_and_w2_w6_cross_zero(ridge):
    """What the ridge-trace figure shows (λ from 0.01 to 10 000), for its caption and alt text."""
    X, y = numbers.ridge_trace_data()
    W = np.array([ridge(X, y, float(lam))[0] for lam in np.logspace(-2, 4, 600)])
    steady = [j + 1 for j in range(6) if np.all(np.diff(np.abs(W[:, j])) <= 1e-15)]
    crossing = [j + 1 for j in range(6) if np.any(np.diff(np.sign(W[:, j])))]
    assert steady == [1, 3, 4, 5] and crossing == [2, 6]
    assert np.abs(W[-1]).max() < 0.01 * np.abs(W[0]).max()  # all near zero at the right edge


def test_about_half_of_random_data_sets_have_a_weight_that_must_change_sign(ridge):
    shares = {}
    for correlation in (0.0, 0.5):
        rng = np.random.default_rng(0)
        data_sets = [random_data_set(rng, correlation) for _ in range(2000)]
        forced = [d for d in data_sets if has_a_forced_sign_change(*d)]
        shares[correlation] = round(100 * len(forced) / len(data_sets))
        for X, y in forced[:20]:  # the sign change is real along the reference's path
            w_ols, xty = ends_of_the_path(X, y)
            j = int(np.flatnonzero(np.sign(w_ols) != np.sign(xty))[0])
            assert np.sign(ridge(X, y, 1e-9)[0][j]) == np.sign(w_ols[j])
            assert np.sign(ridge(X, y, 1e9)[0][j]) == np.sign(xty[j]) != np.sign(w_ols[j])
    assert 40 <= shares[0.0] <= 60 and shares[0.5] > shares[0.0]
    says("closed-form", "among 2000 random data sets of $N = 50$ samples and 6", f"{shares[0.0]}% have such a weight")
    says("closed-form", f"correlated at 0.5, {shares[0.5]}% do")
    says("choosing-lambda", "about half of those with independent features, and more with correlated ones")


def test_a_weight_can_cross_zero_twice(ridge):
    rng = np.random.default_rng(551)
    X, y = rng.normal(size=(8, 3)), rng.normal(size=8)
    signs = [np.sign(ridge(X, y, lam)[0][1]) for lam in (0.01, 2.0, 100.0)]
    assert signs == [-1, 1, -1]
    says("closed-form", "can also cross zero more than once")


def test_each_weight_is_a_ratio_of_polynomials_in_lambda(ridge):
    rng = np.random.default_rng(12)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    Xc = X - X.mean(axis=0)
    lams = np.array([0.5, 1.0, 2.0, 4.0, 8.0, 16.0])

    def numerator(lam):  # det(XcᵀXc + λI) · w*(λ)
        return np.linalg.det(Xc.T @ Xc + lam * np.eye(3)) * ridge(X, y, float(lam))[0]

    values = np.array([numerator(lam) for lam in lams])
    for j in range(3):  # a polynomial of degree d − 1 = 2 through three points predicts the rest
        coefficients = np.polyfit(lams[:3], values[:3, j], 2)
        np.testing.assert_allclose(np.polyval(coefficients, lams[3:]), values[3:, j], rtol=1e-8)
    says("closed-form", "Every weight is a ratio of two polynomials in $\\lambda$")


def test_correlation_moves_a_zero_least_squares_weight_off_the_axis(ridge):
    rng = np.random.default_rng(13)
    n = 40
    x1 = rng.normal(size=n)
    X = np.column_stack([x1, 0.6 * x1 + rng.normal(size=n)])
    Xc = X - X.mean(axis=0)
    noise = rng.normal(size=n)
    noise -= Xc @ np.linalg.lstsq(Xc, noise, rcond=None)[0]  # no part of it that the features explain
    y = 2.0 * X[:, 0] + noise
    assert abs(ridge(X, y, 0.0)[0][1]) < 1e-12  # least squares: w2 = 0
    for lam in (0.1, 1.0, 10.0, 100.0):
        assert abs(ridge(X, y, lam)[0][1]) > 1e-3
    says("geometry", "weight of zero does *not* stay zero", "weight of zero stays zero")


def test_uncorrelated_features_keep_every_weight_on_its_side_of_zero(ridge):
    rng = np.random.default_rng(14)
    A = rng.normal(size=(30, 2))
    X = np.linalg.qr(A - A.mean(axis=0))[0] * np.array([3.0, 0.5])  # centred orthogonal columns: uncorrelated
    y = rng.normal(size=30)
    w_ols = ridge(X, y, 0.0)[0]
    for lam in np.logspace(-3, 4, 50):
        assert np.all(np.sign(ridge(X, y, float(lam))[0]) == np.sign(w_ols))
    says("geometry", "the contact lies on an axis only when")


def test_no_lesson_says_ridge_never_gives_an_exact_zero():
    for name in ("closed-form", "choosing-lambda", "geometry"):
        text = page(name)
        assert "carry no signal" not in text and "no reason for any weight" not in text
        assert "shrinks all" not in text and "shrinks every weight but" not in text


def epoch_gradient(X, y, w, wd, batch, reduction):
    """Sum of one epoch's mini-batch gradients (PyTorch SGD with weight_decay, no bias)."""
    n = X.shape[0]
    total = np.zeros_like(w)
    for start in range(0, n, batch):
        Xb, yb = X[start : start + batch], y[start : start + batch]
        data = 2 * Xb.T @ (Xb @ w - yb)
        total += (data / len(yb) if reduction == "mean" else data) + wd * w
    return total


def minibatch_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + rng.normal(0, 1.0, 200)


def test_summed_loss_minibatch_weight_decay_balances_at_lambda_n_wd_over_2b(ridge):
    X, y = minibatch_data()
    n, batch, wd = 200, 20, 0.5
    lam = n * wd / (2 * batch)
    assert lam == 2.5
    w = ridge(X, y, lam, fit_intercept=False)[0]
    np.testing.assert_allclose(epoch_gradient(X, y, w, wd, batch, "sum"), 0, atol=1e-9)
    w_full_batch_formula = ridge(X, y, wd / 2, fit_intercept=False)[0]
    assert np.abs(epoch_gradient(X, y, w_full_batch_formula, wd, batch, "sum")).max() > 1
    says(
        "conventions",
        r"\frac{N\,wd}{2B}",
        rf"$N = {n}$, $B = {batch}$ and $wd = {num(wd)}$ give $\lambda = {num(lam)}$, not ${num(wd / 2)}$",
    )


def test_summed_loss_minibatch_sgd_averages_to_ridge_2_5_not_0_25(ridge):
    X, y = minibatch_data()
    n, batch, wd, lr = 200, 20, 0.5, 2e-4
    rng = np.random.default_rng(1)
    w, total, count = np.zeros(3), np.zeros(3), 0
    for epoch in range(400):
        order = rng.permutation(n)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            w = w - lr * (2 * X[idx].T @ (X[idx] @ w - y[idx]) + wd * w)
            if epoch >= 100:
                total, count = total + w, count + 1
    average = total / count
    right = ridge(X, y, n * wd / (2 * batch), fit_intercept=False)[0]
    wrong = ridge(X, y, wd / 2, fit_intercept=False)[0]
    assert np.linalg.norm(average - right) < 0.2 * np.linalg.norm(right - wrong)


@pytest.mark.parametrize("batch", [1, 20, 200])
def test_mean_loss_minibatch_weight_decay_is_lambda_n_wd_over_2_for_any_batch(ridge, batch):
    X, y = minibatch_data()
    wd = 0.01
    w = ridge(X, y, 200 * wd / 2, fit_intercept=False)[0]
    np.testing.assert_allclose(epoch_gradient(X, y, w, wd, batch, "mean"), 0, atol=1e-9)


def l1_path(w0, lr, lam, n, steps):
    """Pure L1 shrinkage with this course's (λ/N)|w|: subtract lr·λ/N, stop at zero."""
    path = [w0]
    for _ in range(steps):
        path.append(max(path[-1] - lr * lam / n, 0.0))
    return np.array(path)


def test_l1_at_the_decay_factor_0_9_subtracts_0_05_and_needs_40_steps(ref):
    lr, lam, n, w0 = 0.1, 5.0, 10, 2.0
    assert ref["decay"].decay_factor(lr, lam, n) == pytest.approx(0.9)
    step = lr * lam / n
    path = l1_path(w0, lr, lam, n, 60)
    steps_to_zero = int(np.argmax(path <= 1e-12))
    assert step == pytest.approx(0.05)
    assert steps_to_zero == round(w0 * n / (lr * lam)) == 40
    says("weight-decay", f"after {steps_to_zero} steps", f"= {num(step)}$ per step", f"= {steps_to_zero}$ steps")


def test_decay_factor_minus_one_bounces_only_with_a_constant_data_gradient():
    w0, lam, lr, data_gradient = 200.0, 100.0, 0.01, -5.0
    factor = 1 - 2 * lr * lam  # the forgotten 1/N of gradient.md
    assert factor == -1
    w = [w0]
    for _ in range(10):
        w.append(factor * w[-1] - lr * data_gradient)
    np.testing.assert_allclose(w[::2], w0)  # bounces for ever
    assert w[1] == pytest.approx(-199.95)

    rng = np.random.default_rng(2)
    X = rng.normal(size=(100, 1))
    y = 3 * X[:, 0] + rng.normal(size=100)
    w = np.array([w0])
    sizes = []
    for _ in range(300):
        w = factor * w - lr * (2 / 100) * X.T @ (X @ w - y)
        sizes.append(abs(w[0]))
    assert np.all(np.diff(sizes) > 0)  # with a real data term every bounce is larger
    assert sizes[-1] > 10 * w0
    says("gradient", "for ever", "diverges")


def test_penalized_bias_makes_the_fit_depend_on_a_shift_of_y_but_not_on_its_scale(ridge):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 2))
    y = X @ np.array([1.0, -1.0]) + 5 + rng.normal(size=30)
    lam = 3.0

    def penalized_bias(X, y):
        Xa = np.column_stack([np.ones(len(y)), X])
        theta = np.linalg.solve(Xa.T @ Xa + lam * np.eye(3), Xa.T @ y)
        return theta[1:], theta[0]

    w, b = penalized_bias(X, y)
    w_shift, _ = penalized_bias(X, y + 273.15)
    assert np.abs(w_shift - w).max() > 1e-3
    w_scale, b_scale = penalized_bias(X, 1000 * y)
    np.testing.assert_allclose(w_scale, 1000 * w, rtol=1e-12)
    assert b_scale == pytest.approx(1000 * b, rel=1e-12)
    np.testing.assert_allclose(ridge(X, y + 273.15, lam)[0], ridge(X, y, lam)[0], atol=1e-12)
    says("bias", "where zero", "multiplied by 1000")
    for name in ("bias", "choosing-lambda"):
        assert "units of $y$" not in page(name)


def test_penalized_bias_with_centred_features_shrinks_only_the_bias(ridge):
    rng = np.random.default_rng(15)
    n, lam = 30, 3.0
    A = rng.normal(size=(n, 2))
    X = A - A.mean(axis=0)
    y = X @ np.array([1.0, -1.0]) + 5 + rng.normal(size=n)

    def penalized_bias(X, y):  # minimizes J with (λ/N)·b² added
        Xa = np.column_stack([np.ones(len(y)), X])
        theta = np.linalg.solve(Xa.T @ Xa + lam * np.eye(3), Xa.T @ y)
        return theta[1:], theta[0]

    w, b = penalized_bias(X, y)
    np.testing.assert_allclose(w, ridge(X, y, lam)[0], atol=1e-12)
    assert b == pytest.approx(n / (n + lam) * y.mean(), rel=1e-12)
    w_shift, b_shift = penalized_bias(X, y + 273.15)
    np.testing.assert_allclose(w_shift, w, atol=1e-12)
    assert b_shift - b == pytest.approx(n / (n + lam) * 273.15, rel=1e-12)
    uncentred = X + np.array([4.0, -2.0])
    (w_u, b_u), (w_u_shift, b_u_shift) = penalized_bias(uncentred, y), penalized_bias(uncentred, y + 273.15)
    assert np.abs(w_u_shift - w_u).max() > 1e-3 and 0 < b_u_shift - b_u < 273.15  # b follows only part of it
    says("bias", r"$b = \frac{N}{N+\lambda}\,\bar y$", "If the features are not centred, the weights change too")
    for name in ("bias", "choosing-lambda"):
        assert "and the weights change too" not in _flat(page(name))
        assert "the weights compensate" not in _flat(page(name))


def test_a_zero_singular_value_needs_dependent_columns_or_centring(ref):
    factors = ref["shrinkage"].shrinkage_factors
    rng = np.random.default_rng(16)
    wide = rng.normal(size=(4, 10))
    assert np.all(factors(wide, 1.0, fit_intercept=False) > 0.1)  # d > N, no intercept: no zero
    square = rng.normal(size=(6, 6))
    with_intercept = factors(square, 1.0)
    assert with_intercept.size == 6 and abs(with_intercept[-1]) < 1e-12  # d = N with an intercept: one zero
    assert np.all(with_intercept[:-1] > 0.01)
    tall = rng.normal(size=(20, 3))
    copy = factors(np.column_stack([tall, tall[:, 0]]), 1.0, fit_intercept=False)
    assert abs(copy[-1]) < 1e-12 and np.all(copy[:-1] > 0.1)
    says("closed-form", "more features than samples alone give no zero", "there is a zero as soon as $d \\ge N$")
    assert "or more features than samples)" not in page("closed-form")


def test_degrees_of_freedom_tend_to_the_rank_as_lambda_tends_to_zero_from_above(ref):
    df = ref["shrinkage"].effective_degrees_of_freedom
    rng = np.random.default_rng(17)
    tall = rng.normal(size=(20, 3))
    X = np.column_stack([tall, tall[:, 0] + tall[:, 1]])  # rank 3 of 4 columns
    assert np.linalg.matrix_rank(X - X.mean(axis=0)) == 3
    assert df(X, 1e-10) == pytest.approx(3, abs=1e-6)
    assert df(tall, 1e-10) == pytest.approx(3, abs=1e-6)
    says("closed-form", r"As $\lambda \to 0^+$, $\operatorname{df}(\lambda) \to \operatorname{rank}(X_c)$")
    assert r"\operatorname{df}(0)" not in page("closed-form")


def test_degrees_of_freedom_of_the_trace_data_at_lambda_10(ref):
    X, _ = numbers.ridge_trace_data()
    df = ref["shrinkage"].effective_degrees_of_freedom(X, 10.0)
    says("closed-form", f'"the fit uses {df:.2g} of its {X.shape[1]} weight parameters"', "what $\\lambda = 10$ means")


def test_covariance_eigenvalues_against_lambda_are_the_forgotten_1_over_n(ref):
    factors = ref["shrinkage"].shrinkage_factors
    rng = np.random.default_rng(18)
    n, lam = 25, 2.0
    X = rng.normal(size=(n, 3))
    covariance = np.linalg.eigvalsh(np.cov(X.T, bias=True))[::-1]
    np.testing.assert_allclose(covariance / (covariance + lam), factors(X, n * lam), rtol=1e-10)
    says("closed-form", "a penalty $N$ times too strong", "[the forgotten $1/N$](gradient.md)")
    assert "counted twice" not in page("closed-form")


def test_the_source_text_counts_of_gradient_and_conventions_agree():
    says("conventions", "no $1/N$ on the penalty (three source texts)")
    says("gradient", "one of the course's source texts reports making it", "Three other source texts leave the $1/N$ out")


def test_full_column_rank_means_the_centred_data():
    rng = np.random.default_rng(19)
    X = rng.normal(size=(3, 3))
    assert np.linalg.matrix_rank(X) == 3 and np.linalg.matrix_rank(X - X.mean(axis=0)) == 2
    for name in ("closed-form", "choosing-lambda", "geometry"):
        assert "full-column-rank data" not in page(name)
    says("closed-form", "(when $X_c$ has full column rank)")


def test_the_readme_sends_students_to_the_release_and_counts_no_files_in_words():
    from tools import release

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    students = _flat(readme.split("## For students", 1)[1].split("\n## ", 1)[0])
    assert f"`nox -s release` builds it as `dist/{release.DEFAULT_OUT.name}`" in students
    assert "holds no solutions" in students and "not in the instructors' repository" in students
    for word in numbers.NUMBER_WORDS[2:]:
        assert f"{word} files" not in readme and f"{word} exercise files" not in readme


def test_centred_gram_matrix_is_singular_already_when_d_equals_n():
    rng = np.random.default_rng(5)
    n = 6
    X = rng.normal(size=(n, n))
    Xc = X - X.mean(axis=0)
    assert np.linalg.matrix_rank(X) == n
    assert np.linalg.matrix_rank(Xc.T @ Xc) == n - 1
    says("closed-form", "d \\ge N")


def test_sklearn_lasso_alpha_is_lambda_over_2n_in_the_course_l1_scaling():
    rng = np.random.default_rng(6)
    n, d, alpha = 25, 3, 0.3
    X, y = rng.normal(size=(n, d)), rng.normal(size=n)
    lam = 2 * n * alpha

    def lasso(w, b):  # scikit-learn's Lasso objective
        return np.sum((y - X @ w - b) ** 2) / (2 * n) + alpha * np.abs(w).sum()

    def course_l1(w, b):
        return np.mean((X @ w + b - y) ** 2) + lam / n * np.abs(w).sum()

    for _ in range(5):
        w, b = rng.normal(size=d), rng.normal()
        assert course_l1(w, b) == pytest.approx(2 * lasso(w, b), rel=1e-12)
    says("conventions", "`Lasso(alpha=a)`", "$\\lambda = 2Na$")


def test_the_decay_factor_of_mse_plus_lambda_sum_w2_is_one_minus_2_lr_lambda():
    lam, lr, h = 0.3, 0.1, 1e-6
    w = np.array([1.5, -2.0])
    penalty = lambda v: lam * np.sum(v**2)  # noqa: E731
    grad = np.array([(penalty(w + h * e) - penalty(w - h * e)) / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(w - lr * grad, (1 - 2 * lr * lam) * w, rtol=1e-8)
    assert not np.allclose(w - lr * grad, (1 - lr * lam) * w)
    says("conventions", "three source texts", "off by a factor of 2")


# ------------------------------------------- numbers written in the pages


def test_overfitting_example_amplifies_the_error_49_fold():
    big, even = np.array([50.0, -49.0]), np.array([0.5, 0.5])
    assert big.sum() == even.sum() == 1.0
    assert np.sum(big**2) == 4901 and np.sum(even**2) == 0.5
    assert abs(big[1]) == 49 and abs(big[1]) / even[1] == 98
    says("overfitting", "$4901$", "49-fold", "98 times", "[[0.5]]", "or at best stays the same")


def test_l2_penalty_examples(ref):
    w, lam, n = [3.0, -4.0], 2.0, 10
    penalty = ref["penalty"].l2_penalty(w, lam, n)
    assert penalty == pytest.approx(5)
    l1, forgotten, halved = lam / n * 7, lam * 25, lam / (2 * n) * 25
    says(
        "l2-penalty",
        f"= {num(penalty)}$",
        f"- [x] {num(penalty)}",
        f"- [ ] {num(l1)}",
        f"- [ ] {num(forgotten)}",
        f"- [ ] {num(halved)}",
    )
    sigma2, tau2 = 4.0, 0.5
    says("l2-penalty", f"[[{num(sigma2 / tau2)}]]")


def test_gradient_flip_example(ref):
    w, lam, n, data = 200.0, 100.0, 100, -5.0
    penalty = ref["gradient"].penalty_gradient([w], lam, n)[0]
    assert penalty == pytest.approx(400)
    says("gradient", f"= {num(penalty)}", f"[[{num(data + penalty)}]]", "-5 + 400 = 395")
    forgotten = 2 * lam * w
    assert forgotten == 40_000 and forgotten / penalty == n
    says("gradient", "40\\,000", "1 - 2 \\cdot 0.01 \\cdot 100 = -1")


def test_weight_decay_factors(ref):
    factor = ref["decay"].decay_factor
    says("weight-decay", f"[[{num(factor(0.1, 5.0, 10))}]]", num(factor(0.01, 0.1, 100)))
    for lr, shown in ((0.5, "= 0.5$"), (1.0, "= 0$"), (0.1, "Factor $0.9$")):
        assert num(factor(lr, 10.0, 20)) in shown
        says("weight-decay", shown)
    assert factor(2.0, 10.0, 20) == -1


def test_pytorch_weight_decay_examples():
    lam, n = 5.0, 1000
    wd = 2 * lam / n
    says(
        "weight-decay",
        f"- [x] {num(wd)}",
        f"- [ ] {num(lam / n)}",
        f"- [ ] {num(2 * lam)}",
        f"on {n} samples it is $\\lambda = {num(n * 0.01 / 2)}$",
    )
    says("conventions", f"[[{num(500 * 0.002 / 2)}]]", f"[[{num(6 / 2)}]]")


def test_closed_form_quiz_answer():
    gram, xty, lam = 4.0, 12.0, 2.0
    w = np.linalg.solve([[gram + lam]], [xty])[0]
    says("closed-form", f"[[{num(w)}]]", f"$12/4 = {num(xty / gram)}$", "$4/(4+2) = 2/3$")
    assert w / (xty / gram) == pytest.approx(2 / 3)


def test_geometry_l1_threshold():
    says("geometry", f"[[{num(50 / 100)}]]")


def test_bias_shift_leaves_the_weights_alone(ridge):
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    (w, b), (w_shift, b_shift) = ridge(X, y, 2.0), ridge(X, y + 100, 2.0)
    np.testing.assert_allclose(w_shift - w, 0, atol=1e-12)
    assert b_shift - b == pytest.approx(100)
    says("bias", "[[0]]")


def test_kilometres_to_metres_changes_the_penalty_a_millionfold():
    factor = 1000
    assert (1 / factor) ** 2 == pytest.approx(1e-6)
    says("choosing-lambda", "1000 times larger", "a million times")


def test_squares_punish_big_weights_and_spare_small_ones():
    assert 10.0**2 == 100 and 0.1**2 == pytest.approx(0.01)
    says("l2-penalty", "A weight of 10 costs 100, a weight of 0.1 costs 0.01")


def test_sklearn_ridge_alpha_is_lambda(ridge):
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(15, 2)), rng.normal(size=15)
    alpha = 3.0
    # Ridge(alpha) minimizes the sum of squares + alpha·Σw²: its normal equations.
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w_sklearn = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(2), Xc.T @ yc)
    np.testing.assert_allclose(ridge(X, y, alpha)[0], w_sklearn, rtol=1e-10)
    says("l2-penalty", f"- [x] $\\lambda = {num(alpha)}$", f"- [ ] $\\lambda = {num(alpha / 2)}$")


def test_forgotten_n_grows_the_penalty_with_the_data():
    small, large = 100, 100_000
    assert large / small == 1000
    says("gradient", "tuned on 100 samples is far too strong on 100 000", "a thousandfold")


def test_decay_percentages(ref):
    factor = ref["decay"].decay_factor
    assert 1 - factor(0.1, 5.0, 10) == pytest.approx(0.10)
    assert 1 - factor(0.01, 0.1, 100) == pytest.approx(0.00002)
    says("weight-decay", "removes 10% of every", "a gentle 0.002% per step", "the factor is $-1$")


def _figures(ref):
    pytest.importorskip("mkdocs")
    return _load(DOCS / "hooks" / "figures.py", "ridge_lab_figures_for_tests")


def test_widget_descriptions_match_the_widget_data(ref):
    figures = _figures(ref)
    data = figures.polynomial_data()
    says("choosing-lambda", f"{data['x_train'].size} noisy training points", f"degree-{data['degree']} polynomial")
    decay = figures.widget_decay(ref, np)
    says("weight-decay", f"starting at {num(decay['w0'])} with $N = {decay['n']}$ samples")
