"""The grading environment: what runs here, what the lock pins, and whether they differ.

The same submission gets the same verdicts only under the same NumPy, pytest
and Hypothesis. ``lock/grade.txt`` (exported from ``uv.lock`` by
``nox -s lock``) pins them for every grading path; this module reads it, so
that a report can record the environment that produced it and the grader can
say when a student's environment is not the locked one.

Reads only the lock file and installed package metadata: cheap enough to call
on every grading run, and course-agnostic.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
import re
from pathlib import Path

from checks.engine.course import KIT_ROOT

LOCK_FILE = KIT_ROOT / "lock" / "grade.txt"
# The packages whose versions can change a verdict (the grader's own stack).
GRADING_PACKAGES = ("numpy", "pytest", "hypothesis")

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]*))?")


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def python_version() -> str:
    return platform.python_version()


def package_version(name: str) -> str | None:
    """The installed version of ``name``, or None when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def numpy_version() -> str | None:
    return package_version("numpy")


def pytest_version() -> str | None:
    return package_version("pytest")


def hypothesis_version() -> str | None:
    return package_version("hypothesis")


def running_versions() -> dict[str, str | None]:
    """``{package: installed version}`` for ``GRADING_PACKAGES``."""
    return {name: package_version(name) for name in GRADING_PACKAGES}


def lock_sha256(path: Path = LOCK_FILE) -> str | None:
    """SHA-256 of the lock file, or None when there is none (e.g. a partial copy of the kit)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _applies(marker: str | None) -> bool:
    """Whether a requirement's environment marker holds here (true when it cannot be evaluated)."""
    if not marker or not marker.strip():
        return True
    try:
        from packaging.markers import Marker  # a dependency of pytest, so present wherever grading runs
    except ImportError:
        return True
    return Marker(marker.strip()).evaluate()


@functools.cache
def _locked(path: Path) -> dict[str, str]:
    """``{package: version}`` the lock at ``path`` pins here, for ``GRADING_PACKAGES``."""
    pins: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return pins
    for line in lines:
        match = _PIN.match(line.strip())
        name = _normalize(match["name"]) if match else None
        # Markers are evaluated only where they matter (packaging takes ~20 ms to import).
        if name in GRADING_PACKAGES and _applies(match["marker"]):
            pins.setdefault(name, match["version"])
    return pins


def locked_versions(path: Path = LOCK_FILE) -> dict[str, str]:
    """``{package: locked version}`` for ``GRADING_PACKAGES`` that the lock pins for this platform."""
    pins = _locked(path)
    return {name: pins[name] for name in GRADING_PACKAGES if name in pins}


def differences(path: Path = LOCK_FILE) -> list[tuple[str, str | None, str]]:
    """``(package, running version, locked version)`` for every package that is not the locked one."""
    running = running_versions()
    return [(name, running[name], locked) for name, locked in locked_versions(path).items() if running[name] != locked]


def drift_warning(path: Path = LOCK_FILE) -> str | None:
    """One line saying how this environment differs from the locked one, or None when it does not.

    No lock file (a partial copy of the kit) is no difference: there is nothing to compare with.
    """
    found = differences(path)
    if not found:
        return None
    versions = ", ".join(f"{name} {running or 'not installed'}, locked {locked}" for name, running, locked in found)
    return f"your environment differs from the grading environment: {versions}; scores may differ"


def extra_data(path: Path = LOCK_FILE) -> dict[str, str | None]:
    """What a report records about the environment that produced it."""
    return {"python": python_version(), **running_versions(), "lock_sha256": lock_sha256(path)}
