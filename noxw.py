"""Run nox without installing it anywhere: ``python3 noxw.py -s grade`` (Windows: ``py noxw.py -s grade``).

The first run creates ``.venv/`` beside this file and installs the versions
of nox and uv pinned (with hashes) in ``lock/bootstrap.txt``; every run then
hands its arguments to that nox. Nothing is installed into the Python that
runs this file, so it works where ``pip install`` is refused: the system
Python of Debian and Ubuntu and Homebrew's (PEP 668, "externally managed").

The packages are installed by the first tool that works: ``uv`` on PATH,
this Python's own ``pip`` (told to install into ``.venv``), or ``ensurepip``
and the new environment's pip. Where none is available the run stops with
one line naming what to install. uv (here and in every nox session) is told
to trust the certificates the system trusts, as pip does, so that the first
command also works on networks that inspect TLS; should uv fail all the
same, pip takes over. nox gets ``GRADER_NOX_COMMAND``, the command this file
was started with, so that the commands the grader prints work for the
student. Standard library only; delete ``.venv/`` to start over.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shlex
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "lock" / "bootstrap.txt"
STAMP = VENV / ".ridge-lab-bootstrap"
MINIMUM_PYTHON = (3, 11)
DEBIAN = Path("/etc/debian_version").exists()  # Debian and Ubuntu ship venv's installer as python3-venv
# uv's switch to the system's certificate store: UV_SYSTEM_CERTS in the locked uv (0.13.9), UV_NATIVE_TLS in older ones (0.13.9 still reads it).
UV_SYSTEM_CERTIFICATES = ("UV_SYSTEM_CERTS", "UV_NATIVE_TLS")
NOX_COMMAND_VARIABLE = "GRADER_NOX_COMMAND"  # read by checks/engine/report.py


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


def system_has_certificates() -> bool:
    """Whether the system offers a certificate store (always on Windows and macOS; on Linux, a CA file or folder)."""
    if os.name == "nt" or sys.platform == "darwin":
        return True
    paths = ssl.get_default_verify_paths()
    candidates = [os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"), paths.cafile, paths.capath]
    return any(candidate and Path(candidate).exists() for candidate in candidates)


def trust_system_certificates(environ=os.environ) -> None:
    """Make uv trust what the system trusts, as pip does, unless the user chose otherwise.

    uv checks servers against its own copy of the Mozilla roots by default, so
    behind a proxy that inspects TLS (whose CA only the system trusts) it
    stops with ``invalid peer certificate: UnknownIssuer`` where pip works.
    Set in this process's environment, the switch reaches the uv of every
    nox session too. Where the system has no store, uv keeps its own roots.
    """
    if any(name in environ for name in UV_SYSTEM_CERTIFICATES) or not system_has_certificates():
        return
    for name in UV_SYSTEM_CERTIFICATES:
        environ[name] = "1"


def typed_command() -> str:
    """The command line that started this file, without its arguments (``python3 noxw.py``)."""
    words = sys.orig_argv[: len(sys.orig_argv) - len(sys.argv) + 1] or ["python3", Path(__file__).name]
    if shutil.which(Path(words[0]).name):  # launchers (pyenv, py) hand on a full path the student never typed
        words[0] = Path(words[0]).name
    return subprocess.list2cmdline(words) if os.name == "nt" else shlex.join(words)


def installers(python: Path) -> list[list[list[str]]]:
    """Ways to install the lock into ``python``'s environment, best first; each is a list of commands."""
    lock = ["--disable-pip-version-check", "--require-hashes", "-r", str(LOCK)]
    plans = []
    uv = shutil.which("uv")
    if uv:
        # --compile-bytecode: as pip does by default; without it, where PYTHONDONTWRITEBYTECODE
        # is set, every nox command would compile nox and its dependencies again (0.3 s of each).
        plans.append([[uv, "pip", "install", "--python", str(python), "--compile-bytecode", "--require-hashes", "-r", str(LOCK)]])
    if _host_pip_works():
        plans.append([[sys.executable, "-m", "pip", "--python", str(python), "install", *lock]])
    elif importlib.util.find_spec("ensurepip") is not None:
        plans.append([[str(python), "-m", "ensurepip", "--default-pip"], [str(python), "-m", "pip", "install", *lock]])
    return plans


def _run_plan(plan: list[list[str]]) -> str | None:
    """Run the commands of one plan; None when all succeed, else the one line to show."""
    for command in plan:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            if "ensurepip" in command:
                return missing_venv_message()
            lines = [line.strip() for line in done.stderr.splitlines() if line.strip() and not line.strip().startswith("hint:")]
            return f"installing nox into {VENV.name}/ failed: {(lines or ['no message'])[-1]} (see README.md, Troubleshooting)"
    return None


def create() -> None:
    """Create ``.venv`` and install the locked nox and uv into it."""
    import venv

    print(f"Setting up {VENV.name}/ with nox (once; delete {VENV.name}/ to start over)...", file=sys.stderr, flush=True)
    try:
        venv.EnvBuilder(with_pip=False, clear=True, symlinks=os.name != "nt").create(VENV)
    except OSError as error:
        raise BootstrapError(f"could not create {VENV}: {error}") from None
    plans = installers(venv_python())
    if not plans:
        raise BootstrapError(missing_venv_message())
    for plan in plans:  # uv first; pip where uv cannot (e.g. a certificate only pip's configuration trusts)
        failure = _run_plan(plan)
        if failure is None:
            STAMP.write_text(wanted_stamp())
            return
    raise BootstrapError(failure)


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM_PYTHON:
        print(
            f"error: Ridge Lab needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; this is {sys.version.split()[0]}",
            file=sys.stderr,
        )
        return 2
    trust_system_certificates()
    os.environ[NOX_COMMAND_VARIABLE] = typed_command()
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
