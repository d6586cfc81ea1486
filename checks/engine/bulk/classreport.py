"""What the class got wrong: ``report.html``, built from the per-student reports alone.

``python -m checks.engine.bulk.classreport DIR`` (``nox -s class-report -- DIR``)
rebuilds ``DIR/report.html`` from ``DIR/reports/``. The page is one
self-contained file (inline SVG figures and CSS, nothing loaded from
anywhere) with:

- the distribution of totals and of each module's score;
- per check, the share of students who failed it, most failed first;
- per misconception (the key a failed check records in its
  ``extra_data.misconception``; in a report written before checks recorded
  it, the ``Diagnosis:`` line of its output), how many students showed it,
  the diagnosis, the lesson and who;
- who needs attention: 0 on a module, could not be graded (and why), or an
  exercise file left exactly as the stub;
- similar code: submissions that closely match the kit's own code or each
  other (see ``similarity``);
- the kit version, the checks' SHA-256 and the grading environment.

The page holds no timestamp and no timing, so the same reports always give
the same bytes (a merge of shards equals one unsharded run).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from checks.engine import course
from checks.engine.bulk import similarity
from checks.engine.bulk.gradebook import STATUS_ERROR, read_reports
from checks.engine.files import UsageError, write_atomic

DIAGNOSIS_LINE = re.compile(r"^Diagnosis: (?P<text>.*?)(?: \(lesson: (?P<lesson>[^()]*)\))?$", re.MULTILINE)
PER_STUDENT_KEYS = {
    "student",
    "submission",
    "files",
    "files_sha256",
    "submission_notes",
    "grading_status",
    "grading_error",
    similarity.REPORT_KEY,
}
ESSENTIAL_KEYS = ("kit_version", "checks_sha256", "lock_sha256")


@dataclass(frozen=True)
class Known:
    """A misconception as the report shows it: its key(s) and diagnosis text."""

    keys: tuple[str, ...]
    module: str
    diagnosis: str


def misconception_index() -> dict[tuple[str, str], Known]:
    """``{(module, diagnosis text): Known}`` over every pack (one text shared by several keys names them all)."""
    keys: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for pack in course.packs():
        for mistake in pack.definitions.MISCONCEPTIONS:
            keys[(pack.module, mistake.diagnosis)].append(mistake.key)
    return {where: Known(tuple(found), where[0], where[1]) for where, found in keys.items()}


def stub_sha256() -> dict[str, str]:
    """``{file name: SHA-256}`` of the course's unchanged stubs."""
    folder = course.KIT_ROOT / course.exercises_folder_name()
    found = {}
    for module in course.modules():
        path = folder / f"{module}.py"
        if path.is_file():
            found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# ------------------------------------------------------------------ figures


def histogram_svg(values: list[int], maximum: int, title: str, width: int = 360, height: int = 150) -> str:
    """A bar chart of how many ``values`` fall on each score from 0 to ``maximum`` (grouped when there are many)."""
    bins = min(maximum + 1, 25) if maximum >= 0 else 1
    step = (maximum + 1) / bins
    counts = [0] * bins
    for value in values:
        counts[min(int(value / step), bins - 1)] += 1
    top = max(counts) or 1
    left, bottom, plot_h = 30, 20, height - 45
    bar_w = (width - left - 10) / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="{width / 2:.0f}" y="12" text-anchor="middle" class="t">{html.escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" class="axis"/>',
        f'<text x="{left - 4}" y="{height - bottom - plot_h + 4}" text-anchor="end" class="s">{top}</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" class="s">0</text>',
    ]
    for index, count in enumerate(counts):
        low = round(index * step)
        high = round((index + 1) * step) - 1
        label = f"{low}" if high <= low else f"{low}–{high}"
        bar_h = plot_h * count / top
        x = left + index * bar_w
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - bar_h:.1f}" width="{max(bar_w - 2, 1):.1f}" height="{bar_h:.1f}" class="bar">'
            f"<title>{label}: {count} student{'s' * (count != 1)}</title></rect>"
        )
        if bins <= 12 or index % max(bins // 6, 1) == 0 or index == bins - 1:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 6}" text-anchor="middle" class="s">{low}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _share_bar(share: float) -> str:
    return f'<svg width="120" height="10" aria-hidden="true"><rect width="{120 * share:.1f}" height="10" class="bar"/></svg>'


# ------------------------------------------------------------------ the page


def build(documents: list[dict]) -> str:
    """The class report's HTML for the given per-student reports."""
    modules = course.modules()
    known = misconception_index()
    known_by_key = {key: entry for entry in known.values() for key in entry.keys}
    stubs = stub_sha256()
    graded = [d for d in documents if d.get("extra_data", {}).get("grading_status") != STATUS_ERROR]
    errors = [d for d in documents if d.get("extra_data", {}).get("grading_status") == STATUS_ERROR]
    e = html.escape

    def student(document) -> str:
        return str(document["extra_data"]["student"])

    # per module and per check
    module_scores: dict[str, list[int]] = {module: [] for module in modules}
    module_max: dict[str, int] = dict.fromkeys(modules, 0)
    failed: dict[str, int] = collections.Counter()
    attempted: dict[str, int] = collections.Counter()
    check_module: dict[str, str] = {}
    shown: dict[Known, set[str]] = collections.defaultdict(set)
    unknown_lessons: dict[Known, str] = {}
    zero: dict[str, list[str]] = collections.defaultdict(list)
    for document in graded:
        per_module = collections.Counter()
        for test in document["tests"]:
            module = test["tags"][0]
            per_module[module] += test["score"]
            check_module[test["name"]] = module
            attempted[test["name"]] += 1
            if test["status"] == "failed":
                failed[test["name"]] += 1
                key = test.get("extra_data", {}).get("misconception")
                if key in known_by_key:
                    shown[known_by_key[key]].add(student(document))
                    continue
                for match in DIAGNOSIS_LINE.finditer(test["output"]):  # a report from before keys were recorded
                    entry = known.get((module, match["text"])) or Known((), module, match["text"])
                    shown[entry].add(student(document))
                    if match["lesson"]:
                        unknown_lessons.setdefault(entry, match["lesson"])
        maxima = collections.Counter()
        for test in document["tests"]:
            maxima[test["tags"][0]] += test["max_score"]
        for module in modules:
            module_scores[module].append(per_module[module])
            module_max[module] = max(module_max[module], maxima[module])
            if maxima[module] and per_module[module] == 0:
                zero[module].append(student(document))
    totals = [document["score"] for document in graded]
    total_max = max((document["max_score"] for document in graded), default=0)

    untouched: dict[str, list[str]] = {}
    for document in documents:
        taken = document["extra_data"].get("files_sha256", {})
        same = sorted(name for name, digest in taken.items() if stubs.get(name) == digest)
        if same:
            untouched[student(document)] = same

    environment = _environment(documents)
    out: list[str] = []
    w = out.append
    w('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    w(f"<title>{e(course.name())}: class report</title>")
    w(f"<style>{_CSS}</style></head><body>")
    w(f"<h1>{e(course.name())}: class report</h1>")
    w(
        f"<p>{len(documents)} students: {len(graded)} graded, {len(errors)} could not be graded."
        + (f" Median total {_median(totals)} of {total_max}." if totals else "")
        + "</p>"
    )
    w('<h2 id="distributions">Distributions</h2><div class="figs">')
    w(histogram_svg(totals, total_max, f"Total (of {total_max})"))
    for module in modules:
        w(histogram_svg(module_scores[module], module_max[module], f"{module} (of {module_max[module]})"))
    w("</div>")

    w('<h2 id="checks">Checks, most failed first</h2>')
    w("<table><thead><tr><th>check</th><th>module</th><th>failed</th><th>share</th><th></th></tr></thead><tbody>")
    for name in sorted(attempted, key=lambda n: (-failed[n] / attempted[n], n)):
        share = failed[name] / attempted[name]
        w(
            f'<tr><td>{e(name)}</td><td>{e(check_module[name])}</td><td class="n">{failed[name]} / {attempted[name]}</td>'
            f'<td class="n">{100 * share:.0f} %</td><td>{_share_bar(share)}</td></tr>'
        )
    w("</tbody></table>")

    w('<h2 id="misconceptions">Misconceptions</h2>')
    if not shown:
        w("<p>No known misconception was recognised.</p>")
    else:
        w(
            "<table><thead><tr><th>students</th><th>misconception</th><th>diagnosis</th><th>lesson</th><th>who</th></tr></thead><tbody>"
        )
        for entry in sorted(shown, key=lambda k: (-len(shown[k]), k.keys, k.diagnosis)):
            who = sorted(shown[entry])
            lesson = unknown_lessons.get(entry) or f"docs/{course.pack(entry.module).lesson}"
            w(
                f'<tr><td class="n">{len(who)}</td><td><code>{e(" / ".join(entry.keys) or "unrecognised")}</code></td>'
                f"<td>{e(entry.diagnosis)}</td><td><code>{e(lesson)}</code></td>"
                f"<td><details><summary>{len(who)} student{'s' * (len(who) != 1)}</summary>{e(', '.join(who))}</details></td></tr>"
            )
        w("</tbody></table>")

    w('<h2 id="attention">Who needs attention</h2>')
    w("<h3>Could not be graded</h3>")
    if errors:
        w(
            "<ul>"
            + "".join(f"<li><b>{e(student(d))}</b>: {e(str(d['extra_data'].get('grading_error', '')))}</li>" for d in errors)
            + "</ul>"
        )
    else:
        w("<p>None.</p>")
    w("<h3>0 points on a module</h3>")
    if any(zero.values()):
        w("<ul>")
        for module in modules:
            if zero[module]:
                names = sorted(zero[module])
                w(f"<li><b>{e(module)}</b> ({len(names)}): {e(', '.join(names))}</li>")
        w("</ul>")
    else:
        w("<p>None.</p>")
    w("<h3>Exercise files left as the stub</h3>")
    if untouched:
        w(
            "<ul>"
            + "".join(f"<li><b>{e(name)}</b>: {e(', '.join(files))}</li>" for name, files in sorted(untouched.items()))
            + "</ul>"
        )
    else:
        w("<p>None.</p>")

    w('<h2 id="similarity">Similar code</h2>')
    w(similarity_section(documents))

    w('<h2 id="environment">Checks and environment</h2><table><tbody>')
    for key, value in environment:
        w(f"<tr><th>{e(key)}</th><td><code>{e(value)}</code></td></tr>")
    w("</tbody></table></body></html>\n")
    return "\n".join(out)


MAX_PAIRS_SHOWN = 30  # per cluster of similar files
NAMES_SHOWN = 5  # in a cell before it folds


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def similarity_section(documents: list[dict]) -> str:
    """The "Similar code" section: who matches the kit's own code, and who matches whom (see ``similarity``)."""
    e = html.escape
    try:
        findings = similarity.find(documents)
    except similarity.SimilarityUnavailable as error:
        return f"<p>Not compared: {e(str(error))}.</p>"
    out: list[str] = []
    w = out.append
    if findings.not_compared:
        w(
            f"<p>Not compared ({len(findings.not_compared)}): {e(', '.join(findings.not_compared))}. Their reports hold no"
            " tokens of their code (graded where copydetect is not installed, or their code could not be tokenized):"
            " grade them again with <code>--force</code> where it is.</p>"
        )
    if not findings.compared:
        return "\n".join(out) or "<p>No submission to compare.</p>"
    solutions = course.course().get("solutions", "solutions")
    reference = any(name.startswith(f"{solutions}/") for name in findings.kit_files)
    w(
        f"<p>{findings.compared} submissions compared with copydetect (MOSS's winnowing fingerprints; names, strings, comments"
        f" and layout do not count) with the kit's own code ({len(findings.kit_files)} files: the checks' packs, their oracles"
        + (
            f" included, and the reference <code>{e(solutions)}/</code>"
            if reference
            else f" included; <code>{e(solutions)}/</code> is not in this checkout"
        )
        + ") and each exercise file with the same file of the classmates who share some of its rarer passages (found in at most"
        f" {similarity.COMMON_FILES} different files). Two files are listed when at least {similarity.MIN_TOKENS} tokens of one file,"
        f" and at least {_percent(similarity.FLAG_SHARE)} of the tokens of one of the two, are found in the other.</p>"
    )
    w("<h3>Matching the kit's own code</h3>")
    if findings.kit:
        w(
            "<table><thead><tr><th>students</th><th>file</th><th>kit file</th><th>student's file in the kit file</th>"
            "<th>kit file in the student's file</th><th>who</th></tr></thead><tbody>"
        )
        for match in sorted(findings.kit, key=lambda m: (-max(m.share, m.kit_share), m.kit_file, m.file, m.students)):
            w(
                f'<tr><td class="n">{len(match.students)}</td><td><code>{e(match.file)}</code></td><td><code>{e(match.kit_file)}</code></td>'
                f'<td class="n">{_percent(match.share)}</td><td class="n">{_percent(match.kit_share)}</td>'
                f"<td>{_names(match.students)}</td></tr>"
            )
        w("</tbody></table>")
    else:
        w("<p>None.</p>")
    w("<h3>Matching each other</h3>")
    if findings.clusters:
        w("<table><thead><tr><th>students</th><th>file</th><th>closest pair</th><th>who and how</th></tr></thead><tbody>")
        for cluster in sorted(findings.clusters, key=lambda c: (-c.top_share, -len(c.students), c.file, c.students)):
            w(
                f'<tr><td class="n">{len(cluster.students)}</td><td><code>{e(cluster.file)}</code></td>'
                f'<td class="n">{_percent(cluster.top_share)}</td><td>{_names(cluster.students)}'
                f"<details><summary>how</summary><ul>{_cluster_lines(cluster)}</ul></details></td></tr>"
            )
        w("</tbody></table>")
    else:
        w("<p>None.</p>")
    return "\n".join(out)


def _names(students) -> str:
    """Students by name, folded away when there are many."""
    text = html.escape(", ".join(students))
    if len(students) <= NAMES_SHOWN:
        return text
    return f"<details><summary>{len(students)} students</summary>{text}</details>"


def _cluster_lines(cluster: similarity.Cluster) -> str:
    e = html.escape

    def label(group: tuple[str, ...]) -> str:
        return e(group[0]) + (f" (and the {len(group) - 1} with the same tokens)" if len(group) > 1 else "")

    lines = [f"<li>the same tokens: {e(', '.join(group))}</li>" for group in cluster.groups if len(group) > 1]
    links = sorted(cluster.links, key=lambda link: (-max(link[2], link[3]), link[0], link[1]))
    for first, second, share, second_share in links[:MAX_PAIRS_SHOWN]:
        lines.append(
            f"<li>{label(cluster.groups[first])} and {label(cluster.groups[second])}: {_percent(share)} of the first's file"
            f" is in the second's, {_percent(second_share)} of the second's in the first's</li>"
        )
    if len(links) > MAX_PAIRS_SHOWN:
        lines.append(f"<li>and {len(links) - MAX_PAIRS_SHOWN} more pairs</li>")
    return "".join(lines)


def _median(values: list[int]) -> str:
    ordered = sorted(values)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return f"{value:g}"


def _describe(value) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _environment(documents: list[dict]) -> list[tuple[str, str]]:
    """The class-level facts of ``extra_data`` (kit version, checks, lock, environment): one value, or each value with its count."""
    values: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for document in documents:
        for key, value in document.get("extra_data", {}).items():
            if key not in PER_STUDENT_KEYS:
                values[key][_describe(value)] += 1
    rows = []
    for key in [*ESSENTIAL_KEYS, *sorted(set(values) - set(ESSENTIAL_KEYS))]:
        if key not in values:
            continue
        seen = values[key]
        if len(seen) == 1:
            rows.append((key, next(iter(seen))))
        else:
            rows.append((key, "; ".join(f"{value} ({count})" for value, count in sorted(seen.items()))))
    return rows


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}.figs{display:flex;flex-wrap:wrap;gap:1em}
svg .bar,svg.bar,rect.bar{fill:#3b6ea8}svg .axis{stroke:#444}svg .t{font-size:12px;font-weight:bold}svg .s{font-size:10px;fill:#444}
code{font-size:90%;word-break:break-all}details summary{cursor:pointer}
""".strip()


def write(out: Path, documents: list[dict]) -> None:
    write_atomic(out / "report.html", build(documents))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s class-report --", description="Rebuild DIR/report.html from DIR/reports/.")
    parser.add_argument("folder", help="the --out folder of a bulk grading run")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    folder = Path(arguments.folder)
    try:
        if not (folder / "reports").is_dir():
            raise UsageError(f"no reports in {folder} (expected {folder / 'reports'}/)")
        write(folder, read_reports(folder / "reports"))
    except (UsageError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Class report: {folder / 'report.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
