"""Shared fixtures for the instructor-tool tests (release, Classroom, Gradescope, bulk grading).

Import the fixtures into a test module (``from tests.instructor import release_folder``);
each is built once per session.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tools import release
from tools.sample_class import make_student


@pytest.fixture(scope="session")
def release_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "ridge-lab-student.zip"
    release.build(out)
    return out


@pytest.fixture(scope="session")
def release_folder(release_zip, tmp_path_factory) -> Path:
    """The release, unpacked: ``<tmp>/ridge-lab``."""
    base = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(release_zip) as archive:
        archive.extractall(base)
    return base / release.PREFIX


@pytest.fixture(scope="session")
def correct_submission(tmp_path_factory) -> Path:
    """The reference solutions as a student would submit them: five self-contained files."""
    return make_student("correct", tmp_path_factory.mktemp("correct"), "alice")
