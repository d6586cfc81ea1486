"""The report as JUnit XML (``--junit FILE``), for CI systems other than Gradescope and Classroom.

One ``<testsuite>`` per module, one ``<testcase>`` per check (``classname``
``<course>.<module>``, ``name`` the check), a ``<failure>`` holding the
feedback for each failed check; the suite-level ``<properties>`` carry the
score, the kit version and the checks' SHA-256, as the JSON report does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from checks.engine import course, report
from checks.engine.report import CheckResult

# Characters XML 1.0 cannot hold (a student's output may contain them).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _INVALID_XML.sub("\N{REPLACEMENT CHARACTER}", value)


def junit_xml(results: list[CheckResult], *, seconds: float) -> str:
    document = report.gradescope(results, seconds=seconds)
    root = ET.Element(
        "testsuites",
        name=course.name(),
        tests=str(len(results)),
        failures=str(sum(not r.passed for r in results)),
        errors="0",
        time=f"{seconds:.3f}",
    )
    for module, (score, maximum) in report.module_totals(results).items():
        checks = [r for r in results if r.module == module]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=module,
            tests=str(len(checks)),
            failures=str(sum(not r.passed for r in checks)),
            errors="0",
            skipped="0",
            time="0",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("score", score),
            ("max_score", maximum),
            ("kit_version", document["extra_data"]["kit_version"]),
            ("checks_sha256", document["extra_data"]["checks_sha256"]),
        ):
            ET.SubElement(properties, "property", name=name, value=str(value))
        for result in checks:
            case = ET.SubElement(
                suite, "testcase", classname=f"{course.slug().replace('-', '_')}.{module}", name=result.check, time="0"
            )
            if not result.passed:
                first_line = result.feedback.splitlines()[0] if result.feedback else "failed"
                failure = ET.SubElement(case, "failure", message=_text(first_line), type="CheckFailed")
                failure.text = _text(result.feedback)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: Path, results: list[CheckResult], *, seconds: float) -> None:
    """Write atomically, like the JSON report."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(junit_xml(results, seconds=seconds), encoding="utf-8")
    temporary.replace(path)
