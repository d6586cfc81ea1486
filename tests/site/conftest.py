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
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
        import mkdocs_quiz  # noqa: F401
    except ImportError as exc:
        _missing(
            f"the site's build tools are not installed ({exc.name}); run `nox -s verify`, "
            "which installs the 'docs' dependency group"
        )


@pytest.fixture(scope="session")
def site_builder(mkdocs_available):
    """``build_site(dest, **env)``: a strict build with extra environment variables."""
    return build_site


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


class PageWatch:
    """A browser tab that records console errors and every request it makes."""

    def __init__(self, browser, site_url: str, color_scheme: str = "light"):
        self.site_url = site_url
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block", color_scheme=color_scheme
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("request", self._request)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", self._response)

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
        self.context.close()


@pytest.fixture()
def tab(chromium, site_url):
    watch = PageWatch(chromium, site_url)
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
def offline_zip(mkdocs_available, tmp_path_factory) -> Path:
    """``dist/ridge-lab-site.zip`` as ``nox -s release`` writes it (here into a temporary folder)."""
    from tools import site_zip

    try:
        return site_zip.build_site_zip(tmp_path_factory.mktemp("site-zip") / "ridge-lab-site.zip")
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
def file_tab(chromium, offline_site):
    """A tab on the unpacked zip, opened over file:// (no server)."""
    watch = PageWatch(chromium, offline_site.as_uri())
    yield watch
    watch.close()
