"""The README's first command, run as a new student runs it.

On the machine's externally managed (PEP 668) Debian system Python, on a
fresh copy of the kit, with ``HOME`` and every cache in a temporary folder
and no uv on ``PATH``: the command must end with the grade table, and the
first hint afterwards must build no environment of its own.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.engine import course
from tests.conftest import ROOT

SYSTEM_PYTHON = Path("/usr/bin/python3")
NETWORK_SETTINGS = {
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "PIP_CERT",
    "REQUESTS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
}
IGNORED = shutil.ignore_patterns(".git", ".nox", ".venv", "build", "dist", "__pycache__", "results.json", ".ridge-lab")


def readme_commands() -> list[str]:
    """The commands of the README's first code block, without their comments."""
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)[1]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def externally_managed_system_python() -> str | None:
    """Why this machine has no externally managed Debian system Python, or None when it has one."""
    if not Path("/etc/debian_version").is_file():
        return "not a Debian or Ubuntu machine"
    if not SYSTEM_PYTHON.is_file():
        return f"no {SYSTEM_PYTHON}"
    if not glob.glob("/usr/lib/python3*/EXTERNALLY-MANAGED"):
        return "the system Python is not marked externally managed (PEP 668)"
    return None


@pytest.fixture()
def student_machine(tmp_path):
    """A fresh copy of the kit and the environment of a student who has nothing but the system Python."""
    kit = tmp_path / "ridge-lab"
    shutil.copytree(ROOT, kit, ignore=IGNORED)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PIP_CACHE_DIR": str(home / ".cache" / "pip"),
        "UV_CACHE_DIR": str(home / ".cache" / "uv"),
        "PIP_CONFIG_FILE": os.devnull,
    }
    # The machine's network settings (certificates, proxies) are not caches: keep them.
    env.update({key: value for key, value in os.environ.items() if key in NETWORK_SETTINGS})
    if shutil.which("uv", path=env["PATH"]):
        pytest.skip("uv is on the system PATH: this machine is not a fresh one")
    return kit, env


def test_the_first_command_is_the_bootstrap():
    first = readme_commands()[0].split()
    assert first[:2] == ["python3", "noxw.py"] and "grade" in first


@pytest.mark.slow
@pytest.mark.skipif(externally_managed_system_python() is not None, reason=str(externally_managed_system_python()))
def test_the_first_command_grades_on_the_debian_system_python(student_machine):
    kit, env = student_machine
    words = readme_commands()[0].split()
    words[0] = str(SYSTEM_PYTHON)
    first = subprocess.run(words, cwd=kit, env=env, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in first.stderr, first.stderr
    table = first.stdout
    assert re.search(r"^\s+Total\s+0 /", table, flags=re.M), first.stdout + first.stderr
    assert "Progress" in table
    module = course.modules()[0]
    hint = subprocess.run(
        [str(SYSTEM_PYTHON), "noxw.py", "-s", "hint", "--", module], cwd=kit, env=env, capture_output=True, text=True, timeout=300
    )
    assert hint.returncode == 0, hint.stdout + hint.stderr
    assert "Creating virtual environment" not in hint.stdout + hint.stderr, "hint built an environment of its own"


def test_without_venv_or_pip_the_student_gets_one_line_naming_the_package(tmp_path):
    """A Debian Python without python3-venv and pip: one line, no traceback."""
    (tmp_path / "lock").mkdir()
    shutil.copy(ROOT / "noxw.py", tmp_path / "noxw.py")
    shutil.copy(ROOT / "lock" / "bootstrap.txt", tmp_path / "lock" / "bootstrap.txt")
    program = (
        "import sys; sys.path.insert(0, sys.argv[1]); import noxw\n"
        "noxw.installer = lambda python: None\n"  # what a Python without uv, pip and ensurepip finds
        "noxw.DEBIAN = True\n"
        "sys.exit(noxw.main(['-s', 'grade']))\n"
    )
    done = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert lines == ["error: this Python cannot create a virtual environment: install it with `sudo apt install python3-venv`"]
