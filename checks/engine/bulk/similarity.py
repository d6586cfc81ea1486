"""Copied code: submissions that closely match the kit's own code or each other, found with copydetect.

A student release ships the checks, so their oracles can be pasted into a
submission, and classmates can copy from each other. ``copydetect`` (the
``bulk`` dependency group) implements MOSS's method: the code is tokenized,
every name becomes ``V``/``F``/``O`` and every string ``S`` (so renaming and
rewording change nothing), and files are compared through the hashes of
their k-grams (winnowing fingerprints). Its similarity of a file is the
share of the file's tokens found in the other file.

Two moments use it:

- grading (``grade-all``): ``submission_tokens`` keeps copydetect's
  tokenized text of each exercise file in the student's report
  (``extra_data["code_tokens"]``), so the comparison needs the reports alone
  and a merge of shards compares students graded on different machines;
- the class report: ``find`` compares every submission's files with the
  kit's own code (the checks' packs, their oracles included, and the
  reference ``solutions/`` where the checkout has it) and each exercise file
  with the same file of every classmate.

With copydetect's defaults every k-gram of a file is a fingerprint (a
winnowing window of 1), so the figures do not depend on the values of
Python's ``hash``, which copydetect uses and which is salted per process: the
same reports give the same figures in every run.
"""

from __future__ import annotations

import collections
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

from checks.engine import course

REPORT_KEY = "code_tokens"  # extra_data: {exercise file name: copydetect's tokenized text}
# A file is flagged when at least this share of its tokens is found in the other file, or of the other
# file's tokens in it (copydetect's similarity). Measured on the kit (tests/test_similarity.py): honest,
# independently written files (the reference against tests/alternatives/loops/, and either against the
# checks' oracles) share at most 25 % of their tokens (validation idioms and signatures); a pasted or
# renamed copy shares all of them.
FLAG_SHARE = 0.5
# A match shorter than this many tokens is an idiom, not a copy (a one-line function matches many others).
MIN_TOKENS = 60
# Candidate pairs of classmates come from fingerprints that few files hold (MOSS's -m): a k-gram found
# in more files than this is common code; pairs that share only such k-grams are not compared. This
# bounds the work on a large class; identical files are always grouped.
COMMON_FILES = 10


class SimilarityUnavailable(Exception):
    """copydetect is not installed."""


@dataclass(frozen=True)
class KitMatch:
    """Students whose same file closely matches a file of the kit (one row per distinct text)."""

    students: tuple[str, ...]
    file: str
    kit_file: str  # relative to the kit root, e.g. checks/packs/shared/exact.py
    share: float  # of the students' file found in the kit file
    kit_share: float  # of the kit file found in the students' file


@dataclass(frozen=True)
class Cluster:
    """Students whose same exercise file closely match, joined pair by pair.

    ``groups`` are the cluster's distinct texts of the file, each with the
    students who submitted it (the same tokens: names, strings, comments and
    layout aside); ``links`` are the matching pairs of texts, as
    ``(group, other group, share of the group's file found in the other's,
    and the other way round)``.
    """

    file: str
    groups: tuple[tuple[str, ...], ...]
    links: tuple[tuple[int, int, float, float], ...]

    @property
    def students(self) -> list[str]:
        return sorted(student for group in self.groups for student in group)

    @property
    def top_share(self) -> float:
        """The largest share of one student's file found in another's (1 when two submitted the same tokens)."""
        shares = [max(link[2], link[3]) for link in self.links]
        return 1.0 if any(len(group) > 1 for group in self.groups) else max(shares)


@dataclass
class Findings:
    kit: list[KitMatch] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    kit_files: list[str] = field(default_factory=list)
    compared: int = 0  # students whose reports carry tokens
    not_compared: list[str] = field(default_factory=list)  # graded students whose reports carry none


def _copydetect():
    try:
        import copydetect
        import copydetect.utils
    except ImportError:
        raise SimilarityUnavailable("copydetect is not installed (the bulk dependency group, lock/bulk.txt)") from None
    return copydetect


def submission_tokens(folder: Path) -> dict[str, str] | None:
    """``{exercise file: copydetect's tokenized text}`` of the submission in ``folder``; None without copydetect."""
    try:
        copydetect = _copydetect()
    except SimilarityUnavailable:
        return None
    from checks.engine.bulk.intake import exercise_files

    tokens = {}
    for name in exercise_files():
        path = folder / name
        if path.is_file():
            code = path.read_bytes().decode("utf-8", errors="replace")
            try:
                tokens[name] = copydetect.utils.filter_code(code, name)[0]
            except Exception:  # noqa: BLE001 - a file the tokenizer chokes on leaves the student uncompared, still graded
                return None
    return tokens


def kit_files() -> list[Path]:
    """The kit's own code a submission must not copy: every pack (oracles included) and the reference, when present."""
    packs = course.COURSE_DIR / course.course()["packs"]
    found = [path for path in packs.rglob("*.py") if "__pycache__" not in path.parts and path.stat().st_size]
    solutions = course.KIT_ROOT / course.course().get("solutions", "solutions")
    if solutions.is_dir():
        found += [path for path in solutions.glob("*.py") if path.stat().st_size]
    return sorted(found)


def _stub_files() -> list[Path]:
    stubs = course.KIT_ROOT / course.exercises_folder_name()
    return sorted(stubs.glob("*.py")) if stubs.is_dir() else []


def find(documents: list[dict], kit: list[Path] | None = None) -> Findings:
    """Compare the submissions of ``documents`` with the kit's files (``kit_files()`` by default) and with each other."""
    submissions = {}
    not_compared = []
    for document in documents:
        extra = document.get("extra_data", {})
        tokens = extra.get(REPORT_KEY)
        if isinstance(tokens, dict) and tokens:
            submissions[str(extra["student"])] = {str(name): str(text) for name, text in tokens.items()}
        elif extra.get("grading_status") != "error":
            not_compared.append(str(extra.get("student")))
    findings = Findings(compared=len(submissions), not_compared=sorted(not_compared))
    if submissions:
        findings.kit, findings.clusters, findings.kit_files = compare(submissions, kit_files() if kit is None else kit)
    return findings


def _fingerprint(copydetect, name: str, tokens: str, boilerplate):
    from copydetect import defaults

    window = defaults.GUARANTEE_THRESHOLD - defaults.NOISE_THRESHOLD + 1
    return copydetect.CodeFingerprint(name, defaults.NOISE_THRESHOLD, window, boilerplate, filter=False, fp=io.StringIO(tokens))


def _flagged(copydetect, first, second) -> tuple[float, float] | None:
    """copydetect's two shares when the files match (enough tokens, a large enough share); None otherwise."""
    # copydetect's overlap is made of k tokens from each shared k-gram at most: a bound that skips most
    # pairs at the cost of a set intersection, and never a pair copydetect would flag
    shared = first.hashes & second.hashes
    most_first = first.k * sum(len(first.hash_idx[value]) for value in shared)
    most_second = second.k * sum(len(second.hash_idx[value]) for value in shared)
    if most_first < MIN_TOKENS or (
        most_first < FLAG_SHARE * first.token_coverage and most_second < FLAG_SHARE * second.token_coverage
    ):
        return None
    overlap, (share_first, share_second), _ = copydetect.compare_files(first, second)
    if overlap < MIN_TOKENS or max(share_first, share_second) < FLAG_SHARE:
        return None
    return float(share_first), float(share_second)


@functools.lru_cache(maxsize=4)
def _kit_fingerprints(kit: tuple[Path, ...]) -> tuple[object, list[tuple[str, object]]]:
    """The stubs' k-gram hashes (boilerplate: no match counts them) and each kit file's fingerprint, once per process."""
    import numpy as np

    copydetect = _copydetect()
    filter_code = copydetect.utils.filter_code
    stubs = [filter_code(path.read_text(encoding="utf-8"), path.name)[0] for path in _stub_files()]
    boilerplate = np.unique(
        np.array([value for text in stubs for value in _fingerprint(copydetect, "stub.py", text, None).hashes])
    )
    texts = [
        (path.relative_to(course.KIT_ROOT).as_posix(), filter_code(path.read_text(encoding="utf-8"), path.name)[0])
        for path in kit
    ]
    return boilerplate, [(name, _fingerprint(copydetect, name, text, boilerplate)) for name, text in texts]


def compare(submissions: dict[str, dict[str, str]], kit: list[Path]) -> tuple[list[KitMatch], list[Cluster], list[str]]:
    """The matches with the kit, the clusters of classmates and the kit's file names, for ``{student: {file: tokens}}``."""
    copydetect = _copydetect()
    boilerplate, kit_prints = _kit_fingerprints(tuple(kit))

    # one fingerprint per distinct text of a file; ``holders`` are the students who submitted it
    holders: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for student in sorted(submissions):
        for name, text in sorted(submissions[student].items()):
            holders[(name, text)].append(student)
    prints = {key: _fingerprint(copydetect, key[0], key[1], boilerplate) for key in holders}
    prints = {key: fingerprint for key, fingerprint in prints.items() if fingerprint.token_coverage >= MIN_TOKENS}

    kit_matches = []
    for key, fingerprint in sorted(prints.items()):
        for kit_name, kit_print in kit_prints:
            shares = _flagged(copydetect, fingerprint, kit_print)
            if shares is not None:
                kit_matches.append(KitMatch(tuple(holders[key]), key[0], kit_name, *shares))

    clusters = []
    texts_of: dict[str, list[str]] = collections.defaultdict(list)
    for name, text in sorted(prints):
        texts_of[name].append(text)
    for name, texts in sorted(texts_of.items()):
        files_holding: dict[int, list[int]] = collections.defaultdict(list)
        for position, text in enumerate(texts):
            for value in prints[(name, text)].hashes:
                files_holding[value].append(position)
        candidates = set()
        for positions in files_holding.values():
            if 1 < len(positions) <= COMMON_FILES:
                candidates.update((a, b) for i, a in enumerate(positions) for b in positions[i + 1 :])
        links = []
        for a, b in sorted(candidates):
            shares = _flagged(copydetect, prints[(name, texts[a])], prints[(name, texts[b])])
            if shares is not None:
                links.append((a, b, *shares))
        clusters += _clusters(name, [holders[(name, text)] for text in texts], links)
    kit_matches.sort(key=lambda match: (match.kit_file, match.file, match.students))
    return kit_matches, clusters, [name for name, _ in kit_prints]


def _clusters(name: str, groups: list[list[str]], links: list[tuple]) -> list[Cluster]:
    """The connected groups of texts (a text two students share is a cluster by itself)."""
    root = list(range(len(groups)))

    def find_root(index: int) -> int:
        while root[index] != index:
            root[index] = root[root[index]]
            index = root[index]
        return index

    for a, b, *_ in links:
        root[find_root(b)] = find_root(a)
    members: dict[int, list[int]] = collections.defaultdict(list)
    for index in range(len(groups)):
        members[find_root(index)].append(index)
    found = []
    for indices in members.values():
        if len(indices) == 1 and len(groups[indices[0]]) == 1:
            continue
        renumber = {old: new for new, old in enumerate(indices)}
        inside = tuple((renumber[a], renumber[b], *shares) for a, b, *shares in links if a in renumber)
        found.append(Cluster(name, tuple(tuple(groups[index]) for index in indices), inside))
    return sorted(found, key=lambda cluster: cluster.students)
