"""MkDocs hook: the downloadable copy of the site, for use from a folder.

``RIDGE_LAB_OFFLINE=true`` switches on Material's ``offline`` plugin (see
mkdocs.yml), which makes the built site work opened as
``file://…/index.html``: pages link to ``page.html`` instead of ``page/``, and
the search index is also written as a script, since ``fetch`` is refused on
``file://``. ``tools/site_zip.py`` builds that copy. The served and published
site leave the plugin off and stay as they are.

The plugin also adds the iframe-worker shim (search runs in a Web Worker,
which Chromium refuses to start from ``file://``), but loads it from
unpkg.com. This hook puts the copy vendored under
``docs/javascripts/iframe-worker/`` (npm ``iframe-worker`` 1.0.4, MIT) in its
place, so the offline copy asks nothing of the network, and leaves that file
out of the served site, which never uses it.

Instant navigation is switched off in the offline copy. Material skips it on
``file://``, but it does so by subscribing ``document$`` to an empty
observable, which completes ``document$`` before the page has loaded: nothing
subscribed to it ever runs (MathJax, the widgets, Material's own components).
"""

from __future__ import annotations

from mkdocs.structure.files import Files

SHIM = "javascripts/iframe-worker/shim.js"
SHIM_FOLDER = "javascripts/iframe-worker/"


def offline_enabled(config) -> bool:
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.enabled)


def on_config(config):
    if not offline_enabled(config):
        return config
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [SHIM, *polyfills]
    features = config.theme.get("features", [])
    config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    # A copy on disk has no address: no canonical links to a server it may never see.
    config.site_url = None
    return config


def on_files(files: Files, config) -> Files:
    if offline_enabled(config):
        return files
    for file in [f for f in files if f.src_uri.startswith(SHIM_FOLDER)]:
        files.remove(file)
    return files
