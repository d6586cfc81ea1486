"""GitHub Classroom, one module's step: grade it in the verified grading folder.

Copied there by the workflow; run as ``python -I grade_module.py MODULE``.
Exit status 0 when every check of the module passes, else 1 (the command
grader's pass/fail), with the grader's table on stderr.
"""

import pathlib
import subprocess
import sys

work = pathlib.Path(__file__).resolve().parent
module = sys.argv[1]
marker = work / "CHECKS-MODIFIED"
if marker.exists():
    print(marker.read_text(), file=sys.stderr)
    sys.exit(1)
done = subprocess.run(
    [sys.executable, "-m", "checks.engine.grade", "submission", "--only", module, "--report", f"report-{module}.json"],
    cwd=work,
    stdout=subprocess.PIPE,
    stderr=subprocess.STDOUT,
    text=True,
)
print(done.stdout, file=sys.stdout if done.returncode == 0 else sys.stderr)
sys.exit(0 if done.returncode == 0 else 1)
