"""The course being graded: its exercise packs, found and validated on first use.

A course is a folder holding ``course.toml`` and a folder of *packs*, one per
exercise module (see ``CONTRIBUTING.md``, "Adding an exercise")::

    packs/<module>/pack.toml      metadata: order, title, lesson, summary,
                                  points_per_check, hints, each function's
                                  parameters (name and kind) and return kind,
                                  and the contract checks ([[contract]])
    packs/<module>/pack.py        EXAMPLE_CALLS, CORRECT (the oracle's answer
                                  per function), MISCONCEPTIONS and VALID_CALLS
                                  (a strategy of valid argument tuples for each
                                  function a contract check covers); optionally
                                  TOLERANCE (how far a correct answer may be from
                                  CORRECT's, per function)
    packs/<module>/test_<module>.py   the checks of the module's mathematics

The contract checks (types, validation, no modification in place, lists
accepted) are not written in the check file: ``checks.engine.contract``
builds one for every ``[[contract]]`` entry, run after the file's own checks,
in the order declared.

The grader, the course site's hooks and the release builder all read the packs
through this module; none of them restates a title, a hint or a module list.
A pack with a missing or inconsistent piece raises ``PackError`` naming the
pack and the piece.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

COURSE_DIR = Path(__file__).resolve().parents[1]
COURSE_FILE = COURSE_DIR / "course.toml"
KIT_ROOT = COURSE_DIR.parent

PARAMETER_KINDS = ("matrix", "vector", "real", "nonnegative", "positive", "count", "flag")
RETURN_KINDS = ("float", "array", "pair")
# What a contract check holds each of its functions to (see checks.engine.contract).
CONTRACT_RULES = (
    "accepts_loose_inputs",
    "return_types",
    "out_of_range",
    "bad_counts",
    "bad_shapes",
    "empty_matrices",
    "bad_values",
    "unmodified",
)
_METADATA_FIELDS = {"order": int, "title": str, "lesson": str, "summary": str, "points_per_check": int, "hints": list}


class PackError(Exception):
    """A pack is missing a piece or contradicts itself; the message names both."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a graded function, as the pack declares it.

    ``kind`` is one of ``PARAMETER_KINDS``; ``minimum`` applies to counts;
    ``length`` ties a vector to a matrix (``"rows of X"``, ``"columns of X"``).
    """

    name: str
    kind: str
    minimum: int = 0
    length: str = ""

    @property
    def partner(self) -> tuple[str, int] | None:
        """``(matrix, axis)`` whose size this vector's length must equal, or None."""
        if not self.length:
            return None
        which, _, matrix = self.length.partition(" of ")
        return matrix, 0 if which == "rows" else 1


@dataclass(frozen=True)
class ContractCheck:
    """One contract check a pack declares (``[[contract]]`` in ``pack.toml``).

    ``rules`` are names from ``CONTRACT_RULES``, applied in order to each of
    ``functions`` (all the pack's functions when the entry names none);
    ``parameter`` is the number the ``out_of_range`` rule puts out of range.
    """

    check: str
    rules: tuple[str, ...]
    functions: tuple[str, ...]
    parameter: str = ""


@dataclass(frozen=True)
class ExercisePack:
    """Everything about one exercise module except its stub and its reference."""

    module: str
    folder: Path
    order: int
    title: str
    lesson: str
    summary: str
    points_per_check: int
    hints: tuple[str, ...]
    functions: dict[str, tuple[Parameter, ...]]
    returns: dict[str, str]
    contract: tuple[ContractCheck, ...] = ()

    @property
    def check_file(self) -> Path:
        """The pytest file holding this module's own checks (the contract checks are generated)."""
        return self.folder / f"test_{self.module}.py"

    def file_check_names(self) -> tuple[str, ...]:
        """The checks written in the check file, in order (without ``test_``), read without importing it."""
        tree = ast.parse(self.check_file.read_text(encoding="utf-8"), filename=str(self.check_file))
        return tuple(
            node.name.removeprefix("test_")
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        )

    def check_names(self) -> tuple[str, ...]:
        """Every check of this module in report order: the check file's, then the contract's."""
        return self.file_check_names() + tuple(entry.check for entry in self.contract)

    @property
    def max_score(self) -> int:
        """The module's maximum score: ``points_per_check`` for each of its checks."""
        return self.points_per_check * len(self.check_names())

    @functools.cached_property
    def definitions(self) -> ModuleType:
        """The pack's ``pack.py`` (example calls, oracle answers, misconceptions)."""
        return importlib.import_module(f"{COURSE_DIR.name}.{course()['packs']}.{self.module}.pack")

    def example_calls(self, function: str) -> list[tuple]:
        return list(self.definitions.EXAMPLE_CALLS[function])

    def valid_calls(self, function: str):
        """The Hypothesis strategy of valid argument tuples of ``function`` (``VALID_CALLS``)."""
        return self.definitions.VALID_CALLS[function]

    def correct(self, function: str):
        return self.definitions.CORRECT[function]

    def tolerance(self, function: str):
        """``TOLERANCE[function]`` (arguments → how far a correct answer may be from ``CORRECT``'s), or None."""
        return getattr(self.definitions, "TOLERANCE", {}).get(function)

    def misconceptions(self, function: str) -> list:
        return [m for m in self.definitions.MISCONCEPTIONS if m.key.split(".")[0] == function]


@functools.cache
def course() -> dict:
    """``course.toml`` as a dictionary."""
    with COURSE_FILE.open("rb") as handle:
        return tomllib.load(handle)


def exercises_folder_name() -> str:
    """The folder of the student stubs, relative to the kit root (``exercises`` in ``course.toml``)."""
    return course()["exercises"]


def name() -> str:
    """The course's name, e.g. for the grader's banner."""
    return course()["name"]


def slug() -> str:
    """The course's name as a file-name prefix: lower case, words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", name().lower()).strip("-")


def _load_pack(folder: Path) -> ExercisePack:
    module = folder.name
    metadata_file = folder / "pack.toml"
    if not metadata_file.is_file():
        raise PackError(f"pack {module}: pack.toml is missing")
    try:
        with metadata_file.open("rb") as handle:
            table = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PackError(f"pack {module}: pack.toml does not parse: {error}") from None
    for name, kind in _METADATA_FIELDS.items():
        if not isinstance(table.get(name), kind):
            raise PackError(f"pack {module}: pack.toml needs {name} ({kind.__name__})")
    functions: dict[str, tuple[Parameter, ...]] = {}
    returns: dict[str, str] = {}
    for function, spec in table.get("functions", {}).items():
        returns[function] = spec.get("returns", "")
        if returns[function] not in RETURN_KINDS:
            raise PackError(f"pack {module}: {function} needs returns = one of {', '.join(RETURN_KINDS)}")
        parameters = []
        for entry in spec.get("parameters", []):
            try:
                parameter = Parameter(**entry)
            except TypeError as error:
                raise PackError(f"pack {module}: parameter {entry} of {function}: {error}") from None
            if parameter.kind not in PARAMETER_KINDS:
                raise PackError(f"pack {module}: parameter {parameter.name} of {function} has unknown kind {parameter.kind!r}")
            parameters.append(parameter)
        functions[function] = tuple(parameters)
    if not functions:
        raise PackError(f"pack {module}: pack.toml declares no [functions.NAME]")
    contract = tuple(_contract_check(module, entry, functions) for entry in table.get("contract", []))
    for piece in (f"test_{module}.py", "pack.py", "__init__.py"):
        if not (folder / piece).is_file():
            raise PackError(f"pack {module}: {piece} is missing")
    return ExercisePack(
        module=module,
        folder=folder,
        order=table["order"],
        title=table["title"],
        lesson=table["lesson"],
        summary=table["summary"],
        points_per_check=table["points_per_check"],
        hints=tuple(table["hints"]),
        functions=functions,
        returns=returns,
        contract=contract,
    )


def _contract_check(module: str, entry: dict, functions: dict[str, tuple[Parameter, ...]]) -> ContractCheck:
    """One ``[[contract]]`` entry of ``pack.toml``, checked against the pack's functions."""
    unknown = set(entry) - {"check", "rules", "functions", "parameter"}
    if unknown or not isinstance(entry.get("check"), str) or not isinstance(entry.get("rules"), list):
        raise PackError(f"pack {module}: a [[contract]] entry needs check (str) and rules (list), and nothing else: {entry}")
    declared = ContractCheck(
        check=entry["check"],
        rules=tuple(entry["rules"]),
        functions=tuple(entry.get("functions", functions)),
        parameter=entry.get("parameter", ""),
    )
    for rule in declared.rules:
        if rule not in CONTRACT_RULES:
            raise PackError(f"pack {module}: contract check {declared.check} has unknown rule {rule!r}")
    for function in declared.functions:
        if function not in functions:
            raise PackError(f"pack {module}: contract check {declared.check} names {function}, which the pack does not declare")
    if ("out_of_range" in declared.rules) != bool(declared.parameter):
        raise PackError(f"pack {module}: contract check {declared.check}: give parameter exactly when a rule is out_of_range")
    return declared


@functools.cache
def packs() -> tuple[ExercisePack, ...]:
    """All exercise packs, in the order students should do them."""
    folder = COURSE_DIR / course()["packs"]
    libraries = set(course().get("libraries", []))
    found = [
        _load_pack(path)
        for path in sorted(folder.iterdir())
        if path.is_dir() and path.name not in libraries and not path.name.startswith(("_", "."))
    ]
    declared_by: dict[str, str] = {}
    for candidate in found:
        for function in candidate.functions:
            if function in declared_by:
                raise PackError(f"packs {declared_by[function]} and {candidate.module} both declare the function {function}")
            declared_by[function] = candidate.module
    return tuple(sorted(found, key=lambda pack: (pack.order, pack.module)))


def validate(pack: ExercisePack) -> list[str]:
    """Every problem with ``pack``'s code pieces, one line each (empty when sound)."""
    problems = []
    try:
        definitions = pack.definitions
    except Exception as error:  # noqa: BLE001 - any import error is the pack author's to see
        return [f"pack {pack.module}: pack.py does not import: {type(error).__name__}: {error}"]
    for piece in ("EXAMPLE_CALLS", "CORRECT", "MISCONCEPTIONS"):
        if not hasattr(definitions, piece):
            problems.append(f"pack {pack.module}: pack.py defines no {piece}")
    if problems:
        return problems
    for function, parameters in pack.functions.items():
        calls = definitions.EXAMPLE_CALLS.get(function)
        if not calls:
            problems.append(f"pack {pack.module}: EXAMPLE_CALLS has no call of {function}")
        elif any(len(call) != len(parameters) for call in calls):
            problems.append(f"pack {pack.module}: an example call of {function} does not have {len(parameters)} arguments")
        if function not in definitions.CORRECT:
            problems.append(f"pack {pack.module}: CORRECT has no oracle answer for {function}")
    contracted = {function for entry in pack.contract for function in entry.functions}
    for function in sorted(contracted - set(getattr(definitions, "VALID_CALLS", {}))):
        problems.append(f"pack {pack.module}: a contract check covers {function}, but VALID_CALLS has no strategy for it")
    written = set(pack.file_check_names())
    for entry in pack.contract:
        if entry.check in written:
            problems.append(f"pack {pack.module}: test_{entry.check} is both written in the check file and a contract check")
    for mistake in definitions.MISCONCEPTIONS:
        if mistake.key.split(".")[0] not in pack.functions:
            problems.append(f"pack {pack.module}: misconception {mistake.key} names no function of the pack")
    return problems


def modules() -> tuple[str, ...]:
    return tuple(pack.module for pack in packs())


def pack(module: str) -> ExercisePack:
    """The pack named ``module``; ``KeyError`` if there is none."""
    for candidate in packs():
        if candidate.module == module:
            return candidate
    raise KeyError(module)


def module_of_check_file(path: Path) -> str | None:
    """``…/test_<module>.py`` → ``"<module>"``; None for any other file."""
    stem = Path(path).stem
    return stem.removeprefix("test_") if stem.startswith("test_") else None


def pack_of(function: str) -> ExercisePack:
    """The one pack that declares ``function`` (``packs()`` rejects a name declared twice); ``KeyError`` if none."""
    for candidate in packs():
        if function in candidate.functions:
            return candidate
    raise KeyError(function)


def parameters(function: str) -> tuple[Parameter, ...]:
    """The declared parameters of ``function`` (in the pack that declares it); empty if unknown."""
    try:
        return pack_of(function).functions[function]
    except KeyError:
        return ()


def returns(function: str) -> str:
    """The declared return kind of ``function``: ``"float"``, ``"array"`` or ``"pair"``."""
    return pack_of(function).returns[function]


def parameter_names(function: str) -> tuple[str, ...]:
    return tuple(parameter.name for parameter in parameters(function))
