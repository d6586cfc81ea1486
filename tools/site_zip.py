"""The course site as a folder that works offline: ``python -m tools.site_zip [--out FILE]``.

Builds the site with ``RIDGE_LAB_OFFLINE=true`` (Material's offline plugin,
see ``docs/hooks/offline.py``) and every figure computed from ``solutions/``,
then writes ``dist/ridge-lab-site.zip``. The zip holds one folder,
``ridge-lab-site/``; unpacked anywhere (a USB stick, an LMS that serves
uploaded folders), its ``index.html`` opens in a browser straight from the
disk (``file://``) with styles, navigation, search, math, widgets and quizzes,
and nothing is fetched from the network.

The zip is reproducible: sorted members, fixed timestamps.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from checks.engine import course

ROOT = course.KIT_ROOT
DEFAULT_OUT = ROOT / "dist" / "ridge-lab-site.zip"
PREFIX = "ridge-lab-site"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """``mkdocs build`` failed; the message holds its output."""


def build_offline_site(dest: Path, kit: Path = ROOT) -> Path:
    """Build the offline copy of the site strictly into ``dest`` and return ``dest``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RIDGE_LAB_OFFLINE": "true", "RIDGE_LAB_FIGURES": "require"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=kit,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise BuildError(f"mkdocs build --strict failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return dest


def zip_folder(folder: Path, out: Path, prefix: str = PREFIX) -> Path:
    """Zip every file under ``folder`` as ``prefix/<path>``: sorted, fixed timestamps."""
    out.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(out)
    return out


def build_site_zip(out: Path = DEFAULT_OUT, kit: Path = ROOT) -> Path:
    """Build the offline site and zip it into ``out``."""
    with tempfile.TemporaryDirectory(prefix="ridge-lab-site-") as tmp:
        site = build_offline_site(Path(tmp) / "site", kit)
        return zip_folder(site, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site_zip", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the zip to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        out = build_site_zip(args.out)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    with zipfile.ZipFile(out) as zf:
        count = len(zf.namelist())
    print(f"wrote {out} ({count} files, {out.stat().st_size / 1e6:.1f} MB); unpack it and open {PREFIX}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
