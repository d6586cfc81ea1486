"""The closed-form figures: the ridge trace, the two balls, the forgotten 1/N and the shrinkage factors.

Each is computed with the reference ``ridge_closed_form`` (and ``shrinkage_factors``,
``effective_degrees_of_freedom``) passed in as ``sol``.
"""

from __future__ import annotations

from figure_drawing import Figure
from lesson_data import ridge_trace_data


def fig_ridge_trace(sol, plt, np):
    X, y = ridge_trace_data()
    d = X.shape[1]
    lams = np.logspace(-2, 4, 90)
    W = np.array([sol["closed_form"].ridge_closed_form(X, y, float(lam))[0] for lam in lams])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.6), layout="constrained")
    for j in range(d):
        ax1.plot(lams, W[:, j], lw=1.8, label=f"$w_{j + 1}$")
    ax1.axhline(0, color="0.4", lw=0.8)
    ax1.set_xscale("log")
    ax1.set_xlabel("λ")
    ax1.set_ylabel("coefficient")
    ax1.set_title("each coefficient")
    ax1.legend(ncol=2, fontsize=8, frameon=False)
    ax2.plot(lams, np.linalg.norm(W, axis=1), color="k", lw=2)
    ax2.set_xscale("log")
    ax2.set_xlabel("λ")
    ax2.set_ylabel("‖w*‖₂")
    ax2.set_title("the norm only shrinks")
    ax2.set_ylim(bottom=0)
    return fig


def fig_geometry(sol, plt, np):
    rng = np.random.default_rng(11)
    n = 200
    A = rng.normal(size=(n, 2)) @ np.array([[1.0, 0.0], [0.5, 0.7]])
    X = A - A.mean(axis=0)
    w_ols = np.array([2.0, 0.7])
    y = X @ w_ols + rng.normal(0, 0.05, n)
    y = y - y.mean()
    ridge = sol["closed_form"].ridge_closed_form
    w_ols = ridge(X, y, 0.0, fit_intercept=False)[0]

    def mse(W1, W2):
        R = X[:, 0, None, None] * W1 + X[:, 1, None, None] * W2 - y[:, None, None]
        return np.mean(R**2, axis=0)

    g = np.linspace(-1.6, 2.8, 161)
    W1, W2 = np.meshgrid(g, g)
    Z = mse(W1, W2)
    lam = 120.0
    w_r = ridge(X, y, lam, fit_intercept=False)[0]
    radius = float(np.linalg.norm(w_r))
    path = np.array([ridge(X, y, float(lam_i), fit_intercept=False)[0] for lam_i in np.logspace(-2, 5, 80)])
    # L1 ball of the same "budget" |w1| + |w2| = t: the first contact is the
    # minimum of the loss along the diamond's boundary.
    t = radius
    s = np.linspace(0, 4, 4001)
    corners = np.array([[t, 0], [0, t], [-t, 0], [0, -t], [t, 0]])
    k = np.minimum(s.astype(int), 3)
    frac = (s - k)[:, None]
    boundary = corners[k] * (1 - frac) + corners[k + 1] * frac
    losses = np.mean((X @ boundary.T - y[:, None]) ** 2, axis=0)
    w_l1 = boundary[np.argmin(losses)]
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.4), layout="constrained")
    theta = np.linspace(0, 2 * np.pi, 300)
    for ax, title, shape, w_hat, level_at in (
        (axes[0], "L2: circle", (radius * np.cos(theta), radius * np.sin(theta)), w_r, w_r),
        (axes[1], "L1: diamond", (corners[:, 0], corners[:, 1]), w_l1, w_l1),
    ):
        level = float(np.mean((X @ level_at - y) ** 2))
        lowest = float(np.mean((X @ w_ols - y) ** 2))
        levels = lowest + (level - lowest) * np.array([0.04, 0.2, 0.5, 1.0, 1.8])
        ax.contour(W1, W2, Z, levels=levels, colors="tab:blue", linewidths=[0.8] * 3 + [1.8] + [0.8])
        ax.fill(*shape, color="tab:orange", alpha=0.3, lw=2, ec="tab:orange")
        ax.plot(*w_ols, "kx", ms=9, mew=2)
        ax.annotate("least squares", w_ols, xytext=(6, 6), textcoords="offset points", fontsize=9)
        ax.plot(*w_hat, "o", color="tab:red", ms=7)
        ax.annotate(
            f"({w_hat[0]:.2f}, {w_hat[1]:.2f})", w_hat, xytext=(8, -14), textcoords="offset points", fontsize=9, color="tab:red"
        )
        ax.axhline(0, color="0.5", lw=0.6)
        ax.axvline(0, color="0.5", lw=0.6)
        ax.set_aspect("equal")
        ax.set_xlim(g[0], g[-1])
        ax.set_ylim(-1.4, 2.0)
        ax.set_xlabel("$w_1$")
        ax.set_ylabel("$w_2$")
        ax.set_title(title)
    axes[0].plot(path[:, 0], path[:, 1], ":", color="k", lw=1.4)
    return fig


def fig_forgotten(sol, plt, np):
    rng = np.random.default_rng(5)
    n_max, d, lam = 3000, 4, 10.0
    X = rng.normal(size=(n_max, d))
    w_true = np.array([1.0, -2.0, 0.5, 1.5])
    y = X @ w_true + 0.5 + rng.normal(0, 1.0, n_max)
    sizes = np.unique(np.logspace(1, np.log10(n_max), 30).astype(int))
    ridge = sol["closed_form"].ridge_closed_form
    ours, forgot = [], []
    for n in sizes:
        w_ols = ridge(X[:n], y[:n], 1e-12)[0]
        scale = np.linalg.norm(w_ols)
        ours.append(np.linalg.norm(ridge(X[:n], y[:n], lam)[0]) / scale)
        # (1/N)Σr² + λΣw² = (1/N)(Σr² + (λN)Σw²): the same loss with λ' = λ·N.
        forgot.append(np.linalg.norm(ridge(X[:n], y[:n], lam * float(n))[0]) / scale)
    fig, ax = plt.subplots(figsize=(6.5, 3.4), layout="constrained")
    ax.plot(sizes, ours, lw=2, label="(λ/N) Σ w²  (this course)")
    ax.plot(sizes, forgot, lw=2, ls="--", label="λ Σ w²  (1/N forgotten)")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("number of samples N")
    ax.set_ylabel("‖w*‖ / ‖w_OLS‖")
    ax.legend(frameon=False, loc="center right")
    return fig


def fig_shrinkage(sol, plt, np):
    rng = np.random.default_rng(8)
    n = 50
    scales = np.array([3.0, 1.5, 0.8, 0.3, 0.1])  # columns of very different spread
    X = rng.normal(size=(n, len(scales))) * scales + rng.uniform(-2, 2, len(scales))
    lams = np.logspace(-3, 4, 120)
    shrink = sol["shrinkage"]
    F = np.array([shrink.shrinkage_factors(X, float(lam)) for lam in lams])
    df = np.array([shrink.effective_degrees_of_freedom(X, float(lam)) for lam in lams])
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.6), layout="constrained")
    for j in range(F.shape[1]):
        (line,) = ax1.plot(lams, F[:, j], lw=1.8, label=f"$s_{j + 1}$ = {s[j]:.2g}")
        ax1.plot(s[j] ** 2, 0.5, "o", color=line.get_color(), ms=4)
    ax1.set_xscale("log")
    ax1.set_ylim(0, 1.02)
    ax1.set_xlabel("λ")
    ax1.set_ylabel("$f_j = s_j^2 / (s_j^2 + λ)$")
    ax1.set_title("each direction (dot: λ = $s_j^2$, half kept)")
    ax1.legend(fontsize=8, frameon=False, loc="lower left")
    ax2.plot(lams, df, color="k", lw=2)
    ax2.axhline(len(s), color="0.5", ls=":", lw=1)
    ax2.set_xscale("log")
    ax2.set_ylim(0, len(s) + 0.2)
    ax2.set_xlabel("λ")
    ax2.set_ylabel("df(λ) = Σ $f_j$")
    ax2.set_title(f"degrees of freedom: from {len(s)} down to 0")
    return fig


FIGURES = {
    "ridge-trace": Figure(
        fig_ridge_trace,
        alt=(
            "Ridge trace, two line charts against lambda on a log axis from 0.01 to 10,000. Left: six "
            "coefficient curves, each starting at its least-squares value on the left. Four of them (w1, w3, w4,"
            " w5) fall steadily towards zero as lambda grows. Two cross zero: w2 starts negative, crosses near"
            " lambda 6.4 and rises before falling back towards zero; w6 starts slightly below zero, crosses near"
            " lambda 18 and rises a little before falling back. All are near zero at the right edge. Right: the norm of the weight vector, "
            "largest at small lambda, falling steadily towards zero and never rising."
        ),
        caption=(
            "The ridge trace. Left: every coefficient of the closed-form solution against λ (log axis). "
            "Right: the norm ‖w*‖₂, which only ever falls. Computed with the reference `ridge_closed_form`."
        ),
    ),
    "geometry": Figure(
        fig_geometry,
        alt=(
            "Two panels in the plane of the weights w1 (across) and w2 (up). In both, nested ellipses are "
            "contours of the data loss around the least-squares solution, a cross at upper right. Left: a "
            "shaded circle centred at the origin, the L2 ball; the bold ellipse touches it at a red point "
            "where both weights are non-zero, and a dotted curve, the ridge path, runs from the origin to the"
            " cross. Right: a shaded diamond of the same size, the L1 ball; the bold ellipse touches it at "
            "its corner on the w1 axis, a red point where w2 is zero."
        ),
        caption=(
            "Contours of the data loss (ellipses) around the least-squares solution (cross). Left: the L2 "
            "ball touches a contour at a point with both weights non-zero; the dotted curve is the whole "
            "ridge path from the reference `ridge_closed_form`. Right: an L1 ball of the same size touches "
            "first at a corner, where w₂ = 0."
        ),
    ),
    "forgotten-n": Figure(
        fig_forgotten,
        alt=(
            "Line chart at lambda = 10 of the share of the least-squares weight norm that survives the "
            "penalty, from 0 to 1, against the number of samples N, from 10 to 3000 on a log axis. Solid "
            "line, this course's penalty with lambda over N: it rises with N and approaches 1, the data "
            "outweighing the penalty. Dashed line, the same penalty with the 1/N forgotten: it stays flat and"
            " low however many samples arrive."
        ),
        caption=(
            "How much of the least-squares weights survive (‖w*‖ / ‖w_OLS‖) as the data set grows, at λ = 10."
            " With the penalty (λ/N)Σw² the data soon outweigh it; written without the 1/N it acts like λ·N "
            "and keeps crushing the weights however much data arrives. Both from the reference "
            "`ridge_closed_form`."
        ),
    ),
    "shrinkage-factors": Figure(
        fig_shrinkage,
        alt=(
            "Shrinkage factors, two line charts against lambda on a log axis. Left: five curves, one per "
            "singular direction of a centred design; each starts near 1 at small lambda, passes one half "
            "where lambda equals that direction's squared singular value (marked with a dot) and falls "
            "towards 0, the directions with small singular values first. Right: their sum, the effective "
            "degrees of freedom, falling steadily from 5 at small lambda towards 0 at large lambda."
        ),
        caption=(
            "Left: the shrinkage factor sⱼ²/(sⱼ² + λ) of each of five singular directions of a centred design"
            " against λ (log axis). Each falls from 1 to 0, passing ½ at λ = sⱼ² (dots): the directions with "
            "small singular values are shrunk first. Right: their sum, the effective degrees of freedom, "
            "falls from 5 (the rank) towards 0. Computed with the reference `shrinkage_factors` and "
            "`effective_degrees_of_freedom`."
        ),
    ),
}
