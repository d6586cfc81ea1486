"""Hostile code that names its processes, so a test finds exactly what that code started.

Other gradings may run on the machine at the same time (the suite's other
workers, the bank's grader processes), each with processes under the
sandbox's uids; a test that asked whether *any* sandbox process is left
would see theirs. :func:`named` prefixes hostile code with a call that gives
the importing process a name of its own (``prctl(PR_SET_NAME)``, 15
characters at most); every process it forks inherits the name, and
:func:`alive` lists the processes that still carry it.
"""

from __future__ import annotations

import os
import secrets
import textwrap

PR_SET_NAME = 15


def named(code: str) -> tuple[str, str]:
    """``(name, code)``: ``code`` (dedented) run by a process named ``name``, unique to this call."""
    name = f"rl-{secrets.token_hex(5)}"
    prefix = f"import ctypes as _ctypes\n_ctypes.CDLL(None).prctl({PR_SET_NAME}, {name.encode()!r}, 0, 0, 0)\n"
    return name, prefix + textwrap.dedent(code)


def alive(name: str) -> list[int]:
    """The pids of the machine's processes called ``name``, exited ones waiting to be reaped left out."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                command, state = handle.read().split(b"(", 1)[1].rsplit(b")", 1)
        except (OSError, ValueError):
            continue
        if command.decode(errors="replace") == name and state.split()[0] not in (b"Z", b"X"):
            found.append(int(entry))
    return found
