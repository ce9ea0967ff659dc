"""What formcheck must report for a rendered clip, from its truth; and rendering clip sets.

`expectation(truth)` turns a clip's ground truth into the checks `sample_videos/
expected.toml` (and a corpus' `corpus.toml`) holds for it, in the format `formcheck
batch` reads (`formcheck.expectations`):

```toml
[defaults]
tolerance_s = 0.5
[clips."plank_good_side.mp4"]   # path relative to this file's folder
exercise = "plank"
verdict = "good"                 # good if the truth has no fault, else needs_work
faults = []                      # codes the truth holds for >= 0.5 s: must appear
forbidden_faults = ["hips_sagging", "hips_piking", "head_dropping"]  # must not appear
hold_s = 5.0                     # holds (plank, side_plank, bridge_march): hold.total_s
good_form_s = 5.0                # holds: hold.good_form_s
reps = 3                         # rep exercises: rep count
```

A fault the truth holds for under 0.5 s in total is neither required nor forbidden.
A clip filmed from a view its exercise's rules declare they cannot judge
(`Exercise.views`, passed in as `judged_views`) expects `verdict = "wrong_view"` and no
fault it does not have. A fault the rules say the clip's view cannot judge
(`Exercise.faults_not_judged_from`) is not required, and does not make the verdict. The bridge march's foot lifts are the truth's `rep_count` (the
report's `lifts`; the batch format has no key for them). `render_set` renders scenarios
into a folder (in parallel) and writes such a file.
"""

from __future__ import annotations

import json
import math
import multiprocessing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from formcheck.synth.clip import Scenario, render_clip
from formcheck.synth.motions import MOTIONS
from formcheck.synth.truth import STUDIO_REVISION, ClipTruth, truth_path_for

TOLERANCE_S = 0.5
MIN_FAULT_S = 0.5  # a clip "has" a fault the truth holds for at least this long
ViewSets = Mapping[str, frozenset[str]]


def camera_view(truth: ClipTruth) -> str:
    """The clip's view in the rules' words: "side", "front" or "oblique".

    The studio's azimuth 0 looks at the body's left side, which each motion names
    (`MotionSpec.side_view`: a side plank, lying on its side chest to the camera, is seen
    from the front); +-45 is oblique.
    """
    scenario = truth.scenario
    if abs(float(scenario["camera"]["azimuth_deg"])) >= 10.0:
        return "oblique"
    return MOTIONS[str(scenario["exercise"])].side_view


def judged_views() -> dict[str, frozenset[str]]:
    """The views each registered exercise's rules say they can judge."""
    from formcheck.exercises import REGISTRY

    return {
        name: frozenset(views)
        for name, factory in REGISTRY.items()
        if (views := getattr(factory, "views", None)) is not None
    }


def not_judged_codes(exercise: str, view: str) -> frozenset[str]:
    """The fault codes the registered rules of `exercise` cannot judge from `view`."""
    from formcheck.exercises import REGISTRY

    factory = REGISTRY.get(exercise)
    if factory is None:
        return frozenset()
    return frozenset(getattr(factory, "faults_not_judged_from", {}).get(view, {}))


def fault_seconds(truth: ClipTruth) -> dict[str, float]:
    """Total seconds each fault code is active in the clip."""
    totals: dict[str, float] = {}
    for interval in truth.summary.fault_intervals:
        totals[interval.code] = totals.get(interval.code, 0.0) + interval.end_s - interval.start_s
    return totals


def expectation(truth: ClipTruth, views: ViewSets | None = None) -> dict[str, Any]:
    """The checks for one clip (see the module docstring), from its truth.

    Args:
        truth: The clip's ground truth.
        views: Views each exercise's rules can judge (`judged_views()`); None: all.
    """
    exercise = str(truth.scenario["exercise"])
    codes = MOTIONS[exercise].fault_codes
    seconds = fault_seconds(truth)
    if views is not None and exercise in views and camera_view(truth) not in views[exercise]:
        # Nothing is required from a view the rules decline; a fault the clip has is
        # still not a false alarm if the rules judge it after all (MediaPipe may read a
        # 45-degree body as side-on).
        return {
            "exercise": exercise,
            "verdict": "wrong_view",
            "faults": [],
            "forbidden_faults": [code for code in codes if code not in seconds],
        }
    # What the view cannot judge is neither asked for nor counted against the verdict.
    unseen = not_judged_codes(exercise, camera_view(truth)) if views is not None else frozenset()
    judged = {code: total for code, total in seconds.items() if code not in unseen}
    present = sorted(code for code, total in judged.items() if total >= MIN_FAULT_S - 1e-9)
    entry: dict[str, Any] = {
        "exercise": exercise,
        "verdict": "good" if not judged else "needs_work",
        "faults": present,
        "forbidden_faults": [code for code in codes if code not in seconds],
    }
    summary = truth.summary
    if is_hold(exercise):
        entry["hold_s"] = round(summary.hold_s, 3)
        entry["good_form_s"] = round(summary.good_form_s, 3)
    else:
        entry["reps"] = summary.rep_count
    return entry


def is_hold(exercise: str) -> bool:
    """Whether `exercise` is judged as a hold: its registered rules' kind, else (a motion
    formcheck does not judge yet) whether the studio scripts it as one."""
    from formcheck.exercises import REGISTRY

    if exercise in REGISTRY:
        return REGISTRY[exercise].kind.is_hold
    return MOTIONS[exercise].holds


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value} to TOML")
        return repr(round(value, 6))
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def expectations_toml(entries: Mapping[str, Mapping[str, Any]], header: str = "") -> str:
    """TOML text: a [defaults] table and one [clips."<path>"] table per clip, sorted."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += ["[defaults]", f"tolerance_s = {TOLERANCE_S}", ""]
    for path in sorted(entries):
        lines.append(f"[clips.{_toml_value(path)}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in entries[path].items()]
        lines.append("")
    return "\n".join(lines)


def _render_one(
    job: tuple[Scenario, Path, bool, ViewSets | None],
) -> tuple[str, dict[str, Any]]:
    scenario, video, resume, views = job
    truth_path = truth_path_for(video)
    if resume and video.is_file() and truth_path.is_file():
        # Rendered before from the same scenario: keep it (a corpus run can resume).
        try:
            kept: ClipTruth | None = ClipTruth.load(truth_path)
        except (ValueError, KeyError, OSError):
            kept = None
        wanted = json.loads(json.dumps(scenario.to_json()))
        if kept is not None and kept.studio == STUDIO_REVISION and kept.scenario == wanted:
            return video.name, expectation(kept, views)
    truth = render_clip(scenario, video)
    return video.name, expectation(truth, views)


def render_set(
    scenarios: Mapping[str, Scenario],
    folder: Path,
    toml_name: str,
    *,
    suffix: str = ".mp4",
    size: tuple[int, int] | None = None,
    jobs: int = 1,
    header: str = "",
    progress: Callable[[str], None] | None = None,
    resume: bool = False,
    views: ViewSets | None = None,
) -> Path:
    """Render every scenario into `folder` (video + truth) and write the expectations.

    Args:
        scenarios: Clips by name (file names are `<name><suffix>`).
        folder: Output folder (created).
        toml_name: Name of the expectations file written into `folder`.
        suffix: Video format.
        size: Overrides every scenario's frame size.
        jobs: Clips rendered in parallel (processes).
        header: Comment lines for the top of the TOML file.
        progress: Called with each finished clip's file name.
        resume: Keep clips already in `folder` whose truth records the same scenario
            and studio revision.
        views: Views each exercise's rules can judge (see `expectation`).

    Returns:
        The TOML file's path.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = [
        (replace(s, size=size) if size else s, folder / f"{name}{suffix}", resume, views)
        for name, s in scenarios.items()
    ]
    entries: dict[str, dict[str, Any]] = {}
    results: Iterable[tuple[str, dict[str, Any]]]
    if jobs > 1 and len(work) > 1:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            results = pool.imap_unordered(_render_one, work)
            for name, entry in results:
                entries[name] = entry
                if progress:
                    progress(name)
    else:
        for job in work:
            name, entry = _render_one(job)
            entries[name] = entry
            if progress:
                progress(name)
    path = folder / toml_name
    path.write_text(expectations_toml(entries, header), encoding="utf-8")
    return path
