"""``@by_value``: an oracle computes each answer once, however often it is asked.

A value check asks the oracle for the answer to the call it just made, and the
engine asks again for every answer when the check ends (``plugin.py``: every
answer a check receives must be the oracle's), with the same arguments: equal
arrays, floats and flags. Keyed by those values, the second question costs a
lookup (measured in one process: 7 % of the time to run ``shrinkage``'s
checks, 4 % for a whole submission's).

Keys are exact: an array by dtype, shape and bytes; a float by its bits
(``-0.0`` is not ``0.0``); every value by its type too (``1``, ``1.0`` and
``True`` differ). A call with any other kind of argument, or whose answer holds
anything but arrays, numbers and tuples, is not remembered. Remembered arrays
are read-only copies, so no caller can change an answer another caller gets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

MAX_REMEMBERED = 512  # per oracle function; one check asks far fewer, and its re-check follows within the check


class _NotExact(Exception):
    """A value this module cannot key (an argument) or keep unchanged (an answer) exactly."""


def _key(value) -> tuple:
    kind = type(value)
    if kind is np.ndarray:
        return (kind, value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, float):  # float and NumPy's float64
        return (kind, value.hex())
    if isinstance(value, (bool, int, np.integer, np.bool_, str, type(None))):
        return (kind, value)
    if kind in (list, tuple):
        return (kind, tuple(_key(item) for item in value))
    raise _NotExact


def _frozen(answer):
    """A read-only copy of ``answer`` (arrays copied, so an answer that views an argument leaves it writable)."""
    if isinstance(answer, np.ndarray):
        copy = answer.copy()
        copy.setflags(write=False)
        return copy
    if type(answer) is tuple:
        return tuple(_frozen(part) for part in answer)
    if isinstance(answer, (float, int, np.generic, type(None))):
        return answer
    raise _NotExact


def by_value(function: Callable) -> Callable:
    """Remember ``function``'s answers by the exact values of its positional arguments."""
    remembered: dict[tuple, object] = {}

    @functools.wraps(function)
    def answer(*args):
        try:
            key = tuple(_key(value) for value in args)
        except _NotExact:
            return function(*args)
        if key in remembered:
            return remembered[key]
        result = function(*args)
        try:
            frozen = _frozen(result)
        except _NotExact:
            return result
        if len(remembered) >= MAX_REMEMBERED:
            remembered.clear()
        remembered[key] = frozen
        return frozen

    return answer
