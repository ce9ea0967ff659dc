#!/usr/bin/env python3
"""Judge the real clips in ../shared/footage and compare with MANIFEST.tsv's labels.

    python tools/evaluate_footage.py [--footage DIR] [--out docs/accuracy_footage.md]
                                     [--exercise plank ...] [--no-cache]

For every clip of an exercise formcheck supports, runs `analyze_video` with the
manifest's exercise (and, when the registry has it, `--exercise auto`) and writes a
markdown table of formcheck's verdict, faults and reps beside the label, plus the
agreement figures: `correct` should be judged `good`, `incorrect_*` `needs_work`.
Clips whose notes call the label doubtful ("QUESTIONABLE", "CONTESTED", "doubtful")
are listed but left out of the agreement figures.

Poses come from the landmark cache (FORMCHECK_CACHE_DIR or ~/.cache/formcheck), so
after the first run a change to a rule re-scores every clip in seconds. Nothing from
the footage is written into the repository: only formcheck's verdicts and the labels.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FOOTAGE = REPO.parent / "shared" / "footage"
DOUBT_MARKERS = ("QUESTIONABLE", "CONTESTED", "doubtful")


@dataclass
class ClipResult:
    row: dict[str, str]
    report: dict[str, Any] | None = None
    auto_report: dict[str, Any] | None = None
    error: str = ""
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.row["label"]

    @property
    def doubtful(self) -> bool:
        return any(marker in self.row["notes"] for marker in DOUBT_MARKERS)

    @property
    def expected_verdict(self) -> str | None:
        if self.label == "correct":
            return "good"
        if self.label.startswith("incorrect"):
            return "needs_work"
        return None

    @property
    def verdict(self) -> str:
        if self.report:
            return str(self.report["verdict"])
        return "error" if self.error else "-"  # an exercise formcheck does not judge

    @property
    def agrees(self) -> bool | None:
        expected = self.expected_verdict
        if expected is None or (self.report is None and not self.error):
            return None  # unlabelled, or an exercise formcheck does not judge
        return self.verdict == expected


def read_manifest(footage: Path) -> list[dict[str, str]]:
    with open(footage / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def evaluate(footage: Path, exercises: list[str], use_cache: bool) -> list[ClipResult]:
    from formcheck.analyze import analyze_video
    from formcheck.cache import LandmarkCache
    from formcheck.errors import FormcheckError
    from formcheck.exercises import REGISTRY

    cache = LandmarkCache() if use_cache else None
    results = []
    for row in read_manifest(footage):
        if row["exercise"] not in exercises:
            continue
        result = ClipResult(row)
        start = time.perf_counter()
        clip = footage / row["file"]
        try:
            if row["exercise"] in REGISTRY:
                result.report = analyze_video(clip, row["exercise"], cache=cache).report
            result.auto_report = analyze_video(clip, "auto", cache=cache).report
        except FormcheckError as error:
            result.error = str(error)
        result.seconds = time.perf_counter() - start
        results.append(result)
        print(
            f"{row['file']:<75} {result.label:<32} {result.verdict:<16} {result.seconds:5.1f}s",
            file=sys.stderr,
        )
    return results


def _faults(report: dict[str, Any] | None) -> str:
    if not report:
        return ""
    return ", ".join(report.get("fault_codes", [])) or "-"


def _reps_or_hold(report: dict[str, Any] | None) -> str:
    from formcheck.exercises.results import rep_count_text

    if not report:
        return ""
    if report.get("reps"):
        return rep_count_text(len(report["reps"]))
    hold = report.get("hold")
    if hold:
        return f"hold {hold['total_s']:.1f} s, good {hold['good_form_s']:.1f} s"
    return "-"


def render_markdown(results: list[ClipResult]) -> str:
    lines = [
        "| clip | exercise | view | label | formcheck verdict | score | faults | reps / hold"
        " | auto picked | agrees |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        auto = ""
        if r.auto_report:
            picked = r.auto_report.get("auto", {})
            auto = f"{picked.get('exercise', r.auto_report['exercise'])}"
            if picked.get("confidence") is not None:
                auto += f" ({picked['confidence']:.2f})"
            if picked.get("judged") is False:
                auto += ", uncertain: not judged"
        agrees = {True: "yes", False: "**no**", None: "n/a"}[r.agrees]
        if r.doubtful and r.agrees is not None:
            agrees += " (label doubtful: not counted)"
        score = "" if not r.report else "-" if r.report["score"] is None else r.report["score"]
        lines.append(
            f"| {r.row['file']} | {r.row['exercise']} | {r.row['view']} | {r.label} |"
            f" {r.verdict if not r.error else 'error: ' + r.error} | {score} | {_faults(r.report)} |"
            f" {_reps_or_hold(r.report)} | {auto} | {agrees} |"
        )
    lines.append("")
    lines.append("Agreement (labelled clips, doubtful labels left out):")
    lines.append("")
    lines.append("| exercise | agree | of | share |")
    lines.append("|---|---|---|---|")
    by_exercise: dict[str, list[ClipResult]] = {}
    for r in results:
        if r.agrees is not None and not r.doubtful:
            by_exercise.setdefault(r.row["exercise"], []).append(r)
    total_agree = total = 0
    for exercise, rows in sorted(by_exercise.items()):
        agree = sum(1 for r in rows if r.agrees)
        total_agree += agree
        total += len(rows)
        lines.append(f"| {exercise} | {agree} | {len(rows)} | {agree / len(rows):.0%} |")
    if total:
        lines.append(f"| **all** | {total_agree} | {total} | {total_agree / total:.0%} |")
    lines.extend(_auto_summary(results))
    return "\n".join(lines) + "\n"


def _auto_summary(results: list[ClipResult]) -> list[str]:
    """How often auto named the clip's exercise (folders formcheck judges), and how often it
    confidently called another exercise's clip one of formcheck's (the other folders)."""
    from formcheck.exercises import REGISTRY

    def picked(r: ClipResult) -> dict[str, Any]:
        assert r.auto_report is not None
        auto: dict[str, Any] = r.auto_report.get("auto", {})
        return auto

    ours = [r for r in results if r.auto_report and r.row["exercise"] in REGISTRY]
    others = [r for r in results if r.auto_report and r.row["exercise"] not in REGISTRY]
    lines = []
    if ours:
        right = sum(1 for r in ours if picked(r).get("exercise") == r.row["exercise"])
        judged = sum(
            1
            for r in ours
            if picked(r).get("exercise") == r.row["exercise"] and picked(r).get("judged")
        )
        lines += [
            "",
            f"`--exercise auto` named the right exercise on {right} of {len(ours)}"
            f" clips of the exercises formcheck judges ({right / len(ours):.0%}); confident"
            f" enough to judge on {judged}.",
        ]
    if others:
        called = [r for r in others if picked(r).get("judged")]
        lines += [
            "",
            f"Clips of other exercises ({len(others)}): auto confidently called"
            f" {len(called)} of them one of formcheck's"
            + (
                ": " + ", ".join(f"{r.row['file']} -> {picked(r)['exercise']}" for r in called)
                if called
                else ""
            )
            + ".",
        ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=DEFAULT_FOOTAGE)
    parser.add_argument("--out", type=Path, help="write the markdown table here")
    parser.add_argument(
        "--exercise",
        action="append",
        dest="exercises",
        help="exercise folder(s) to evaluate (default: plank, deadlift, glute_bridge; auto"
        " also runs on the folders of exercises formcheck does not judge, as negatives)",
    )
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    if not (args.footage / "MANIFEST.tsv").is_file():
        print(f"no MANIFEST.tsv in {args.footage}", file=sys.stderr)
        return 2
    exercises = args.exercises or ["plank", "deadlift", "glute_bridge"]
    results = evaluate(args.footage, exercises, not args.no_cache)
    markdown = render_markdown(results)
    if args.out:
        args.out.write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
