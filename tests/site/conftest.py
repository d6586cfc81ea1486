"""Fixtures for the course-site tests: build the site, serve it, drive Chromium.

The site is built once per session with ``mkdocs build --strict`` into a
temporary folder (figures required: the kit ships ``solutions/``), served on
127.0.0.1 by :mod:`http.server` in a thread, and opened in Debian's Chromium
through Playwright (``executable_path=/usr/bin/chromium``; Playwright's own
browser download is never used). Without Chromium or Playwright the browser
tests skip with the reason, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.engine import course
from tests import shared

ROOT = course.KIT_ROOT
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE_PACKAGE = Path(__file__).resolve().parent / "axe"  # package.json + lockfile pinning axe-core
AXE_INSTALL = ROOT / "build" / "axe"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str) -> None:
    """Skip locally, fail under CI: CI must run every browser test."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def build_site(dest: Path, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run a strict MkDocs build of the kit into ``dest``; return it and its time."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc, time.perf_counter() - start


@pytest.fixture(scope="session")
def mkdocs_available() -> None:
    if not _site_tools_installed():
        _missing("the site's build tools are not installed; run `nox -s verify`, which installs the 'docs' dependency group")


@dataclass(frozen=True)
class Build:
    """A finished strict build: the process, the folder it built into, and the solutions folder it was given."""

    process: subprocess.CompletedProcess
    site: Path
    solutions: Path


def _build_without_solutions(scratch: Path, **env: str) -> Build:
    """A strict build told that solutions/ is a folder that does not exist (as in the student release)."""
    missing = scratch / "no-solutions"
    process, _ = build_site(scratch / "site", RIDGE_LAB_SOLUTIONS=str(missing), **env)
    return Build(process, scratch / "site", missing)


def _offline_zip(scratch: Path) -> Path:
    from tools import site_zip

    return site_zip.build_site_zip(scratch / "ridge-lab-site.zip")


# The strict builds that need no test server start in the background once the
# tests are collected, so they run beside the served site's build and the
# first browser tests instead of one after the other; under pytest-xdist each
# is built once per run (tests.shared).
BACKGROUND_BUILDS: dict[str, Callable[[Path], object]] = {
    "offline_zip": _offline_zip,
    "site_without_solutions": _build_without_solutions,
    "site_requiring_missing_solutions": lambda scratch: _build_without_solutions(scratch, RIDGE_LAB_FIGURES="require"),
}
_BUILDS = pytest.StashKey[shared.SharedJobs]()


def _builds(config: pytest.Config) -> shared.SharedJobs:
    if _BUILDS not in config.stash:
        config.stash[_BUILDS] = shared.SharedJobs(shared.run_folder(config), BACKGROUND_BUILDS, threads=2)
    return config.stash[_BUILDS]


def _background(config: pytest.Config, name: str):
    return _builds(config).result(name)


def _site_tools_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("material", "mkdocs", "mkdocs_quiz"))


def pytest_collection_finish(session: pytest.Session) -> None:
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if _site_tools_installed():
        _builds(session.config).start(name for name in BACKGROUND_BUILDS if name in needed)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _BUILDS in config.stash:
        config.stash[_BUILDS].shutdown()


@pytest.fixture(scope="session")
def site_without_solutions(mkdocs_available, pytestconfig) -> Build:
    """A strict build of the site with no solutions/ folder (figures left out)."""
    return _background(pytestconfig, "site_without_solutions")


@pytest.fixture(scope="session")
def site_requiring_missing_solutions(mkdocs_available, pytestconfig) -> Build:
    """The same, with the figures required (``RIDGE_LAB_FIGURES=require``)."""
    return _background(pytestconfig, "site_requiring_missing_solutions")


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    """An HTTP server on 127.0.0.1 (a free port) for the folder the site is built into."""
    folder = tmp_path_factory.mktemp("site")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def built_site(mkdocs_available, site_server) -> Path:
    """The course site, built strictly, with every figure computed from solutions/.

    site_url is the test server's address: Material's instant navigation only
    works for pages whose host and port match the sitemap.
    """
    dest, url = site_server
    proc, seconds = build_site(dest, RIDGE_LAB_FIGURES="require", RIDGE_LAB_SITE_URL=url + "/")
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    print(f"\nstrict build with figures: {seconds:.1f} s")
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_url(built_site, site_server) -> str:
    """The address of the built site."""
    return site_server[1]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found: install Debian's browser with `apt-get install chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed; run `nox -s verify`, which installs the 'browser' group")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page starts with empty storage, as in a fresh browser: the quizzes and
# the palette keep their state in it.
CLEAR_STORAGE = "try { localStorage.clear(); sessionStorage.clear(); } catch (error) {}"


class BrowserTabs:
    """Tabs of one browser: one context per palette, and each closed tab kept for the next test.

    Pages of one context share its HTTP and compiled-script caches, so
    Material's and MathJax's scripts are fetched and compiled once, not on
    every page (a third of a page's CPU). A tab its test has closed is
    emptied (``about:blank``, its listeners removed) and handed to the next
    test: a new tab starts a renderer process, about a quarter of a CPU
    second per page (measured on a 2-core Xeon VM). Every test still loads
    its page afresh, and ``CLEAR_STORAGE`` runs before any script of every
    document.
    """

    def __init__(self, browser):
        self._browser = browser
        self._contexts: dict[str, object] = {}
        self._idle: dict[str, list] = {}

    def context(self, color_scheme: str = "light"):
        """The browser context of ``color_scheme`` (the system setting: ``light`` or ``dark``)."""
        if color_scheme not in self._contexts:
            context = self._browser.new_context(
                viewport={"width": 1280, "height": 900}, service_workers="block", color_scheme=color_scheme
            )
            context.add_init_script(CLEAR_STORAGE)
            self._contexts[color_scheme] = context
            self._idle[color_scheme] = []
        return self._contexts[color_scheme]

    def open(self, site_url: str, color_scheme: str = "light") -> PageWatch:
        """A tab watching its requests and console against ``site_url``; ``close()`` it when done."""
        context = self.context(color_scheme)
        idle = self._idle[color_scheme]
        page = idle.pop() if idle else context.new_page()
        return PageWatch(page, site_url, release=lambda: self._release(color_scheme, page))

    def _release(self, color_scheme: str, page) -> None:
        if page.is_closed():
            return
        page.goto("about:blank")
        self._idle[color_scheme].append(page)

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()


@pytest.fixture(scope="session")
def browser_tabs(chromium):
    """The session's :class:`BrowserTabs`."""
    tabs = BrowserTabs(chromium)
    yield tabs
    tabs.close()


class PageWatch:
    """A browser tab that records console errors and every request it makes."""

    def __init__(self, page, site_url: str, release: Callable[[], None]):
        self.site_url = site_url
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self._release = release
        self._listeners = {
            "console": self._console,
            "pageerror": lambda exc: self.errors.append(f"page error: {exc}"),
            "request": self._request,
            "requestfailed": lambda r: self.failed.append(f"{r.url} ({r.failure})"),
            "response": self._response,
        }
        for event, listener in self._listeners.items():
            page.on(event, listener)

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text} ({msg.location.get('url', '')})")

    def _request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.site_url + "/") or url.startswith(("data:", "blob:", "about:"))):
            self.outside.append(url)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.site_url}/{path}", wait_until="load")

    def assert_clean(self) -> None:
        problems = (
            [f"request left 127.0.0.1: {u}" for u in self.outside] + [f"failed request: {f}" for f in self.failed] + self.errors
        )
        assert not problems, "\n".join(problems)

    def close(self) -> None:
        """Stop watching and give the tab back for the next test."""
        for event, listener in self._listeners.items():
            self.page.remove_listener(event, listener)
        self._release()


@pytest.fixture()
def tab(browser_tabs, site_url):
    watch = browser_tabs.open(site_url)
    yield watch
    watch.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def site_metrics(screenshots):
    """Total bytes transferred per page (page, scripts, styles, fonts, images)."""
    sizes: dict[str, int] = {}
    yield sizes
    if sizes:
        import json

        (screenshots / "transfer-sizes.json").write_text(json.dumps(sizes, indent=2, sort_keys=True))
        page, size = max(sizes.items(), key=lambda kv: kv[1])
        print(f"\nlargest page transfer: {page} {size / 1e6:.2f} MB over {len(sizes)} pages")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe-core's ``axe.min.js``, from its npm package (never a CDN).

    ``npm ci`` installs the version pinned by ``tests/site/axe/package-lock.json``
    into ``build/axe/``; a later run reuses it while the lockfile is unchanged.
    """
    lock = (AXE_PACKAGE / "package-lock.json").read_bytes()
    stamp = AXE_INSTALL / ".lock-sha256"
    script = AXE_INSTALL / "node_modules" / "axe-core" / "axe.min.js"
    digest = hashlib.sha256(lock).hexdigest()
    if not (script.is_file() and stamp.is_file() and stamp.read_text() == digest):
        npm = shutil.which("npm")
        if npm is None:
            _missing("npm not found: the accessibility tests install axe-core from npm")
        shutil.rmtree(AXE_INSTALL, ignore_errors=True)
        AXE_INSTALL.mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(AXE_PACKAGE / name, AXE_INSTALL / name)
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=AXE_INSTALL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not script.is_file():
            pytest.fail(f"npm ci of axe-core failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}", pytrace=False)
        stamp.write_text(digest)
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def offline_zip(mkdocs_available, pytestconfig) -> Path:
    """``dist/ridge-lab-site.zip`` as ``nox -s release`` writes it (here into a temporary folder)."""
    from tools import site_zip

    try:
        return _background(pytestconfig, "offline_zip")
    except site_zip.BuildError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def offline_site(offline_zip, tmp_path_factory) -> Path:
    """The zip unpacked: the folder holding its ``index.html``."""
    import zipfile

    from tools import site_zip

    dest = tmp_path_factory.mktemp("site-unpacked")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(dest)
    return dest / site_zip.PREFIX


@pytest.fixture()
def file_tab(browser_tabs, offline_site):
    """A tab on the unpacked zip, opened over file:// (no server)."""
    watch = browser_tabs.open(offline_site.as_uri())
    yield watch
    watch.close()
