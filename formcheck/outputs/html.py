"""A single-file HTML report of a batch: inline CSS and SVG, no scripts.

Per clip: the verdict and whether its expectations held, a timeline of the exercise's
key metric with fault intervals shaded, the per-rep scores (rep exercises), and the
annotated clip (a webm written next to the report, referenced by a relative path so the
folder can be moved or uploaded as one artifact).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.batch import BatchResult, ClipResult
from formcheck.display import report_progress, report_score
from formcheck.outputs.summary import rep_note, result_text
from formcheck.report import write_text

# Colour-blind-safe palette (Okabe-Ito) for fault codes, in order of first appearance.
FAULT_COLOURS = ("#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#009E73", "#F0E442", "#0072B2")
_PLOT_W, _PLOT_H = 720, 200
_MARGIN_L, _MARGIN_R, _MARGIN_T, _MARGIN_B = 56, 12, 22, 30

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
max-width:960px;color:#222;padding:0 12px}
h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.2em;margin:0}
table{border-collapse:collapse;margin:8px 0;font-size:.92em}
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.clip{border:1px solid #ccc;border-radius:6px;padding:12px 16px;margin:18px 0}
.badge{display:inline-block;border-radius:4px;padding:1px 8px;color:#fff;font-weight:600;
font-size:.85em}
.good,.pass{background:#1b7f3b}.needs_work{background:#b85c00}.fail,.error{background:#b3261e}
.no_pose,.not_in_position,.missing{background:#666}
.fails{color:#b3261e;margin:6px 0 0 0}.muted{color:#666;font-size:.9em}
video{max-width:100%;margin-top:8px;background:#000}
svg{width:100%;height:auto;max-width:720px;display:block}
.legend span{display:inline-block;margin-right:12px;font-size:.85em}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
"""


def _nice_step(span: float, target_ticks: int = 5) -> float:
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / target_ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(max(count, 0))]


def _segments(t_s: Sequence[float], values: Sequence[float], max_gap_s: float) -> list[list[int]]:
    """Index runs with no gap longer than `max_gap_s` (gaps are frames not judged)."""
    runs: list[list[int]] = []
    for i, t in enumerate(t_s):
        if runs and t - t_s[runs[-1][-1]] <= max_gap_s:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def timeline_svg(
    timeline: dict[str, Any] | None, duration_s: float, colours: dict[str, str]
) -> str:
    """An inline SVG: the key metric over time, fault intervals shaded by code."""
    duration = max(duration_s, 1e-3)
    t_s: list[float] = list((timeline or {}).get("t_s", []))
    values: list[float] = list((timeline or {}).get("values", []))
    metric = (timeline or {}).get("metric") or "key metric"
    if values:
        low, high = min(values), max(values)
        if (low > 0 and low < high - low) or (high < 0 and -high < high - low):
            low, high = min(low, 0.0), max(high, 0.0)  # near zero: show the zero line
    else:
        low, high = -1.0, 1.0
    pad = (high - low) * 0.08 or 0.05
    low, high = low - pad, high + pad
    inner_w = _PLOT_W - _MARGIN_L - _MARGIN_R
    inner_h = _PLOT_H - _MARGIN_T - _MARGIN_B

    def x(t: float) -> float:
        return _MARGIN_L + inner_w * min(max(t / duration, 0.0), 1.0)

    def y(v: float) -> float:
        return _MARGIN_T + inner_h * (1.0 - (v - low) / (high - low))

    parts = [
        f'<svg viewBox="0 0 {_PLOT_W} {_PLOT_H}" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' aria-label="{escape(metric)} over time">',
        f'<rect x="{_MARGIN_L}" y="{_MARGIN_T}" width="{inner_w}" height="{inner_h}" fill="#fafafa"'
        ' stroke="#bbb"/>',
    ]
    for fault in (timeline or {}).get("faults", []):
        start, end = float(fault["start_s"]), float(fault["end_s"])
        colour = colours.get(fault["code"], "#999")
        parts.append(
            f'<rect class="fault" x="{x(start):.1f}" y="{_MARGIN_T}"'
            f' width="{max(x(end) - x(start), 1):.1f}"'
            f' height="{inner_h}" fill="{colour}" fill-opacity="0.28">'
            f"<title>{escape(fault['code'])} {start:g}-{end:g} s</title></rect>"
        )
    for tick in _ticks(low, high):
        parts.append(
            f'<line x1="{_MARGIN_L}" x2="{_MARGIN_L + inner_w}"'
            f' y1="{y(tick):.1f}" y2="{y(tick):.1f}"'
            f' stroke="{"#888" if tick == 0 else "#e4e4e4"}" stroke-width="1"/>'
            f'<text x="{_MARGIN_L - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end"'
            f' fill="#444">{tick:g}</text>'
        )
    for tick in _ticks(0.0, duration):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{_PLOT_H - 12}" font-size="11" text-anchor="middle"'
            f' fill="#444">{tick:g}</text>'
        )
    parts.append(
        f'<text x="{_MARGIN_L + inner_w}" y="{_PLOT_H - 1}" font-size="11" text-anchor="end"'
        f' fill="#444">time (s)</text>'
        f'<text x="{_MARGIN_L}" y="{_MARGIN_T - 7}" font-size="11" fill="#444">'
        f"{escape(metric)}</text>"
    )
    hz = float((timeline or {}).get("max_hz") or 10.0)
    for run in _segments(t_s, values, max_gap_s=1.5 / hz):
        points = " ".join(f"{x(t_s[i]):.1f},{y(values[i]):.1f}" for i in run)
        if len(run) == 1:
            i = run[0]
            parts.append(
                f'<circle cx="{x(t_s[i]):.1f}" cy="{y(values[i]):.1f}" r="1.5" fill="#1f4e9c"/>'
            )
        else:
            parts.append(
                f'<polyline class="metric" points="{points}" fill="none" stroke="#1f4e9c"'
                ' stroke-width="1.6"/>'
            )
    if not values:
        parts.append(
            f'<text x="{_MARGIN_L + inner_w / 2}" y="{_MARGIN_T + inner_h / 2}" font-size="13"'
            ' text-anchor="middle" fill="#888">no judged frames</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _badge(text: str, kind: str) -> str:
    return f'<span class="badge {escape(kind)}">{escape(text)}</span>'


def _reps_table(reps: Sequence[dict[str, Any]]) -> str:
    if not reps:
        return ""
    rows = "".join(
        f"<tr><td>{rep.get('index')}</td><td>{rep.get('start_s')}-{rep.get('end_s')} s</td>"
        f"<td>{'not judged' if rep.get('score') is None else rep['score']}</td>"
        f"<td>{escape(', '.join(rep.get('faults', [])) or '-')}</td></tr>"
        for rep in reps
    )
    return (
        '<table class="reps"><tr><th>rep</th><th>time</th><th>score</th><th>faults</th></tr>'
        f"{rows}</table>"
    )


def _faults_list(report: dict[str, Any], colours: dict[str, str]) -> str:
    if not report.get("faults"):
        return '<p class="muted">No faults.</p>'
    items = "".join(
        f'<li><i style="background:{colours.get(f["code"], "#999")}"></i>'
        f" <b>{escape(f['code'])}</b>"
        f" {f['start_s']:g}-{f['end_s']:g} s ({f['duration_s']:g} s): {escape(f['cue'])}"
        f"{escape(rep_note(f))}</li>"
        for f in report["faults"]
    )
    return f'<ul class="legend">{items}</ul>'


def _clip_section(result: ClipResult, html_dir: Path, colours: dict[str, str]) -> str:
    job, report = result.job, result.outcome.report
    parts = [f'<section class="clip" id="{escape(job.slug)}">']
    status = {"pass": "pass", "fail": "FAIL", "error": "ERROR"}[result.status]
    verdict = report["verdict"] if report else "no report"
    parts.append(
        f"<h2>{escape(job.name)} {_badge(status, result.status)}"
        f" {_badge(verdict, verdict if report else 'missing')}</h2>"
    )
    if result.status != "pass":
        items = "".join(f"<li>{escape(f.message)}</li>" for f in result.failures)
        parts.append(f'<ul class="fails">{items}</ul>')
    if report is not None:
        parts.append(
            f"<p>{escape(report['exercise'])}: score <b>{report_score(report)}</b>/100;"
            f" {escape(report_progress(result.outcome.report))}. {escape(report['message'])}"
            f' <span class="muted">{report["frames"]} frames, {report["duration_s"]:g} s'
            f"{', from the landmark cache' if result.outcome.from_cache else ''}</span></p>"
        )
        parts.append(
            timeline_svg(result.outcome.timeline, float(report["duration_s"] or 0), colours)
        )
        parts.append(_faults_list(report, colours))
        parts.append(_reps_table(report.get("reps", [])))
    video = job.annotated_path
    if video is not None and video.is_file():
        source = Path(os.path.relpath(video, html_dir)).as_posix()
        parts.append(
            f'<video controls preload="metadata" src="{escape(source)}" width="640"></video>'
        )
    parts.append("</section>")
    return "".join(parts)


def _summary_table(batch: BatchResult) -> str:
    rows = []
    for result in batch.results:
        report = result.outcome.report or {}
        rows.append(
            f'<tr><td><a href="#{escape(result.job.slug)}">{escape(result.job.name)}</a></td>'
            f"<td>{escape(str(report.get('exercise', result.job.exercise)))}</td>"
            f"<td>{report_score(report) if report else ''}</td><td>{escape(str(report.get('verdict', '-')))}</td>"
            f"<td>{escape(report_progress(result.outcome.report))}</td>"
            f"<td>{escape(', '.join(report.get('fault_codes', [])) or '-')}</td>"
            f"<td>{escape(result_text(result))}</td></tr>"
        )
    return (
        "<table><tr><th>clip</th><th>exercise</th><th>score</th><th>verdict</th><th>reps/hold</th>"
        f"<th>faults</th><th>result</th></tr>{''.join(rows)}</table>"
    )


def html_report(batch: BatchResult, html_path: Path) -> str:
    """The report as one HTML document; video paths are made relative to `html_path`."""
    html_dir = Path(html_path).resolve().parent
    codes: list[str] = []
    for result in batch.results:
        for fault in (result.outcome.report or {}).get("faults", []):
            if fault["code"] not in codes:
                codes.append(fault["code"])
    colours = {code: FAULT_COLOURS[i % len(FAULT_COLOURS)] for i, code in enumerate(codes)}
    counts = batch.counts()
    overall = "pass" if batch.passed else "fail"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = "".join(_clip_section(result, html_dir, colours) for result in batch.results)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>formcheck batch report</title><style>{_CSS}</style></head><body>"
        f"<h1>formcheck batch report {_badge(overall.upper(), overall)}</h1>"
        f'<p class="muted">{len(batch.results)} clips: {counts["pass"]} passed,'
        f" {counts['fail']} failed, {counts['error']} not analysed. formcheck {__version__},"
        f" {stamp}.</p>"
        f"{_summary_table(batch)}{sections}</body></html>\n"
    )


def write_html(batch: BatchResult, path: Path) -> None:
    """Write `html_report` atomically (OutputError if it cannot be written)."""
    write_text(html_report(batch, path), path, "the HTML report")


def video_dir_for(html_path: Path) -> Path:
    """Folder for the annotated webm files of an HTML report: `<stem>_files/` beside it."""
    html_path = Path(html_path)
    return html_path.parent / f"{html_path.stem}_files"
