"""The README's first command, run as a new student runs it.

On the machine's externally managed (PEP 668) Debian system Python, on a
fresh copy of the kit, with ``HOME`` and every cache in a temporary folder
and no uv on ``PATH``: the command must end with the grade table, and the
first hint afterwards must build no environment of its own.
"""

import base64
import glob
import hashlib
import os
import re
import shutil
import ssl
import subprocess
import sys
import zipfile
from dataclasses import dataclass
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
    assert f"python3 noxw.py -s hint -- {module}" in table, "the table must name the command that works for this student"
    hint = subprocess.run(
        [str(SYSTEM_PYTHON), "noxw.py", "-s", "hint", "--", module], cwd=kit, env=env, capture_output=True, text=True, timeout=300
    )
    assert hint.returncode == 0, hint.stdout + hint.stderr
    assert "Creating virtual environment" not in hint.stdout + hint.stderr, "hint built an environment of its own"


def _noxw():
    sys.path.insert(0, str(ROOT))
    try:
        import noxw
    finally:
        sys.path.remove(str(ROOT))
    return noxw


def test_nox_learns_the_command_the_student_typed(monkeypatch):
    noxw = _noxw()
    monkeypatch.setattr(sys, "orig_argv", [sys.executable, "-X", "utf8", "noxw.py", "-s", "grade"])
    monkeypatch.setattr(sys, "argv", ["noxw.py", "-s", "grade"])
    typed = noxw.typed_command().split()
    assert typed[1:] == ["-X", "utf8", "noxw.py"]
    assert shutil.which(typed[0]), "the printed command must start with a program the student can run"


def test_a_bare_pytest_in_the_root_runs_the_checks_on_the_exercises():
    """What students and IDEs do: ``pytest`` with no arguments, in the repository root."""
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    nodes = [line for line in collected.stdout.splitlines() if "::" in line]
    assert nodes and all(node.startswith("checks/packs/") for node in nodes), collected.stdout + collected.stderr
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr  # the stubs fail their first check (not a collection error)
    assert "is not implemented yet" in done.stdout, done.stdout


def test_without_venv_or_pip_the_student_gets_one_line_naming_the_package(tmp_path):
    """A Debian Python without python3-venv and pip: one line, no traceback."""
    (tmp_path / "lock").mkdir()
    shutil.copy(ROOT / "noxw.py", tmp_path / "noxw.py")
    shutil.copy(ROOT / "lock" / "bootstrap.txt", tmp_path / "lock" / "bootstrap.txt")
    program = (
        "import sys; sys.path.insert(0, sys.argv[1]); import noxw\n"
        "noxw.installers = lambda python: []\n"  # what a Python without uv, pip and ensurepip finds
        "noxw.DEBIAN = True\n"
        "sys.exit(noxw.main(['-s', 'grade']))\n"
    )
    done = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert lines == ["error: this Python cannot create a virtual environment: install it with `sudo apt install python3-venv`"]


# ------------------------------------------------------------------- any network
# A network that inspects TLS presents certificates signed by a CA that only the
# system trusts. Emulated here: a throwaway CA (openssl), an HTTPS package index on
# 127.0.0.1 signed by it, and the system's CA bundle replaced, in a private mount
# namespace, by the system's bundle plus that CA. The bootstrap must install through it.

PROBE = "ridge-lab-probe"
PROBE_WHEEL = "ridge_lab_probe-1.0-py3-none-any.whl"
CERTIFICATE_SETTINGS = ("SSL_CERT_FILE", "SSL_CERT_DIR", "PIP_CERT", "REQUESTS_CA_BUNDLE", "UV_SYSTEM_CERTS", "UV_NATIVE_TLS")
INDEX_SERVER = """
import functools, http.server, ssl, sys
certificate, key, root = sys.argv[1:4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
handler.log_message = lambda *args: None
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(certificate, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def _openssl(*arguments: str, cwd: Path) -> None:
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True, timeout=60)


def _throwaway_ca_and_server_certificate(folder: Path) -> None:
    """``ca.pem`` (a CA no one trusts) and ``server.pem``/``server.key`` for 127.0.0.1, signed by it."""
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
             "-subj", "/CN=Ridge Lab throwaway test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
             cwd=folder)  # fmt: skip
    (folder / "server.ext").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "1", "-extfile", "server.ext", cwd=folder)  # fmt: skip


def _probe_index(root: Path) -> str:
    """A PEP 503 simple index holding one tiny wheel; returns the wheel's SHA-256."""
    package = root / "simple" / PROBE
    package.mkdir(parents=True)
    contents = {
        "ridge_lab_probe/__init__.py": b"INSTALLED = True\n",
        "ridge_lab_probe-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {PROBE}\nVersion: 1.0\n".encode(),
        "ridge_lab_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }

    def record_line(name: str, data: bytes) -> str:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        return f"{name},sha256={digest},{len(data)}\n"

    record = "".join(record_line(name, data) for name, data in contents.items()) + "ridge_lab_probe-1.0.dist-info/RECORD,,\n"
    with zipfile.ZipFile(package / PROBE_WHEEL, "w") as wheel:
        for name, data in contents.items():
            wheel.writestr(name, data)
        wheel.writestr("ridge_lab_probe-1.0.dist-info/RECORD", record)
    sha256 = hashlib.sha256((package / PROBE_WHEEL).read_bytes()).hexdigest()
    (package / "index.html").write_text(f'<html><body><a href="{PROBE_WHEEL}#sha256={sha256}">{PROBE_WHEEL}</a></body></html>\n')
    (root / "simple" / "index.html").write_text(f'<html><body><a href="{PROBE}/">{PROBE}</a></body></html>\n')
    return sha256


def _private_mounts_work() -> bool:
    try:
        done = subprocess.run(["unshare", "--mount", "--map-root-user", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@dataclass(frozen=True)
class InspectedNetwork:
    """An HTTPS index whose CA only the (emulated) system store trusts, and how to run a command on that system."""

    url: str
    sha256: str
    wrapper: list[str]  # prefix that runs a command with the system store holding the CA
    env: dict[str, str]  # the system's settings a command needs (no certificate settings of its own)
    system_store_only: bool  # False where mount namespaces are refused: SSL_CERT_FILE stands in for the store


@pytest.fixture(scope="module")
def inspected_network(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: it makes the throwaway CA of the TLS-inspection test")
    folder = tmp_path_factory.mktemp("tls")
    _throwaway_ca_and_server_certificate(folder)
    sha256 = _probe_index(folder / "index")
    system_bundle = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")
    existing = system_bundle.read_text() if system_bundle.is_file() else ""
    bundle = folder / "system-bundle.pem"
    bundle.write_text(existing + "\n" + (folder / "ca.pem").read_text())
    env = {key: value for key, value in os.environ.items() if key not in CERTIFICATE_SETTINGS}
    if _private_mounts_work() and system_bundle.is_file():
        mount = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
        wrapper, system_store_only = (
            ["unshare", "--mount", "--map-root-user", "sh", "-c", mount, "sh", str(bundle), str(system_bundle)],
            True,
        )
    else:
        wrapper, system_store_only = [], False
        env["SSL_CERT_FILE"] = str(bundle)
    server = subprocess.Popen(
        [sys.executable, "-c", INDEX_SERVER, str(folder / "server.pem"), str(folder / "server.key"), str(folder / "index")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = server.stdout.readline().strip()
        assert port.isdigit(), "the HTTPS index did not start"
        yield InspectedNetwork(f"https://127.0.0.1:{port}/simple", sha256, wrapper, env, system_store_only)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _kit_pinning_the_probe(folder: Path, sha256: str) -> Path:
    kit = folder / "kit"
    (kit / "lock").mkdir(parents=True)
    shutil.copy(ROOT / "noxw.py", kit / "noxw.py")
    (kit / "lock" / "bootstrap.txt").write_text(f"{PROBE}==1.0 \\\n    --hash=sha256:{sha256}\n")
    return kit


def _offline_student_env(network: InspectedNetwork, home: Path, path: str) -> dict[str, str]:
    env = {key: value for key, value in network.env.items() if key.upper() not in {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}}
    env.update(
        HOME=str(home),
        PATH=path,
        XDG_CACHE_HOME=str(home / ".cache"),
        UV_CACHE_DIR=str(home / ".cache" / "uv"),
        PIP_CACHE_DIR=str(home / ".cache" / "pip"),
        PIP_CONFIG_FILE=os.devnull,
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
        UV_INDEX_URL=network.url,
        PIP_INDEX_URL=network.url,
        NO_PROXY="127.0.0.1",
    )
    return env


def _bootstrap(kit: Path, network: InspectedNetwork, path: str) -> subprocess.CompletedProcess:
    """``noxw.py`` on a fresh kit whose lock pins the probe: it installs, then hands over to a nox that is not there."""
    python = str(SYSTEM_PYTHON) if SYSTEM_PYTHON.is_file() else sys.executable
    env = _offline_student_env(network, kit.parent / "home", path)
    return subprocess.run(
        [*network.wrapper, python, "noxw.py", "--version"], cwd=kit, env=env, capture_output=True, text=True, timeout=300
    )


def _probe_installed(kit: Path) -> bool:
    venv_python = kit / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = subprocess.run([str(venv_python), "-c", "import ridge_lab_probe"], capture_output=True, timeout=60)
    return done.returncode == 0 and (kit / ".venv" / ".ridge-lab-bootstrap").is_file()


def _locked_uv() -> str:
    """The uv of the verify environment (its lock includes the bootstrap group), beside this Python."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.fail("no uv beside this Python or on PATH: the verify environment installs the bootstrap group")
    return uv


def test_uv_on_its_own_roots_refuses_the_inspected_index(inspected_network, tmp_path):
    """The emulation is real: without the switch to the system's store, uv rejects the index's certificate."""
    if not inspected_network.system_store_only:
        pytest.skip("no private mount namespace here: SSL_CERT_FILE stands in for the system store, which uv always reads")
    env = _offline_student_env(inspected_network, tmp_path / "home", os.environ["PATH"])
    target = tmp_path / "target"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True, timeout=120)
    done = subprocess.run(
        [*inspected_network.wrapper, _locked_uv(), "pip", "install", "--python", str(target / "bin" / "python"), PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "UnknownIssuer" in done.stderr, done.stderr


def test_the_bootstrap_installs_with_uv_through_an_index_only_the_system_trusts(inspected_network, tmp_path):
    kit = _kit_pinning_the_probe(tmp_path, inspected_network.sha256)
    uv_folder = str(Path(_locked_uv()).parent)
    done = _bootstrap(kit, inspected_network, f"{uv_folder}:/usr/bin:/bin")
    assert not [line for line in done.stderr.splitlines() if line.startswith("error:")], done.stderr
    assert _probe_installed(kit), done.stdout + done.stderr


def test_pip_takes_over_when_uv_fails(inspected_network, tmp_path):
    """A uv that cannot connect (here: one that always fails as it would) leaves the install to pip."""
    kit = _kit_pinning_the_probe(tmp_path, inspected_network.sha256)
    failing = tmp_path / "failing-uv"
    failing.mkdir()
    (failing / "uv").write_text("#!/bin/sh\necho 'error: invalid peer certificate: UnknownIssuer' >&2\nexit 2\n")
    (failing / "uv").chmod(0o755)
    done = _bootstrap(kit, inspected_network, f"{failing}:/usr/bin:/bin")
    assert not [line for line in done.stderr.splitlines() if line.startswith("error:")], done.stderr
    assert _probe_installed(kit), done.stdout + done.stderr


def test_uv_is_told_to_trust_the_system_store_unless_the_user_chose():
    noxw = _noxw()
    chosen = {"UV_NATIVE_TLS": "0"}
    noxw.trust_system_certificates(chosen)
    assert chosen == {"UV_NATIVE_TLS": "0"}
    fresh: dict[str, str] = {}
    noxw.trust_system_certificates(fresh)
    assert fresh == (dict.fromkeys(noxw.UV_SYSTEM_CERTIFICATES, "1") if noxw.system_has_certificates() else {})
