"""Broken and hostile submissions cost only the checks they touch; the grader always reports.

Each case replaces one module of the reference solutions with hostile code;
the other four modules must keep full marks, and the feedback must say what
happened in one clear line.
"""

import json
import textwrap

import pytest

from tests.bank import build_submission
from tests.conftest import grade_all

HANG = """
def l2_penalty(w, lam, n_samples):
    while True:
        pass
"""
EXIT_AT_IMPORT = """
import sys
sys.exit("bye")
"""
EXIT_IN_FUNCTION = """
import sys
def decay_factor(lr, lam, n_samples):
    sys.exit(0)
"""
HARD_EXIT = """
import os
def gradient_step(X, y, w, b, lam, lr):
    os._exit(3)
"""
SEGFAULT = """
import ctypes
def ridge_closed_form(X, y, lam, fit_intercept=True):
    return ctypes.string_at(0)
"""
HUGE_ALLOCATION = """
def ridge_closed_form(X, y, lam, fit_intercept=True):
    return np.ones(50_000_000_000), 0.0
"""
FLOOD_OF_PRINTS = """
import sys
print("x" * 20_000_000)
sys.stderr.write("y" * 1_000_000)
_original = l2_penalty
def l2_penalty(w, lam, n_samples):
    print("z" * 100_000)
    return _original(w, lam, n_samples)
"""
MONKEYPATCH = """
import builtins
import numpy
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
try:
    import pytest, hypothesis
    pytest.fail = lambda *args, **kwargs: None
    hypothesis.given = lambda *args, **kwargs: (lambda f: f)
except ImportError:
    pass
builtins.isinstance = lambda obj, cls: True

def penalty_gradient(w, lam, n_samples):
    return np.zeros(len(w))

def ridge_gradients(X, y, w, b, lam):
    return np.zeros(np.shape(w)), 0.0
"""
FORGED_REPORT = """
import json, os, pathlib
_forged = {"score": 999, "max_score": 999, "tests": []}
_targets = [pathlib.Path("results.json"), pathlib.Path(__file__).with_name("results.json")]
try:
    _parent = pathlib.Path(f"/proc/{os.getppid()}")
    _targets.append(pathlib.Path(os.readlink(_parent / "cwd")) / "results.json")
    _args = (_parent / "cmdline").read_bytes().split(b"\\0")
    if b"--report" in _args:
        _targets.append(pathlib.Path(_args[_args.index(b"--report") + 1].decode()))
except OSError:
    pass
for _target in _targets:
    try:
        _target.write_text(json.dumps(_forged))
    except OSError:
        pass

def decay_factor(lr, lam, n_samples):
    return 1.0
"""
SYNTAX_ERROR = """
def augmented_gradient(Xa, y, theta, lam)
    return 0
"""
ODD_RETURNS = """
class Weird:
    def __reduce__(self):
        import os
        return (os.system, ("echo pwned > /tmp/ridge-lab-pwned",))
    def __repr__(self):
        raise RuntimeError("no repr for you")

def l2_penalty(w, lam, n_samples):
    return Weird()

def ridge_loss(X, y, w, b, lam):
    return (i for i in range(3))
"""

SHORTCUT = """
from sklearn.linear_model import Ridge

def ridge_closed_form(X, y, lam, fit_intercept=True):
    model = Ridge(alpha=lam, fit_intercept=fit_intercept).fit(X, y)
    return model.coef_, float(model.intercept_)
"""

# case: (module replaced, source, whether appended to the reference module, phrase in the feedback)
CASES = {
    "hang": ("penalty", HANG, True, "did not return within"),
    "sys.exit at import": ("gradient", EXIT_AT_IMPORT, False, "could not be imported: SystemExit: bye"),
    "sys.exit in a function": ("decay", EXIT_IN_FUNCTION, True, "called sys.exit"),
    "os._exit": ("bias", HARD_EXIT, True, "ended the process with exit status 3"),
    "segfault": ("closed_form", SEGFAULT, True, "crashed with SIGSEGV"),
    "50 GB allocation": ("closed_form", HUGE_ALLOCATION, True, "MemoryError"),
    "monkeypatching numpy, pytest and builtins": ("gradient", MONKEYPATCH, True, "returned"),
    "forged results.json": ("decay", FORGED_REPORT, True, "decay_factor"),
    "syntax error": ("bias", SYNTAX_ERROR, False, "SyntaxError"),
    "scikit-learn shortcut": (
        "closed_form",
        SHORTCUT,
        True,
        "imports sklearn.linear_model (scikit-learn), which solves the exercise for you",
    ),
    "unpicklable and hostile return values": ("penalty", ODD_RETURNS, True, "which is not a number"),
}


@pytest.fixture(scope="module")
def hostile_grades(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folders = {}
    for case, (module, source, append, _) in CASES.items():
        folder = build_submission(None, base / case.replace(" ", "_"))
        path = folder / f"{module}.py"
        code = textwrap.dedent(source)
        path.write_text(path.read_text() + "\n" + code if append else code)
        folders[case] = folder
    missing = build_submission(None, base / "missing_module")
    (missing / "decay.py").unlink()
    folders["missing module"] = missing
    return grade_all(folders), folders


@pytest.mark.slow
@pytest.mark.parametrize("case", [*CASES, "missing module"])
def test_hostile_submission_costs_only_its_module(hostile_grades, case):
    grades, _ = hostile_grades
    graded = grades[case]
    module, _, _, phrase = CASES.get(case, ("decay", "", False, "decay.py is missing"))
    assert graded.report is not None, graded.stderr
    assert graded.returncode == 1
    assert "Traceback" not in graded.stdout + graded.stderr
    scores = graded.module_scores()
    score, maximum = scores.pop(module)
    assert score < maximum
    assert all(s == m for s, m in scores.values()), [(t["name"], t["output"]) for m in scores for t in graded.failed(m)]
    outputs = [test["output"] for test in graded.failed(module)]
    assert any(phrase in output for output in outputs), outputs


def test_prints_do_not_reach_the_grader_output(hostile_grades):
    grades, _ = hostile_grades
    graded = grades["hang"]
    flood = grades["monkeypatching numpy, pytest and builtins"]
    assert len(graded.stdout) < 20_000 and len(flood.stdout) < 20_000


def test_printing_module_still_gets_full_marks(tmp_path):
    from tests.conftest import grade

    folder = build_submission(None, tmp_path / "prints")
    path = folder / "penalty.py"
    path.write_text(path.read_text() + textwrap.dedent(FLOOD_OF_PRINTS))
    graded = grade(folder, "--only", "penalty")
    assert graded.report["score"] == graded.report["max_score"]
    assert len(graded.stdout) < 20_000


def test_forged_report_is_overwritten_by_the_grader(hostile_grades):
    grades, folders = hostile_grades
    graded = grades["forged results.json"]
    assert graded.report["score"] != 999 and graded.report["tests"]
    forged = folders["forged results.json"] / "results.json"
    if forged.exists():  # the student may litter its own folder, but that is not the report
        assert json.loads(forged.read_text())["score"] == 999


def test_return_values_cannot_run_code_in_the_grader(hostile_grades):
    from pathlib import Path

    assert not Path("/tmp/ridge-lab-pwned").exists()
