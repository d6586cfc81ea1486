"""Validation for the loops submission: plain Python, no NumPy."""

import math
import numbers


def vector(values, name):
    try:
        values = [float(v) for v in values]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D sequence of numbers") from None
    if not values:
        raise ValueError(f"{name} must not be empty")
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{name} must be finite")
    return values


def matrix(rows, name):
    try:
        rows = [[float(v) for v in row] for row in rows]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-D sequence of numbers") from None
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError(f"{name} must be a non-empty rectangular 2-D array")
    if not all(math.isfinite(v) for row in rows for v in row):
        raise ValueError(f"{name} must be finite")
    return rows


def number(value, name, *, low=None, positive=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number")
    value = float(value)
    if (low is not None and value < low) or (positive and value <= 0):
        raise ValueError(f"{name} is out of range: {value}")
    return value


def count(value, name, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < low:
        raise ValueError(f"{name} must be an integer >= {low}")
    return int(value)


def same_length(a, b, a_name, b_name):
    if len(a) != len(b):
        raise ValueError(f"{a_name} and {b_name} have different lengths")


# RIDGE-LAB-SOLUTION-CANARY: solution text; never ship this file to students.
