"""Bulk grading: a class of submissions into reports, a gradebook, ``canvas.csv`` and a class report.

``python -m checks.engine.bulk SUBMISSIONS ...`` (``nox -s grade-all``) is the
entry point; its options are in ``cli``. One module per job:

``intake``       taking the exercise files from each student's folder or zip
``pool``         long-lived grader processes, and distrust of their answers
``grader``       the grader process itself (``python -m checks.engine.bulk.grader``)
``gradebook``    ``gradebook.csv``, ``canvas.csv`` and the roster
``classreport``  ``report.html`` (``python -m checks.engine.bulk.classreport DIR``)
``shards``       ``--shard K/N`` and merging shards (``python -m checks.engine.bulk.shards``)
``outputs``      every class-level file, from the per-student reports
``cli``          the run: arguments, the grading loop, the summary
"""

import importlib

# Loaded on first use, so that ``python -m checks.engine.bulk.<module>`` runs a module not yet imported.
_HOMES = {
    "DEFAULT_TIMEOUT_SECONDS": "cli",
    "grade_all": "cli",
    "main": "cli",
    "StudentResult": "gradebook",
    "write_canvas": "gradebook",
    "write_gradebook": "gradebook",
    "MAX_FILE_BYTES": "intake",
    "Student": "intake",
    "Taken": "intake",
    "find_students": "intake",
    "take_submission": "intake",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
