"""The grader's side of the wire: zygotes, workers, framed replies read under deadlines.

Nothing here decides what a reply means (``proxy.py`` does) or where the code
runs (``jail.py`` does). A reply is read only after its declared length has
been checked against ``protocol.MAX_FRAME_BYTES``, and decoded under the
protocol's bounds.
"""

from __future__ import annotations

import atexit
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

from checks.engine.sandbox import jail, protocol

# How long each side polls for the other's next message before sleeping in select, where a
# core is spare: a reply comes within 0.06-0.2 ms, sooner than a sleeping process is woken on a
# small VM (0-2 ms), and a check's next call follows its last reply within 1.6 ms in 90 % of
# calls (measured on each module), so a worker polling 3 ms is still awake for it. Polling
# costs CPU the other side may need where every core is busy: grading many submissions (or
# modules) at once polls not at all (0), and so does a process with one core (spin_seconds_here).
SPIN_SECONDS = 0.003
CPU_POLL_SECONDS = 0.25  # how often a waiting grader reads the worker's CPU time
WALL_FACTOR = 4  # a worker that sleeps is stopped after this many times its CPU allowance
REPLY_TRANSFER_SECONDS = 30.0  # once a reply has begun, the rest must follow within this
CONTROL_SECONDS = 30.0
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def spin_seconds_here() -> float:
    """``SPIN_SECONDS`` where this process may run on two cores or more, else 0 (polling would hold the worker's core)."""
    return SPIN_SECONDS if usable_cores() > 1 else 0.0


class Zygote:
    """A process that forks workers: ``worker.py --zygote``, in a jail or outside.

    ``Zygote.shared()`` is this process's zygote outside any jail (isolation
    by uid, or none), started on first use and again if it dies;
    ``Zygote.jailed(folder)`` starts one inside a new ``jail.Jail``.
    """

    _shared: Zygote | None = None

    def __init__(self, submission: Path | None = None):
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.jail: jail.Jail | None = None
        try:
            if submission is not None:
                self.jail = jail.Jail(submission, theirs)
                self.process = self.jail.process
            else:
                env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
                self.process = subprocess.Popen(
                    [sys.executable, "-I", str(jail.HERE / "worker.py"), "--zygote", str(theirs.fileno())],
                    pass_fds=[theirs.fileno()],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=env,
                    start_new_session=True,
                )
        finally:
            theirs.close()

    @classmethod
    def shared(cls) -> Zygote:
        if cls._shared is None or cls._shared.process.poll() is not None:
            cls._shared = cls()
            atexit.register(cls._shared.close)
        return cls._shared

    @classmethod
    def _forget_shared(cls) -> None:
        """In a forked child: the parent's zygote stays the parent's (one socket cannot carry two processes' requests)."""
        cls._shared = None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, *message, fds=()):
        """Send one command; return the zygote's decoded answer (``OSError`` if it is gone or silent)."""
        socket.send_fds(self.control, [protocol.encode(message)], list(fds))
        if not select.select([self.control], [], [], CONTROL_SECONDS)[0]:
            raise OSError("the zygote did not answer")
        payload = self.control.recv(1 << 16)
        if not payload:
            raise OSError("the zygote is gone")
        answer = protocol.decode(payload)
        if not isinstance(answer, tuple) or not answer:
            raise OSError("the zygote answered nonsense")
        return answer

    def cpu_seconds(self) -> float | None:
        """CPU time of the jail's whole process tree (None outside a jail or without a cgroup)."""
        return self.jail.tree.cpu_seconds() if self.jail is not None else None

    def close(self) -> None:
        self.control.close()
        if self.jail is not None:
            self.jail.close()
            return
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


if hasattr(os, "register_at_fork"):  # POSIX only
    os.register_at_fork(after_in_child=Zygote._forget_shared)


class Worker:
    """One worker process, forked by a zygote: exchange frames, count its CPU time, end it."""

    def __init__(
        self,
        zygote: Zygote,
        folder: str,
        module: str,
        scratch: str,
        uid: int | None,
        process_limits: list,
        spin_seconds: float = SPIN_SECONDS,
    ):
        self.zygote = zygote
        self.spin_seconds = spin_seconds
        request_read, self.requests = os.pipe()
        self.replies, reply_write = os.pipe()
        try:
            answer = zygote.ask(
                "spawn", folder, module, scratch, process_limits, uid, spin_seconds, fds=(request_read, reply_write)
            )
        finally:
            os.close(request_read)
            os.close(reply_write)
        if answer[0] != "spawned" or type(answer[1]) is not int:
            raise OSError("the zygote could not start a worker")
        self.pid = answer[1]
        os.set_blocking(self.replies, False)
        self.started = time.monotonic()

    def send(self, *message) -> None:
        try:
            os.write(self.requests, protocol.frame(protocol.encode(message)))
        except OSError:
            pass  # the reply read will notice the dead worker

    def cpu_seconds(self) -> float | None:
        """CPU time of the worker (of the jail's whole tree where a cgroup counts it); None where unknown."""
        tree = self.zygote.cpu_seconds()
        if tree is not None:
            return tree
        if self.zygote.jail is not None:
            return None  # its pid is the jail's, not ours: wall time is all we can count
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, ValueError, IndexError):
            return None

    def receive(self, timeout: float, *, since_start: bool = False):
        """Return the next reply, decoded; ``EOFError`` if the worker died or broke the format.

        ``TimeoutError`` once the worker has used ``timeout`` seconds of CPU
        time on this request (``since_start``: since it was forked), or
        ``WALL_FACTOR`` times as long in wall-clock time (a worker that
        sleeps). Counting CPU time, not wall time, keeps verdicts the same on
        a busy machine: a correct answer is never cut off because other
        processes held the CPU.
        """
        self._await_reply(timeout, since_start)
        deadline = time.monotonic() + REPLY_TRANSFER_SECONDS
        try:
            size = protocol.read_length(self._read_exactly(protocol.HEADER_BYTES, deadline))
            return protocol.decode(self._read_exactly(size, deadline))
        except protocol.ProtocolError as error:
            raise EOFError(str(error)) from None

    def _await_reply(self, timeout: float, since_start: bool) -> None:
        started = self.started if since_start else time.monotonic()
        spin_until = time.monotonic() + self.spin_seconds
        while time.monotonic() < spin_until:  # most replies come within microseconds
            if select.select([self.replies], [], [], 0)[0]:
                return
        cpu_start = 0.0 if since_start and self.zygote.jail is None else self.cpu_seconds()
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
            chunk = self._read_soon(size - len(data), deadline)
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def _read_soon(self, size: int, deadline: float) -> bytes:
        """Read up to ``size`` bytes before ``deadline``, polling briefly before sleeping (a small VM wakes slowly)."""
        spin_until = time.monotonic() + self.spin_seconds
        while True:
            try:
                return os.read(self.replies, size)
            except BlockingIOError:
                pass
            now = time.monotonic()
            if now >= deadline:
                raise TimeoutError
            if now >= spin_until and not select.select([self.replies], [], [], deadline - now)[0]:
                raise TimeoutError

    def end(self) -> int | None:
        """Kill the worker and its process group; return its exit code (None if unknown)."""
        try:
            answer = self.zygote.ask("end", self.pid)
            code = answer[1] if answer[0] == "ended" and type(answer[1]) in (int, type(None)) else None
        except (OSError, protocol.ProtocolError):
            code = None
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        return code
