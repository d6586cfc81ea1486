"""A long-lived grader process: ``python -m checks.engine.bulk.grader`` (started by the grader pool).

It reads one JSON request a line from stdin, ``{"id": ..., "folder": ..., "seed": ...}``,
grades the folder with ``run_checks`` (its generated examples drawn from the seed) and answers on its original stdout with
one JSON line, ``{"id": ..., "ok": true, "document": {...}}`` (the Gradescope
report) or ``{"id": ..., "ok": false, "reason": ...}``. The ``id`` is the
request's: the pool accepts an answer only if it carries the id it sent.

pytest and anything else write to stderr: the protocol's stream carries
answers only. The process writes no file; the bulk process writes every
report.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
from pathlib import Path

PR_SET_DUMPABLE = 4


def make_undumpable() -> None:
    """Make this process's /proc entries (its pipes in /proc/PID/fd, its memory) unreachable to other processes of its uid.

    Submitted code runs in workers that may share the uid; without this a
    worker could open the process's answer pipe through /proc and forge an
    answer, or read its requests. Linux only; elsewhere nothing changes.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def serve() -> int:
    from checks.engine import report
    from checks.engine.runner import grading_environment, run_checks

    make_undumpable()
    answers = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from checks.engine import course

    with grading_environment():
        for line in sys.stdin:
            try:
                request = json.loads(line)
                identifier, folder, seed = str(request["id"]), Path(request["folder"]), int(request["seed"])
            except (ValueError, KeyError, TypeError):
                return 2  # not the pool talking: stop
            started = time.perf_counter()
            try:
                # Busy-polling for a worker's reply saves latency when a core is idle; in
                # bulk grading every core is busy, and polling steals the CPU the workers
                # need (measured: ~1 CPU-s less per correct submission without it).
                results = run_checks(folder, course.modules(), seed=seed, spin_seconds=0.0)
                document = report.gradescope(results, seconds=time.perf_counter() - started, seed=seed)
                answer = {"id": identifier, "ok": True, "document": document}
            except Exception as error:  # noqa: BLE001 - one submission never stops the process
                answer = {"id": identifier, "ok": False, "reason": f"the grader failed: {type(error).__name__}: {error}"}
            answers.write(json.dumps(report.safe_document(answer), ensure_ascii=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(serve())
