"""Accessibility of the course site (WCAG 2.1 AA), checked in Debian's Chromium.

axe-core (from its npm package, see the ``axe_source`` fixture) runs with the
rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa on every page, in the light
and the dark palette, and finds nothing. On the lessons it runs a second time
with every quiz answered, so the feedback boxes are checked too. Widgets and
quizzes work from the keyboard alone, every figure has a text alternative that
describes it, and MathJax leaves assistive MathML for screen readers.
"""

from __future__ import annotations

import json
import re

import pytest

from test_site_browser import LESSONS, PAGES, wait_for_math

PALETTES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\\s+/g, " ")),
  }));
}"""

# Answer every quiz: the even ones wrongly, the odd ones rightly, so that both
# kinds of feedback are on the page when axe looks at it.
ANSWER_QUIZZES = r"""() => {
  document.querySelectorAll("article div.quiz").forEach((quiz, k) => {
    const right = k % 2 === 1;
    const submit = quiz.querySelector("button.quiz-button:not(.quiz-reset-button)");
    const blank = quiz.querySelector("input.quiz-blank-input");
    if (blank) { blank.value = right ? blank.dataset.answer : "not the answer"; submit.click(); return; }
    const inputs = Array.from(quiz.querySelectorAll('fieldset input[name="answer"]'));
    const pick = inputs.filter(i => (i.dataset.correct === "true") === right);
    if (inputs[0].type === "checkbox") { pick.forEach(i => i.click()); submit.click(); } else { pick[0].click(); }
  });
}"""


def wait_until_ready(page) -> None:
    """Math typeset and every widget drawn."""
    wait_for_math(page)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.ridge-widget')).every(w => w.dataset.ready === 'true')",
        timeout=10_000,
    )


def axe_violations(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:8])
                     for v in violations)


@pytest.fixture(scope="module")
def axe_counts(screenshots):
    """Violations found per palette, written to build/screenshots/axe.json for the record."""
    counts: dict[str, dict[str, int]] = {palette: {} for palette in PALETTES}
    yield counts
    (screenshots / "axe.json").write_text(json.dumps(counts, indent=2, sort_keys=True))
    for palette, pages in counts.items():
        if pages:
            print(f"\naxe ({', '.join(WCAG_TAGS)}), {palette} palette: "
                  f"{sum(pages.values())} violations on {len(pages)} page states")


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_violations(chromium, site_url, axe_source, axe_counts, path, palette):
    """axe finds no WCAG 2.1 A/AA violation on the page, with quizzes unanswered and answered."""
    from conftest import PageWatch

    tab = PageWatch(chromium, site_url, color_scheme=palette)
    try:
        tab.goto(path)
        page = tab.page
        wait_until_ready(page)
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == PALETTES[palette], f"the {palette} palette was not chosen ({scheme})"
        violations = axe_violations(page, axe_source)
        axe_counts[palette][path or "/"] = sum(len(v["nodes"]) for v in violations)
        assert not violations, f"{path or '/'} ({palette}):\n" + _describe(violations)
        if path in LESSONS:
            page.evaluate(ANSWER_QUIZZES)
            violations = axe_violations(page, axe_source)
            axe_counts[palette][(path or "/") + " (quizzes answered)"] = sum(len(v["nodes"]) for v in violations)
            assert not violations, f"{path} ({palette}, quizzes answered):\n" + _describe(violations)
        tab.assert_clean()
    finally:
        tab.close()
