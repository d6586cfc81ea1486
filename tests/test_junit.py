"""``--junit FILE``: the results as JUnit XML for other CI systems."""

import xml.etree.ElementTree as ET

from checks.engine.junit import junit_xml
from checks.engine.report import CheckResult
from tests.conftest import ROOT, grade


def test_junit_report_lists_every_check_with_its_feedback(tmp_path):
    path = tmp_path / "junit.xml"
    graded = grade(ROOT / "exercises", "--only", "decay", "--junit", str(path))
    root = ET.parse(path).getroot()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["decay"]
    cases = suites[0].findall("testcase")
    assert len(cases) == len(graded.report["tests"]) == int(root.get("tests")) == int(root.get("failures"))
    for case, test in zip(cases, graded.report["tests"]):
        assert f"decay: {case.get('name')}" == test["name"]
        assert case.find("failure").text == test["output"]
    properties = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert properties["checks_sha256"] == graded.report["extra_data"]["checks_sha256"]
    assert properties["score"] == "0"


def test_passed_checks_have_no_failure():
    results = [CheckResult("penalty", "ok", True, "passed", 1), CheckResult("penalty", "bad", False, "wrong\x00\x1b[31m", 1)]
    root = ET.fromstring(junit_xml(results, seconds=0.5))  # control characters must not break the XML
    cases = root.find("testsuite").findall("testcase")
    assert cases[0].find("failure") is None and cases[1].find("failure") is not None
    assert root.get("failures") == "1"


def test_an_unwritable_junit_path_is_a_usage_error():
    graded = grade(ROOT / "exercises", "--junit", "/proc/forbidden/junit.xml")
    assert graded.returncode == 2 and graded.stderr.startswith("error: cannot write")
