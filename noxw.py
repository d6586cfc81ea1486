"""Run nox without installing it anywhere: ``python3 noxw.py -s grade`` (Windows: ``py noxw.py -s grade``).

The first run creates ``.venv/`` beside this file and installs the versions
of nox and uv pinned (with hashes) in ``lock/bootstrap.txt``; every run then
hands its arguments to that nox. Nothing is installed into the Python that
runs this file, so it works where ``pip install`` is refused: the system
Python of Debian and Ubuntu and Homebrew's (PEP 668, "externally managed").

The packages are installed by the first tool found: ``uv`` on PATH, this
Python's own ``pip`` (told to install into ``.venv``), or ``ensurepip``.
Where none is available the run stops with one line naming what to install.
Standard library only; delete ``.venv/`` to start over.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "lock" / "bootstrap.txt"
STAMP = VENV / ".ridge-lab-bootstrap"
MINIMUM_PYTHON = (3, 11)
DEBIAN = Path("/etc/debian_version").exists()  # Debian and Ubuntu ship venv's installer as python3-venv


class BootstrapError(Exception):
    """A prerequisite is missing; the message is the one line the student sees."""


def venv_python(venv: Path = VENV) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted_stamp() -> str:
    return f"{sys.version_info[:2]} {hashlib.sha256(LOCK.read_bytes()).hexdigest()}"


def ready() -> bool:
    return venv_python().is_file() and STAMP.is_file() and STAMP.read_text() == wanted_stamp()


def missing_venv_message() -> str:
    if DEBIAN:
        return "this Python cannot create a virtual environment: install it with `sudo apt install python3-venv`"
    return "this Python cannot create a virtual environment (its venv and ensurepip modules are missing): install a python.org Python 3.11+"


def _host_pip_works() -> bool:
    """Whether this Python's pip can install into another environment (``pip --python``, pip 22.3+)."""
    if importlib.util.find_spec("pip") is None:
        return False
    done = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True)
    try:
        major, minor = (int(part) for part in done.stdout.split()[1].split(".")[:2])
    except (IndexError, ValueError):
        return False
    return done.returncode == 0 and (major, minor) >= (22, 3)


def installer(python: Path) -> list[list[str]] | None:
    """The commands that install the lock into ``python``'s environment, by the best tool available; None if none is."""
    lock = ["--disable-pip-version-check", "--require-hashes", "-r", str(LOCK)]
    uv = shutil.which("uv")
    if uv:
        return [[uv, "pip", "install", "--python", str(python), "--require-hashes", "-r", str(LOCK)]]
    if _host_pip_works():
        return [[sys.executable, "-m", "pip", "--python", str(python), "install", *lock]]
    if importlib.util.find_spec("ensurepip") is not None:
        return [[str(python), "-m", "ensurepip", "--default-pip"], [str(python), "-m", "pip", "install", *lock]]
    return None


def create() -> None:
    """Create ``.venv`` and install the locked nox and uv into it."""
    import venv

    print(f"Setting up {VENV.name}/ with nox (once; delete {VENV.name}/ to start over)...", file=sys.stderr, flush=True)
    try:
        venv.EnvBuilder(with_pip=False, clear=True, symlinks=os.name != "nt").create(VENV)
    except OSError as error:
        raise BootstrapError(f"could not create {VENV}: {error}") from None
    commands = installer(venv_python())
    if commands is None:
        raise BootstrapError(missing_venv_message())
    for command in commands:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            if "ensurepip" in command:
                raise BootstrapError(missing_venv_message())
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise BootstrapError(f"installing nox into {VENV.name}/ failed: {last}")
    STAMP.write_text(wanted_stamp())


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM_PYTHON:
        print(
            f"error: Ridge Lab needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; this is {sys.version.split()[0]}",
            file=sys.stderr,
        )
        return 2
    try:
        if not ready():
            create()
    except BootstrapError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    command = [str(venv_python()), "-m", "nox", *argv]
    os.chdir(ROOT)
    if os.name == "nt":  # no exec on Windows: wait and pass the status on
        return subprocess.run(command).returncode
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
