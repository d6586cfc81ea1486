"""The course site's build: strict, offline, generated from the kit's own sources.

These tests need MkDocs (the 'docs' dependency group) but no browser.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest

from checks.engine import course

ROOT = course.KIT_ROOT
META = [
    {
        "module": pack.module,
        "title": pack.title,
        "lesson": pack.lesson,
        "summary": pack.summary,
        "points_per_check": pack.points_per_check,
        "hints": list(pack.hints),
    }
    for pack in course.packs()
]
MATHJAX = ROOT / "docs" / "javascripts" / "mathjax"


def _text(page: Path) -> str:
    """The visible-ish text of a built page: tags stripped, entities decoded."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def test_lesson_pages_named_by_the_metadata_exist():
    for ex in META:
        assert (ROOT / "docs" / ex["lesson"].split("#")[0]).is_file(), ex["lesson"]


@pytest.mark.parametrize("ex", META, ids=[e["module"] for e in META])
def test_exercise_page_is_generated_from_the_sources(built_site, ex):
    module = ex["module"]
    assert not (ROOT / "docs" / "exercises" / f"{module}.md").exists(), "exercise pages must not be hand-written"
    text = _text(built_site / "exercises" / module / "index.html")
    assert ex["title"] in text
    assert " ".join(ex["summary"].split()) in text
    for hint in ex["hints"]:
        assert " ".join(hint.split()) in text
    assert f"nox -s grade -- --only {module}" in text
    pack = course.pack(module)
    n = len(pack.check_names())  # as the grader counts them: the file's checks and the generated contract checks
    assert f"Points: {pack.max_score} ({n} checks" in text
    stub = ROOT / "exercises" / f"{module}.py"
    if stub.is_file():
        for node in ast.parse(stub.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                assert re.search(rf"def\s*{node.name}\s*\(", text), node.name
    # Hints are collapsible admonitions (<details>), closed by default.
    raw = (built_site / "exercises" / module / "index.html").read_text(encoding="utf-8")
    assert raw.count('<details class="tip"') == len(ex["hints"])


def test_lessons_link_their_exercises(built_site):
    for ex in META:
        lesson = ex["lesson"].split("#")[0].removesuffix(".md")
        raw = (built_site / lesson / "index.html").read_text(encoding="utf-8")
        assert f'href="../../exercises/{ex["module"]}/"' in raw, lesson


def test_no_reference_to_anything_outside_the_site(built_site):
    """No script, style sheet, font, image or frame is loaded from another host."""
    offenders = []
    tag = re.compile(r"<(script|link|img|iframe|source|video|audio)\b[^>]*?\b(src|href)=\"(https?:)?//", re.I)
    for page in built_site.rglob("*.html"):
        for m in tag.finditer(page.read_text(encoding="utf-8")):
            if re.search(r'rel="(canonical|alternate)"', m.group(0)):
                continue  # metadata for search engines, never fetched by the page
            offenders.append(f"{page.relative_to(built_site)}: {m.group(0)}")
    for sheet in built_site.rglob("*.css"):
        for m in re.finditer(r"url\(\s*['\"]?(https?:)?//[^)]*\)", sheet.read_text(encoding="utf-8")):
            offenders.append(f"{sheet.relative_to(built_site)}: {m.group(0)}")
    assert not offenders, "\n".join(offenders[:20])
    # and the config keeps Material from calling the GitHub API
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^repo_url:", config, re.M)
    assert re.search(r"^\s+font: false", config, re.M)


def test_mathjax_is_vendored_with_fonts_and_extensions():
    assert (MATHJAX / "tex-chtml.js").stat().st_size > 500_000
    assert list((MATHJAX / "output" / "chtml" / "fonts" / "woff-v2").glob("MathJax_Main-Regular.woff"))
    for extension in ("boldsymbol.js", "color.js", "cancel.js"):
        assert (MATHJAX / "input" / "tex" / "extensions" / extension).is_file(), extension


def test_figures_are_written_into_the_site_only(built_site):
    figures = sorted(p.name for p in (built_site / "figures").glob("*.svg"))
    assert figures == sorted(
        ["decay-l1-l2.svg", "forgotten-n.svg", "geometry.svg", "ridge-trace.svg", "shrinkage-factors.svg", "validation-curve.svg"]
    )
    assert not list((ROOT / "docs").rglob("*.svg")), "figures must not be written into docs/"


def test_build_without_solutions_degrades_quietly(site_without_solutions):
    """The student release has no solutions/: strict build passes, figures skipped (INFO)."""
    build = site_without_solutions
    log = build.process.stdout + build.process.stderr
    assert build.process.returncode == 0, log
    assert re.search(rf"INFO\s+-\s+figures: .*{build.solutions.name} not found", log), log
    assert "WARNING" not in log
    assert not (build.site / "figures").exists()
    text = _text(build.site / "lessons" / "weight-decay" / "index.html")
    assert "Figure not built" in text and "Interactive widget not built" in text


def test_missing_solutions_is_an_error_when_required(site_requiring_missing_solutions):
    build = site_requiring_missing_solutions
    assert build.process.returncode != 0
    assert f"{build.solutions.name} not found" in build.process.stdout + build.process.stderr
