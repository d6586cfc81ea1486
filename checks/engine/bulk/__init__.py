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

from checks.engine.bulk.cli import DEFAULT_TIMEOUT_SECONDS, grade_all, main
from checks.engine.bulk.gradebook import StudentResult, write_canvas, write_gradebook
from checks.engine.bulk.intake import MAX_FILE_BYTES, Student, Taken, find_students, take_submission

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS",
    "MAX_FILE_BYTES",
    "Student",
    "StudentResult",
    "Taken",
    "find_students",
    "grade_all",
    "main",
    "take_submission",
    "write_canvas",
    "write_gradebook",
]
