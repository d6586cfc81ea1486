"""What the checks see: a submission whose modules are proxies, and the two ways a call can fail.

``Submission(folder)`` takes the folder in (``intake``), and ``.module(name)``
gives a ``StudentModule``: ``module.some_function(*args)`` sends the call to a
worker and returns what came back. Only one module's workers live at a time:
starting the next module ends every process the previous one started (and,
in a jail, throws the jail away if the module left anything else behind).
``close()`` ends all of it and removes the copied files, whatever happened.

Failures come back as exceptions of two kinds:

- ``StudentError`` (an ``Exception``): the student's function raised. Checks
  expect some of these (``ValueError`` for bad input); Hypothesis shrinks the
  others to a small example like any other failure.
- ``SubmissionUnavailable`` (a ``BaseException``, so Hypothesis neither
  retries nor shrinks it): the module is missing or does not import, the
  function is missing or not implemented, or the worker hung, crashed, broke
  the protocol or used up the module's time. A function that hung or crashed
  once is not called again, so one infinite loop costs one time-out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from checks.engine import course
from checks.engine.sandbox import intake, jail
from checks.engine.sandbox.protocol import Opaque
from checks.engine.sandbox.transport import Worker, Zygote, spin_seconds_here

CALL_TIMEOUT_SECONDS = 5.0
IMPORT_TIMEOUT_SECONDS = 10.0
MODULE_BUDGET_SECONDS = 30.0  # CPU time of one module's calls
MODULE_WALL_SECONDS = 120.0  # wall-clock time of one module, however its time is spent


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
        ``file line N`` in the submission where it was raised, if known.
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
        return self.class_names[0].removeprefix("builtins.") if self.class_names else "an exception"

    @property
    def is_value_error(self) -> bool:
        return "builtins.ValueError" in self.class_names


@dataclass
class CallOutcome:
    """What one call returned and, when asked for, its positional arguments after the call."""

    value: object
    arguments_after: list = field(default_factory=list)


def _describe_exit(returncode: int | None) -> str:
    import signal

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


class Submission:
    """One submission being graded: its copied files, its jail (or zygote) and its modules' proxies.

    Parameters
    ----------
    folder : Path
        The folder the student handed in; read once, through ``intake``.
    spin_seconds : float, optional
        How long a grader polls for a reply before sleeping (0 where every
        core is busy, as in bulk grading); None: ``transport.spin_seconds_here()``.
    """

    def __init__(self, folder: Path, *, spin_seconds: float | None = None):
        self.source = Path(folder)
        self.level = jail.isolation_level()
        self.spin_seconds = spin_seconds_here() if spin_seconds is None else spin_seconds
        self.staged = intake.StagedSubmission(self.source, course.slug())
        self.folder = self.staged.folder
        self.lease = jail.UidLease() if self.level == "uid" else None
        self._zygote: Zygote | None = None
        self._modules: dict[str, StudentModule] = {}
        self._current: str | None = None

    def warm_up(self) -> None:
        """Start the zygote now (it imports NumPy while pytest collects)."""
        self.zygote()

    def zygote(self) -> Zygote:
        if self.level != "jail":
            return Zygote.shared()
        if self._zygote is None or not self._zygote.alive:
            if self._zygote is not None:
                self._zygote.close()
            self._zygote = Zygote(self.folder)
        return self._zygote

    def module(self, name: str, refusal: str | None = None) -> StudentModule:
        if name not in self._modules:
            self._modules[name] = StudentModule(name, self, refusal)
        return self._modules[name]

    def file(self, name: str) -> Path:
        """Where the copied ``name`` is (for reading it, e.g. the shortcut check)."""
        return self.folder / name

    def switch_to(self, name: str) -> None:
        """Make ``name`` the one module whose code may run: end everything the previous one started."""
        if self._current in (None, name):
            self._current = name
            return
        previous = self._modules.get(self._current)
        if previous is not None:
            previous.close()
        self._sweep()
        self._current = name

    def _sweep(self) -> None:
        """Kill whatever the last module left running; in a jail, replace the jail if anything else is left."""
        if self.level == "uid" and self.lease is not None:
            jail.kill_uid(self.lease.uid)
        elif self.level == "jail" and self._zygote is not None:
            try:
                answer = self._zygote.ask("reset")
                clean = answer[0] == "reset" and answer[1] == []
            except OSError:
                clean = False
            if not clean:
                self._zygote.close()
                self._zygote = None

    def worker_uid(self) -> int | None:
        return self.lease.uid if self.lease is not None else None

    def close(self) -> None:
        """End every process of the submission, then remove its files: always completes."""
        try:
            for module in self._modules.values():
                module.close()
        finally:
            try:
                if self._zygote is not None:
                    self._zygote.close()
                    self._zygote = None
                if self.lease is not None:
                    jail.kill_uid(self.lease.uid)
                    self.lease.release()
                    self.lease = None
            finally:
                self.staged.remove()


class StudentModule:
    """A proxy for one submitted module; attribute access gives callable functions."""

    def __init__(self, name: str, submission: Submission, refusal: str | None = None):
        self.name = name
        self.submission = submission
        self.path = submission.folder / f"{name}.py"
        self._worker: Worker | None = None
        self._ready = False
        self._unavailable: str | None = None  # why every call fails
        self._broken: dict[str, str] = {}  # function -> why it is not called again
        self._spent = 0.0
        self._first_start: float | None = None
        self._sequence = 0
        self.memo: dict = {}  # what checks learned about this module (e.g. its diagnoses)
        if not self.path.is_file():
            self._unavailable = f"{name}.py is missing from the submission folder"
        elif refusal is not None:
            self._unavailable = refusal

    def start(self) -> None:
        """Start the worker now (only this module's code may run from here on)."""
        if self._unavailable is None and self._worker is None:
            self.submission.switch_to(self.name)
            zygote = self.submission.zygote()
            inside_jail = zygote.jail is not None
            try:
                self._worker = Worker(
                    zygote,
                    jail.INSIDE_SUBMISSION if inside_jail else str(self.submission.folder),
                    self.name,
                    "/tmp" if inside_jail else str(self.submission.folder),
                    self.submission.worker_uid(),
                    [] if inside_jail else jail.limits(self.submission.worker_uid() is not None),
                    self.submission.spin_seconds,
                )
            except OSError as error:
                self._unavailable = f"{self.name}.py could not be started: {error}"
                return
            self._ready = False
            if self._first_start is None:
                self._first_start = time.monotonic()

    def close(self) -> None:
        self._retire_worker()

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
        if time.monotonic() - self._first_start > MODULE_WALL_SECONDS:
            raise SubmissionUnavailable(
                f"{self.name}.py used up its {MODULE_WALL_SECONDS:.0f} s of wall-clock time: look for sleeps or slow loops"
            )
        worker = self._worker
        self._sequence += 1
        worker.send("call", self._sequence, function, args, kwargs, echo_arguments)
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
        except EOFError:
            how = _describe_exit(self._retire_worker())
            self._broken[function] = f"calling {function} {how}; it is not called again"
            raise SubmissionUnavailable(self._broken[function]) from None
        self._spent += self._clock(worker) - began
        return self._interpret(function, args, reply)

    @staticmethod
    def _clock(worker: Worker) -> float:
        """The worker's CPU time (wall time where it cannot be read): the module's budget is CPU time."""
        cpu = worker.cpu_seconds()
        return time.monotonic() if cpu is None else cpu

    def _interpret(self, function: str, args: tuple, reply) -> CallOutcome:
        shape = (type(reply) is tuple and len(reply) >= 2 and reply[1] == self._sequence) or None
        kind = reply[0] if shape else None
        if kind == "returned" and len(reply) == 4:
            echoed = reply[3] if isinstance(reply[3], list) else []
            return CallOutcome(reply[2], echoed)
        if kind == "raised" and len(reply) == 5 and isinstance(reply[2], list):
            class_names = [name for name in reply[2] if isinstance(name, str)]
            message, location = str(reply[3]), str(reply[4])
            if "builtins.NotImplementedError" in class_names:
                raise SubmissionUnavailable(f"{function} is not implemented yet (it raises NotImplementedError)")
            if "builtins.SystemExit" in class_names:
                self._broken[function] = f"{function} called sys.exit({message[:80]}); a function must return, not exit"
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
            if self._unavailable is not None:
                raise SubmissionUnavailable(self._unavailable)
        if self._ready:
            return
        worker = self._worker
        try:
            reply = worker.receive(IMPORT_TIMEOUT_SECONDS, since_start=True)
        except TimeoutError:
            self._retire_worker()
            self._unavailable = f"importing {self.path.name} took longer than {IMPORT_TIMEOUT_SECONDS:.0f} s"
            raise SubmissionUnavailable(self._unavailable) from None
        except EOFError:
            how = _describe_exit(self._retire_worker())
            self._unavailable = f"importing {self.path.name} {how}"
            raise SubmissionUnavailable(self._unavailable) from None
        if type(reply) is tuple and reply[:1] == ("import-failed",) and len(reply) == 2:
            self._retire_worker()
            self._unavailable = f"{self.path.name} could not be imported: {str(reply[1])[-2000:]}"
            raise SubmissionUnavailable(self._unavailable)
        if reply != ("ready",):
            self._retire_worker()
            self._unavailable = f"importing {self.path.name} broke the connection to the grader"
            raise SubmissionUnavailable(self._unavailable)
        self._ready = True

    def _retire_worker(self) -> int | None:
        worker, self._worker, self._ready = self._worker, None, False
        return worker.end() if worker is not None else None


__all__ = ["Submission", "StudentModule", "StudentError", "SubmissionUnavailable", "CallOutcome", "Opaque"]
