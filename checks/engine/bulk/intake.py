"""Taking a class's submissions: one student per sub-folder or ``.zip``, only the exercise files taken.

Only the exercise files (``<module>.py`` for each module of the course) are
taken from a submission: the first match by name, anywhere inside, preferring
a folder named like the course's exercise folder and then the shallowest
path. Everything else, a ``checks/`` folder included, is ignored, so every
student is graded by the instructor's own checks. A zip is never extracted:
the files are read from it with size caps, so a zip bomb or a ``../`` path
costs nothing.

Folder and file names come from students and need not be UTF-8 or printable:
``display_name`` escapes them, and every name the kit writes (a report file,
a gradebook cell) is built from the escaped form.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from checks.engine import course
from checks.engine.sandbox.intake import read_regular_file

MAX_FILE_BYTES = 256 * 1024  # one exercise file; the reference modules are ~5 KB
MAX_ZIP_BYTES = 64 * 2**20  # the .zip file itself
MAX_ENTRIES = 20_000  # zip members or folder entries looked at
MAX_STEM_BYTES = 200  # a report's file name, well under the usual 255-byte limit


def exercise_files() -> tuple[str, ...]:
    return tuple(f"{module}.py" for module in course.modules())


def _preferred_folder() -> str:
    return course.exercises_folder_name()


def display_name(name: str | bytes) -> str:
    """``name`` as printable text: bytes that are not UTF-8 become ``\\xNN``, control characters ``\\xNN`` too.

    The result is the same on every machine for the same bytes, so a student
    keeps one name across runs and shards.
    """
    raw = os.fsencode(name)
    text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(c if c.isprintable() else "".join(f"\\x{b:02x}" for b in c.encode("utf-8")) for c in text)


def report_stem(student: str) -> str:
    """A file name (without ``.json``) for ``student``'s report: the name itself, unless it is too long."""
    encoded = student.encode("utf-8")
    if len(encoded) <= MAX_STEM_BYTES and student not in (".", ".."):
        return student
    digest = hashlib.sha256(encoded).hexdigest()[:16]
    return encoded[: MAX_STEM_BYTES - 17].decode("utf-8", errors="ignore") + "-" + digest


def _rank(parts: tuple[str, ...]) -> tuple:
    """Preference among candidates of one name: under the exercise folder, then shallow, then by path."""
    return (_preferred_folder() not in parts[:-1], len(parts), "/".join(parts))


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(part in ("__MACOSX", "__pycache__") or part.startswith(".") for part in parts[:-1])


@dataclass
class Taken:
    """What was taken from one submission."""

    files: dict[str, str] = field(default_factory=dict)  # name -> path inside the submission (escaped)
    sha256: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def reason(self) -> str:
        missing = [name for name in exercise_files() if name not in self.files]
        notes = list(self.notes)
        if len(missing) == len(exercise_files()):
            notes.insert(0, "none of the exercise files found")
        elif missing:
            notes.insert(0, f"missing {', '.join(missing)}")
        return "; ".join(notes)


def take_from_folder(source: Path, destination: Path) -> Taken:
    """Copy the exercise files found in the folder ``source`` (regular files only, never a link) to ``destination``."""
    wanted = set(exercise_files())
    candidates: dict[str, tuple[tuple, Path]] = {}
    seen = 0
    for directory, subdirectories, files in os.walk(source, followlinks=False):
        relative = Path(directory).relative_to(source).parts
        subdirectories[:] = sorted(d for d in subdirectories if not _ignored((*relative, d, "x")))
        seen += len(files) + len(subdirectories)
        if seen > MAX_ENTRIES:
            break
        for name in files:
            if name in wanted:
                parts = tuple(display_name(part) for part in (*relative, name))
                rank = _rank(parts)
                if name not in candidates or rank < candidates[name][0]:
                    candidates[name] = (rank, Path(directory) / name)
    taken = Taken()
    for name, (rank, path) in sorted(candidates.items()):
        data = read_regular_file(path, MAX_FILE_BYTES)
        if data is None:
            taken.notes.append(f"{rank[2]} is not a regular file of at most {MAX_FILE_BYTES // 1024} KB (ignored)")
            continue
        _store(taken, destination, name, rank[2], data)
    return taken


def take_from_zip(source: Path, destination: Path) -> Taken:
    """Read the exercise files from the zip ``source`` into ``destination``; never extract anything else.

    Raises ``ValueError`` when the file is not a readable zip.
    """
    if source.stat().st_size > MAX_ZIP_BYTES:
        raise ValueError(f"the zip is larger than {MAX_ZIP_BYTES // 2**20} MB")
    wanted = set(exercise_files())
    taken = Taken()
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_ENTRIES:
                raise ValueError(f"the zip holds more than {MAX_ENTRIES} entries")
            candidates: dict[str, tuple[tuple, zipfile.ZipInfo]] = {}
            for member in members:
                if member.is_dir():
                    continue
                parts = tuple(p for p in PurePosixPath(member.filename.replace("\\", "/")).parts if p not in ("", "/"))
                if not parts or parts[-1] not in wanted or _ignored(parts):
                    continue
                rank = _rank(tuple(display_name(part) for part in parts))
                if parts[-1] not in candidates or rank < candidates[parts[-1]][0]:
                    candidates[parts[-1]] = (rank, member)
            for name, (rank, member) in sorted(candidates.items()):
                where = rank[2]
                if member.file_size > MAX_FILE_BYTES:
                    taken.notes.append(f"{where} is larger than {MAX_FILE_BYTES // 1024} KB (ignored)")
                    continue
                try:
                    with archive.open(member) as stream:
                        data = stream.read(MAX_FILE_BYTES + 1)  # never trust the declared size
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as error:
                    taken.notes.append(f"{where} could not be read from the zip ({error})")
                    continue
                _store(taken, destination, name, where, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ValueError(f"not a readable zip file ({error})") from None
    return taken


def _store(taken: Taken, destination: Path, name: str, where: str, data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        taken.notes.append(f"{where} is larger than {MAX_FILE_BYTES // 1024} KB (ignored)")
        return
    descriptor = os.open(destination / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    taken.files[name] = where
    taken.sha256[name] = hashlib.sha256(data).hexdigest()


def take_submission(source: Path, destination: Path) -> Taken:
    """Put the exercise files of a submission (folder or ``.zip``) into ``destination`` (created, mode 0700)."""
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        return take_from_folder(source, destination)
    return take_from_zip(source, destination)


@dataclass(frozen=True)
class Student:
    """One submission: ``name`` (printable, unique in the class) and where it is."""

    name: str
    source: Path

    @property
    def folder_name(self) -> str:
        """The submission's own entry name, escaped (``alice.zip`` for a zip)."""
        return display_name(self.source.name)


def find_students(submissions: Path, out: Path | None = None) -> list[Student]:
    """One student per sub-folder or ``.zip`` of ``submissions`` (hidden entries and ``out`` excluded), sorted by name."""
    students: dict[str, Student] = {}
    skip = out.resolve() if out is not None else None
    for entry in sorted(submissions.iterdir(), key=lambda path: os.fsencode(path.name)):
        if entry.name.startswith(".") or (skip is not None and entry.resolve() == skip):
            continue
        if entry.is_dir() and not entry.is_symlink():
            raw = entry.name
        elif entry.name.lower().endswith(".zip") and entry.is_file():
            raw = entry.name[: -len(".zip")]
        else:
            continue
        name = display_name(raw)
        if name in students:  # alice/ and alice.zip, or two names that escape alike: keep both, apart
            name = display_name(entry.name)
            while name in students:
                name += "~"
        students[name] = Student(name, entry)
    return sorted(students.values(), key=lambda student: student.name)
