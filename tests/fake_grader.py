"""A stand-in grader process for the bulk grader's tests: answers at once, misbehaves on request.

It speaks the protocol of ``checks.engine.bulk.grader`` and grades a module
1/1 when its file is present. The first exercise file's text chooses a
misbehaviour: ``STOP`` (SIGSTOP itself), ``FORGE`` (answer with another
request's id), ``DIE`` (exit mid-request), ``HUGE`` (a line longer than
allowed), ``GARBAGE`` (a report whose score does not add up).
"""

import json
import os
import signal
import stat
import sys
from pathlib import Path

from checks.engine import course


def document(folder: Path) -> dict:
    tests = [
        {
            "name": f"{module}: present",
            "score": int(present),
            "max_score": 1,
            "status": "passed" if present else "failed",
            "output": "" if present else "missing",
            "tags": [module],
        }
        for module in course.modules()
        for present in [(folder / f"{module}.py").is_file()]
    ]
    modes = {
        "folder_mode": oct(stat.S_IMODE(folder.stat().st_mode)),
        "parent_mode": oct(stat.S_IMODE(folder.parent.stat().st_mode)),
    }
    return {
        "score": sum(t["score"] for t in tests),
        "max_score": len(tests),
        "tests": tests,
        "extra_data": {"kit_version": "fake", "checks_sha256": "fake", **modes},
    }


for line in sys.stdin:
    request = json.loads(line)
    folder = Path(request["folder"])
    first = folder / f"{course.modules()[0]}.py"
    text = first.read_text() if first.is_file() else ""
    if "STOP" in text:
        os.kill(os.getpid(), signal.SIGSTOP)
    if "DIE" in text:
        os._exit(3)
    if "HUGE" in text:
        sys.stdout.write("x" * (9 * 2**20) + "\n")
        sys.stdout.flush()
        continue
    answer = {"id": "forged" if "FORGE" in text else request["id"], "ok": True, "document": document(folder)}
    if "GARBAGE" in text:
        answer["document"]["score"] = 999
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
