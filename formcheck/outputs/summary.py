"""The batch summary: one row per clip, as a terminal table, JSON or CSV.

Every format carries the same row fields (`summary_rows`); the JSON adds totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.batch import BatchResult, ClipResult
from formcheck.display import report_progress, report_score
from formcheck.report import write_json, write_text

SUMMARY_SCHEMA_VERSION = 1
CSV_FIELDS = (
    "clip",
    "exercise",
    "status",
    "verdict",
    "score",
    "hold_s",
    "good_form_s",
    "reps",
    "faults",
    "failures",
    "error",
    "frames",
    "elapsed_s",
    "from_cache",
    "report",
    "annotated_video",
)


def rep_note(fault: Mapping[str, Any]) -> str:
    """" (rep 2)" or " (not counted against a rep)" for a rep exercise's fault entry; the
    verdict is the reps', so a fault outside them says so. "" for holds."""
    reps = fault.get("in_reps")
    if reps is None:
        return ""
    if not reps:
        return " (not counted against a rep)"
    return f" (rep{'s' if len(reps) > 1 else ''} {', '.join(str(r) for r in reps)})"


def summary_row(result: ClipResult) -> dict[str, Any]:
    """One clip as plain data (see README, "Batch outputs")."""
    report = result.outcome.report or {}
    hold = report.get("hold") or {}
    return {
        "clip": result.job.name,
        "video": str(result.job.video),
        "exercise": report.get("exercise", result.job.exercise),
        "status": result.status,
        "verdict": report.get("verdict"),
        "score": report.get("score"),
        "hold_s": hold.get("total_s"),
        "good_form_s": hold.get("good_form_s"),
        # None for holds (no reps to count) and for clips without a report.
        "reps": len(report.get("reps", [])) if report and report.get("hold") is None else None,
        "kind": report.get("kind"),
        "faults": list(report.get("fault_codes", [])),
        "failures": [f.message for f in result.failures],
        "error": result.outcome.error,
        "frames": result.outcome.frames,
        "elapsed_s": round(result.outcome.elapsed_s, 3),
        "from_cache": result.outcome.from_cache,
        "report": str(result.job.report_path) if result.job.report_path and report else None,
        "annotated_video": str(result.job.annotated_path) if result.job.annotated_path else None,
    }


def summary_rows(batch: BatchResult) -> list[dict[str, Any]]:
    return [summary_row(result) for result in batch.results]


def summary_dict(batch: BatchResult) -> dict[str, Any]:
    """The summary JSON: totals and one row per clip."""
    counts = batch.counts()
    return {
        "formcheck_version": __version__,
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "passed": batch.passed,
        "interrupted": batch.interrupted,
        "clips": len(batch.results),
        **{f"clips_{status}": count for status, count in counts.items()},
        "frames": batch.frames,
        "elapsed_s": round(batch.elapsed_s, 3),
        "workers": batch.workers,
        "results": summary_rows(batch),
    }


def render_csv(batch: BatchResult) -> str:
    """CSV with `CSV_FIELDS`; lists are joined with "; "."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in summary_rows(batch):
        flat = dict(row)
        flat["faults"] = "; ".join(row["faults"])
        flat["failures"] = "; ".join(row["failures"])
        writer.writerow({k: "" if v is None else v for k, v in flat.items()})
    return buffer.getvalue()


def write_summary(batch: BatchResult, out_dir: Path) -> tuple[Path, Path]:
    """`summary.json` and `summary.csv` in `out_dir`; returns their paths."""
    json_path, csv_path = Path(out_dir) / "summary.json", Path(out_dir) / "summary.csv"
    write_json(summary_dict(batch), json_path)
    write_text(render_csv(batch), csv_path, "the summary")
    return json_path, csv_path


def result_text(result: ClipResult) -> str:
    """ "pass", "FAIL: <what broke>" or "ERROR: <why it was not analysed>"."""
    if result.status == "pass":
        return "pass"
    if result.status == "error":
        return f"ERROR: {result.outcome.error}"
    return "FAIL: " + "; ".join(f.message for f in result.failures)


def render_table(batch: BatchResult) -> str:
    """The final table: clip, exercise, score, verdict, reps/hold, faults, result."""
    header = ("clip", "exercise", "score", "verdict", "reps/hold", "faults", "result")
    rows = []
    for result in batch.results:
        report = result.outcome.report or {}
        rows.append(
            (
                result.job.name,
                str(report.get("exercise", result.job.exercise)),
                report_score(report) if report else "",
                str(report.get("verdict", "-")),
                report_progress(result.outcome.report),
                ", ".join(report.get("fault_codes", [])) or "-",
                result_text(result),
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) for cell, width in zip(row, widths, strict=False)
        ]  # result column: no width
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    counts = batch.counts()
    rate = batch.frames / batch.elapsed_s if batch.elapsed_s > 0 else 0.0
    lines.append(
        f"{len(batch.results)} clips: {counts['pass']} passed, {counts['fail']} failed,"
        f" {counts['error']} not analysed; {batch.frames} frames in {batch.elapsed_s:.1f} s"
        f" ({rate:.0f} frames/s, {batch.workers} worker{'s' if batch.workers != 1 else ''})"
    )
    return "\n".join(lines)
