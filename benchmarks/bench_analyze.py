#!/usr/bin/env python3
"""analyze frames/s vs a bare decode + PoseLandmarker loop, measured in one run.

    python benchmarks/bench_analyze.py [CLIP] [--repeat N]

The bare loop is the least any analysis must do: `cv2.VideoCapture.read` then
`PoseLandmarker.detect_for_video` on every frame, nothing else. `analyze_video` adds
smoothing, rules, the report and (with --out) drawing and encoding. Runs alternate
between the two so machine noise hits both alike; the ratio of medians is printed.
Target (issue 2): analyze >= 0.85x the bare loop on a 640x480 clip.
Without CLIP it renders a 640x480 synthetic plank (formcheck.synth) into a temp folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2


def bare_loop(clip: Path, model: Path) -> float:
    """Frames/s of decode + detect_for_video, nothing else."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.native_logs import quiet_native_stderr

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.VIDEO,
    )
    with quiet_native_stderr():
        landmarker = vision.PoseLandmarker.create_from_options(options)
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    frames = 0
    start = time.perf_counter()
    while True:
        ok, image = capture.read()
        if not ok:
            break
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        landmarker.detect_for_video(
            mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), int(frames * 1000 / fps)
        )
        frames += 1
    elapsed = time.perf_counter() - start
    capture.release()
    with quiet_native_stderr():
        landmarker.close()
    return frames / elapsed


def analyze_loop(clip: Path, out: Path | None, report: Path) -> float:
    """Frames/s of formcheck's analyze_video (model loading excluded, as in the bare loop)."""
    from formcheck.analyze import analyze_video
    from formcheck.estimator import PoseEstimator

    with PoseEstimator() as estimator:
        start = time.perf_counter()
        outcome = analyze_video(
            clip, "plank", out_video=out, report_path=report, estimator=estimator
        )
        elapsed = time.perf_counter() - start
    return int(outcome.report["frames"]) / elapsed


def default_clip(folder: Path) -> Path:
    from formcheck.synth import SCENARIOS, render_clip

    clip = folder / "bench_plank_640x480.mp4"
    scenario = SCENARIOS["plank_good_side"]
    render_clip(scenario, clip)
    return clip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, help="640x480 clip (default: synthetic)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from formcheck.estimator import resolve_model_path

    model = resolve_model_path()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        clip = args.clip or default_clip(tmp)
        width = int(cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FRAME_HEIGHT))
        print(f"clip {clip} ({width}x{height}), {args.repeat} alternating runs each")
        results: dict[str, list[float]] = {"bare": [], "report": [], "webm": [], "mp4": []}
        for _ in range(args.repeat):
            results["bare"].append(bare_loop(clip, model))
            results["report"].append(analyze_loop(clip, None, tmp / "r.json"))
            results["webm"].append(analyze_loop(clip, tmp / "a.webm", tmp / "r.json"))
            results["mp4"].append(analyze_loop(clip, tmp / "a.mp4", tmp / "r.json"))
        bare = statistics.median(results["bare"])
        print(f"{'run':<28}{'median fps':>12}{'vs bare':>10}")
        labels = {
            "bare": "bare decode+detect loop",
            "report": "analyze --report",
            "webm": "analyze --report --out .webm",
            "mp4": "analyze --report --out .mp4",
        }
        for key, label in labels.items():
            value = statistics.median(results[key])
            print(f"{label:<28}{value:>12.1f}{value / bare:>9.2f}x")
        worst = min(statistics.median(results[k]) for k in ("report", "webm", "mp4")) / bare
        print(f"target >= 0.85x: {'met' if worst >= 0.85 else 'NOT met'} (worst {worst:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
