"""Submitted code runs here, never in the grader's process.

The package has four parts, each with one job:

- ``jail``: the security boundary (bubblewrap, leased uids, limits, cgroups, kill);
- ``intake``: taking a submission's files in without following a link or reading without bound;
- ``protocol``: the bounded wire format, shared by both sides (``worker.py`` imports it inside the jail);
- ``transport`` and ``proxy``: the grader's end of the wire, and the module proxies the checks call.
"""

from checks.engine.sandbox.jail import isolation_level, warning
from checks.engine.sandbox.protocol import Opaque
from checks.engine.sandbox.proxy import CallOutcome, StudentError, StudentModule, Submission, SubmissionUnavailable

__all__ = [
    "CallOutcome",
    "Opaque",
    "StudentError",
    "StudentModule",
    "Submission",
    "SubmissionUnavailable",
    "isolation_level",
    "warning",
]
