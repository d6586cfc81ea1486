"""The sandbox worker: imports one submitted module and calls it on request.

Started by ``checks.engine.sandbox`` as ``python -I worker.py --zygote FD``
(inside a jail, or outside it where no jail can be made), never imported by
the grader: that process (the zygote) forks one worker per submitted module.
It uses only the standard library, NumPy and ``protocol.py`` beside it, and
takes references to everything it needs before the student's module is
imported, so a module that monkeypatches ``numpy`` or ``struct`` changes only
its own results, never the protocol. Messages both ways are frames of
``protocol.py``; the zygote's control messages too.
"""

import builtins
import importlib
import importlib.util
import os
import resource
import select
import signal
import socket
import sys
import time
import traceback

# Bound before the submission is imported, which may replace builtins in its own process.
from builtins import callable, getattr, len, list, str  # noqa: UP029

import numpy  # noqa: F401 - loaded once here, so that each forked worker has it

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("_grader_protocol", os.path.join(_here, "protocol.py"))
protocol = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(protocol)
del _spec

_type = builtins.type
_encode, _decode, _frame = protocol.encode, protocol.decode, protocol.frame
_read = os.read
_select = select.select
_monotonic = time.monotonic
_MAX_TEXT = protocol.MAX_TEXT
_PR_SET_DUMPABLE = 4
# Modules a submission may import, loaded here once: an isolated worker runs
# under a uid that may not be able to read the interpreter's own library.
PRELOADED = (
    "__future__",
    "abc",
    "array",
    "bisect",
    "cmath",
    "collections",
    "collections.abc",
    "contextlib",
    "copy",
    "dataclasses",
    "decimal",
    "enum",
    "fractions",
    "functools",
    "heapq",
    "itertools",
    "math",
    "numbers",
    "operator",
    "random",
    "datetime",
    "glob",
    "inspect",
    "io",
    "json",
    "pathlib",
    "re",
    "site",
    "statistics",
    "string",
    "struct",
    "textwrap",
    "types",
    "typing",
    "unittest",
    "warnings",
    "numpy.linalg",
    "numpy.random",
    "numpy.fft",
    "numpy.testing",
)


def _become(uid):
    """Drop every privilege: no supplementary groups, ``uid`` as user and group."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


_CLONE_NEWNS, _MS_REC, _MS_PRIVATE, _MS_BIND = 0x00020000, 0x4000, 1 << 18, 0x1000


def _open_the_interpreter():
    """Let an unprivileged uid read the interpreter and its environment, in a mount namespace of its own.

    A Python installed under a private folder (``/root/.pyenv``, mode 0700
    on ``/root``) cannot be read by another uid. In a private mount
    namespace, each such folder is covered by an empty, world-readable tmpfs
    into which only the needed sub-folders are bound back: the worker can
    import the standard library and NumPy, and sees nothing else there.
    Where namespaces are not allowed (many containers), nothing changes and
    the worker has the modules preloaded here (``PRELOADED``).
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNS) != 0 or libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return
    needed = {os.path.realpath(path) for path in (sys.base_prefix, sys.prefix, *sys.path) if path and os.path.isdir(path)}
    barriers = {}  # a folder others cannot enter -> its sub-folders that lead to a needed path
    for path in sorted(needed):
        parts = path.split(os.sep)[1:]
        for depth in range(1, len(parts)):
            ancestor = os.sep + os.sep.join(parts[:depth])
            if not os.stat(ancestor).st_mode & 0o001:
                barriers.setdefault(ancestor, set()).add(os.path.join(ancestor, parts[depth]))
                break
    for ancestor, children in barriers.items():
        handles = {child: os.open(child, os.O_PATH) for child in children}
        if libc.mount(b"tmpfs", ancestor.encode(), b"tmpfs", 0, b"mode=0755") != 0:
            continue
        for child, handle in handles.items():
            os.mkdir(child, 0o755)
            libc.mount(f"/proc/self/fd/{handle}".encode(), child.encode(), None, _MS_BIND | _MS_REC, None)
            os.close(handle)


def _kill_all_but_me():
    """Kill every other process this uid may signal (inside a jail: all but its init), then reap them."""
    try:
        for _ in range(10_000):  # a forking process may add one more while we kill
            os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break


_SNAPSHOT_LIMIT = 10_000


def _snapshot():
    """Every path in the jail's writable folders (/tmp, /dev/shm), not descending into read-only mounts."""
    found = set()
    for top in ("/tmp", "/dev/shm"):
        try:
            device = os.stat(top).st_dev
        except OSError:
            continue
        folders = [top]
        while folders and len(found) <= _SNAPSHOT_LIMIT:
            folder = folders.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                found.add(entry.path)
                try:
                    if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_dev == device:
                        folders.append(entry.path)
                except OSError:
                    pass
    return found


def _left_behind(initial):
    """What the last module left in the jail that a kill does not remove: files, System V IPC, processes."""
    now = _snapshot()
    found = sorted(now - initial)[:5] if len(now) <= _SNAPSHOT_LIMIT else ["more files than can be listed"]
    for table in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{table}") as handle:
                if len(handle.readlines()) > 1:
                    found.append(f"System V {table}")
        except OSError:
            pass
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, os.getpid()):
            found.append(f"process {entry}")
    return found


def zygote(control_fd):
    """Fork one worker per request; never run submitted code itself.

    Python and NumPy are loaded once here, so a worker costs a fork (a few
    milliseconds) instead of a new interpreter (about 0.25 CPU-seconds).
    Requests come over the Unix socket ``control_fd``, each a frame of
    ``protocol.py``, with the worker's two pipe ends attached to ``spawn``:

    - ``("spawn", folder, module, scratch, limits, uid, spin_seconds)`` → ``("spawned", pid)``;
      with a ``uid`` (isolation by uid, outside a jail) the worker drops to it;
      ``spin_seconds``: how long it polls for the next call before sleeping;
    - ``("end", pid)`` → ``("ended", exit_code or None)``: kills the worker's
      process group and reaps it;
    - ``("reset",)`` → ``("reset", [what was left behind])``: inside a jail,
      kills every other process and says what else the last module left;
    - ``("kill-uid", uid)`` → ``("killed", all_gone)`` (isolation by uid).
    """
    jailed = "--jailed" in sys.argv
    for name in PRELOADED if os.geteuid() == 0 and not jailed else ():  # only uid-isolated workers need them
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    try:
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)  # no worker can ptrace or read this process
    except (OSError, AttributeError):
        pass
    control = socket.socket(fileno=control_fd)
    initial = _snapshot() if jailed else set()  # the mount points bubblewrap made for the environment's binds

    def reply(*message):
        control.send(_encode(message))  # a SOCK_SEQPACKET socket: one message, one packet

    while True:
        try:
            payload, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        except OSError:
            return
        if not payload:
            return  # the grader is gone
        command = _decode(payload)
        if command[0] == "spawn":
            _, folder, module_name, scratch, limits, uid, spin_seconds = command
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    control.close()
                    os.setsid()  # its own process group: the zygote can kill it and its children
                    for limit, value in limits:
                        resource.setrlimit(limit, (value, value))
                    if uid is not None:
                        try:
                            _open_the_interpreter()
                        except OSError:
                            pass  # then the preloaded modules are all it has
                        _become(uid)
                    os.chdir(scratch)
                    serve(fds[0], fds[1], folder, module_name, spin_seconds)
                except BaseException:
                    status = 70
                finally:
                    os._exit(status)
            for fd in fds:
                os.close(fd)
            reply("spawned", pid)
        elif command[0] == "end":
            try:
                os.killpg(command[1], signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                _, status = os.waitpid(command[1], 0)
                code = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                code = None
            reply("ended", code)
        elif command[0] == "reset":
            _kill_all_but_me()
            reply("reset", _left_behind(initial))
        elif command[0] == "kill-uid":
            pid = os.fork()
            if pid == 0:
                try:
                    _become(command[1])
                    _kill_all_but_me()
                    os._exit(0)
                except BaseException:
                    os._exit(1)
            _, status = os.waitpid(pid, 0)
            reply("killed", os.waitstatus_to_exitcode(status) == 0)


def serve(request_fd, reply_fd, submission, module_name, spin_seconds):
    """Import ``module_name`` from ``submission`` and answer calls until the grader hangs up.

    Between calls it polls ``spin_seconds`` before sleeping (see ``transport.SPIN_SECONDS``).
    """
    requests = os.fdopen(request_fd, "rb", buffering=0)
    replies = os.fdopen(reply_fd, "wb", buffering=0)
    # Point 0, 1 and 2 at /dev/null: the student's prints can neither flood
    # the grader nor forge a reply.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)

    def send(*message):
        replies.write(_frame(_encode(message)))

    request_fd = requests.fileno()
    os.set_blocking(request_fd, False)

    def read_exactly(size):
        data = bytearray()
        while len(data) < size:
            spin_until = _monotonic() + spin_seconds
            while True:
                try:
                    chunk = _read(request_fd, size - len(data))
                    break
                except BlockingIOError:
                    if _monotonic() > spin_until:
                        _select([request_fd], [], [])
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def receive():
        return _decode(read_exactly(protocol.read_length(read_exactly(protocol.HEADER_BYTES))))

    sys.path.insert(0, submission)
    try:
        spec = importlib.util.spec_from_file_location(module_name, os.path.join(submission, module_name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except BaseException as error:
        text = "".join(traceback.format_exception_only(_type(error), error)).strip()
        send("import-failed", text[-_MAX_TEXT:])
        return
    send("ready")

    while True:
        try:
            _, sequence, name, args, kwargs, echo = receive()
        except EOFError:
            return
        function = getattr(module, name, None)
        if not callable(function):
            send("missing", sequence, name)
            continue
        try:
            result = function(*args, **kwargs)
        except BaseException as error:
            names = [cls.__module__ + "." + cls.__qualname__ for cls in _type(error).__mro__]
            try:
                message = str(error)
            except BaseException:
                message = "<unprintable message>"
            location = ""
            try:  # a monkeypatched builtin may break traceback itself: the error still goes back
                for frame in traceback.extract_tb(error.__traceback__):
                    if frame.filename == module.__file__:
                        location = f"{module_name}.py line {frame.lineno}"
            except BaseException:
                pass
            send("raised", sequence, names, message[:_MAX_TEXT], location)
            continue
        # The grader compares what the arguments hold now with its own copy.
        try:
            send("returned", sequence, result, list(args) if echo else None)
        except BaseException:  # a value whose parts break while being encoded
            send("returned", sequence, protocol.Opaque("unencodable", "<a value that could not be encoded>"), None)


if __name__ == "__main__":
    zygote(int(sys.argv[sys.argv.index("--zygote") + 1]))
