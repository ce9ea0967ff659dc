#!/usr/bin/env python3
"""Judge the real clips in ../shared/footage and compare with MANIFEST.tsv's labels.

    python tools/evaluate_footage.py [--footage DIR] [--out docs/accuracy_footage.md]
                                     [--exercise plank ...] [--no-cache]
                                     [--loso] [--corpus DIR]

For every clip of an exercise formcheck supports, runs `analyze_video` with the
manifest's exercise (and, when the registry has it, `--exercise auto`) and writes a
markdown table of formcheck's verdict, faults and reps beside the label, plus the
agreement figures: `correct` should be judged `good`, `incorrect_*` `needs_work`.
Clips whose notes call the label doubtful ("QUESTIONABLE", "CONTESTED", "doubtful")
are listed but left out of the agreement figures.

Per fault a label names (`footage_loso.LABEL_FAULTS`: incorrect_rounded_back ->
deadlift.rounded_back, ...): recall over the clips labelled with it and false alarms on
the clips labelled correct. With `--loso`, every threshold that decides a verdict is
refitted leave-one-source-out (tools/footage_loso.py says how) and the held-out clips
are judged with it: in-sample and leave-one-source-out agreement side by side, each
threshold's refits, the clips that set it, and (with a rendered, cached studio corpus:
`--corpus`, default ../corpus) the studio's F1 for its code at each refit.

Poses come from the landmark cache (FORMCHECK_CACHE_DIR or ~/.cache/formcheck), so
after the first run a change to a rule re-scores every clip in seconds. Nothing from
the footage is written into the repository: only formcheck's verdicts and the labels.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import footage_loso  # noqa: E402  (a sibling module, as the tests import it)
from footage_loso import DOUBT_MARKERS  # noqa: E402

DEFAULT_FOOTAGE = REPO.parent / "shared" / "footage"
DEFAULT_CORPUS = Path(os.environ.get("FORMCHECK_CORPUS", REPO.parent / "corpus"))


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
            f" {r.verdict if not r.error else 'error: ' + r.error} | {score} |"
            f" {_faults(r.report)} |"
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
    parser.add_argument(
        "--loso",
        action="store_true",
        help="refit the thresholds leave-one-source-out and judge each source's clips with"
        " them (needs the landmark cache; the first run takes minutes, later ones seconds)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="a rendered, cached studio corpus: with --loso, its F1 per code at each refit"
        " (default $FORMCHECK_CORPUS or ../corpus; skipped when absent)",
    )
    args = parser.parse_args()
    if not (args.footage / "MANIFEST.tsv").is_file():
        print(f"no MANIFEST.tsv in {args.footage}", file=sys.stderr)
        return 2
    if args.loso and args.no_cache:
        print("--loso re-judges the cached poses: drop --no-cache", file=sys.stderr)
        return 2
    exercises = args.exercises or ["plank", "deadlift", "glute_bridge"]
    results = evaluate(args.footage, exercises, not args.no_cache)
    markdown = _header(args.loso) + render_markdown(results)
    judged = [r for r in results if r.report and footage_loso.is_labelled(r.row)]
    today = {r.row["file"]: _outcome(r.report) for r in judged if r.report}
    loso = None
    if args.loso:
        from formcheck.cache import LandmarkCache

        cache = LandmarkCache()
        clips = footage_loso.load_clips([r.row for r in judged], args.footage, cache)
        judge = footage_loso.Judge(
            cache.root / "footage_judged" / f"{footage_loso.source_fingerprint()}.json"
        )
        _check_replay(clips, today)
        studio = _studio(args.corpus, cache, exercises)
        started = time.perf_counter()
        # Stopped from outside: save what was judged (the finally below), then exit.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            loso = footage_loso.run_loso(
                clips, judge, studio, progress=lambda text: print(text, file=sys.stderr)
            )
        finally:
            judge.save()
        print(
            f"leave-one-source-out: {judge.judged} clip judgements computed"
            f" in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    else:
        clips = [footage_loso.clip_of(r.row) for r in judged]
    markdown += "\n" + footage_loso.render_faults(clips, loso, today)
    if loso is not None:
        markdown += "\n" + footage_loso.render_loso(loso)
        markdown += "\n### Summary (for docs/accuracy.md)\n\n" + footage_loso.render_summary(loso)
    if args.out:
        args.out.write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


def _outcome(report: dict[str, Any]) -> footage_loso.Outcome:
    return footage_loso.Outcome(
        str(report["verdict"]),
        frozenset(report.get("fault_codes", [])),
        None if report["score"] is None else int(report["score"]),
    )


def _check_replay(clips: list[footage_loso.Clip], today: dict[str, footage_loso.Outcome]) -> None:
    """The re-judging must be the analysis itself: same verdict, faults and score (judged
    afresh, not from the stored judgements, which would hide a change to the replay)."""
    for clip in clips:
        limits = footage_loso.default_limits(clip.exercise)
        again = footage_loso.judge_frames(clip.exercise, clip.frames, clip.end_ms, limits)
        if again != today[clip.file]:
            raise SystemExit(
                f"{clip.file}: re-judged from the cache as {again}, analysed as"
                f" {today[clip.file]}: tools/footage_loso.py no longer replays analyze_video"
            )


def _studio(corpus: Path, cache: Any, exercises: list[str]) -> footage_loso.Studio | None:
    if not (corpus / "corpus.toml").is_file():
        print(f"no studio corpus at {corpus}: the studio check is skipped", file=sys.stderr)
        return None
    studio = footage_loso.Studio(corpus, cache, exercises)
    if studio.missing:
        print(
            f"studio corpus: {len(studio.missing)} clips have no cached poses (run"
            f" tools/evaluate_corpus.py {corpus} once): the studio check is skipped",
            file=sys.stderr,
        )
        return None
    return studio


def _header(loso: bool) -> str:
    from evaluate_corpus import revision

    command = "python tools/evaluate_footage.py" + (" --loso" if loso else "")
    return (
        "# formcheck on the real footage\n\n"
        f"Generated by `{command} --out docs/accuracy_footage.md` with {revision()}, over"
        " the clips in ../shared/footage (never copied here: only verdicts, labels and"
        " summary numbers).\n\n"
    )


if __name__ == "__main__":
    sys.exit(main())
