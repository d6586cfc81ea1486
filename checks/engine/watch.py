"""Watch mode: ``python -m checks.engine.watch [PATH]`` (``python3 noxw.py -s watch``).

Grades every module once, then polls the exercise files' modification times
and re-grades just the module whose file was saved, clearing the screen and
showing the whole table again. Every result is also stored in the grading
cache (``checks.engine.cache``), so the next ``grade`` does not grade an
unchanged module again. Polling (not file-system notifications, which
miss events on some file systems) every 0.2 s; the checks stay imported
between runs, so a result appears well within a second of the save.
Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from checks.engine import cache, course, report, runner

CLEAR_SCREEN = "\033[2J\033[H"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _show(folder: str, results: dict[str, list], note: str) -> None:
    flat = [result for module in course.modules() for result in results.get(module, [])]
    print((CLEAR_SCREEN if sys.stdout.isatty() else "\n" + "=" * 60 + "\n") + f"{course.name()}: watching {folder}  ({note})")
    print(report.table(flat))
    print(report.progress(flat, graded_all=True))
    print("Save a file to re-grade it; Ctrl-C to stop.", flush=True)


def _keep(folder: Path, modules, results: list) -> None:
    """Store the results of ``modules`` for the next ``grade`` (where the cache serves this user)."""
    if cache.enabled():
        for module in modules:
            cache.store(folder, module, results)


def watch(folder: Path, label: str, interval: float = 0.2, rounds: int | None = None) -> None:
    """Grade, then re-grade changed modules until interrupted (or ``rounds`` polls, for tests)."""
    modules = course.modules()
    paths = {module: folder / f"{module}.py" for module in modules}
    with runner.grading_environment():
        results: dict[str, list] = {}
        graded = runner.run_checks(folder, modules)
        _keep(folder, modules, graded)
        for result in graded:
            results.setdefault(result.module, []).append(result)
        stamps = {module: _stamp(path) for module, path in paths.items()}
        _show(label, results, "all modules graded")
        polls = 0
        while rounds is None or polls < rounds:
            polls += 1
            time.sleep(interval)
            changed = [module for module, path in paths.items() if _stamp(path) != stamps[module]]
            if not changed:
                continue
            began = time.perf_counter()
            for module in changed:
                stamps[module] = _stamp(paths[module])
                results[module] = runner.run_checks(folder, (module,))
                _keep(folder, (module,), results[module])
            _show(label, results, f"re-graded {', '.join(changed)} in {time.perf_counter() - began:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{report.command('watch')} --", description="Re-grade a module each time its file is saved."
    )
    parser.add_argument(
        "path", nargs="?", default=course.exercises_folder_name(), help="submission folder (default: %(default)s)"
    )
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between polls (default 0.2)")
    arguments = parser.parse_args(argv)
    folder = Path(arguments.path)
    if not folder.is_dir():
        print(f"error: no such folder: {folder}", file=sys.stderr)
        return 2
    try:
        watch(folder.resolve(), arguments.path, arguments.interval)
    except KeyboardInterrupt:
        print("\nStopped watching.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
