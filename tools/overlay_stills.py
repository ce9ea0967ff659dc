#!/usr/bin/env python3
"""Render stills of the analyze overlay from the committed sample clips (docs/overlay.md).

    python tools/overlay_stills.py [--out docs/images] [--width 480]

For each kind of exercise (a plank, a side plank, a deadlift, a glute bridge) it runs
`formcheck analyze` on a sample clip with an annotated video, and keeps the frames at
the moments worth seeing (a fault, just after a rep) as PNGs, scaled to `--width` so the
repository stays small. Poses come from the landmark cache when it has the clip.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (still name, sample clip, exercise, seconds into the clip to keep)
STILLS = (
    ("plank_sag", "plank_sag_side.mp4", "plank", 4.0),
    ("side_plank", "side_plank_good_front.mp4", "side_plank", 4.0),
    ("deadlift_rep", None, "deadlift", None),  # the frame just after the first rep
    ("glute_bridge_rep", None, "glute_bridge", None),
)
REP_CLIPS = {"deadlift": "deadlift_rounded_back_side.mp4", "glute_bridge": "glute_bridge_good_side.mp4"}


def _frame_at(video: Path, seconds: float):  # type: ignore[no-untyped-def]
    import cv2

    capture = cv2.VideoCapture(str(video))
    capture.set(cv2.CAP_PROP_POS_MSEC, seconds * 1000.0)
    ok, image = capture.read()
    capture.release()
    if not ok:
        raise SystemExit(f"{video}: no frame at {seconds:.2f} s")
    return image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    parser.add_argument("--width", type=int, default=480)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    import cv2

    from formcheck.analyze import analyze_video
    from formcheck.cache import LandmarkCache
    from formcheck.exercises import REGISTRY

    args.out.mkdir(parents=True, exist_ok=True)
    cache = LandmarkCache()
    with tempfile.TemporaryDirectory() as scratch:
        for name, clip, exercise, at_s in STILLS:
            source = REPO / "sample_videos" / (clip or REP_CLIPS[exercise])
            annotated = Path(scratch) / f"{name}.avi"
            report = analyze_video(source, exercise, out_video=annotated, cache=cache).report
            if at_s is None:  # just after the first rep is judged, while its verdict shows
                settle_s = REGISTRY[exercise].settle_s  # a deadlift waits for its lockout
                at_s = float(report["reps"][0]["end_s"]) + settle_s + 0.5
            image = _frame_at(annotated, at_s)
            height = round(image.shape[0] * args.width / image.shape[1])
            image = cv2.resize(image, (args.width, height), interpolation=cv2.INTER_AREA)
            path = args.out / f"overlay_{name}.png"
            cv2.imwrite(str(path), image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
            print(f"{path}: {source.name} at {at_s:.1f} s ({report['verdict']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
