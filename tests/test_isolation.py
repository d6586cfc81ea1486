"""Where a grade of record is made (as root), submitted code runs in a jail that sees nothing of the machine.

Each case appends hostile code to one reference module and grades it as root,
the way every grade of record is made. The attack must cost the submission
that module's checks (or nothing at all), never hand out marks, never reach a
file or process outside the jail, and nothing it started may outlive its
module. These tests need root and bubblewrap (``.ci/run`` installs it); the
report's ``extra_data.isolation`` says ``"jail"``.
"""

from __future__ import annotations

import os
import site
import stat
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checks.engine import report, sandbox
from checks.engine.sandbox import jail
from tests.bank import ROOT, build_submission
from tests.conftest import grade
from tests.named_processes import alive, named

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or jail.bwrap() is None, reason="the jail needs root and bubblewrap (CI runs as root and installs it)"
)


def _submission(tmp_path: Path, name: str, code: str, module: str = "penalty") -> Path:
    folder = build_submission(None, tmp_path / name)
    path = folder / f"{module}.py"
    path.write_text(path.read_text() + "\n" + textwrap.dedent(code))
    return folder


def test_grades_of_record_run_in_a_jail(reference_grade):
    assert sandbox.isolation_level() == "jail"
    assert reference_grade.report["extra_data"]["isolation"] == "jail"


READ_THE_MACHINE = """
import os
_SEEN = [
    what
    for what, seen in (
        ("another process", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()) != [1, os.getppid(), os.getpid()]),
        ("the kit", os.path.exists(@KIT@)),
        ("another copy of the course", os.path.exists(@OTHER@)),
        ("a host file", os.path.exists("/etc/passwd") or os.path.exists(@HOST_FILE@)),
    )
    if seen
]
_reference = l2_penalty
def l2_penalty(w, lam, n_samples):
    if _SEEN:
        raise RuntimeError(f"the worker saw {_SEEN}")
    return _reference(w, lam, n_samples)
"""


def test_the_worker_sees_no_other_process_and_no_file_of_the_machine(tmp_path):
    other_copy = tmp_path / "instructors-copy" / "solutions"
    other_copy.mkdir(parents=True)
    (other_copy / "penalty.py").write_text("# world-readable\n")
    os.chmod(tmp_path, 0o755)
    host_file = tmp_path / "on-the-host.txt"
    host_file.write_text("only the grader's machine has this\n")
    code = READ_THE_MACHINE.replace("@KIT@", repr(str(ROOT / "solutions"))).replace("@OTHER@", repr(str(other_copy)))
    graded = grade(_submission(tmp_path, "reader", code.replace("@HOST_FILE@", repr(str(host_file)))), "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"], graded.stdout


def test_a_linked_file_gives_nothing_away_and_changes_nothing(tmp_path):
    secret = tmp_path / "root-only.txt"
    secret.write_text("secret")
    secret.chmod(0o600)
    folder = build_submission(None, tmp_path / "links")
    (folder / "penalty.py").unlink()
    (folder / "penalty.py").symlink_to(secret)
    (folder / "gradient.py").unlink()
    (folder / "gradient.py").symlink_to("/dev/zero")
    before = secret.stat()
    started = time.monotonic()
    graded = grade(folder, "--only", "penalty")
    assert time.monotonic() - started < 60
    assert graded.report["score"] == 0
    assert all("missing" in test["output"] for test in graded.report["tests"])
    after = secret.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (before.st_uid, before.st_gid, 0o600)
    assert secret.read_text() == "secret"


def test_a_device_file_is_never_read(tmp_path):
    folder = build_submission(None, tmp_path / "device")
    (folder / "penalty.py").unlink()
    os.mknod(folder / "penalty.py", 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
    graded = grade(folder, "--only", "penalty", timeout=120)
    assert graded.report is not None and graded.report["score"] == 0


LEAVE_BEHIND = """
import os, mmap, ctypes
def _leave():
    for folder in ("/tmp", "/dev/shm"):
        with open(os.path.join(folder, "left-behind"), "wb") as handle:
            handle.write(b"x" * 1_000_000)
    libc = ctypes.CDLL(None)
    libc.shmget(0x52494447, 1 << 20, 0o1000 | 0o666)  # IPC_CREAT: System V memory, attached to nothing
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            import time
            time.sleep(600)
        os._exit(0)
_leave()
"""

NOTICE_LEFTOVERS = """
import os
_reference = penalty_gradient
def penalty_gradient(w, lam, n_samples):
    alive = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())]
    files = [path for path in ("/tmp/left-behind", "/dev/shm/left-behind") if os.path.exists(path)]
    with open("/proc/sysvipc/shm") as table:
        shared = [line for line in table.readlines()[1:] if line.split()[0] == str(0x52494447)]
    if alive or files or shared:
        return _reference(w, lam, n_samples) * 0  # the last module's leftovers reached this one
    return _reference(w, lam, n_samples)
"""


def test_nothing_a_module_makes_outlives_it(tmp_path):
    name, code = named(LEAVE_BEHIND)
    folder = _submission(tmp_path, "leftovers", code)
    path = folder / "gradient.py"
    path.write_text(path.read_text() + "\n" + textwrap.dedent(NOTICE_LEFTOVERS))
    shm_before = Path("/proc/sysvipc/shm").read_text()
    graded = grade(folder, "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"], graded.stdout
    both = grade(folder)
    assert both.module_scores()["gradient"][0] == both.module_scores()["gradient"][1], both.stdout
    assert alive(name) == []
    assert not any(Path(where, "left-behind").exists() for where in ("/tmp", "/dev/shm", "/var/tmp"))
    assert Path("/proc/sysvipc/shm").read_text() == shm_before


BURN_IN_CHILDREN = """
import os, time
def l2_penalty(w, lam, n_samples):
    for _ in range(3):
        if os.fork() == 0:
            while True:
                pass
    time.sleep(1000)
"""


def test_cpu_used_by_children_counts_against_the_call(tmp_path):
    name, code = named(BURN_IN_CHILDREN)
    started = time.monotonic()
    graded = grade(_submission(tmp_path, "children", code), "--only", "penalty")
    elapsed = time.monotonic() - started
    assert any("did not return within" in test["output"] for test in graded.report["tests"]), graded.stdout
    # The waiting parent uses no CPU: counting only it, the call would run to the wall-clock cap (4 × 5 s).
    assert elapsed < 19, elapsed
    assert alive(name) == []


DEEP_FOLDERS = """
import os
def _dig():
    os.chdir("/tmp")
    for _ in range(3000):
        os.mkdir("d")
        os.chdir("d")
_dig()
"""


def test_deep_folders_cost_nothing_but_the_module(tmp_path):
    name, code = named(DEEP_FOLDERS)
    graded = grade(_submission(tmp_path, "deep", code))
    assert graded.report is not None, graded.stderr
    scores = graded.module_scores()
    assert all(score == maximum for score, maximum in scores.values()), graded.stdout
    assert alive(name) == []


PTH = """
import site, pathlib
for _folder in site.getsitepackages():
    try:
        (pathlib.Path(_folder) / "zzz_forged.pth").write_text("import os\\n")
    except OSError:
        pass
"""


def test_submission_cannot_write_into_the_grading_environment(tmp_path):
    graded = grade(_submission(tmp_path, "pth", PTH), "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"]
    folders = [Path(folder) for folder in site.getsitepackages()] + [Path(sys.prefix)]
    assert not any((folder / "zzz_forged.pth").exists() for folder in folders)


IN_PLACE = """
import numpy as _np
_reference = l2_penalty
def l2_penalty(w, lam, n_samples):
    answer = _reference(w, lam, n_samples)
    if isinstance(w, _np.ndarray):
        w[:] = 0.0
    import sys
    frame = sys._getframe(1)
    for name in list(frame.f_locals):
        if name == "before":
            frame.f_locals[name] = None
    return answer
"""


def test_in_place_change_is_seen_whatever_the_worker_does(tmp_path):
    graded = grade(_submission(tmp_path, "in_place", IN_PLACE), "--only", "penalty")
    failed = {test["name"] for test in graded.failed()}
    assert "penalty: does_not_modify_inputs" in failed


def test_grading_leaves_the_checkout_as_it_was(reference_grade):
    modes = {entry.name: stat.S_IMODE(entry.stat().st_mode) for entry in ROOT.iterdir() if entry.is_dir()}
    grade(ROOT / "solutions", "--only", "penalty")
    assert {entry.name: stat.S_IMODE(entry.stat().st_mode) for entry in ROOT.iterdir() if entry.is_dir()} == modes


def test_importing_the_kit_is_refused_before_running(tmp_path):
    graded = grade(_submission(tmp_path, "import_kit", "from solutions import penalty as _p\n"), "--only", "penalty")
    assert graded.report["score"] == 0
    assert any("must stand alone" in test["output"] for test in graded.report["tests"])


def test_a_worker_can_import_the_standard_library(tmp_path):
    code = "import colorsys, sched, wave  # honest, if unusual, imports\n"
    graded = grade(_submission(tmp_path, "stdlib", code), "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"], graded.stdout


UNENCODABLE = """
_reference = l2_penalty
def l2_penalty(w, lam, n_samples):
    raise ValueError("lam \\udcff is bad" + "\\ud800" * 10_000)
"""


def test_an_unencodable_message_still_gives_a_report(tmp_path):
    graded = grade(_submission(tmp_path, "unencodable", UNENCODABLE), "--only", "penalty")
    assert graded.report is not None, graded.stderr
    assert graded.report["score"] < graded.report["max_score"]
    assert all(len(test["output"]) <= report.MAX_OUTPUT_CHARS for test in graded.report["tests"])


DAEMON = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
"""


def test_without_a_jail_workers_run_under_a_uid_and_no_process_outlives_them(tmp_path):
    name, code = named(DAEMON)
    graded = grade(_submission(tmp_path, "uid-fallback", code), "--only", "penalty", env={"GRADER_ISOLATION": "uid"})
    assert graded.report["extra_data"]["isolation"] == "uid"
    assert graded.report["score"] == graded.report["max_score"], graded.stdout
    assert alive(name) == []


FORGED_REPLY = """
import os, struct
_reference = l2_penalty
def l2_penalty(w, lam, n_samples):
    # A frame that declares 160 million float32 values (640 MB) in a few bytes, written into every pipe this process holds.
    payload = b"a" + bytes((11, 2)) + struct.pack(">II", 40000, 4000) + b"\\0" * 64
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">I", len(payload)) + payload)
        except OSError:
            pass
    return _reference(w, lam, n_samples)
"""


def test_a_forged_reply_costs_the_module_and_never_the_graders_memory(tmp_path):
    import resource

    graded = grade(_submission(tmp_path, "forged", FORGED_REPLY), "--only", "penalty")
    assert graded.report["score"] < graded.report["max_score"]
    assert any("broke the connection" in test["output"] or "crashed" in test["output"] for test in graded.report["tests"])
    # The largest process this test session ever waited for (the grader included) stayed below the 640 MB declared plus a grader (1 GiB).
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 2**20  # KiB: under 1 GiB
