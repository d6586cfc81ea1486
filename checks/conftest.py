"""Pytest set-up for grading: the engine's plugin (profile, sandboxed submission fixtures)."""

pytest_plugins = ["checks.engine.plugin"]
