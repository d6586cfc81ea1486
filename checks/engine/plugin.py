"""Pytest set-up for grading: the Hypothesis settings, the generated contract checks and the submission fixtures.

``python -m checks.engine.grade`` runs this suite in-process, giving it the submission as a plugin (a
``Submission``, started before pytest) and, for a grade of record, ``--grading-seed N``; ``--explicit-only`` runs
the checks' explicit examples alone. Run by pytest itself, it grades ``--submission DIR``. Each check takes the
fixture named after its module (the contract checks take ``graded_module``): a proxy of the submitted module whose
functions run in a sandboxed worker process.

What a check draws:

* without a seed (a student's own run), each check draws from a seed derived from its name alone: the same
  submission gets the same report on every run and machine;
* with a seed (a grade of record), each check draws from its own seed, derived from the grading seed and the
  check's name: the same seed gives the same report, and nothing a student saw at home can be memorised.

Nothing computed, nothing earned: a check passes only if it received at least one answer from the module and every
answer equals the oracle's (the pack's ``CORRECT``) on its call, so no property can be satisfied by constants.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from checks.engine import contract, course, diagnosis, sandbox
from checks.engine.feedback import CheckFailed, describe_call, show
from checks.engine.sandbox import StudentModule
from checks.engine.shortcuts import shortcut

# No example is replayed from a database and no check is failed for being
# slow (the sandbox enforces time limits). Each check the grader runs gets
# its own seed below, which takes precedence over derandomize.
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
settings.load_profile("grading")

# Hypothesis (6.131+) also draws constants found in the source of every local
# module imported so far. Which modules those are depends on how grading was
# started (the CLI, --only, watch mode, bulk grading), so the same check could
# draw different examples; keep the pool to Hypothesis' built-in constants.
try:
    from hypothesis.internal.conjecture import providers as _providers

    _NO_LOCAL_CONSTANTS = type(_providers._local_constants)()  # empty, even if some draw filled the pool before
    _providers._get_local_constants = lambda: _NO_LOCAL_CONSTANTS
except (ImportError, AttributeError, TypeError):  # an older Hypothesis has no such pool
    pass


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--submission", default=course.exercises_folder_name(), help="folder holding the exercise modules")
    parser.addoption(
        "--spin-seconds", type=float, default=None, help="how long to poll for a reply before sleeping (default: the sandbox's)"
    )
    parser.addoption("--grading-seed", type=int, default=None, help="draw generated examples from this seed")
    parser.addoption("--explicit-only", action="store_true", help="run the checks' explicit examples alone")


class AnsweringModule:
    """A submitted module as the checks see it: a ``StudentModule`` that remembers the answers of the current check.

    Calls with keyword arguments are not remembered (no check makes them).
    """

    def __init__(self, module: StudentModule, pack: course.ExercisePack):
        self._module = module
        self._pack = pack
        self.answers: list[tuple[str, tuple, object]] = []

    def __getattr__(self, name: str):
        if name in self._pack.functions:
            return lambda *args, **kwargs: self.outcome(name, *args, **kwargs).value
        return getattr(self._module, name)

    def outcome(self, function: str, *args, echo_arguments: bool = False, **kwargs):
        result = self._module.outcome(function, *args, echo_arguments=echo_arguments, **kwargs)
        if not kwargs:
            self.answers.append((function, args, result.value))
        return result

    def wrong_answer(self) -> str | None:
        """Why the current check may not pass (an answer that is not the oracle's, or none at all), or None."""
        answered = False
        for function, args, value in self.answers:
            try:
                correct = contract.is_correct(self._pack, function, args, value)
            except (ValueError, ArithmeticError):  # not a valid call: the oracle has no answer
                continue
            answered = True
            if not correct:
                expected = contract.oracle_answer(self._pack, function, args)
                known = diagnosis.diagnose(self, function)
                return (
                    f"{describe_call(function, *args)} returned {show(value)}; the correct answer is {show(expected)}.\n"
                    "This check tests a property of correct answers: every answer it receives must be correct."
                    + (f"\nDiagnosis: {known}" if known else "")
                )
        return None if answered else "no valid call of this check gave an answer, so it cannot pass."


class Submission:
    """The modules of one submission, run in its sandbox (one module's workers at a time)."""

    def __init__(self, started: sandbox.Submission):
        self.sandbox = started
        self._modules: dict[str, AnsweringModule] = {}

    def module(self, name: str) -> AnsweringModule:
        if name not in self._modules:
            refusal = shortcut(self.sandbox.file(f"{name}.py"))
            self._modules[name] = AnsweringModule(self.sandbox.module(name, refusal), course.pack(name))
        return self._modules[name]

    def close(self) -> None:
        self.sandbox.close()


_run = {"seed": None}  # this process's current grading run


def grading_seed() -> int | None:
    """The seed of the grading run in progress (None: a student's own run), for generators that draw from NumPy."""
    return _run["seed"]


def pytest_configure(config: pytest.Config) -> None:
    """Take the ``Submission`` given as a plugin (``runner.run_checks`` starts it early), else start one and own it."""
    given = [plugin for plugin in config.pluginmanager.get_plugins() if isinstance(plugin, Submission)]
    if given:
        config.stash[_SUBMISSION] = given[0]
    else:
        started = sandbox.Submission(Path(config.getoption("--submission")), spin_seconds=config.getoption("--spin-seconds"))
        started.warm_up()  # its interpreter imports NumPy while pytest collects the checks
        config.stash[_SUBMISSION] = config.stash[_STARTED_HERE] = Submission(started)
    _run["seed"] = config.getoption("--grading-seed")


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Add the pack's generated contract checks to its check file, after the checks written there."""
    if not isinstance(collector, pytest.Module):
        return
    module = course.module_of_check_file(collector.path)
    if module not in course.modules():
        return
    namespace = collector.obj
    for name, check in contract.generated_checks(course.pack(module)).items():
        if name not in vars(namespace):  # a second grading in this process finds them already there
            setattr(namespace, name, check)


def check_seed(grading_seed: int | None, nodeid: str) -> int:
    """The seed of one check under ``grading_seed`` (None: a student's own run): independent of which other checks run."""
    run = "local" if grading_seed is None else grading_seed
    return int.from_bytes(hashlib.sha256(f"{run}:{nodeid}".encode()).digest()[:16], "big")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every Hypothesis check this run's seed and phases (check functions outlive a run in one process)."""
    seed, explicit_only = config.getoption("--grading-seed"), config.getoption("--explicit-only")
    for item in items:
        test = getattr(item, "obj", None)
        if not getattr(test, "is_hypothesis_test", False):
            continue
        declared = test.__dict__.setdefault("_grading_declared_settings", test._hypothesis_internal_use_settings)
        phases = (Phase.explicit,) if explicit_only else declared.phases
        # Hypothesis reads these attributes when the test runs (hypothesis.seed sets the same seed one).
        test._hypothesis_internal_use_settings = settings(declared, phases=phases)
        test._hypothesis_internal_use_seed = check_seed(seed, item.nodeid)
        # Without a key Hypothesis re-reads and tokenizes the check's source on
        # every run (about a tenth of a grading) for a database there is none of.
        test._hypothesis_internal_database_key = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    diagnosis.start_check()
    name = course.module_of_check_file(item.path)
    if name in course.modules():
        item.config.stash[_SUBMISSION].module(name).answers.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    name = course.module_of_check_file(item.path)
    if name in course.modules():
        why = item.config.stash[_SUBMISSION].module(name).wrong_answer()
        if why is not None:
            raise CheckFailed(why)
    return result


def pytest_unconfigure(config: pytest.Config) -> None:
    started_here = config.stash.get(_STARTED_HERE, None)
    if started_here is not None:  # a given submission is closed by whoever started it
        started_here.close()
    _run["seed"] = None


_SUBMISSION = pytest.StashKey[Submission]()
_STARTED_HERE = pytest.StashKey[Submission]()


def _module_fixture(name: str):
    @pytest.fixture(scope="session", name=name)
    def fixture(request: pytest.FixtureRequest) -> AnsweringModule:
        return request.config.stash[_SUBMISSION].module(name)

    return fixture


# One session-scoped fixture per exercise module, named after it.
for _name in course.modules():
    globals()[f"_fixture_{_name}"] = _module_fixture(_name)


@pytest.fixture(name="graded_module")
def _graded_module(request: pytest.FixtureRequest) -> AnsweringModule:
    """The submitted module whose check file holds the requesting check (the generated contract checks use it)."""
    return request.config.stash[_SUBMISSION].module(course.module_of_check_file(request.node.path))
