"""Small shared pieces of the engine's command-line tools: the usage error and the atomic write."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class UsageError(Exception):
    """Work cannot start; the message becomes the ``error:`` line."""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader sees the old file or the new one, never half of one.

    The data goes to a temporary file in the same folder (the same file
    system), which then replaces ``path`` in one ``os.replace``.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
