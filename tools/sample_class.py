"""A synthetic class of submissions, for the bulk-grading benchmark and tests.

``make_class(folder, n)`` writes ``n`` students into ``folder``: correct
submissions (the reference with a student-specific comment, so no two are
byte-identical), wrong ones (mistake-bank entries), partial ones (some
modules still stubs), broken and hostile ones (a hang, a syntax error, an
empty zip, a zip bomb, ``../`` paths, edited checks), as folders and zips.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

from checks.engine import course

ROOT = course.KIT_ROOT
STUBS = course.exercises_folder_name()
MODULES = course.modules()

HANG = """

def l2_penalty(w, lam, n_samples):
    while True:
        pass
"""
SYNTAX_ERROR = "\n\ndef decay_factor(lr, lam, n_samples)\n    return 1\n"
FORGED_CHECK = '''"""An edited check that passes everything."""

def test_everything():
    assert True
'''


def _validation_inline() -> str:
    source = (ROOT / "solutions" / "_validation.py").read_text()
    return source.replace("from __future__ import annotations\n", "")


def self_contained(folder: Path, tag: str) -> Path:
    """Make the reference-based modules in ``folder`` stand alone (a submission is only the five files)."""
    helpers = _validation_inline()
    for module in MODULES:
        path = folder / f"{module}.py"
        lines = [helpers if line.startswith("from _validation import") else line for line in path.read_text().splitlines()]
        path.write_text(f"# submitted by {tag}\n" + "\n".join(lines) + "\n")
    (folder / "_validation.py").unlink(missing_ok=True)
    shutil.rmtree(folder / "__pycache__", ignore_errors=True)
    return folder


def _copy_reference(destination: Path, tag: str) -> Path:
    destination.mkdir(parents=True)
    for module in MODULES:
        shutil.copy(ROOT / "solutions" / f"{module}.py", destination / f"{module}.py")
    return self_contained(destination, tag)


def _append(folder: Path, module: str, code: str) -> None:
    path = folder / f"{module}.py"
    path.write_text(path.read_text() + "\n" + code + "\n")


def _zip_folder(folder: Path, archive: Path, prefix: str = "") -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                handle.write(path, prefix + path.relative_to(folder).as_posix())
    shutil.rmtree(folder)


def zip_bomb(archive: Path) -> None:
    """A zip whose penalty.py inflates to 256 MiB from about 1 MB, plus members with ``../`` and absolute paths."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as handle:
        with handle.open("penalty.py", "w", force_zip64=True) as stream:
            chunk = b"#" * 2**20
            for _ in range(256):
                stream.write(chunk)
        handle.writestr("../../escaped.py", "print('escaped')\n")
        handle.writestr("/tmp/ridge-lab-absolute.py", "print('absolute')\n")


def make_student(kind: str, folder: Path, name: str) -> Path:
    """Write one student of ``kind`` into ``folder``; return the path written."""
    target = folder / name
    if kind == "correct":
        _copy_reference(target, name)
    elif kind == "correct-zip":  # nested in a repository-like layout, with the student's own (edited) checks
        staging = folder / f".{name}-staging"
        _copy_reference(staging / "ridge-lab" / STUBS, name)
        (staging / "ridge-lab" / "checks").mkdir()
        (staging / "ridge-lab" / "checks" / "test_penalty.py").write_text(FORGED_CHECK)
        _zip_folder(staging, folder / f"{name}.zip")
        return folder / f"{name}.zip"
    elif kind.startswith("mistake:"):
        sys.path.insert(0, str(ROOT))
        from tests import bank

        index = int(kind.split(":")[1])
        entries = bank.read_entries(ROOT / "tests" / "mistakes", "mistake")
        bank.build_submission(entries[index % len(entries)], target)
        self_contained(target, name)
    elif kind == "partial":
        _copy_reference(target, name)
        for module in MODULES[2:]:
            shutil.copy(ROOT / STUBS / f"{module}.py", target / f"{module}.py")
    elif kind == "stubs":
        shutil.copytree(ROOT / STUBS, target, ignore=shutil.ignore_patterns("__pycache__"))
    elif kind == "hang":
        _copy_reference(target, name)
        _append(target, "penalty", HANG)
    elif kind == "syntax-error":
        _copy_reference(target, name)
        _append(target, "decay", SYNTAX_ERROR)
    elif kind == "tampered":  # stubs plus checks edited to pass everything
        shutil.copytree(ROOT / STUBS, target / STUBS, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "checks", target / "checks", ignore=shutil.ignore_patterns("__pycache__"))
        for module in MODULES:
            (target / "checks" / f"test_{module}.py").write_text(FORGED_CHECK)
    elif kind == "empty-zip":
        zipfile.ZipFile(folder / f"{name}.zip", "w").close()
        return folder / f"{name}.zip"
    elif kind == "not-a-zip":
        (folder / f"{name}.zip").write_bytes(b"this is not a zip file\n" * 10)
        return folder / f"{name}.zip"
    elif kind == "zip-bomb":
        zip_bomb(folder / f"{name}.zip")
        return folder / f"{name}.zip"
    else:
        raise ValueError(kind)
    return target


def class_mix(n: int) -> list[str]:
    """The kinds of ``n`` students: about 40 % correct, 30 % wrong, 10 % partial, 20 % broken or hostile."""
    hostile = ["hang", "syntax-error", "tampered", "stubs", "empty-zip", "not-a-zip", "zip-bomb", "correct-zip"]
    kinds = []
    for index in range(n):
        slot = index % 10
        if slot < 4:
            kinds.append("correct")
        elif slot < 7:
            kinds.append(f"mistake:{index}")
        elif slot == 7:
            kinds.append("partial")
        else:
            kinds.append(hostile[(index // 10 * 2 + slot - 8) % len(hostile)])
    return kinds


def make_class(folder: Path, n: int) -> dict[str, str]:
    """Write ``n`` students into ``folder``; return ``{student: kind}``."""
    folder.mkdir(parents=True, exist_ok=True)
    students = {}
    for index, kind in enumerate(class_mix(n)):
        name = f"student{index:03d}"
        make_student(kind, folder, name)
        students[name] = kind
    return students
