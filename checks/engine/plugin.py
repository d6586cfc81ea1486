"""Pytest set-up for grading: the Hypothesis profile and the submission fixtures.

``python -m checks.engine.grade`` runs this suite in-process with ``--submission DIR``.
Each check takes the fixture named after its module: a ``StudentModule`` proxy whose functions run in a sandboxed
worker process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from checks.engine import course, sandbox
from checks.engine.sandbox import StudentModule
from checks.engine.shortcuts import shortcut

# Grading must give the same score on every run and machine: examples derive
# from each check's source (derandomize), nothing is replayed from a database,
# and no check is failed for being slow (the sandbox enforces time limits).
settings.register_profile(
    "grading",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=10,
    print_blob=False,
    report_multiple_bugs=False,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)
# Explicit examples only (``GRADER_EXPLICIT_ONLY=1``): the kit's own tests use
# it to prove that every known mistake is caught whatever Hypothesis generates.
settings.register_profile("explicit-only", parent=settings.get_profile("grading"), phases=(Phase.explicit,))
settings.load_profile("explicit-only" if os.environ.get("GRADER_EXPLICIT_ONLY") == "1" else "grading")

# Hypothesis (6.131+) also draws constants found in the source of every local
# module imported so far. Which modules those are depends on how grading was
# started (the CLI, watch mode, bulk grading), so the same check could draw
# different examples; keep the pool to Hypothesis' built-in constants.
try:
    from hypothesis.internal.conjecture import providers as _providers

    _providers._get_local_constants = lambda: _providers._local_constants  # never filled: empty
except (ImportError, AttributeError):  # an older Hypothesis has no such pool
    pass


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--submission", default="exercises", help="folder holding the exercise modules")
    parser.addoption("--spin-seconds", type=float, default=0.002, help="how long to poll for a reply before sleeping")


class Submission:
    """The modules of one submission folder, run in the sandbox (one module's workers at a time)."""

    def __init__(self, folder: Path, spin_seconds: float):
        self.sandbox = sandbox.Submission(folder, spin_seconds=spin_seconds)
        self._modules: dict[str, StudentModule] = {}

    def module(self, name: str) -> StudentModule:
        if name not in self._modules:
            refusal = shortcut(self.sandbox.file(f"{name}.py"))
            self._modules[name] = self.sandbox.module(name, refusal)
        return self._modules[name]

    def close(self) -> None:
        self.sandbox.close()


def pytest_configure(config: pytest.Config) -> None:
    submission = Submission(Path(config.getoption("--submission")), config.getoption("--spin-seconds"))
    submission.sandbox.warm_up()  # its interpreter imports NumPy while pytest collects the checks
    config.stash[_SUBMISSION] = submission


def pytest_unconfigure(config: pytest.Config) -> None:
    config.stash[_SUBMISSION].close()


_SUBMISSION = pytest.StashKey[Submission]()


def _module_fixture(name: str):
    @pytest.fixture(scope="session", name=name)
    def fixture(request: pytest.FixtureRequest) -> StudentModule:
        return request.config.stash[_SUBMISSION].module(name)

    return fixture


# One session-scoped fixture per exercise module, named after it.
for _name in course.modules():
    globals()[f"_fixture_{_name}"] = _module_fixture(_name)
