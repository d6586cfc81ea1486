"""MkDocs hook: every exercise's lesson is in the navigation, taken from the exercise packs.

The "Lessons" section of ``mkdocs.yml`` lists the lessons in reading order,
also those that teach no exercise. A lesson that a pack names (``lesson`` in
``checks/packs/<module>/pack.toml``, without its ``#anchor``) and the section
does not list is inserted right after the lesson of the exercise before it in
pack order (at the end of the section when there is none), so adding an
exercise needs no edit of ``mkdocs.yml``.
"""

from __future__ import annotations

from pathlib import Path

import hook_kit
from mkdocs.exceptions import PluginError

LESSONS_NAV_TITLE = "Lessons"


def exercise_lessons(kit: Path) -> list[str]:
    """The lesson page of every exercise of the kit in folder ``kit``, in pack order, each once."""
    pages = [pack.lesson.split("#")[0] for pack in hook_kit.course_of(kit).packs()]
    return list(dict.fromkeys(pages))


def _page(item) -> str:
    return item if isinstance(item, str) else next(iter(item.values()))


def with_exercise_lessons(section: list, lessons: list[str]) -> list:
    """``section`` (a nav list) with each of ``lessons`` it lacks inserted after the one before it."""
    section = list(section)
    previous = None
    for lesson in lessons:
        pages = [_page(item) for item in section]
        if lesson not in pages:
            at = pages.index(previous) + 1 if previous in pages else len(section)
            section.insert(at, lesson)
        previous = lesson
    return section


def on_config(config):
    nav = config.nav
    if nav is None:
        return config
    for entry in nav:
        if isinstance(entry, dict) and LESSONS_NAV_TITLE in entry:
            entry[LESSONS_NAV_TITLE] = with_exercise_lessons(
                entry[LESSONS_NAV_TITLE], exercise_lessons(Path(config.config_file_path).resolve().parent)
            )
            return config
    raise PluginError(f"lesson navigation: mkdocs.yml nav has no '{LESSONS_NAV_TITLE}' section")
