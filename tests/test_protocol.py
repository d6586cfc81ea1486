"""The wire format: whatever a worker sends, the grader decodes under bounds fixed before it allocates."""

from __future__ import annotations

import struct
import tracemalloc

import numpy as np
import pytest

from checks.engine.sandbox import protocol
from checks.engine.sandbox.protocol import Opaque, ProtocolError


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        -(2**63),
        1.5,
        float("nan"),
        "λ/N",
        np.arange(6.0).reshape(2, 3),
        np.float64(0.25),
        np.int64(7),
        (np.zeros(3), 0.5),
        [1, [2, (3.0, None)]],
        {"fit_intercept": False},
    ],
    ids=repr,
)
def test_values_cross_unchanged(value):
    back = protocol.decode(protocol.encode(value))
    assert type(back) is type(value)
    np.testing.assert_equal(back, value)


def test_an_array_keeps_its_dtype_and_shape():
    back = protocol.decode(protocol.encode(np.ones((2, 2), dtype=np.float32)))
    assert back.dtype == np.float32 and back.shape == (2, 2)


def test_what_cannot_cross_becomes_opaque():
    assert protocol.decode(protocol.encode(object)) == Opaque("type", repr(object))
    huge = list(range(protocol.MAX_ITEMS + 1))
    assert isinstance(protocol.decode(protocol.encode(huge)), Opaque)


def _array_frame(shape: tuple[int, ...], data: bytes) -> bytes:
    code = next(code for code, dtype in protocol.DTYPES.items() if dtype == np.dtype("<f8"))
    return b"a" + bytes((code, len(shape))) + b"".join(struct.pack(">I", n) for n in shape) + data


def test_a_declared_size_larger_than_the_frame_is_refused_before_allocating():
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError):
            protocol.decode(_array_frame((4000, 4000), b"\0" * 64))  # 16 million numbers declared, 8 sent
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_more_items_than_allowed_are_refused():
    nested = b"l" + struct.pack(">I", protocol.MAX_ITEMS + 1) + b"N" * (protocol.MAX_ITEMS + 1)
    with pytest.raises(ProtocolError):
        protocol.decode(nested)


def test_nesting_is_bounded():
    deep = b"l\0\0\0\x01" * (protocol.MAX_DEPTH + 1) + b"N"
    with pytest.raises(ProtocolError):
        protocol.decode(deep)


@pytest.mark.parametrize("frame", [b"", b"Z", b"s\xff\xff\xff\xff", b"a\xee\x00", b"NN", b"i\0\0"], ids=repr)
def test_a_broken_frame_is_refused(frame):
    with pytest.raises(ProtocolError):
        protocol.decode(frame)


def test_a_frame_header_past_the_limit_is_refused_before_reading():
    with pytest.raises(ProtocolError):
        protocol.read_length(struct.pack(">I", protocol.MAX_FRAME_BYTES + 1))


def test_unencodable_strings_arrive_as_writable_text():
    back = protocol.decode(protocol.encode("bad \udcff byte"))
    back.encode("utf-8")  # no UnicodeEncodeError
    assert back.startswith("bad ")


def test_long_strings_are_cut():
    assert len(protocol.decode(protocol.encode("x" * 10 * protocol.MAX_TEXT))) == protocol.MAX_TEXT
