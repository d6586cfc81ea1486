"""The security boundary: where a submission's code runs, under which limits, and how all of it dies.

Three levels, chosen once per process by ``isolation_level``:

``"jail"`` (the grader is root and bubblewrap works)
    One jail per graded submission: a zygote (``worker.py --zygote``) runs
    inside ``bwrap`` under a uid leased machine-wide, with its own root (a
    tmpfs holding read-only views of the interpreter, the grading
    environment, the worker's two files and the submission's copied files),
    size-capped private ``/tmp`` and ``/dev/shm``, and its own PID, IPC,
    network, UTS and user namespaces: no host file, process or network is
    there. Each module's workers are forked by that zygote; when the module
    is done every other process in the jail is killed and, if the module
    left anything behind (a file in ``/tmp`` or ``/dev/shm``, System V
    IPC), the whole jail is thrown away and the next module gets a new one.
``"uid"`` (root, but namespaces are refused, e.g. in some containers)
    The zygote runs outside, as root; each worker drops to the leased uid.
``"none"`` (not root: a student's own run)
    The zygote and its workers run as the user who grades.

Limits (per process: memory, file size, CPU, core dumps, processes of the
uid) are set before the zygote starts. Where the kernel offers a cgroup, the
jail's whole process tree is put in one, and its CPU time (children and
daemons included) is what the call and module limits count.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

from checks.engine import course
from checks.engine.sandbox import protocol

HERE = Path(__file__).resolve().parent
WORKER_FILES = (HERE / "worker.py", HERE / "protocol.py")
MEMORY_LIMIT_BYTES = 4 * 2**30
CPU_LIMIT_SECONDS = 120
FILE_SIZE_LIMIT_BYTES = 64 * 2**20
PROCESS_LIMIT = 32
TMPFS_BYTES = 64 * 2**20  # each of the jail's /tmp and /dev/shm
UID_BASE, UID_COUNT = 62_000, 2_000
# Machine-wide, not $TMPDIR: uid leases must be seen by every grader process on the machine.
LEASE_FOLDER = Path("/tmp") / f".{course.slug()}-sandbox-uids"
INSIDE_SUBMISSION, INSIDE_GRADER = "/submission", "/grader"
_LIBC = ctypes.CDLL(None, use_errno=True)
_CLONE_NEWNS, _MS_REC, _MS_PRIVATE, _MS_BIND = 0x00020000, 0x4000, 1 << 18, 0x1000
_STAGE = "/mnt" if os.path.isdir("/mnt") else "/media"


def limits(processes: bool) -> list[tuple[int, int]]:
    """The per-process resource limits of everything a submission runs."""
    chosen = [
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES),
        (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS),  # a worker orphaned mid-loop still stops
        (resource.RLIMIT_CORE, 0),
    ]
    if processes:  # counted per uid: only meaningful under a leased uid
        chosen.append((resource.RLIMIT_NPROC, PROCESS_LIMIT))
    return chosen


# ---------------------------------------------------------------- levels


def bwrap() -> str | None:
    return shutil.which("bwrap")


@functools.cache
def isolation_level() -> str:
    """``"jail"``, ``"uid"`` or ``"none"`` for this process (see the module's docstring).

    ``GRADER_ISOLATION=uid`` or ``none`` lowers the level (for debugging and
    for the tests of the fallbacks); it can never raise it.
    """
    if os.geteuid() != 0:
        return "none"
    wanted = os.environ.get("GRADER_ISOLATION", "jail")
    if wanted == "none":
        return "none"
    if wanted != "uid" and bwrap() is not None and _jail_works():
        return "jail"
    return "uid" if _uid_works() else "none"


def _uid_works() -> bool:
    pid = os.fork()
    if pid == 0:
        try:
            _become(UID_BASE)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _jail_works() -> bool:
    lease = UidLease()
    try:
        probe = start_jailed(python_paths(), ["-I", "-c", "pass"], lease.uid, None, [])
        return probe.wait(timeout=30) == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        kill_uid(lease.uid)
        lease.release()


def warning() -> str | None:
    """One line for the terminal when a grade of record cannot be sealed, else None."""
    level = isolation_level()
    if level == "jail":
        return None
    if level == "uid":
        return (
            "warning: bubblewrap is missing or namespaces are refused here, so submitted code runs under a uid of its own"
            " but sees this machine's files; install bubblewrap (apt-get install bubblewrap) for a sealed grade of record"
        )
    return (
        "warning: not running as root, so submitted code runs under your own user and could tamper with "
        "grading; grade of record only as root (in a container or with sudo): see README.md"
    )


# ---------------------------------------------------------------- uids


def _become(uid: int) -> None:
    """Drop every privilege: no supplementary groups, ``uid`` as user and group."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


class UidLease:
    """A uid no other grading on this machine holds, leased through a lock file until ``release``."""

    def __init__(self):
        try:
            LEASE_FOLDER.mkdir(mode=0o700)
        except FileExistsError:
            pass
        info = LEASE_FOLDER.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
            raise RuntimeError(f"{LEASE_FOLDER} is not a private root-owned folder; remove it")
        start = os.getpid() % UID_COUNT  # spread concurrent graders over the range
        for offset in range(UID_COUNT):
            uid = UID_BASE + (start + offset) % UID_COUNT
            handle = os.open(LEASE_FOLDER / str(uid), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            self.uid, self._handle = uid, handle
            kill_uid(uid)  # whatever a crashed grader left running as this uid
            return
        raise RuntimeError("every sandbox uid is in use")

    def release(self) -> None:
        os.close(self._handle)


def kill_uid(uid: int) -> bool:
    """Kill every process running as ``uid`` (from a child that takes the uid and calls ``kill(-1)``)."""
    if not _processes_of(uid):
        return True
    pid = os.fork()
    if pid == 0:
        try:
            _become(uid)
            for _ in range(10_000):  # a forking process may add one more while we kill
                os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            os._exit(0)  # none left
        except BaseException:
            os._exit(1)
        os._exit(2)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _processes_of(uid: int | None) -> list[int]:
    """The live pids of ``uid`` (of any sandbox uid when None); where there is no ``/proc``, assume some."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return [-1]
    for entry in entries:
        if entry.isdigit():
            try:
                owner = os.stat(f"/proc/{entry}").st_uid
            except OSError:
                continue
            if (owner == uid or (uid is None and UID_BASE <= owner < UID_BASE + UID_COUNT)) and not _is_zombie(entry):
                found.append(int(entry))
    return found


def _is_zombie(pid: str) -> bool:
    """A process that has exited and waits only to be reaped (by whoever inherited it): it runs nothing."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def sandbox_processes(started_from: str = "") -> list[int]:
    """The live processes of any sandbox uid (none once every grading is done), of this kit's worker by default.

    ``started_from``: a text their command line holds; by default this
    package's folder or the jail's ``/grader/``, so that another copy of a
    grader on the same machine is not counted.
    """
    found = []
    for pid in _processes_of(None):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if (started_from and started_from in command) or (
            not started_from and (str(HERE) in command or INSIDE_GRADER + "/" in command)
        ):
            found.append(pid)
    return found


# ---------------------------------------------------------------- cgroups


class ProcessTree:
    """A cgroup holding everything a jail runs, where the kernel lets us make one; else nothing.

    ``cpu_seconds`` is the CPU time of the whole tree (children and daemons
    included, also those already gone), or None where there is no cgroup.
    """

    def __init__(self, name: str):
        self.folders: list[Path] = []
        self._usage: tuple[Path, str] | None = None
        self._usage_fd: int | None = None
        unified = Path("/sys/fs/cgroup/cgroup.controllers")
        try:
            if unified.is_file():
                folder = _fresh(Path("/sys/fs/cgroup") / _own_cgroup("") / name)
                self.folders.append(folder)
                self._usage = (folder / "cpu.stat", "usage_usec")
                (folder / "pids.max").write_text(str(PROCESS_LIMIT))
            else:
                for controller in ("cpuacct", "pids", "memory"):
                    base = Path("/sys/fs/cgroup") / controller
                    if not base.is_dir():
                        continue
                    folder = _fresh(base / _own_cgroup(controller) / name)
                    self.folders.append(folder)
                    if controller == "cpuacct":
                        self._usage = (folder / "cpuacct.usage", "")
                    elif controller == "pids":
                        (folder / "pids.max").write_text(str(PROCESS_LIMIT))
                    else:
                        (folder / "memory.limit_in_bytes").write_text(str(MEMORY_LIMIT_BYTES))
        except OSError:
            pass  # as much of it as the kernel allows

    def join(self) -> None:
        """Put the calling process in the tree (called in the child, before exec)."""
        for folder in self.folders:
            try:
                (folder / "cgroup.procs").write_text("0")
            except OSError:
                pass

    def cpu_seconds(self) -> float | None:
        if self._usage is None:
            return None
        path, key = self._usage
        try:
            if self._usage_fd is None:  # held open: the grader reads it two or three times per call
                self._usage_fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            text = os.pread(self._usage_fd, 4096, 0).decode()
            if not key:
                return int(text) / 1e9
            for line in text.splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value) / 1e6
        except (OSError, ValueError):
            return None
        return None

    def remove(self) -> None:
        """Remove the cgroup; one still busy is left for the next lease of the same uid to replace."""
        if self._usage_fd is not None:
            os.close(self._usage_fd)
            self._usage_fd = None
        for folder in self.folders:
            for _ in range(20):  # the last processes may take a moment to leave
                try:
                    folder.rmdir()
                    break
                except OSError:
                    time.sleep(0.002)


def _fresh(folder: Path) -> Path:
    """Create ``folder``, first removing an empty one a killed grader left with the same name."""
    try:
        folder.rmdir()
    except OSError:
        pass
    folder.mkdir()
    return folder


def _own_cgroup(controller: str) -> str:
    """This process's cgroup path under ``controller`` ("" for the unified hierarchy), relative."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller == "" and names == "") or controller in names.split(","):
            return path.lstrip("/")
    return ""


# ---------------------------------------------------------------- the jail


def _bwrap_command(binds: dict[str, str], python: str, arguments: list[str]) -> list[str]:
    """bubblewrap's command line: ``binds`` maps a staged source to where the jail sees it, read-only."""
    command = [bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    # The private /tmp first: a bind below it (an environment in /tmp) must be mounted on top of it, not hidden by it.
    command += ["--proc", "/proc", "--dev", "/dev"]
    command += ["--size", str(TMPFS_BYTES), "--tmpfs", "/tmp", "--size", str(TMPFS_BYTES), "--tmpfs", "/dev/shm"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/libx32", "/etc/alternatives"):
        if os.path.isdir(system):
            command += ["--ro-bind", system, system]
    for source, inside in binds.items():
        command += ["--ro-bind", source, inside]
    command += ["--chdir", "/tmp", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp"]
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        command += ["--setenv", variable, "1"]
    return [*command, python, *arguments]


def _enter(uid: int, sources: dict[str, str], tree: ProcessTree | None, process_limits: list) -> callable:
    """The child's last steps before exec: join the cgroup, stage the binds, set limits, drop to ``uid``.

    A source under a folder the uid cannot enter (a Python installed under
    ``/root``) is reached by bubblewrap through a private mount namespace in
    which each source is bound onto ``_STAGE/<n>``: the names in ``sources``.
    """

    def enter() -> None:
        if tree is not None:
            tree.join()
        if sources:
            if _LIBC.unshare(_CLONE_NEWNS) != 0 or _LIBC.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
                raise OSError(ctypes.get_errno(), "cannot make a private mount namespace")
            handles = {staged: os.open(source, os.O_PATH | os.O_CLOEXEC) for staged, source in sources.items()}
            if _LIBC.mount(b"tmpfs", _STAGE.encode(), b"tmpfs", 0, b"mode=0755") != 0:
                raise OSError(ctypes.get_errno(), "cannot mount the staging tmpfs")
            for staged, handle in handles.items():
                if os.path.isdir(f"/proc/self/fd/{handle}"):
                    os.mkdir(staged, 0o755)
                else:
                    os.close(os.open(staged, os.O_CREAT | os.O_WRONLY, 0o644))
                if _LIBC.mount(f"/proc/self/fd/{handle}".encode(), staged.encode(), None, _MS_BIND | _MS_REC, None) != 0:
                    raise OSError(ctypes.get_errno(), f"cannot bind {staged}")
        for limit, value in process_limits:
            resource.setrlimit(limit, (value, value))
        _become(uid)

    return enter


def start_jailed(inside: dict[str, str], arguments: list[str], uid: int, tree: ProcessTree | None, fds: list[int]):
    """Start this interpreter with ``arguments`` in a new jail that sees each ``inside`` source at its value."""
    sources = {f"{_STAGE}/{number}": source for number, source in enumerate(inside)}
    binds = {staged: inside[source] for staged, source in sources.items()}
    return subprocess.Popen(
        _bwrap_command(binds, sys.executable, arguments),
        pass_fds=fds,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_enter(uid, sources, tree if tree is not None and tree.folders else None, limits(True)),
    )


def python_paths() -> dict[str, str]:
    """What the worker's interpreter needs, by real path: the installation and the environment."""
    needed = {os.path.realpath(path) for path in (sys.base_prefix, sys.prefix)}
    executable = os.path.realpath(sys.executable)
    if not any(executable.startswith(folder + os.sep) for folder in needed):
        needed.add(os.path.dirname(executable))
    return {path: path for path in sorted(needed)}


class Jail:
    """One zygote inside bubblewrap, for one submission; ``close`` kills all of it.

    Parameters
    ----------
    submission : Path
        The staged copy of the submission (``intake.StagedSubmission.folder``),
        seen inside as ``/submission``.
    control : socket.socket
        The zygote's end of the control socket (inherited through bwrap).
    """

    def __init__(self, submission: Path, control: socket.socket):
        self.lease = UidLease()
        self.tree = ProcessTree(f"{course.slug()}-{self.lease.uid}")  # one per uid: a stale one is replaced
        inside = {**python_paths(), str(submission): INSIDE_SUBMISSION}
        inside.update({str(path): f"{INSIDE_GRADER}/{path.name}" for path in WORKER_FILES})
        arguments = ["-I", f"{INSIDE_GRADER}/worker.py", "--zygote", str(control.fileno()), "--jailed"]
        self.process = start_jailed(inside, arguments, self.lease.uid, self.tree, [control.fileno()])

    def close(self) -> None:
        """Kill every process of the jail (its PID namespace dies with bwrap), then release the uid."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 1  # the namespace's processes die with its init, within milliseconds
        while _processes_of(self.lease.uid) and time.monotonic() < deadline:
            time.sleep(0.002)
        kill_uid(self.lease.uid)  # anything still running as the uid (nothing should be)
        self.tree.remove()
        self.lease.release()


def describe(level: str) -> str:
    return {"jail": "bubblewrap jail", "uid": "uid of its own", "none": "no isolation"}[level]


__all__ = ["Jail", "UidLease", "ProcessTree", "isolation_level", "warning", "kill_uid", "limits", "protocol"]
