"""Where a grade of record is made (as root), submitted code runs apart from the kit.

Each case appends hostile code to one reference module. Under isolation the
attack must cost the submission that module's checks (or nothing at all),
never hand out marks, and nothing it started may outlive the grading run.
These tests need root (CI runs as root); elsewhere they skip, and the report
says ``"isolation": "none"``.
"""

from __future__ import annotations

import os
import site
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checks.engine import sandbox
from tests.bank import ROOT, build_submission
from tests.conftest import grade

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="isolation by uid needs root (CI runs as root)")

STEAL_THE_REFERENCE = """
import os, pathlib
def _find_kit():
    # The worker's parent is the grader's zygote, started from the kit's own files.
    for entry in [pathlib.Path(f"/proc/{os.getppid()}"), pathlib.Path(f"/proc/{os.getppid()}/task")]:
        try:
            parts = (entry / "cmdline").read_bytes().split(b"\\0")
        except OSError:
            continue
        for part in parts:
            path = pathlib.Path(part.decode(errors="replace"))
            for folder in [path, *path.parents]:
                try:
                    if (folder / "solutions" / "penalty.py").is_file():
                        return folder
                except OSError:
                    pass
    raise RuntimeError("kit not found")
_kit = _find_kit()
_namespace = {}
exec(compile((_kit / "solutions" / "penalty.py").read_text(), "stolen", "exec"), _namespace)
l2_penalty = _namespace["l2_penalty"]
ridge_loss = _namespace["ridge_loss"]
"""

DAEMON = """
import os, time
def _daemon(marker):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(2)
            open(marker, "w").write("survived")
            os._exit(0)
        os._exit(0)
_daemon(MARKER_DAEMON)
if os.fork() == 0:
    os.setpgid(0, 0)
    time.sleep(2)
    open(MARKER_GROUP, "w").write("survived")
    os._exit(0)
"""

PTH = """
import site, pathlib
for _folder in site.getsitepackages():
    try:
        (pathlib.Path(_folder) / "zzz_forged.pth").write_text("import os\\n")
    except OSError:
        pass
"""

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


def _submission(tmp_path: Path, name: str, code: str) -> Path:
    folder = build_submission(None, tmp_path / name)
    path = folder / "penalty.py"
    path.write_text(path.read_text() + "\n" + textwrap.dedent(code))
    return folder


def test_isolation_level_is_uid_as_root(reference_grade):
    assert sandbox.isolation_level() == "uid"
    assert reference_grade.report["extra_data"]["isolation"] == "uid"


def test_submission_cannot_import_the_reference_through_proc(tmp_path):
    graded = grade(_submission(tmp_path, "steal", STEAL_THE_REFERENCE), "--only", "penalty")
    assert graded.report["score"] == 0, graded.stdout
    assert any("could not be imported" in test["output"] for test in graded.report["tests"])


def test_no_process_of_a_submission_outlives_its_module(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir(mode=0o777)
    markers.chmod(0o777)  # writable by the worker's uid, so only death can stop the write
    code = f"MARKER_DAEMON = {str(markers / 'daemon')!r}\nMARKER_GROUP = {str(markers / 'group')!r}\n" + DAEMON
    graded = grade(_submission(tmp_path, "daemon", code), "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"]
    time.sleep(3)
    assert sorted(path.name for path in markers.iterdir()) == []


def test_submission_cannot_write_into_the_grading_environment(tmp_path):
    graded = grade(_submission(tmp_path, "pth", PTH), "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"]
    folders = [Path(folder) for folder in site.getsitepackages()] + [Path(sys.prefix)]
    assert not any((folder / "zzz_forged.pth").exists() for folder in folders)


def test_in_place_change_is_seen_whatever_the_worker_does(tmp_path):
    graded = grade(_submission(tmp_path, "in_place", IN_PLACE), "--only", "penalty")
    failed = {test["name"] for test in graded.failed()}
    assert "penalty: does_not_modify_inputs" in failed


def test_kit_folders_are_closed_to_other_users(reference_grade):
    for name in ("checks", "solutions", "tests"):
        assert (ROOT / name).stat().st_mode & 0o077 == 0, name


def test_importing_the_kit_is_refused_before_running(tmp_path):
    graded = grade(_submission(tmp_path, "import_kit", "from solutions import penalty as _p\n"), "--only", "penalty")
    assert graded.report["score"] == 0
    assert any("must stand alone" in test["output"] for test in graded.report["tests"])


def test_an_isolated_worker_can_import_the_standard_library(tmp_path):
    code = "import colorsys, sched, wave  # honest, if unusual, imports the engine does not preload\n"
    graded = grade(_submission(tmp_path, "stdlib", code), "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"], graded.stdout
