"""The weight-decay figure (L2 against L1 under pure decay) and the data of the decay widget."""

from __future__ import annotations

from figure_drawing import Figure, rounded
from lesson_data import l1_path


def fig_decay(sol, plt, np):
    lr, lam, n, steps, w0 = 0.1, 5.0, 10, 80, 2.0
    l2 = sol["decay"].decay_trajectory([w0], lr, lam, n, steps)[:, 0]
    factor = sol["decay"].decay_factor(lr, lam, n)
    l1 = l1_path(w0, lr, lam, n, steps)
    t = np.arange(steps + 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.4), layout="constrained")
    for ax in (ax1, ax2):
        ax.plot(t, l2, lw=2, label=f"L2: × {factor:g} per step")
        ax.plot(t, l1, lw=2, ls="--", label=f"L1: − {lr * lam / n:g} per step")
        ax.set_xlabel("step")
    ax1.axhline(0, color="0.4", lw=0.8)
    ax1.set_ylabel("weight")
    ax1.set_title("linear axis")
    ax1.legend(frameon=False)
    ax2.set_yscale("log")
    ax2.set_title("log axis: L1 drops out at zero")
    return fig


def widget_decay(sol, np):
    lrs = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5]
    lams = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
    n, steps, w0 = 20, 60, 2.0
    decay = sol["decay"]
    paths = {}
    for i, lr in enumerate(lrs):
        for j, lam in enumerate(lams):
            factor = float(decay.decay_factor(lr, lam, n))
            try:
                l2 = decay.decay_trajectory([w0], lr, lam, n, steps)[:, 0]
                l2 = rounded(l2)
            except ValueError as exc:  # factor <= 0: the reference refuses it
                l2 = None
                message = str(exc)
            entry = {"factor": float(f"{factor:.6g}"), "l2": l2, "l1": rounded(l1_path(w0, lr, lam, n, steps))}
            if l2 is None:
                entry["error"] = message
            paths[f"{i},{j}"] = entry
    return {"lrs": lrs, "lams": lams, "n": n, "steps": steps, "w0": w0, "paths": paths, "start": [3, 3]}


FIGURES = {
    "decay-l1-l2": Figure(
        fig_decay,
        alt=(
            "Two line charts of one weight over 80 gradient steps, starting at 2, with the data gradient "
            "switched off. Left, linear axis: the L2 weight (solid line) shrinks by the same factor every "
            "step and curves down towards zero without reaching it; the L1 weight (dashed line) falls in a "
            "straight line, reaches zero about halfway and stays there. Right, log axis: the L2 weight is a "
            "straight falling line, while the L1 line drops out of the chart where it hits zero."
        ),
        caption=(
            "One weight under pure decay (data gradient switched off). L2 multiplies it by the decay factor "
            "every step and never reaches zero (a straight line on the log axis, right); L1 subtracts a "
            "constant and hits zero in a finite number of steps. L2 path from the reference "
            "`decay_trajectory`."
        ),
    ),
}
WIDGETS = {"decay": widget_decay}
