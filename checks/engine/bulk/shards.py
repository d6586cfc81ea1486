"""Grading a class on many machines: deterministic shards, and merging their results.

``in_shard(student, k, n)`` puts each student in exactly one of ``n``
shards by a stable hash of the student's name (the escaped submission name),
so every machine agrees without talking to the others. ``merge`` joins the
``--out`` folders of the shards into one folder whose ``gradebook.csv``,
``canvas.csv`` and ``report.html`` are the bytes one unsharded run writes;
it refuses shards graded with different checks or lock, a student graded
in two shards, and an incomplete or inconsistent set of shards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

from checks.engine.bulk import outputs
from checks.engine.bulk.gradebook import CANVAS_LAYOUTS, load_roster, read_reports
from checks.engine.bulk.intake import report_stem
from checks.engine.files import UsageError, write_atomic

MANIFEST = "shard.json"
PINNED_KEYS = ("checks_sha256", "lock_sha256")  # must agree across every report of a merge


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` → ``(K, N)`` with 1 ≤ K ≤ N; ``UsageError`` otherwise."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text}: give K/N, e.g. 1/4") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return k, n


def in_shard(student: str, k: int, n: int) -> bool:
    digest = hashlib.sha256(student.encode("utf-8", errors="surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def write_manifest(out: Path, k: int, n: int, students: int) -> None:
    write_atomic(out / MANIFEST, json.dumps({"shard": k, "of": n, "students": students}) + "\n")


def _check_shards(folders: list[Path]) -> None:
    manifests = []
    for folder in folders:
        path = folder / MANIFEST
        if path.is_file():
            try:
                manifests.append((folder, json.loads(path.read_text(encoding="utf-8"))))
            except ValueError:
                raise UsageError(f"{path} is unreadable") from None
    if not manifests:
        return
    if len(manifests) != len(folders):
        raise UsageError("some folders are shards (they hold shard.json) and some are not")
    counts = {manifest["of"] for _, manifest in manifests}
    if len(counts) != 1:
        raise UsageError(f"the shards split the class differently (N = {', '.join(map(str, sorted(counts)))})")
    n = counts.pop()
    given = sorted(manifest["shard"] for _, manifest in manifests)
    if given != list(range(1, n + 1)):
        missing = sorted(set(range(1, n + 1)) - set(given))
        twice = sorted({k for k in given if given.count(k) > 1})
        raise UsageError(
            f"shards of {n} do not add up:"
            + (f" missing {', '.join(map(str, missing))}" if missing else "")
            + (f" given twice {', '.join(map(str, twice))}" if twice else "")
        )


def merge(folders: list[Path], out: Path, *, roster=None, layout: str = "total") -> list[dict]:
    """Merge the shards' reports into ``out`` and write its gradebook, canvas.csv and report.html; return the reports."""
    _check_shards(folders)
    documents: list[dict] = []
    origin: dict[str, Path] = {}
    for folder in folders:
        if not (folder / "reports").is_dir():
            raise UsageError(f"no reports in {folder} (expected {folder / 'reports'}/)")
        for document in read_reports(folder / "reports"):
            student = document["extra_data"]["student"]
            if student in origin:
                raise UsageError(f"{student} was graded in both {origin[student]} and {folder}")
            origin[student] = folder
            documents.append(document)
    for key in PINNED_KEYS:
        seen = {document["extra_data"].get(key) for document in documents} - {None}
        if len(seen) > 1:
            raise UsageError(f"the shards were graded with different {key}: {', '.join(sorted(seen))}; grade them again alike")
    (out / "reports").mkdir(parents=True, exist_ok=True)
    for student, folder in origin.items():
        name = f"{report_stem(student)}.json"
        if (folder / "reports" / name).resolve() != (out / "reports" / name).resolve():
            shutil.copyfile(folder / "reports" / name, out / "reports" / name)
    documents.sort(key=lambda document: document["extra_data"]["student"])
    outputs.write_all(out, documents, roster or {}, layout)
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s merge-grades --", description="Merge the --out folders of shards into one.")
    parser.add_argument("folders", nargs="+", help="the --out folder of every shard")
    parser.add_argument("--out", required=True, help="the merged folder")
    parser.add_argument("--roster", help="CSV mapping submission folders to names and IDs (for canvas.csv)")
    parser.add_argument(
        "--canvas-columns", choices=CANVAS_LAYOUTS, default="total", help="canvas.csv: one column in all, or one per module"
    )
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    out = Path(arguments.out)
    try:
        roster = load_roster(Path(arguments.roster) if arguments.roster else None)
        documents = merge([Path(folder) for folder in arguments.folders], out, roster=roster, layout=arguments.canvas_columns)
    except (UsageError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"Merged {len(documents)} students from {len(arguments.folders)} folders into {out}/ (gradebook.csv, canvas.csv, report.html)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
