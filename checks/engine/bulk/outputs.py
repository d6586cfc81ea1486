"""The class-level files of an ``--out`` folder, all derived from the per-student reports."""

from __future__ import annotations

from pathlib import Path

from checks.engine.bulk import classreport
from checks.engine.bulk.gradebook import Person, result_from_report, write_canvas, write_gradebook


def write_all(out: Path, documents: list[dict], roster: dict[str, Person], layout: str) -> None:
    """Write ``gradebook.csv``, ``canvas.csv`` and ``report.html`` into ``out`` (each atomically)."""
    results = [result_from_report(document) for document in documents]
    write_gradebook(out / "gradebook.csv", results)
    write_canvas(out / "canvas.csv", results, roster, layout)
    classreport.write(out, documents)
