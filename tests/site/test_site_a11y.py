"""Accessibility of the course site (WCAG 2.1 AA), checked in Debian's Chromium.

axe-core (from its npm package, see the ``axe_source`` fixture) runs with the
rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa on every page, in the light
and the dark palette, and finds nothing. On the lessons it runs again with
every quiz answered, so the feedback boxes are checked too. The page is loaded
once: the palette is switched with Material's own toggle, as a reader does;
the system setting choosing the palette is a test of its own. Widgets and
quizzes work from the keyboard alone, every figure has a text alternative that
describes it, and MathJax leaves assistive MathML for screen readers.
"""

from __future__ import annotations

import json
import re

import pytest
from test_site_browser import LESSONS, PAGES, PALETTE_TOGGLE, wait_for_math

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
    """Math typeset, every widget drawn, and no CSS transition under way (mid-fade colours are not the page's)."""
    wait_for_math(page)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.ridge-widget')).every(w => w.dataset.ready === 'true')",
        timeout=10_000,
    )
    wait_until_still(page)


def wait_until_still(page) -> None:
    """No CSS transition under way: a scroll (answering a quiz) fades Material's header title in over ~0.4 s."""
    page.wait_for_timeout(100)  # a transition a scroll triggers starts a frame or two later
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running' || !isFinite(a.effect.getComputedTiming().endTime))",
        timeout=10_000,
    )


def axe_violations(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:8]) for v in violations)


@pytest.fixture(scope="module")
def axe_counts(screenshots):
    """Violations found per palette, written to build/screenshots/axe.json for the record."""
    counts: dict[str, dict[str, int]] = {palette: {} for palette in PALETTES}
    yield counts
    (screenshots / "axe.json").write_text(json.dumps(counts, indent=2, sort_keys=True))
    for palette, pages in counts.items():
        if pages:
            print(
                f"\naxe ({', '.join(WCAG_TAGS)}), {palette} palette: {sum(pages.values())} violations on {len(pages)} page states"
            )


def palette_of(page) -> str:
    """The palette Material shows: ``light`` or ``dark``."""
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return next(palette for palette, name in PALETTES.items() if name == scheme)


ASSISTIVE_MATHML = """() => {
  const all = Array.from(document.querySelectorAll("article mjx-container"));
  return {total: all.length,
          without: all.filter(c => !c.querySelector(":scope > mjx-assistive-mml > math")).length,
          visible: all.filter(c => { const m = c.querySelector(":scope > mjx-math");
                                     return m && m.getAttribute("aria-hidden") !== "true"; }).length};
}"""


def assert_math_is_read_once(page) -> None:
    """Every formula carries MathJax's assistive MathML, and the drawn glyphs are hidden from screen readers."""
    found = page.evaluate(ASSISTIVE_MATHML)
    assert found["without"] == 0, f"{found['without']} of {found['total']} formulas lack assistive MathML"
    assert found["visible"] == 0, "a drawn formula is not hidden from screen readers (it would be read twice)"


def switch_palette(page, palette: str) -> None:
    """Show ``palette`` by clicking Material's palette toggle, then wait for the fade to end."""
    if palette_of(page) != palette:
        page.locator(PALETTE_TOGGLE).first.click()
        wait_until_still(page)
    assert palette_of(page) == palette, f"the toggle did not switch to the {palette} palette"


@pytest.mark.parametrize("palette", PALETTES)
def test_the_systems_setting_chooses_the_palette(browser_tabs, site_url, palette):
    tab = browser_tabs.open(site_url, palette)
    try:
        tab.goto("")
        assert palette_of(tab.page) == palette
    finally:
        tab.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_violations(tab, axe_source, axe_counts, path):
    """axe finds no WCAG 2.1 A/AA violation on the page in either palette, with quizzes unanswered and answered;
    screen readers read each formula once, from its MathML (checked here, on the same load)."""
    tab.goto(path)
    page = tab.page
    wait_until_ready(page)
    assert_math_is_read_once(page)
    states = [(palette, "") for palette in PALETTES]
    if path in LESSONS:
        states += [(palette, " (quizzes answered)") for palette in reversed(PALETTES)]
    found = []
    for index, (palette, state) in enumerate(states):
        if index == len(PALETTES):  # a lesson's quizzes, answered once, then both palettes again
            page.evaluate(ANSWER_QUIZZES)
            wait_until_still(page)
        switch_palette(page, palette)
        violations = axe_violations(page, axe_source)
        axe_counts[palette][(path or "/") + state] = sum(len(v["nodes"]) for v in violations)
        if violations:
            found.append(f"{path or '/'} ({palette}{state}):\n" + _describe(violations))
    assert not found, "\n".join(found)
    tab.assert_clean()


# ------------------------------------------------------------------ keyboard

WIDGET_PAGES = sorted({"lessons/weight-decay/", "lessons/choosing-lambda/"})


def tab_to(page, selector: str, limit: int = 400, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.fixture(scope="module")
def keyboard_counts():
    counts = {"sliders": 0, "widgets": 0, "quizzes": 0}
    yield counts
    print(f"\nkeyboard-tested: {counts['widgets']} widgets ({counts['sliders']} sliders), {counts['quizzes']} quizzes")


def test_widget_pages_are_all_known(built_site):
    """WIDGET_PAGES lists every page with a widget, so none escapes the keyboard test."""
    found = sorted(
        p.parent.relative_to(built_site).as_posix() + "/"
        for p in built_site.rglob("index.html")
        if 'class="ridge-widget"' in p.read_text(encoding="utf-8")
    )
    assert found == WIDGET_PAGES


@pytest.mark.parametrize("path", WIDGET_PAGES)
def test_widgets_work_from_the_keyboard(tab, keyboard_counts, path):
    """Each slider: visible label = accessible name, Tab reaches it, arrows move it,
    the live readout and the plot's text alternative follow the value."""
    tab.goto(path)
    page = tab.page
    wait_until_ready(page)
    widgets = page.locator(".ridge-widget")
    assert widgets.count() > 0
    for w in range(widgets.count()):
        widget = widgets.nth(w)
        readout = widget.locator(".rw-readout")
        assert readout.get_attribute("aria-live") == "polite"
        plots = widget.locator("svg[role='img']")
        assert plots.count() > 0
        sliders = widget.locator("input[type='range']")
        for s in range(sliders.count()):
            slider = sliders.nth(s)
            label = slider.locator("xpath=ancestor::label").locator(".rw-label")
            assert label.is_visible() and label.inner_text().strip(), "the slider has no visible label"
            assert page.get_by_role("slider", name=label.inner_text().strip(), exact=True).count() >= 1
            slider_id = f"ridge-test-slider-{w}-{s}"
            slider.evaluate("(el, id) => el.id = id", slider_id)
            page.evaluate("document.activeElement.blur()")
            tab_to(page, f"#{slider_id}")
            before = {
                "value": slider.input_value(),
                "valuetext": slider.get_attribute("aria-valuetext"),
                "readout": readout.inner_text(),
                "plots": plots.evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))"),
            }
            at_max = before["value"] == slider.get_attribute("max")
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            after = {
                "value": slider.input_value(),
                "valuetext": slider.get_attribute("aria-valuetext"),
                "readout": readout.inner_text(),
                "plots": plots.evaluate_all("ps => ps.map(p => p.getAttribute('aria-label'))"),
            }
            for key in before:
                assert after[key] != before[key], f"{path} slider {s}: {key} did not follow the arrow key"
            shown = after["valuetext"].split("= ")[-1]
            assert shown in after["readout"] + " ".join(after["plots"]), (
                f"{path} slider {s}: the value {shown} is neither announced nor described"
            )
            keyboard_counts["sliders"] += 1
        keyboard_counts["widgets"] += 1
    tab.assert_clean()


def _quiz_feedback(quiz) -> str:
    return quiz.locator(".quiz-feedback .quiz-feedback-item").first.get_attribute("class") or ""


@pytest.mark.parametrize("path", LESSONS)
def test_quizzes_answer_from_the_keyboard(tab, keyboard_counts, path):
    """Every quiz: reached with Tab, answered with Space, arrows or typing, submitted with Enter."""
    tab.goto(path)
    page = tab.page
    wait_until_ready(page)
    quizzes = page.locator("article div.quiz")
    for k in range(quizzes.count()):
        quiz = quizzes.nth(k)
        qid = quiz.get_attribute("id")
        sel = f"#{qid}"
        # Start at the quiz's own anchor link, just before it; from here on only keys.
        quiz.locator("a.quiz-header-link").focus()
        if "quiz-fill-blank" in (quiz.get_attribute("class") or ""):
            tab_to(page, f"{sel} input.quiz-blank-input")
            page.keyboard.type(quiz.locator("input.quiz-blank-input").get_attribute("data-answer"))
            tab_to(page, f"{sel} button.quiz-button")
            page.keyboard.press("Enter")
        else:
            inputs = quiz.locator("fieldset input[name='answer']")
            right = [i for i in range(inputs.count()) if inputs.nth(i).get_attribute("data-correct") == "true"]
            if inputs.first.get_attribute("type") == "radio":
                tab_to(page, f"{sel} fieldset input[name='answer']")
                page.keyboard.press("Space")  # the first answer; a radio quiz submits on change
                for _ in range(right[0]):
                    # mkdocs-quiz moves the focus to the feedback after each answer:
                    # back to the chosen answer with Shift+Tab, then the next one.
                    tab_to(page, f"{sel} fieldset input[name='answer']:checked", key="Shift+Tab")
                    page.keyboard.press("ArrowDown")
                assert inputs.nth(right[0]).is_checked()
            else:
                for i in right:
                    tab_to(page, f"{sel} fieldset div:nth-child({i + 1}) > input")
                    page.keyboard.press("Space")
                tab_to(page, f"{sel} button.quiz-button:not(.quiz-reset-button)")
                page.keyboard.press("Enter")
        assert "correct" in _quiz_feedback(quiz).split(), f"{path}#{qid}: the keyboard answer did not succeed"
        keyboard_counts["quizzes"] += 1
    tab.assert_clean()


# ------------------------------------------------------------- text for all


def test_figure_alt_texts_describe_the_figure(built_site):
    """Each figure's alt text says what it shows: a few sentences, not its title or caption."""
    figures = []
    for path in LESSONS:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        figures += re.findall(
            r'<figure class="ridge-figure">.*?<img [^>]*alt="([^"]*)".*?<figcaption>(.*?)</figcaption>', html, flags=re.S
        )
    assert figures
    for alt, caption in figures:
        words = alt.split()
        assert len(words) >= 30, f"alt text too short to describe the figure: {alt!r}"
        assert alt.count(".") >= 2, f"alt text is a title, not a description: {alt!r}"
        assert alt not in caption
