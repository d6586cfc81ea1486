"""The downloadable copy of the site (``dist/ridge-lab-site.zip``), opened from disk.

``tools/site_zip.py`` builds the site with Material's offline plugin and zips
it; here it is unpacked and every page is opened as ``file://…`` in Debian's
Chromium, with no server: styled, math drawn, images shown, no request leaving
the folder; links lead from page to page, search finds lessons, the widgets
move and the quizzes answer.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from test_site_browser import LESSONS, PAGES, QUIZ_WALK, assert_math_rendered, wait_for_math


def offline_path(path: str) -> str:
    """A served path as the offline copy names it: ``lessons/bias/`` is ``lessons/bias.html``.

    The home page and section index pages (``exercises/``, from ``exercises/index.md``)
    are ``index.html`` files in their folder.
    """
    if path.count("/") <= 1 and path in ("", "exercises/"):
        return path + "index.html"
    return path.rstrip("/") + ".html"


def test_the_zip_holds_one_folder_with_the_site(offline_zip):
    with zipfile.ZipFile(offline_zip) as zf:
        names = zf.namelist()
    assert {n.split("/", 1)[0] for n in names} == {"ridge-lab-site"}
    for path in PAGES:
        assert f"ridge-lab-site/{offline_path(path)}" in names, path
    assert "ridge-lab-site/search/search_index.js" in names, "search needs its index as a script on file://"


def test_offline_pages_link_to_files_not_folders(offline_site):
    """On file:// a link to ``lessons/bias/`` opens a directory listing; every link names its page."""
    bad = []
    for page in offline_site.rglob("*.html"):
        for href in re.findall(r'href="([^"#]*)"', page.read_text(encoding="utf-8")):
            if href and not re.match(r"[a-z]+:", href) and href.endswith("/"):
                bad.append(f"{page.relative_to(offline_site)}: {href}")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("path", PAGES)
def test_offline_page(file_tab, path):
    """Styled by Material, math drawn, images shown, nothing fetched outside the folder."""
    file_tab.goto(offline_path(path))
    page = file_tab.page
    assert page.url.startswith("file://")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", (
        "Material's stylesheet did not load"
    )
    wait_for_math(page)
    assert_math_rendered(page)
    images = page.locator("article img")
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=img.element_handle(), timeout=10_000)
        assert img.evaluate("img => img.naturalWidth") > 0, f"image {img.get_attribute('src')} did not load"
    file_tab.assert_clean()


def test_offline_navigation_between_pages(file_tab):
    file_tab.goto("index.html")
    page = file_tab.page
    for lesson in ("gradient", "closed-form"):
        page.locator(f"nav.md-nav--primary a[href$='{lesson}.html']").first.click()
        page.wait_for_url(f"**/lessons/{lesson}.html")
        wait_for_math(page)
        assert page.locator("article h1").first.inner_text().strip()
    page.locator(".md-header a.md-logo").first.click()
    page.wait_for_url("**/index.html")
    file_tab.assert_clean()


def test_offline_search_finds_a_lesson(file_tab):
    file_tab.goto("index.html")
    page = file_tab.page
    page.locator("input.md-search__input").click()
    page.keyboard.type("weight decay")  # typed: Material searches on key events
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("lessons/weight-decay.html" in h for h in hrefs), hrefs
    page.locator(".md-search-result__item a[href*='lessons/weight-decay.html']").first.click()
    page.wait_for_url("**/lessons/weight-decay.html*")
    file_tab.assert_clean()


def test_offline_widgets_move(file_tab):
    for path, name in (("lessons/weight-decay.html", "decay"), ("lessons/choosing-lambda.html", "lambda")):
        file_tab.goto(path)
        page = file_tab.page
        widget = page.locator(f'.ridge-widget[data-widget="{name}"][data-ready="true"]')
        widget.wait_for()
        slider = widget.locator('input[type="range"]').last
        readout = widget.locator(".rw-readout")
        before = (widget.locator("polyline").evaluate_all("ps => ps.map(p => p.getAttribute('points'))"), readout.inner_text())
        slider.focus()
        page.keyboard.press("ArrowLeft")
        after = (widget.locator("polyline").evaluate_all("ps => ps.map(p => p.getAttribute('points'))"), readout.inner_text())
        assert after[0] != before[0] and after[1] != before[1], f"{name}: the widget did not move"
    file_tab.assert_clean()


@pytest.mark.parametrize("path", LESSONS[:2])
def test_offline_quizzes_answer(file_tab, path):
    file_tab.goto(offline_path(path))
    page = file_tab.page
    wait_for_math(page)
    result = page.evaluate(QUIZ_WALK)
    assert result["questions"] >= 4
    assert not result["problems"], "\n".join(result["problems"])
    file_tab.assert_clean()
