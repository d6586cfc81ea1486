"""What every figure shares: a figure family's entry, the style, and the SVG it becomes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

# Reproducible SVGs (fixed hash salt, text as paths) in one look.
STYLE = {
    "svg.hashsalt": "ridge-lab",
    "svg.fonttype": "path",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


@dataclass(frozen=True)
class Figure:
    """One figure: ``draw(sol, plt, np)`` returns a matplotlib figure from the reference modules ``sol``.

    ``alt`` is for readers who cannot see the image: it says what is drawn and
    what it shows (axes, curves, where they go), not only what it is called.
    ``caption``, read by everyone, explains why it matters.
    """

    draw: Callable
    alt: str
    caption: str


def svg(fig) -> bytes:
    """``fig`` as SVG bytes (no date: the same figure gives the same bytes); closes it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def rounded(values, digits: int = 6) -> list[float]:
    """``values`` to ``digits`` significant digits: a widget's JSON stays small."""
    return [float(f"{v:.{digits}g}") for v in values]
