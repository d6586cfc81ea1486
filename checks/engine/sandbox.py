"""Run submitted code in a worker subprocess, never in the grader's process.

``StudentModule(module_name, folder)`` starts ``worker.py`` for one module of a
submission; ``module.some_function(*args)`` sends the call to it and returns
what came back. Each module gets its own worker, so a module that crashes or
monkeypatches NumPy affects only its own checks.

Failures come back as exceptions of two kinds:

- ``StudentError`` (an ``Exception``): the student's function raised. Checks
  expect some of these (``ValueError`` for bad input); Hypothesis shrinks the
  others to a small example like any other failure.
- ``SubmissionUnavailable`` (a ``BaseException``, so Hypothesis neither
  retries nor shrinks it): the module is missing or does not import, the
  function is missing or not implemented, or the worker hung, crashed or used
  up the module's time budget. A function that hung or crashed once is not
  called again, so one infinite loop costs one time-out, not one per example.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import io
import os
import pickle
import resource
import select
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from checks.engine import course

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
CALL_TIMEOUT_SECONDS = 5.0
IMPORT_TIMEOUT_SECONDS = 10.0
MODULE_BUDGET_SECONDS = 30.0
MEMORY_LIMIT_BYTES = 4 * 2**30
CPU_LIMIT_SECONDS = 120
FILE_SIZE_LIMIT_BYTES = 64 * 2**20
MAX_REPLY_BYTES = 8 * 2**20  # the worker ships at most 100,000 numbers (~1 MB)
PROCESS_LIMIT = 32  # processes of one isolated worker's uid
UID_BASE, UID_COUNT = 62_000, 2_000
# Machine-wide, not $TMPDIR: uid leases must be seen by every grader process on the machine.
SHARED_TMP = (
    Path("/tmp") if Path("/tmp").is_dir() else Path(tempfile.gettempdir())
)  # one uid per concurrent worker on this machine
MAX_COPIED_BYTES = 4 * 2**20  # one submitted file copied into a worker's folder
_HEADER = struct.Struct(">Q")


class SubmissionUnavailable(BaseException):
    """The submission cannot answer this call; the check fails with ``str(self)``."""


class StudentError(Exception):
    """The student's function raised an exception.

    Attributes
    ----------
    function : str
        The function that raised.
    class_names : list of str
        Qualified names of the exception's classes, most derived first
        (``"builtins.ValueError"``, ...).
    message : str
        ``str()`` of the exception.
    args_given : tuple
        The positional arguments of the call.
    location : str
        ``file:line`` in the submission where it was raised, if known.
    """

    def __init__(self, function: str, class_names: list[str], message: str, args_given: tuple = (), location: str = ""):
        self.function = function
        self.class_names = class_names
        self.message = message
        self.args_given = args_given
        self.location = location
        super().__init__(f"{function} raised {self.type_name}: {message}")

    @property
    def type_name(self) -> str:
        return self.class_names[0].removeprefix("builtins.")

    @property
    def is_value_error(self) -> bool:
        return "builtins.ValueError" in self.class_names


@dataclass(frozen=True)
class Opaque:
    """A return value of a type that cannot cross the sandbox (shown by its repr)."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return self.text


@dataclass
class CallOutcome:
    """What one call returned and, when asked for, its positional arguments after the call."""

    value: object
    arguments_after: list = field(default_factory=list)


class _ClassFreeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refused to load {module}.{name}")


def _decode(item):
    """Invert ``worker.encode`` with fresh, trusted objects."""
    if not isinstance(item, tuple):
        return item
    kind = item[0]
    if kind == "ndarray":
        _, dtype, shape, data = item
        dtype = np.dtype(dtype)
        if dtype.kind not in "biufc":
            return Opaque("numpy.ndarray", f"array of dtype {dtype}")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if kind == "npscalar":
        _, dtype, value = item
        return np.dtype(dtype).type(value)
    if kind == "tuple":
        return tuple(_decode(element) for element in item[1])
    if kind == "list":
        return [_decode(element) for element in item[1]]
    return Opaque(str(item[1]), str(item[2]))


SPIN_SECONDS = 0.002
CPU_POLL_SECONDS = 0.25  # how often a waiting grader reads the worker's CPU time
WALL_FACTOR = 4  # a worker that sleeps is stopped after this many times its CPU allowance
REPLY_TRANSFER_SECONDS = 30.0  # once a reply has begun, the rest must follow within this
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _read_soon(fd: int, size: int, deadline: float) -> bytes:
    """Read up to ``size`` bytes from the non-blocking ``fd`` before ``deadline``.

    Most replies come within a few hundred microseconds, less than it takes
    a process asleep in ``select`` to be woken on a small VM, so poll briefly
    before sleeping: this halves the cost of a call.
    """
    spin_until = time.monotonic() + SPIN_SECONDS
    while True:
        try:
            return os.read(fd, size)
        except BlockingIOError:
            pass
        now = time.monotonic()
        if now >= deadline:
            raise TimeoutError
        if now >= spin_until:
            ready, _, _ = select.select([fd], [], [], deadline - now)
            if not ready:
                raise TimeoutError


def _limits(isolated: bool) -> list[tuple[int, int]]:
    """The resource limits of a worker: memory, file size, CPU time, no core dumps, processes."""
    limits = [
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES),
        (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS),  # a worker orphaned mid-loop still stops
        (resource.RLIMIT_CORE, 0),
    ]
    if isolated:  # counted per uid: only meaningful when the worker has a uid of its own
        limits.append((resource.RLIMIT_NPROC, PROCESS_LIMIT))
    return limits


# ---------------------------------------------------------------- isolation


@functools.cache
def isolation_level() -> str:
    """``"uid"`` when workers run under uids of their own (the grader is root), else ``"none"``.

    ``GRADER_ISOLATION=none`` turns isolation off (for debugging only).
    """
    if os.geteuid() != 0 or os.environ.get("GRADER_ISOLATION") == "none":
        return "none"
    _, can_isolate = _Zygote.get().ask(("probe", UID_BASE))
    return "uid" if can_isolate else "none"


def isolation_warning() -> str | None:
    """One line for the terminal when submissions cannot be isolated, else None."""
    if isolation_level() == "uid":
        return None
    return (
        "warning: not running as root, so submitted code runs under your own user and could tamper with "
        "grading; grade of record only as root (in a container or with sudo): see README.md"
    )


class _UidLease:
    """A uid no other worker on this machine holds, leased through a lock file until ``release``."""

    def __init__(self):
        folder = SHARED_TMP / f".{course.slug()}-uids"
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
            raise RuntimeError(f"{folder} is not a private root-owned folder; remove it")
        start = os.getpid() % UID_COUNT  # spread concurrent graders over the range
        for offset in range(UID_COUNT):
            uid = UID_BASE + (start + offset) % UID_COUNT
            handle = os.open(folder / str(uid), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            self.uid, self._handle = uid, handle
            return
        raise RuntimeError("every sandbox uid is in use")

    def release(self) -> None:
        os.close(self._handle)


def private_copy(folder: Path, destination: Path, uid: int) -> None:
    """Copy the submission's top-level ``*.py`` files into ``destination``, owned by ``uid`` alone."""
    for source in sorted(folder.glob("*.py")):
        try:
            if not source.is_file() or source.stat().st_size > MAX_COPIED_BYTES:
                continue
            target = destination / source.name
            shutil.copyfile(source, target, follow_symlinks=False)
            os.chown(target, uid, uid)
            os.chmod(target, 0o600)
        except OSError:
            continue  # an unreadable file is as good as missing: its module reports that
    os.chown(destination, uid, uid)
    os.chmod(destination, 0o700)


def protect_kit() -> None:
    """Make the kit's folders unreadable to workers (isolated grading only).

    Every top-level folder of the kit except virtual environments becomes
    owner-only, so a worker's uid cannot read the checks, the reference or
    the tests, however it finds their path. The environments stay readable:
    workers import NumPy from them.
    """
    if isolation_level() != "uid":
        return
    for entry in course.KIT_ROOT.iterdir():
        if not entry.is_dir() or entry.is_symlink() or entry.name in {".nox", ".venv"} or (entry / "pyvenv.cfg").exists():
            continue
        try:
            if entry.stat().st_mode & 0o077:
                entry.chmod(0o700)
        except OSError:
            pass


class _Zygote:
    """The process that forks workers (``worker.py --zygote``), one per grader process.

    It imports Python and NumPy once; each worker is then a fork of it.
    Started on first use, and again if it ever dies.
    """

    _current: _Zygote | None = None

    def __init__(self):
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT), "--zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        theirs.close()

    @classmethod
    def get(cls) -> _Zygote:
        if cls._current is None or cls._current.process.poll() is not None:
            cls._current = cls()
            atexit.register(cls._current.close)
        return cls._current

    def ask(self, message, fds=()):
        socket.send_fds(self.control, [pickle.dumps(message, protocol=5)], list(fds))
        self.control.settimeout(30)
        return _ClassFreeUnpickler(io.BytesIO(self.control.recv(1 << 16))).load()

    def close(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "stopped responding"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        hint = " (out of memory?)" if name == "SIGKILL" else ""
        return f"crashed with {name}{hint}"
    return f"ended the process with exit status {returncode} (os._exit or a crash)"


class _Worker:
    """One worker process, forked by the zygote: exchange framed messages, kill."""

    def __init__(self, folder: Path, module: str):
        self.lease = _UidLease() if isolation_level() == "uid" else None
        # An isolated worker's folder must be reachable by its uid: never inside a private TMPDIR.
        where = str(SHARED_TMP) if self.lease is not None else None
        self.scratch = tempfile.TemporaryDirectory(prefix=f"{course.slug()}-worker-", dir=where)
        self.zygote = _Zygote.get()
        uid = None
        if self.lease is not None:
            uid = self.lease.uid
            private_copy(folder, Path(self.scratch.name), uid)
            folder = Path(self.scratch.name)  # the worker sees only its own copy
        request_read, self.requests = os.pipe()
        self.replies, reply_write = os.pipe()
        try:
            _, self.pid = self.zygote.ask(
                ("spawn", str(folder), module, self.scratch.name, _limits(uid is not None), uid),
                fds=(request_read, reply_write),
            )
        finally:
            os.close(request_read)
            os.close(reply_write)
        os.set_blocking(self.replies, False)
        self.started = time.monotonic()

    def send(self, message) -> None:
        payload = pickle.dumps(message, protocol=5)
        try:
            os.write(self.requests, _HEADER.pack(len(payload)) + payload)
        except OSError:
            pass  # the reply read will notice the dead worker

    def cpu_seconds(self) -> float | None:
        """CPU time the worker has used since it was forked (None where ``/proc`` cannot tell)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, ValueError, IndexError):
            return None

    def receive(self, timeout: float, *, since_start: bool = False):
        """Return the next reply; ``EOFError`` if the worker died.

        ``TimeoutError`` once the worker has used ``timeout`` seconds of CPU
        time on this request (``since_start``: since it was forked), or
        ``WALL_FACTOR`` times as long in wall-clock time (a worker that
        sleeps). Counting CPU time, not wall time, keeps verdicts the same on
        a busy machine: a correct answer is never cut off because other
        processes held the CPU.
        """
        self._await_reply(timeout, since_start)
        deadline = time.monotonic() + REPLY_TRANSFER_SECONDS
        header = self._read_exactly(_HEADER.size, deadline)
        (size,) = _HEADER.unpack(header)
        if size > MAX_REPLY_BYTES:
            raise EOFError("reply too large")
        return _ClassFreeUnpickler(io.BytesIO(self._read_exactly(size, deadline))).load()

    def _await_reply(self, timeout: float, since_start: bool) -> None:
        started = self.started if since_start else time.monotonic()
        spin_until = time.monotonic() + SPIN_SECONDS
        while time.monotonic() < spin_until:  # most replies come within microseconds
            if select.select([self.replies], [], [], 0)[0]:
                return
        cpu_start = 0.0 if since_start else self.cpu_seconds()
        while True:
            if select.select([self.replies], [], [], CPU_POLL_SECONDS)[0]:
                return
            wall = time.monotonic() - started
            if wall > WALL_FACTOR * timeout:
                raise TimeoutError
            cpu = self.cpu_seconds()
            used = wall if cpu is None or cpu_start is None else cpu - cpu_start
            if used > timeout:
                raise TimeoutError

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = _read_soon(self.replies, size - len(data), deadline)
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def kill(self) -> int | None:
        """Kill the worker and everything it started (every process of its uid); return its exit code."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.lease is not None:
            try:
                self.zygote.ask(("kill-uid", self.lease.uid))
            except (OSError, EOFError, pickle.UnpicklingError):
                pass
        try:
            _, returncode = self.zygote.ask(("wait", self.pid))
        except (OSError, EOFError, pickle.UnpicklingError):
            returncode = None
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        self.scratch.cleanup()
        if self.lease is not None:
            self.lease.release()
        return returncode


class StudentModule:
    """A proxy for one submitted module; attribute access gives callable functions.

    Parameters
    ----------
    name : str
        The module's name (its file without ``.py``).
    folder : Path
        The submission folder holding ``<name>.py``.
    refusal : str, optional
        Why the module must not be run at all (every call then fails with it).
    """

    def __init__(self, name: str, folder: Path, refusal: str | None = None):
        self.name = name
        self.folder = Path(folder).resolve()
        self.path = self.folder / f"{name}.py"
        self._worker: _Worker | None = None
        self._ready = False
        self._unavailable: str | None = None  # why every call fails
        self._broken: dict[str, str] = {}  # function -> why it is not called again
        self._spent = 0.0
        self.memo: dict = {}  # what checks learned about this module (e.g. its diagnoses)
        if not self.path.is_file():
            self._unavailable = f"{self.path.name} is missing from the submission folder"
        elif refusal is not None:
            self._unavailable = refusal

    def start(self) -> None:
        """Start the worker now (so it imports NumPy while pytest collects)."""
        if self._unavailable is None and self._worker is None:
            self._worker = _Worker(self.folder, self.name)
            self._ready = False

    def close(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def __getattr__(self, function: str):
        if function.startswith("_"):
            raise AttributeError(function)
        return lambda *args, **kwargs: self.outcome(function, *args, **kwargs).value

    def outcome(self, function: str, *args, echo_arguments: bool = False, **kwargs) -> CallOutcome:
        """Call ``function`` in the worker; return its value (and, if asked, the arguments after the call)."""
        self._ensure_ready()
        if function in self._broken:
            raise SubmissionUnavailable(self._broken[function])
        if self._spent > MODULE_BUDGET_SECONDS:
            raise SubmissionUnavailable(
                f"{self.name}.py used up its {MODULE_BUDGET_SECONDS:.0f} s time budget: look for a very slow loop"
            )
        worker = self._worker
        worker.send(("call", function, args, kwargs, echo_arguments))
        began = self._clock(worker)
        try:
            reply = worker.receive(CALL_TIMEOUT_SECONDS)
        except TimeoutError:
            self._spent += self._clock(worker) - began
            self._retire_worker()
            self._broken[function] = (
                f"{function} did not return within {CALL_TIMEOUT_SECONDS:.0f} s (an infinite loop?); "
                "it was stopped and is not called again"
            )
            raise SubmissionUnavailable(self._broken[function]) from None
        except (EOFError, pickle.UnpicklingError, ValueError, struct.error):
            how = _describe_exit(self._retire_worker())
            self._broken[function] = f"calling {function} {how}; it is not called again"
            raise SubmissionUnavailable(self._broken[function]) from None
        self._spent += self._clock(worker) - began
        return self._interpret(function, args, reply)

    @staticmethod
    def _clock(worker: _Worker) -> float:
        """The worker's CPU time (wall time where it cannot be read): the module's budget is CPU time."""
        cpu = worker.cpu_seconds()
        return time.monotonic() if cpu is None else cpu

    def _interpret(self, function: str, args: tuple, reply) -> CallOutcome:
        kind = reply[0] if isinstance(reply, tuple) and reply else None
        if kind == "returned":
            echoed = reply[2] if isinstance(reply[2], list) else []
            return CallOutcome(_decode(reply[1]), [_decode(item) for item in echoed])
        if kind == "raised":
            class_names, message, location = list(reply[1]), str(reply[2]), str(reply[3])
            if "builtins.NotImplementedError" in class_names:
                raise SubmissionUnavailable(f"{function} is not implemented yet (it raises NotImplementedError)")
            if "builtins.SystemExit" in class_names:
                self._broken[function] = f"{function} called sys.exit({message}); a function must return, not exit"
                raise SubmissionUnavailable(self._broken[function])
            raise StudentError(function, class_names, message, args, location)
        if kind == "missing":
            self._broken[function] = f"{self.path.name} has no function named {function}"
            raise SubmissionUnavailable(self._broken[function])
        self._retire_worker()
        self._broken[function] = f"calling {function} broke the connection to the grader; it is not called again"
        raise SubmissionUnavailable(self._broken[function])

    def _ensure_ready(self) -> None:
        if self._unavailable is not None:
            raise SubmissionUnavailable(self._unavailable)
        if self._worker is None:
            self.start()
        if self._ready:
            return
        worker = self._worker
        try:
            reply = worker.receive(IMPORT_TIMEOUT_SECONDS, since_start=True)
        except TimeoutError:
            self._retire_worker()
            self._unavailable = f"importing {self.path.name} took longer than {IMPORT_TIMEOUT_SECONDS:.0f} s"
            raise SubmissionUnavailable(self._unavailable) from None
        except (EOFError, pickle.UnpicklingError, ValueError, struct.error):
            how = _describe_exit(self._retire_worker())
            self._unavailable = f"importing {self.path.name} {how}"
            raise SubmissionUnavailable(self._unavailable) from None
        if reply[0] == "import-failed":
            self._retire_worker()
            self._unavailable = f"{self.path.name} could not be imported: {reply[1]}"
            raise SubmissionUnavailable(self._unavailable)
        self._ready = True

    def _retire_worker(self) -> int | None:
        worker, self._worker, self._ready = self._worker, None, False
        return worker.kill() if worker is not None else None
