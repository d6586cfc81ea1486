"""The course site in a real browser (Debian's Chromium through Playwright).

Every page: loads with no console error, no failed request and no request
leaving 127.0.0.1; its math is visibly typeset (the glyphs are drawn, not
merely wrapped in MathJax elements); every image loads; a screenshot of its
first screen goes to build/screenshots/ (a full-page one costs ten times the
CPU). Every quiz: each wrong answer shows its
own explanation and the right answer shows success. Each widget's plot
changes when its slider moves. MathJax also typesets after an instant
(client-side) navigation.
"""

from __future__ import annotations

import re

import pytest

from checks.engine import course

ROOT = course.KIT_ROOT
DOCS = ROOT / "docs"


def _pages() -> list[str]:
    """Every page of the site, as a URL path relative to the site root."""
    pages = [""]
    pages += [f"lessons/{p.stem}/" for p in sorted((DOCS / "lessons").glob("*.md"))]
    pages += ["exercises/"] + [f"exercises/{module}/" for module in course.modules()]
    return pages


PAGES = _pages()
LESSONS = [p for p in PAGES if p.startswith("lessons/")]
PALETTE_TOGGLE = "form[data-md-component='palette'] label:visible"  # Material's light/dark switch

MATH_REPORT = """async () => {
  await document.fonts.ready;
  const out = {arithmatex: 0, unprocessed: 0, errors: 0, checked: 0, invisible: [], mjxFonts: []};
  const arith = Array.from(document.querySelectorAll("article .arithmatex"));
  out.arithmatex = arith.length;
  out.unprocessed = arith.filter(a => !a.querySelector("mjx-container")).length;
  out.errors = document.querySelectorAll("mjx-merror").length;
  for (const c of document.querySelectorAll("article mjx-container")) {
    if (c.offsetParent === null && c.getAttribute("display") !== "true") continue;  // hidden (quiz explanations)
    if (c.getClientRects().length === 0) continue;
    out.checked++;
    const box = c.getBoundingClientRect();
    const glyph = c.querySelector("mjx-c");
    const before = glyph ? getComputedStyle(glyph, "::before") : null;
    const content = before ? before.content : "none";
    const family = glyph ? getComputedStyle(glyph).fontFamily : "";
    if (box.width < 1 || box.height < 1 || content === "none" || content === "normal" || content === ""
        || !/MJX/.test(family)) {
      out.invisible.push(c.textContent.slice(0, 30) + " [w=" + box.width.toFixed(1) + ", content=" + content
        + ", font=" + family + "]");
    }
  }
  document.fonts.forEach(f => {
    if (f.status === "loaded" && /^"?MJXTEX/.test(f.family)) out.mjxFonts.push(f.family);
  });
  return out;
}"""


TRANSFER = """() => {
  const entries = [performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")];
  return entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0);
}"""


def wait_for_math(page) -> None:
    """Wait until the page's one MathJax typeset pass has finished."""
    if page.locator("article .arithmatex").count():
        page.wait_for_function("document.documentElement.dataset.mathjax === 'done'", timeout=20_000)


def assert_math_rendered(page) -> dict:
    report = page.evaluate(MATH_REPORT)
    if report["arithmatex"] == 0:
        return report
    assert report["unprocessed"] == 0, f"{report['unprocessed']} formulas were not typeset"
    assert report["errors"] == 0, f"{report['errors']} formulas have TeX errors"
    assert report["checked"] > 0, "no visible formula to check"
    assert not report["invisible"], "formulas typeset but not drawn:\n" + "\n".join(report["invisible"][:10])
    assert report["mjxFonts"], "no MathJax TeX font was loaded"
    return report


def _shot_name(path: str) -> str:
    return (path.strip("/").replace("/", "-") or "home") + ".png"


@pytest.mark.parametrize("path", PAGES)
def test_page(tab, screenshots, site_metrics, path):
    """Loads cleanly, stays on 127.0.0.1, math drawn, images load, quizzes work; screenshot."""
    tab.goto(path)
    page = tab.page
    wait_for_math(page)
    assert_math_rendered(page)
    images = page.locator("article img")
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=img.element_handle(), timeout=10_000)
        width = img.evaluate("img => img.naturalWidth")
        assert width > 0, f"image {img.get_attribute('src')} did not load"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / _shot_name(path)))
    site_metrics[path or "/"] = page.evaluate(TRANSFER)
    if path in LESSONS:
        # Every quiz: each wrong answer shows its own explanation, the right one succeeds.
        result = page.evaluate(QUIZ_WALK)
        assert result["questions"] >= 4, f"{path} has {result['questions']} quiz questions, fewer than four"
        assert not result["problems"], "\n".join(result["problems"])
    tab.assert_clean()


def test_every_figure_is_shown(built_site, tab):
    """Each build-time figure appears on some lesson and is served as an SVG."""
    seen = set()
    for path in LESSONS:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        seen.update(
            re.findall(r'<figure class="ridge-figure">\s*(?:<p>\s*)?<img [^>]*src="[^"]*/figures/([a-z0-9-]+\.svg)"', html)
        )
    expected = {
        "ridge-trace.svg",
        "decay-l1-l2.svg",
        "geometry.svg",
        "validation-curve.svg",
        "forgotten-n.svg",
        "shrinkage-factors.svg",
    }
    assert expected <= seen, f"figures missing from the lessons: {sorted(expected - seen)}"
    for name in sorted(expected):
        response = tab.page.request.get(f"{tab.site_url}/figures/{name}")
        assert response.ok and response.headers["content-type"].startswith("image/svg"), name
        assert b"<svg" in response.body()[:500]


def _feedback(quiz) -> tuple[str, str]:
    box = quiz.locator(".quiz-feedback")
    assert box.is_visible(), "no feedback shown after answering"
    item = box.locator(".quiz-feedback-item").first
    return item.get_attribute("class") or "", box.inner_text()


def _check_choice_quiz(page, quiz, qid: str) -> None:
    answers = quiz.locator("fieldset > div")
    n = answers.count()
    correct = [i for i in range(n) if answers.nth(i).locator("input").get_attribute("data-correct") == "true"]
    wrong = [i for i in range(n) if i not in correct]
    assert correct and wrong, f"{qid}: needs right and wrong answers"
    multiple = answers.nth(0).locator("input").get_attribute("type") == "checkbox"
    submit = quiz.locator("button.quiz-button:not(.quiz-reset-button)")
    reset = quiz.locator("button.quiz-reset-button")
    for i in wrong:
        explanation = answers.nth(i).locator(".answer-feedback").text_content().strip()
        assert explanation, f"{qid}: wrong answer {i} has no explanation"
        if multiple:
            if reset.is_visible():
                reset.click()
            answers.nth(i).locator("label").click()
            submit.click()
        else:
            answers.nth(i).locator("label").click()  # single choice submits itself
        cls, _ = _feedback(quiz)
        assert "incorrect" in cls, f"{qid}: wrong answer {i} was not marked incorrect"
        own = answers.nth(i).locator(".answer-feedback").inner_html()
        shown = quiz.locator(".quiz-feedback .quiz-feedback-item-content").evaluate_all(
            "items => items.map(item => item.innerHTML)"
        )
        assert own in shown, f"{qid}: wrong answer {i} did not show its own explanation"
    if multiple:
        reset.click()
        for i in correct:
            answers.nth(i).locator("label").click()
        submit.click()
    else:
        answers.nth(correct[0]).locator("label").click()
    cls, _ = _feedback(quiz)
    assert "correct" in cls.split(), f"{qid}: the right answer did not show success"


def _check_fill_quiz(page, quiz, qid: str) -> None:
    blank = quiz.locator("input.quiz-blank-input")
    submit = quiz.locator("button.quiz-button:not(.quiz-reset-button)")
    blank.fill("not the answer")
    submit.click()
    cls, _ = _feedback(quiz)
    assert "incorrect" in cls, f"{qid}: a wrong fill-in was not marked incorrect"
    explanation = quiz.locator("section.content")
    assert explanation.is_visible() and explanation.inner_text().strip(), f"{qid}: no explanation shown"
    answer = blank.get_attribute("data-answer")
    blank.fill(answer)
    submit.click()
    cls, text = _feedback(quiz)
    assert "correct" in cls.split() and "Correct" in text, f"{qid}: the right fill-in did not show success"


QUIZ_WALK = r"""() => {
  const problems = [];
  let questions = 0, wrongAnswers = 0;
  const feedback = quiz => {
    const box = quiz.querySelector(".quiz-feedback");
    const item = box && box.querySelector(".quiz-feedback-item");
    return {visible: box && !box.classList.contains("hidden"), cls: item ? item.className : "",
            html: Array.from(box ? box.querySelectorAll(".quiz-feedback-item-content") : []).map(i => i.innerHTML)};
  };
  for (const quiz of document.querySelectorAll("article div.quiz")) {
    questions++;
    const id = quiz.id;
    const submit = quiz.querySelector("button.quiz-button:not(.quiz-reset-button)");
    const reset = quiz.querySelector("button.quiz-reset-button");
    if (quiz.classList.contains("quiz-fill-blank")) {
      const blank = quiz.querySelector("input.quiz-blank-input");
      blank.value = "not the answer"; submit.click(); wrongAnswers++;
      let f = feedback(quiz);
      const section = quiz.querySelector("section.content");
      if (!f.visible || !/\bincorrect\b/.test(f.cls)) problems.push(id + ": wrong fill-in not marked incorrect");
      if (section.classList.contains("hidden") || !section.textContent.trim()) problems.push(id + ": no explanation after a wrong fill-in");
      blank.value = blank.dataset.answer; submit.click();
      f = feedback(quiz);
      if (!/(^|\s)correct\b/.test(f.cls)) problems.push(id + ": right fill-in did not succeed");
      continue;
    }
    const inputs = Array.from(quiz.querySelectorAll('fieldset input[name="answer"]'));
    const right = inputs.filter(i => i.dataset.correct === "true");
    const wrong = inputs.filter(i => i.dataset.correct !== "true");
    if (!right.length || !wrong.length) { problems.push(id + ": needs right and wrong answers"); continue; }
    const multiple = inputs[0].type === "checkbox";
    for (const input of wrong) {
      wrongAnswers++;
      const own = input.parentElement.querySelector(".answer-feedback");
      if (!own || !own.textContent.trim()) { problems.push(id + ": wrong answer " + input.value + " has no explanation"); continue; }
      if (multiple) { reset.click(); input.click(); submit.click(); } else { input.click(); }
      const f = feedback(quiz);
      if (!f.visible || !/\bincorrect\b/.test(f.cls)) problems.push(id + ": wrong answer " + input.value + " not marked incorrect");
      if (!f.html.includes(own.innerHTML)) problems.push(id + ": wrong answer " + input.value + " did not show its own explanation");
    }
    if (multiple) { reset.click(); right.forEach(i => i.click()); submit.click(); } else { right[0].click(); }
    const f = feedback(quiz);
    if (!/(^|\s)correct\b/.test(f.cls)) problems.push(id + ": the right answer did not show success");
  }
  return {problems, questions, wrongAnswers};
}"""


def test_quiz_with_real_clicks(tab):
    """The same, clicking and typing like a student: single, multiple choice and fill-in."""
    tab.goto("lessons/overfitting/")
    page = tab.page
    wait_for_math(page)
    quizzes = page.locator("article div.quiz")
    kinds = set()
    for k in range(quizzes.count()):
        quiz = quizzes.nth(k)
        quiz.scroll_into_view_if_needed()
        qid = f"overfitting#{quiz.get_attribute('id')}"
        if "quiz-fill-blank" in (quiz.get_attribute("class") or ""):
            _check_fill_quiz(page, quiz, qid)
            kinds.add("fill")
        else:
            _check_choice_quiz(page, quiz, qid)
            kinds.add(quiz.locator("fieldset input").first.get_attribute("type"))
    assert kinds == {"radio", "checkbox", "fill"}, kinds
    page.locator("article div.quiz").first.screenshot(path=str(ROOT / "build" / "screenshots" / "quiz-answered.png"))
    tab.assert_clean()


def test_quiz_kinds_across_the_site(built_site):
    """Single choice, multiple choice and fill-in all occur; 4+ questions per lesson."""
    kinds = {"single": 0, "multiple": 0, "fill": 0}
    for path in LESSONS:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        quizzes = re.findall(r'<div class="quiz[ "].*?</section>', html, flags=re.S)
        assert len(quizzes) >= 4, path
        for q in quizzes:
            if "quiz-fill-blank" in q:
                kinds["fill"] += 1
            elif 'type="checkbox"' in q:
                kinds["multiple"] += 1
            else:
                kinds["single"] += 1
    assert all(kinds.values()), kinds
    print(f"\nquiz questions: {sum(kinds.values())} in {len(LESSONS)} lessons {kinds}")


def _plot_state(widget, selector: str) -> list[str]:
    return widget.locator(selector).evaluate_all(
        "els => els.map(e => e.getAttribute('points') || e.getAttribute('x1') || e.getAttribute('cx'))"
    )


def test_decay_widget_moves(tab):
    tab.goto("lessons/weight-decay/")
    page = tab.page
    widget = page.locator('.ridge-widget[data-widget="decay"][data-ready="true"]')
    widget.wait_for()
    widget.scroll_into_view_if_needed()
    sliders = widget.locator('input[type="range"]')
    assert sliders.count() == 2
    readout = widget.locator(".rw-readout")
    before, text = _plot_state(widget, "polyline"), readout.inner_text()
    sliders.nth(1).focus()
    page.keyboard.press("ArrowRight")  # a larger λ
    after_lam = _plot_state(widget, "polyline")
    assert after_lam != before, "the decay plot did not change when λ moved"
    assert readout.inner_text() != text
    sliders.nth(0).focus()
    page.keyboard.press("ArrowLeft")  # a smaller learning rate
    assert _plot_state(widget, "polyline") != after_lam, "the decay plot did not change when the learning rate moved"
    # λ = 0: no decay at all, the L2 line is flat at w0.
    sliders.nth(1).fill("0")
    l2 = widget.locator("polyline.rw-l2").get_attribute("points").split()
    assert len(set(p.split(",")[1] for p in l2)) == 1, "with λ = 0 the weight should not move"
    page.screenshot(path=str(ROOT / "build" / "screenshots" / "widget-decay.png"), clip=widget.bounding_box())
    tab.assert_clean()


def test_lambda_widget_moves(tab):
    tab.goto("lessons/choosing-lambda/")
    page = tab.page
    widget = page.locator('.ridge-widget[data-widget="lambda"][data-ready="true"]')
    widget.wait_for()
    widget.scroll_into_view_if_needed()
    slider = widget.locator('input[type="range"]')
    fit_before = widget.locator("polyline.rw-fit").get_attribute("points")
    marker_before = widget.locator("line.rw-marker").get_attribute("x1")
    slider.fill("0")  # smallest λ: overfits
    fit_small = widget.locator("polyline.rw-fit").get_attribute("points")
    assert fit_small != fit_before, "the fitted curve did not change when λ moved"
    assert widget.locator("line.rw-marker").get_attribute("x1") != marker_before
    assert "too small" in widget.locator(".rw-readout").inner_text()
    slider.fill(slider.get_attribute("max"))  # largest λ: underfits
    assert widget.locator("polyline.rw-fit").get_attribute("points") != fit_small
    assert "larger than the best" in widget.locator(".rw-readout").inner_text()
    page.screenshot(path=str(ROOT / "build" / "screenshots" / "widget-lambda.png"), clip=widget.bounding_box())
    tab.assert_clean()


def test_math_after_instant_navigation(tab):
    """Material's instant navigation swaps the page in place; math must still be drawn."""
    tab.goto("")
    page = tab.page
    wait_for_math(page)
    page.evaluate("window.__sameDocument = true")
    for lesson in ("gradient", "closed-form"):
        page.evaluate("document.documentElement.dataset.mathjax = 'pending'")
        page.locator(f"nav.md-nav--primary a[href$='lessons/{lesson}/']").first.click()
        page.wait_for_url(f"**/lessons/{lesson}/")
        page.wait_for_function("document.documentElement.dataset.mathjax === 'done'", timeout=20_000)
        assert page.evaluate("window.__sameDocument === true"), "the click reloaded the page (no instant navigation)"
        report = assert_math_rendered(page)
        assert report["checked"] > 10
    tab.assert_clean()


def test_dark_mode_toggle(tab):
    tab.goto("lessons/geometry/")
    page = tab.page
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator(PALETTE_TOGGLE).first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    tab.assert_clean()
