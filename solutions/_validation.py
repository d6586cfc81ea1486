"""Input validation shared by the reference solutions.

Every function returns a clean value (a float64 array that is never the
caller's own object when it will be written to, or a Python number) or raises
``ValueError`` whose message starts with the argument's name, as
``CONTRACT.md`` section 2 requires.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_array(value, name: str, ndim: int) -> np.ndarray:
    """Return ``value`` as a finite float64 array with ``ndim`` dimensions.

    Raises
    ------
    ValueError
        If ``value`` is not numeric, has another number of dimensions, is
        empty, or holds NaN or infinity. The message names ``name``.
    """
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}: {error}") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must not contain NaN or infinity")
    return array


def as_real(value, name: str, *, minimum: float | None = None, positive: bool = False) -> float:
    """Return ``value`` as a finite Python float, optionally bounded below.

    ``minimum`` rejects values below it; ``positive`` rejects values ``<= 0``.
    Booleans are not numbers here.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {type(value).__name__}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {number}")
    if positive and number <= 0:
        raise ValueError(f"{name} must be > 0, got {number}")
    return number


def as_count(value, name: str, *, minimum: int) -> int:
    """Return ``value`` as a Python int ``>= minimum``.

    Python and NumPy integers are accepted; ``bool`` and floats (also ``3.0``)
    are rejected.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    count = int(value)
    if count < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {count}")
    return count


def check_rows(X: np.ndarray, y: np.ndarray, x_name: str = "X") -> None:
    """Require one target per row of the design matrix."""
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{x_name} has {X.shape[0]} rows but y has {y.shape[0]} entries")


def check_columns(X: np.ndarray, w: np.ndarray, x_name: str = "X", w_name: str = "w") -> None:
    """Require one weight per column of the design matrix."""
    if X.shape[1] != w.shape[0]:
        raise ValueError(f"{x_name} has {X.shape[1]} columns but {w_name} has {w.shape[0]} entries")


def regression_inputs(X, y, w, b, lam):
    """Validate the arguments every loss and gradient function takes.

    Returns ``(X, y, w, b, lam)`` as float64 arrays of shapes (N, d), (N,),
    (d,) and two floats; raises ``ValueError`` naming the bad argument.
    """
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    w = as_array(w, "w", ndim=1)
    b = as_real(b, "b")
    lam = as_real(lam, "lam", minimum=0.0)
    check_rows(X, y)
    check_columns(X, w)
    return X, y, w, b, lam


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
