"""The wire format between the grader and a worker, written once for both sides.

A message is a frame: a 4-byte big-endian length, then that many bytes holding
one value. Values are built-in types and NumPy arrays only, each a one-byte tag
followed by fixed-size fields:

=====  ==================================================================
``N``  None
``T``  True; ``F`` False
``i``  an int that fits in 64 bits (8 bytes, signed)
``f``  a float (8 bytes, IEEE 754)
``s``  a str: 4-byte length, then UTF-8 bytes
``a``  an array: dtype code (1 byte), ndim (1 byte), each dimension (4 bytes),
       then exactly ``size × itemsize`` bytes
``g``  a NumPy scalar: dtype code, then ``itemsize`` bytes
``l``  a list, ``t`` a tuple, ``d`` a dict (str keys): 4-byte count, then items
``o``  an opaque value: its type name and its repr, two strs
=====  ==================================================================

Every size is declared before its data and checked against what the frame
still holds *before* anything is allocated, so a reply can never expand on
decoding: a frame of ``n`` bytes decodes into at most ``n`` bytes of numbers
and at most ``n`` objects. Strings are decoded with replacement characters,
so whatever a worker sends can be written to a report, a terminal or a CSV.

Only the standard library and NumPy: the worker imports this file inside its
jail as a sibling module, the grader as ``checks.engine.sandbox.protocol``.
"""

import struct

# Bound here, before any submitted module is imported: a submission that replaces
# a builtin (``builtins.isinstance = ...``) changes its own code, never the protocol's.
from builtins import bytearray, bytes, dict, isinstance, len, list, memoryview, range, repr, str, tuple, type  # noqa: UP029

import numpy

MAX_FRAME_BYTES = 8 * 2**20  # a reply: 100,000 numbers take ~1 MB
MAX_TEXT = 2_000  # characters of one string
MAX_ITEMS = 100_000  # numbers and items in one message, however nested
MAX_DEPTH = 4
MAX_NDIM = 4

_LENGTH = struct.Struct(">I")
_INT = struct.Struct(">q")
_FLOAT = struct.Struct(">d")
# The array types that may cross, by one-byte code (little-endian, as NumPy stores them here).
DTYPES = {code: numpy.dtype(name) for code, name in enumerate(
    ("?", "<i1", "<i2", "<i4", "<i8", "<u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8", "<c8", "<c16"), start=1
)}  # fmt: skip
_CODES = {dtype: code for code, dtype in DTYPES.items()}


class ProtocolError(ValueError):
    """A frame that breaks the format or its bounds."""


# ---------------------------------------------------------------- encoding


def encode(value) -> bytes:
    """One value as a frame's payload; anything that cannot cross becomes an opaque ``(type, repr)``."""
    out = bytearray()
    _encode(value, out, [MAX_ITEMS], 0)
    return bytes(out)


def frame(payload: bytes) -> bytes:
    return _LENGTH.pack(len(payload)) + payload


def _text(value: str) -> bytes:
    return value[:MAX_TEXT].encode("utf-8", "surrogatepass")


def _put_text(value: str, out: bytearray) -> None:
    data = _text(value)
    out += _LENGTH.pack(len(data)) + data


def _short_repr(value) -> str:
    try:
        text = repr(value)
    except BaseException:  # a hostile __repr__ must not stop the encoder
        text = "<unprintable>"
    return text if len(text) <= 200 else text[:197] + "..."


def _encode(value, out: bytearray, budget: list, depth: int) -> None:
    kind = type(value)
    if value is None:
        out += b"N"
    elif kind is bool:
        out += b"T" if value else b"F"
    elif kind is int and -(2**63) <= value < 2**63:
        out += b"i" + _INT.pack(value)
    elif kind is float:
        out += b"f" + _FLOAT.pack(value)
    elif kind is str:
        out += b"s"
        _put_text(value, out)
    elif isinstance(value, numpy.ndarray) and value.dtype in _CODES and value.ndim <= MAX_NDIM and value.size <= budget[0]:
        budget[0] -= value.size
        out += b"a" + bytes((_CODES[value.dtype], value.ndim))
        out += b"".join(_LENGTH.pack(n) for n in value.shape) + value.tobytes()
    elif isinstance(value, numpy.generic) and value.dtype in _CODES:
        out += b"g" + bytes((_CODES[value.dtype],)) + value.tobytes()
    elif kind in (list, tuple, dict) and depth < MAX_DEPTH and len(value) <= budget[0]:
        budget[0] -= len(value)
        out += {list: b"l", tuple: b"t", dict: b"d"}[kind] + _LENGTH.pack(len(value))
        if kind is dict:
            for key, item in value.items():
                _put_text(str(key), out)
                _encode(item, out, budget, depth + 1)
        else:
            for item in value:
                _encode(item, out, budget, depth + 1)
    else:
        out += b"o"
        if kind is Opaque:
            _put_text(value.type_name, out)
            _put_text(value.text, out)
        else:
            _put_text(kind.__qualname__[:100], out)
            _put_text(_short_repr(value), out)


# ---------------------------------------------------------------- decoding


class _Reader:
    def __init__(self, data: bytes):
        self.data = memoryview(data)
        self.at = 0
        self.items = MAX_ITEMS

    def take(self, size: int) -> memoryview:
        if size < 0 or size > len(self.data) - self.at:
            raise ProtocolError("a size larger than the frame")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def length(self) -> int:
        return _LENGTH.unpack(self.take(4))[0]

    def count(self, n: int) -> None:
        if n > self.items:
            raise ProtocolError("too many items")
        self.items -= n

    def text(self) -> str:
        size = self.length()
        if size > 4 * MAX_TEXT:
            raise ProtocolError("a string too long")
        return bytes(self.take(size)).decode("utf-8", "replace")


def decode(payload: bytes):
    """Invert ``encode`` under the bounds above; ``ProtocolError`` on anything else."""
    reader = _Reader(payload)
    value = _decode(reader, 0)
    if reader.at != len(reader.data):
        raise ProtocolError("bytes after the value")
    return value


def _decode(reader: _Reader, depth: int):
    tag = bytes(reader.take(1))
    if tag == b"N":
        return None
    if tag in (b"T", b"F"):
        return tag == b"T"
    if tag == b"i":
        return _INT.unpack(reader.take(8))[0]
    if tag == b"f":
        return _FLOAT.unpack(reader.take(8))[0]
    if tag == b"s":
        return reader.text()
    if tag in (b"a", b"g"):
        dtype = DTYPES.get(reader.take(1)[0])
        if dtype is None:
            raise ProtocolError("an unknown dtype")
        if tag == b"g":
            return numpy.frombuffer(reader.take(dtype.itemsize), dtype=dtype)[0]
        ndim = reader.take(1)[0]
        if ndim > MAX_NDIM:
            raise ProtocolError("too many dimensions")
        shape = tuple(reader.length() for _ in range(ndim))
        size = 1
        for n in shape:
            size *= n
        reader.count(size)
        data = reader.take(size * dtype.itemsize)  # checked against the frame before any array exists
        return numpy.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if tag in (b"l", b"t", b"d"):
        if depth >= MAX_DEPTH:
            raise ProtocolError("nested too deep")
        n = reader.length()
        reader.count(n)
        if tag == b"d":
            return {reader.text(): _decode(reader, depth + 1) for _ in range(n)}
        items = [_decode(reader, depth + 1) for _ in range(n)]
        return items if tag == b"l" else tuple(items)
    if tag == b"o":
        return Opaque(reader.text(), reader.text())
    raise ProtocolError(f"an unknown tag {tag!r}")


class Opaque:
    """A value of a type that cannot cross (shown by its repr)."""

    __slots__ = ("type_name", "text")

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other) -> bool:
        return isinstance(other, Opaque) and (self.type_name, self.text) == (other.type_name, other.text)

    def __hash__(self) -> int:
        return hash((self.type_name, self.text))


# ---------------------------------------------------------------- messages
# grader → worker: ("call", sequence, function, args, kwargs, echo_arguments)
# worker → grader: ("ready",) or ("import-failed", text) once, then per call
#   ("returned", sequence, value, arguments_after_or_None)
#   ("raised", sequence, [qualified class names], message, "file line N")
#   ("missing", sequence, name)


def read_length(header: bytes) -> int:
    """The payload size a frame header declares; ``ProtocolError`` past ``MAX_FRAME_BYTES``."""
    (size,) = _LENGTH.unpack(header)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(f"a frame of {size} bytes")
    return size


HEADER_BYTES = _LENGTH.size
