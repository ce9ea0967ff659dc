"""JUnit XML for CI test views: one testcase per clip.

A clip whose expectations all hold passes; one that breaks any has a `<failure>` whose
message lists each broken expectation with the expected and actual values and the
difference; a clip that could not be analysed has an `<error>`. GitHub (e.g.
dorny/test-reporter, mikepenz/action-junit-report) and GitLab (`artifacts:reports:junit`)
render this shape.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from formcheck.batch import BatchResult, ClipResult
from formcheck.display import report_progress, report_score
from formcheck.report import write_text

SUITE_NAME = "formcheck batch"


def _shown_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _details(result: ClipResult) -> str:
    report = result.outcome.report
    lines = [f"clip: {_shown_path(result.job.video)}", f"exercise: {result.job.exercise}"]
    if report is not None:
        lines.append(f"verdict: {report['verdict']} (score {report_score(report)}/100)")
        lines.append(
            f"{report_progress(report)}; faults: {', '.join(report['fault_codes']) or 'none'}"
        )
        lines.append(f"message: {report['message']}")
    if result.job.report_path is not None and report is not None:
        lines.append(f"report: {result.job.report_path}")
    return "\n".join(lines)


def _testcase(result: ClipResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": f"formcheck.{result.job.exercise}",
            "name": result.job.name,
            "file": _shown_path(result.job.video),
            "time": f"{result.outcome.elapsed_s:.3f}",
        },
    )
    details = _details(result)
    if result.status == "error":
        element = ET.SubElement(
            case, "error", {"message": result.outcome.error or "", "type": "ClipNotAnalysed"}
        )
        element.text = f"{result.outcome.error}\n{details}"
    elif result.status == "fail":
        messages = [f.message for f in result.failures]
        element = ET.SubElement(
            case, "failure", {"message": "; ".join(messages), "type": "ExpectationFailed"}
        )
        element.text = "\n".join(messages) + "\n\n" + details
    out = ET.SubElement(case, "system-out")
    out.text = details
    return case


def junit_xml(batch: BatchResult) -> str:
    """The JUnit XML document as text."""
    counts = batch.counts()
    totals = {
        "tests": str(len(batch.results)),
        "failures": str(counts["fail"]),
        "errors": str(counts["error"]),
        "time": f"{batch.elapsed_s:.3f}",
    }
    root = ET.Element("testsuites", {"name": SUITE_NAME, **totals})
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": SUITE_NAME,
            **totals,
            "skipped": "0",
            "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
        },
    )
    for result in batch.results:
        suite.append(_testcase(result))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(batch: BatchResult, path: Path) -> None:
    """Write `junit_xml` atomically to `path` (OutputError if it cannot be written)."""
    write_text(junit_xml(batch), path, "the JUnit report")
