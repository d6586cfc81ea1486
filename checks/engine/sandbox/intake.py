"""Taking a submission in: regular files only, never following a link, copied by content, size-capped.

Every grading path (the single folder, bulk, the Gradescope runtime) reads a
submission only through ``read_regular_file`` and ``stage``: a path a student
named is opened with ``O_NOFOLLOW | O_NONBLOCK``, checked to be a regular file
on the open descriptor (so a link, a FIFO or ``/dev/zero`` is refused, and
nothing can be swapped in between the check and the read), and read with a
bound. Root never changes the owner or mode of anything a student named: it
writes fresh files of its own.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

MAX_FILE_BYTES = 4 * 2**20  # one submitted file
MAX_FILES = 64  # top-level *.py files taken from one submission


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link) of at most ``limit`` bytes, else None."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(handle)


def python_files(folder: Path) -> dict[str, bytes]:
    """``{name: bytes}`` of the top-level ``*.py`` regular files of ``folder`` (links and oversized files left out)."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".py"))
    except OSError:
        return {}
    files = {}
    for name in names[:MAX_FILES]:
        data = read_regular_file(Path(folder) / name)
        if data is not None:
            files[name] = data
    return files


class StagedSubmission:
    """A private copy of a submission's top-level ``*.py`` files, removed by ``remove``.

    The copy lives in a folder of this process's user inside a fresh folder of
    mode ``0711``: a worker's unprivileged uid can read the files (a jail binds
    the folder in read-only; without a jail the worker is given its path), but
    no other process can list the random name that leads there. Nothing in it
    is writable by a worker, so removing it is one flat ``rmtree``.
    """

    def __init__(self, folder: Path, prefix: str):
        self.source = Path(folder)
        self._root = Path(tempfile.mkdtemp(prefix=f"{prefix}-staged-"))
        self._root.chmod(0o711)
        self.folder = self._root / secrets.token_hex(16)
        self.folder.mkdir(mode=0o755)
        self.folder.chmod(0o755)
        for name, data in python_files(self.source).items():
            target = self.folder / name
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)

    def remove(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)  # only files this process wrote, one level deep
