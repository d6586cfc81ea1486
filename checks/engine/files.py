"""Small shared pieces of the engine's command-line tools: the usage error and the atomic write."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class UsageError(Exception):
    """Work cannot start; the message becomes the ``error:`` line."""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader sees the old file or the new one, never half of one.

    The data goes to a temporary file in the same folder (the same file
    system), which then replaces ``path`` in one ``os.replace``. A path that
    is a device or a pipe (``--report /dev/null``) is written to as it is:
    replacing it would put a regular file where ``/dev/null`` was.
    """
    path = Path(path)
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        special = False
    if special:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
