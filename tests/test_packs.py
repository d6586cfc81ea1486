"""Every exercise pack is whole and consistent, and the grading engine names no part of this course."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys

import pytest

from checks.engine import course
from tests.bank import ROOT

ENGINE = ROOT / "checks" / "engine"


@pytest.mark.parametrize("module", course.modules())
def test_pack_is_whole_and_consistent(module):
    assert course.validate(course.pack(module)) == []


def _course_names() -> set[str]:
    """Every exercise module, graded function and parameter name the packs declare."""
    names = set(course.modules())
    for pack in course.packs():
        names |= set(pack.functions)
        names |= {parameter.name for parameters in pack.functions.values() for parameter in parameters}
    return names


def _identifiers_and_strings(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node.value))
            found.add(node.value)
    return found


@pytest.mark.parametrize("path", sorted(ENGINE.rglob("*.py")), ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_module_names_nothing_of_the_course(path):
    # Single letters (X, y, w, b) are too common in prose to police; longer names are not.
    course_names = {name for name in _course_names() if len(name) > 1} | {"Ridge", "ridge"}
    mentioned = _identifiers_and_strings(path) & course_names
    assert not mentioned, f"{path.name} names {sorted(mentioned)}: move it into a pack"


def test_no_literal_list_of_modules_outside_the_packs():
    """Module lists come from checks.engine.course.modules(), never from a literal."""
    modules = course.modules()
    pattern = re.compile(r"[\[(]\s*" + r"\s*,\s*".join(rf"['\"]{re.escape(m)}['\"]" for m in modules[:3]))
    offenders = []
    for path in [*ROOT.glob("*.py"), *(p for d in ("checks", "tools", "tests", "docs/hooks") for p in (ROOT / d).rglob("*.py"))]:
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], f"literal module lists in {offenders}"


def test_missing_pack_piece_is_one_clear_error(tmp_path):
    course_dir = tmp_path / "checks"
    shutil.copytree(ROOT / "checks", course_dir, ignore=shutil.ignore_patterns("__pycache__"))
    first = course.modules()[0]
    (course_dir / "packs" / first / "pack.toml").unlink()
    probe = "from checks.engine import course\ntry:\n    course.packs()\nexcept course.PackError as error:\n    print(error)\n"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == f"pack {first}: pack.toml is missing", out.stderr


def test_a_function_declared_by_two_packs_is_one_clear_error(tmp_path):
    course_dir = tmp_path / "checks"
    shutil.copytree(ROOT / "checks", course_dir, ignore=shutil.ignore_patterns("__pycache__"))
    first, second = course.packs()[:2]
    function = next(iter(first.functions))
    toml = course_dir / "packs" / second.module / "pack.toml"
    toml.write_text(toml.read_text() + f'\n[functions.{function}]\nreturns = "float"\nparameters = []\n')
    probe = "from checks.engine import course\ntry:\n    course.packs()\nexcept course.PackError as error:\n    print(error)\n"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    pair = sorted([first.module, second.module])  # packs are loaded in folder order
    assert out.stdout.strip() == f"packs {pair[0]} and {pair[1]} both declare the function {function}", out.stderr


def test_check_names_and_max_score_are_the_graders(reference_grade):
    """``ExercisePack.check_names()`` (read by Classroom and the site) lists the report's checks, in its order."""
    names = [test["name"] for test in reference_grade.report["tests"]]
    assert names == [f"{pack.module}: {check}" for pack in course.packs() for check in pack.check_names()]
    assert reference_grade.report["max_score"] == sum(pack.max_score for pack in course.packs())


@pytest.mark.parametrize("module", course.modules())
def test_contract_checks_are_generated_not_written(module):
    """The check file holds the module's mathematics; every contract check comes from pack.toml."""
    pack = course.pack(module)
    assert pack.contract, f"{module} declares no contract check"
    assert not set(pack.file_check_names()) & {entry.check for entry in pack.contract}
    assert "contract." not in pack.check_file.read_text().replace("contract.expect_rejected", "")
