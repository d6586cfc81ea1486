"""The sandbox worker: imports one submitted module and calls it on request.

Started by ``checks.engine.sandbox`` as ``python -I worker.py --zygote FD``, never
imported by the grader: that process (the zygote) forks one worker per
submitted module. It uses only the standard library and NumPy, and takes
references to everything it needs before the student's module is imported,
so a module that monkeypatches ``numpy`` or ``pickle`` changes only its own
results, never the protocol.

Protocol between grader and worker (both ways: an 8-byte big-endian length,
then a pickle):

- grader to worker: ``("call", function_name, args, kwargs, echo_arguments)``;
- worker to grader: ``("ready", None)`` or ``("import-failed", text)`` once at
  start, then per call ``("returned", encoded_value, encoded_arguments_or_None)``
  (the arguments as they are after the call, when the grader asked for them),
  ``("raised", qualified_exception_class_names, message, where)`` or
  ``("missing", name)``.

Replies hold only built-in types (see ``encode``), so the grader unpickles
them with a loader that refuses every class: a hostile return value cannot
run code in the grader.
"""

import builtins
import importlib
import importlib.util
import os
import pickle
import resource
import select
import signal
import socket
import struct
import sys
import time
import traceback

import numpy

_HEADER = struct.Struct(">Q")
_ndarray = numpy.ndarray
_generic = numpy.generic
_isinstance = builtins.isinstance
_type = builtins.type
_dumps = pickle.dumps
_loads = pickle.loads
_read = os.read
_select = select.select
_monotonic = time.monotonic
_MAX_ITEMS = 10_000
_MAX_TEXT = 2_000
_MAX_TOTAL_ITEMS = 100_000  # numbers in one reply, however nested: a huge answer is shown, not shipped
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


def _short_repr(value):
    try:
        text = repr(value)
    except BaseException:  # a hostile __repr__ must not stop the worker
        text = "<unprintable>"
    return text if len(text) <= 200 else text[:197] + "..."


def encode(value, depth=0, budget=None):
    """Turn a return value into nested built-in types the grader can load safely.

    ``float``, ``int``, ``bool``, ``str`` and ``None`` pass as they are;
    arrays of numbers become ``("ndarray", dtype, shape, bytes)``; NumPy
    scalars ``("npscalar", dtype, python_value)``; tuples and lists
    ``("tuple" | "list", [items])``; anything else ``("opaque", type, repr)``.
    """
    budget = [_MAX_TOTAL_ITEMS] if budget is None else budget
    kind = _type(value)
    if value is None or kind in (float, int, bool):
        return value
    if kind is str:
        return value[:_MAX_TEXT]
    if _isinstance(value, _ndarray) and value.dtype.kind in "biufc" and value.size <= budget[0]:
        budget[0] -= value.size
        return ("ndarray", value.dtype.str, tuple(value.shape), value.tobytes())
    if _isinstance(value, _generic) and value.dtype.kind in "biufc":
        return ("npscalar", value.dtype.str, value.item())
    if kind in (tuple, list) and depth < 4 and len(value) <= min(_MAX_ITEMS, budget[0]):
        budget[0] -= len(value)
        return (kind.__name__, [encode(item, depth + 1, budget) for item in value])
    return ("opaque", kind.__qualname__[:100], _short_repr(value))


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


def _kill_everything_of(uid):
    """Kill every process running as ``uid``, from a child that takes the uid (``kill(-1)``)."""
    pid = os.fork()
    if pid == 0:
        try:
            _become(uid)
            for _ in range(1000):  # a forking process may add one more while we kill
                os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            os._exit(0)  # none left
        except BaseException:
            os._exit(1)
        os._exit(2)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def zygote(control_fd):
    """Fork one worker per request; never run submitted code itself.

    Python and NumPy are loaded once here, so a worker costs a fork (a few
    milliseconds) instead of a new interpreter (about 0.25 CPU-seconds).
    Requests come over the Unix socket ``control_fd``, each a pickled command
    with the worker's two pipe ends attached as file descriptors:

    - ``("spawn", folder, module, scratch, limits, uid)`` → ``("spawned", pid)``;
      with a ``uid`` (the grader runs as root) the worker first kills whatever
      still runs as that uid, then drops to it;
    - ``("wait", pid)`` → ``("exited", exit_code or None)`` (reaps the worker);
    - ``("kill-uid", uid)`` → ``("killed", all_gone)``;
    - ``("probe", uid)`` → ``("probed", can_isolate)``.
    """
    for name in PRELOADED if os.geteuid() == 0 else ():  # only isolated workers need them
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    control = socket.socket(fileno=control_fd)

    def reply(message):
        control.send(_dumps(message, protocol=4))  # a SOCK_SEQPACKET socket: one message, one packet

    while True:
        try:
            payload, fds, _, _ = socket.recv_fds(control, 1 << 20, 2)
        except OSError:
            return
        if not payload:
            return  # the grader is gone
        command = _loads(payload)
        if command[0] == "spawn":
            _, folder, module_name, scratch, limits, uid = command
            if uid is not None:
                _kill_everything_of(uid)
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    control.close()
                    os.setsid()  # its own process group: the grader can kill it and its children
                    for limit, value in limits:
                        resource.setrlimit(limit, (value, value))
                    if uid is not None:
                        try:
                            _open_the_interpreter()
                        except OSError:
                            pass  # then the preloaded modules are all it has
                        _become(uid)
                    os.chdir(scratch)
                    serve(fds[0], fds[1], folder, module_name)
                except BaseException:
                    status = 70
                finally:
                    os._exit(status)
            for fd in fds:
                os.close(fd)
            reply(("spawned", pid))
        elif command[0] == "wait":
            try:
                _, status = os.waitpid(command[1], 0)
                code = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                code = None
            reply(("exited", code))
        elif command[0] == "kill-uid":
            reply(("killed", _kill_everything_of(command[1])))
        elif command[0] == "probe":
            pid = os.fork()
            if pid == 0:
                try:
                    _become(command[1])
                    os._exit(0)
                except BaseException:
                    os._exit(1)
            _, status = os.waitpid(pid, 0)
            reply(("probed", os.waitstatus_to_exitcode(status) == 0))


def serve(request_fd, reply_fd, submission, module_name):
    """Import ``module_name`` from ``submission`` and answer calls until the grader hangs up."""
    requests = os.fdopen(request_fd, "rb", buffering=0)
    replies = os.fdopen(reply_fd, "wb", buffering=0)
    # Point 0, 1 and 2 at /dev/null: the student's prints can neither flood
    # the grader nor forge a reply.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)

    def send(message):
        payload = _dumps(message, protocol=4)
        replies.write(_HEADER.pack(len(payload)) + payload)

    request_fd = requests.fileno()
    os.set_blocking(request_fd, False)

    def read_exactly(size):
        # Poll briefly before sleeping in select: the next call usually comes
        # within microseconds, sooner than a sleeping process is woken.
        data = bytearray()
        while len(data) < size:
            spin_until = _monotonic() + 0.0005
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
        (size,) = _HEADER.unpack(read_exactly(_HEADER.size))
        return _loads(read_exactly(size))

    sys.path.insert(0, submission)
    try:
        spec = importlib.util.spec_from_file_location(module_name, os.path.join(submission, module_name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except BaseException as error:
        text = "".join(traceback.format_exception_only(_type(error), error)).strip()
        send(("import-failed", text[-_MAX_TEXT:]))
        return
    send(("ready", None))

    while True:
        try:
            _, name, args, kwargs, echo = receive()
        except EOFError:
            return
        function = getattr(module, name, None)
        if not callable(function):
            send(("missing", name))
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
            send(("raised", names, message[:_MAX_TEXT], location))
            continue
        # The grader compares what the arguments hold now with its own copy.
        send(("returned", encode(result), [encode(arg) for arg in args] if echo else None))


if __name__ == "__main__":
    zygote(int(sys.argv[sys.argv.index("--zygote") + 1]))
