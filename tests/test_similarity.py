"""Copied code is flagged in the class report: pasted oracles against the kit, copies between classmates."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.engine import course, report
from checks.engine.bulk import classreport, outputs, shards, similarity
from tests.conftest import ROOT
from tools.sample_class import _copy_reference

pytest.importorskip("copydetect", reason="copydetect is in the bulk dependency group, which nox -s verify installs")

MODULES = course.modules()
LOOPS = ROOT / "tests" / "alternatives" / "loops"
ORACLES = {"penalty": "checks/packs/shared/exact.py", "shrinkage": "checks/packs/shrinkage/oracle.py"}


def _loops(folder: Path) -> Path:
    """tests/alternatives/loops/ as one student hands it in: its helpers inlined into each of the six files."""
    helpers = (LOOPS / "_checks.py").read_text().replace("from __future__ import annotations\n", "")
    folder.mkdir(parents=True)
    for module in MODULES:
        lines = (LOOPS / f"{module}.py").read_text().splitlines()
        (folder / f"{module}.py").write_text(
            "\n".join(helpers if line.startswith("from _checks import") else line for line in lines)
        )
    return folder


def _renamed(source: Path, folder: Path) -> Path:
    """A copy of ``source`` with its local names renamed, its comments reworded and its layout changed."""
    shutil.copytree(source, folder)
    for path in folder.glob("*.py"):
        text = path.read_text()
        for old, new in (("total", "accumulated"), ("weight", "coefficient"), ("row", "sample_row"), ("squared", "sq_sum")):
            text = re.sub(rf"\b{old}\b", new, text)
        path.write_text("# my own work\n" + text.replace("\n\n\n", "\n\n\n\n"))
    return folder


def _document(student: str, folder: Path) -> dict:
    tokens = similarity.submission_tokens(folder)
    return {"score": 0, "max_score": 0, "tests": [], "extra_data": {"student": student, similarity.REPORT_KEY: tokens}}


def _release_kit() -> list[Path]:
    """The kit files of a student release: no solutions/."""
    solutions = course.KIT_ROOT / course.course()["solutions"]
    return [path for path in similarity.kit_files() if solutions not in path.parents]


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> dict[str, dict]:
    """The reference and the loops submission, written independently, as two students."""
    base = tmp_path_factory.mktemp("honest")
    return {
        "reference": _document("reference", _copy_reference(base / "reference", "reference")),
        "loops": _document("loops", _loops(base / "loops")),
    }


def _in_clusters(findings: similarity.Findings) -> set[str]:
    return {student for cluster in findings.clusters for student in cluster.students}


def test_honest_independent_submissions_are_not_flagged(honest):
    findings = similarity.find(list(honest.values()), kit=_release_kit())
    assert findings.compared == 2
    assert findings.kit == []
    assert findings.clusters == []


def test_with_the_reference_in_the_checkout_only_the_reference_matches_it(honest):
    findings = similarity.find(list(honest.values()))
    assert {match.students for match in findings.kit} == {("reference",)}
    assert all(match.kit_file.startswith(f"{course.course()['solutions']}/") for match in findings.kit)
    assert findings.clusters == []


def test_the_threshold_lies_well_above_what_honest_files_share(honest, monkeypatch):
    """Every share of the honest pair, also against the oracles, with no threshold: all well under FLAG_SHARE."""
    flag_share = similarity.FLAG_SHARE
    for name, value in (("FLAG_SHARE", 0.0), ("MIN_TOKENS", 0), ("COMMON_FILES", 2)):
        monkeypatch.setattr(similarity, name, value)
    findings = similarity.find(list(honest.values()), kit=_release_kit())
    shares = [max(link[2], link[3]) for cluster in findings.clusters for link in cluster.links]
    shares += [max(match.share, match.kit_share) for match in findings.kit]
    assert len(shares) >= len(MODULES)
    assert max(shares) < 0.6 * flag_share


def test_two_submissions_copied_from_each_other_are_named_as_a_pair(honest, tmp_path):
    alice = _loops(tmp_path / "alice")
    bob = _renamed(alice, tmp_path / "bob")
    # bob rewrote one of penalty.py's two functions: a near copy, no longer the same tokens
    penalty = (bob / "penalty.py").read_text()
    (bob / "penalty.py").write_text(
        penalty.replace("return lam * accumulated / n_samples", "return float(lam) * accumulated / n_samples")
    )
    documents = [_document("alice", alice), _document("bob", bob), honest["reference"]]
    findings = similarity.find(documents, kit=_release_kit())
    assert {cluster.file for cluster in findings.clusters} == {f"{module}.py" for module in MODULES}
    assert _in_clusters(findings) == {"alice", "bob"}
    by_file = {cluster.file: cluster for cluster in findings.clusters}
    assert by_file["gradient.py"].groups == (("alice", "bob"),)  # renaming changes no token
    near = by_file["penalty.py"]
    assert sorted(near.groups) == [("alice",), ("bob",)] and len(near.links) == 1
    assert min(near.links[0][2:]) >= 0.9
    section = classreport.similarity_section(documents)
    assert "the same tokens: alice, bob" in section
    assert re.search(r"<li>(alice and bob|bob and alice): \d+ % of the first's file is in the second's", section)


def test_a_submission_that_pastes_an_oracle_is_flagged_against_the_kit(honest, tmp_path):
    cheat = _loops(tmp_path / "cheat")
    for module, oracle in ORACLES.items():
        own = (cheat / f"{module}.py").read_text()
        (cheat / f"{module}.py").write_text(own + "\n\n" + (ROOT / oracle).read_text())
    findings = similarity.find([_document("cheat", cheat), honest["reference"]], kit=_release_kit())
    flagged = {(match.students, match.file, match.kit_file) for match in findings.kit}
    assert flagged == {(("cheat",), f"{module}.py", oracle) for module, oracle in ORACLES.items()}
    assert all(match.kit_share >= 0.9 for match in findings.kit)
    section = classreport.similarity_section([_document("cheat", cheat)])
    assert "<code>checks/packs/shared/exact.py</code>" in section


def test_the_section_is_the_same_whatever_the_order_of_reports_and_the_process(honest, tmp_path):
    alice = _loops(tmp_path / "alice")
    documents = [_document("alice", alice), _document("bob", _renamed(alice, tmp_path / "bob")), honest["reference"]]
    section = classreport.similarity_section(documents)
    assert "alice" in section
    shuffled = documents[:]
    random.Random(1).shuffle(shuffled)
    assert classreport.similarity_section(shuffled) == section
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    script = (
        "import json, sys; from checks.engine.bulk import classreport;"
        f" print(classreport.similarity_section(json.load(open({str(tmp_path / 'documents.json')!r}))), end='')"
    )
    for seed in ("1", "2"):  # copydetect hashes with Python's salted hash
        completed = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env={"PYTHONHASHSEED": seed, "PATH": ""}, capture_output=True, text=True
        )
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout == section


def test_reports_without_tokens_are_named_and_nothing_is_compared_without_copydetect(honest, monkeypatch):
    old = {"score": 0, "max_score": 0, "tests": [], "extra_data": {"student": "old"}}
    section = classreport.similarity_section([old, *honest.values()])
    assert "Not compared (1): old." in section
    assert "2 submissions compared" in section

    def missing():
        raise similarity.SimilarityUnavailable("copydetect is not installed")

    monkeypatch.setattr(similarity, "_copydetect", missing)
    assert classreport.similarity_section(list(honest.values())) == "<p>Not compared: copydetect is not installed.</p>"
    assert similarity.submission_tokens(LOOPS) is None


def test_submission_tokens_are_copydetects_filtered_text_of_each_exercise_file():
    tokens = similarity.submission_tokens(LOOPS)
    assert sorted(tokens) == sorted(f"{module}.py" for module in MODULES)
    assert "l2_penalty" not in tokens["penalty.py"]  # names are V / F
    assert "defF(V,V,V):" in tokens["penalty.py"]  # layout and comments gone


@pytest.mark.slow
def test_grade_all_keeps_the_tokens_and_its_class_report_names_the_copies(honest, tmp_path):
    submissions = tmp_path / "submissions"
    alice = _loops(submissions / "alice")
    _renamed(alice, submissions / "bob")
    _copy_reference(submissions / "carol", "carol")
    completed = subprocess.run(
        [sys.executable, "-m", "checks.engine.bulk", str(submissions), "--out", str(tmp_path / "out"), "--jobs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = json.loads((tmp_path / "out" / "reports" / "bob.json").read_text())
    assert report["extra_data"][similarity.REPORT_KEY] == similarity.submission_tokens(submissions / "bob")
    page = (tmp_path / "out" / "report.html").read_text()
    section = page.split('id="similarity"', 1)[1].split("<h2", 1)[0]
    assert "the same tokens: alice, bob" in section
    assert "carol" in section  # the reference matches solutions/
    assert "code_tokens" not in page.split('id="environment"', 1)[1]


def test_a_merge_of_shards_flags_copies_graded_on_different_machines(honest, tmp_path):
    alice = _loops(tmp_path / "alice")
    documents = [_document("alice", alice), _document("bob", _renamed(alice, tmp_path / "bob")), honest["reference"]]
    for document in documents:
        document["extra_data"] |= {"submission": document["extra_data"]["student"], "files_sha256": {}}
    halves = [tmp_path / "shard-1", tmp_path / "shard-2"]
    for index, document in enumerate(documents):  # alice and bob in different shards
        folder = halves[index % 2] / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        report.write_json(folder / f"{document['extra_data']['student']}.json", document)
    shards.merge(halves, tmp_path / "merged")
    (tmp_path / "one").mkdir()
    outputs.write_all(tmp_path / "one", sorted(documents, key=lambda d: d["extra_data"]["student"]), {}, "total")
    merged = (tmp_path / "merged" / "report.html").read_text()
    assert merged == (tmp_path / "one" / "report.html").read_text()
    assert "the same tokens: alice, bob" in merged
