#!/usr/bin/env python3
"""How well MediaPipe finds the studio's mannequin: detection rate and PCK per exercise/view.

    formcheck synth corpus CORPUS --jobs 2                    # render the corpus once
    python tools/landmark_accuracy.py CORPUS [--out docs/landmark_accuracy.md] [--jobs 2]

(CORPUS: a folder with corpus.toml, or any folder of clips and their truth files.)

Runs the bundled pose model (VIDEO mode, as `formcheck analyze` does) over every clip
of a rendered corpus (the videos and their `.truth.json` files) and compares the 2D
landmarks with the truth:

- detection: share of frames where a person is found;
- PCK@0.05: share of landmarks within 5% of the image diagonal of the truth, over the
  frames with a detection, for shoulders, hips, knees and ankles, both sides (a
  landmark the truth puts outside the picture is not counted);
- near-side PCK: the same for the side nearer the camera only (what side-view rules use).

Clips are grouped by exercise and view (side, 45 degrees); the nuisance clips (names
ending in a `formcheck.synth.catalogue.NUISANCES` key) get their own table. Poses are
cached (formcheck's landmark cache, FORMCHECK_CACHE_DIR or ~/.cache/formcheck), so a
second run only re-scores. With --out, anything below the notes marker in the existing
file is kept. Lives in tools/ because it needs a rendered corpus and
minutes of inference, which users of the package do not.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tomllib

REPO = Path(__file__).resolve().parent.parent
JOINTS = ("SHOULDER", "HIP", "KNEE", "ANKLE")
PCK_THRESHOLD = 0.05
TARGET_DETECTION = 0.98
TARGET_PCK = 0.95
NOTES_MARKER = "<!-- notes: kept when the tables are regenerated -->"


@dataclass
class ClipScore:
    """Counts for one clip."""

    name: str
    exercise: str
    variant: str
    view: str
    nuisance: str
    frames: int
    detected: int
    hits: int
    counted: int
    near_hits: int
    near_counted: int
    either_hits: int = 0

    @property
    def detection(self) -> float:
        return self.detected / self.frames if self.frames else 0.0

    @property
    def pck(self) -> float:
        return self.hits / self.counted if self.counted else float("nan")

    @property
    def either_pck(self) -> float:
        return self.either_hits / self.counted if self.counted else float("nan")

    @property
    def near_pck(self) -> float:
        return self.near_hits / self.near_counted if self.near_counted else float("nan")


def view_of(azimuth_deg: float) -> str:
    """ "side" for 0 degrees, "45" for a three-quarter view, else the angle."""
    a = abs(azimuth_deg) % 360.0
    if a < 10.0:
        return "side"
    if abs(a - 45.0) < 10.0 or abs(a - 315.0) < 10.0:
        return "45"
    return f"{azimuth_deg:+.0f}"


def nuisance_of(name: str) -> str:
    from formcheck.synth.catalogue import NUISANCES

    return next((key for key in NUISANCES if name.endswith(f"_{key}")), "")


def poses_of(video: Path, cache_root: Path | None) -> list[object]:
    """MediaPipe poses of every frame of a clip (None where no person), via the cache."""
    from formcheck.cache import LandmarkCache, track_from
    from formcheck.estimator import PoseEstimator, resolve_model_path
    from formcheck.io.files import probe, read_frames

    cache = LandmarkCache(cache_root)
    key = LandmarkCache.key(video, resolve_model_path(None), False)
    track = cache.load(key)
    if track is not None:
        return list(track.poses)
    stamps, poses = [], []
    with PoseEstimator() as estimator:
        for frame in read_frames(video):
            stamps.append(frame.timestamp_ms)
            poses.append(estimator.estimate(frame.image, frame.timestamp_ms))
    info = probe(video)
    cache.store(key, track_from(stamps, poses, info.fps, (info.width, info.height)))
    return poses


def score_clip(job: tuple[Path, Path | None]) -> ClipScore:
    """Detection and PCK of one clip against its truth file."""
    from formcheck.pose import Landmark
    from formcheck.synth.truth import ClipTruth, truth_path_for

    video, cache_root = job
    truth = ClipTruth.load(truth_path_for(video))
    poses = poses_of(video, cache_root)
    diagonal = math.hypot(*truth.image_size)
    ids = {side: [Landmark[f"{side.upper()}_{j}"] for j in JOINTS] for side in ("left", "right")}
    detected = hits = counted = near_hits = near_counted = either = 0
    for frame, pose in zip(truth.frames, poses, strict=False):
        if pose is None:
            continue
        detected += 1
        either += _either_side_hits(pose.xy_px, frame, diagonal)  # type: ignore[attr-defined]
        for side, landmarks in ids.items():
            idx = [i for i in landmarks if frame.in_frame[i]]
            if not idx:
                continue
            error = np.linalg.norm(pose.xy_px[idx] - frame.xy_px[idx], axis=1) / diagonal  # type: ignore[attr-defined]
            ok = int(np.sum(error < PCK_THRESHOLD))
            hits += ok
            counted += len(idx)
            if side == frame.near_side:
                near_hits += ok
                near_counted += len(idx)
    scenario = truth.scenario
    return ClipScore(
        name=video.stem,
        exercise=str(scenario["exercise"]),
        variant=str(scenario["variant"]),
        view=view_of(float(scenario["camera"]["azimuth_deg"])),
        nuisance=nuisance_of(video.stem),
        frames=truth.frame_count,
        detected=detected,
        hits=hits,
        counted=counted,
        near_hits=near_hits,
        near_counted=near_counted,
        either_hits=either,
    )


def _either_side_hits(xy_px: np.ndarray, frame: object, diagonal: float) -> int:
    """Hits when a left/right swap is forgiven: per joint, the pairing of MediaPipe's two
    landmarks with the truth's two that puts them nearer (side views often swap legs)."""
    from formcheck.pose import Landmark

    hits = 0
    truth_xy, in_frame = frame.xy_px, frame.in_frame  # type: ignore[attr-defined]
    for joint in JOINTS:
        left, right = Landmark[f"LEFT_{joint}"], Landmark[f"RIGHT_{joint}"]
        best = 0
        for a, b in ((left, right), (right, left)):
            pairs = [(left, a), (right, b)]
            ok = sum(
                int(np.linalg.norm(xy_px[m] - truth_xy[t]) / diagonal < PCK_THRESHOLD)
                for t, m in pairs
                if in_frame[t]
            )
            best = max(best, ok)
        hits += best
    return hits


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100.0 * value:.1f}%"


def _row(label: str, scores: list[ClipScore]) -> tuple[str, bool]:
    frames = sum(s.frames for s in scores)
    detected = sum(s.detected for s in scores)
    counted = sum(s.counted for s in scores)
    pck = sum(s.hits for s in scores) / counted if counted else float("nan")
    near_counted = sum(s.near_counted for s in scores)
    near = sum(s.near_hits for s in scores) / near_counted if near_counted else float("nan")
    either = sum(s.either_hits for s in scores) / counted if counted else float("nan")
    detection = detected / frames if frames else 0.0
    meets = detection >= TARGET_DETECTION and pck >= TARGET_PCK
    worst = min(scores, key=lambda s: s.pck if not math.isnan(s.pck) else -1.0)
    row = (
        f"| {label} | {len(scores)} | {frames} | {_pct(detection)} | {_pct(pck)} | "
        f"{_pct(near)} | {_pct(either)} | {worst.name} {_pct(worst.pck)} | "
        f"{'yes' if meets else '**no**'} |"
    )
    return row, meets


def report(scores: list[ClipScore], command: str) -> str:
    """The markdown tables."""
    header = [
        "| group | clips | frames | detected | PCK@0.05 | near-side PCK | swap-forgiving PCK"
        " | worst clip | meets target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines = [
        "# Landmark accuracy on the synthetic studio",
        "",
        f"Generated by `formcheck synth corpus CORPUS --jobs 2` then `{command}`",
        "(320x240, 30 fps; see docs/synth.md for what the corpus holds).",
        "",
        "MediaPipe PoseLandmarker (the bundled full model, VIDEO mode) on every clip of the",
        "rendered corpus, against the clips' truth. Detected: share of frames with a person.",
        "PCK@0.05: share of shoulder, hip, knee and ankle landmarks (both sides) within 5% of",
        "the image diagonal of the truth, over frames with a detection; near-side PCK counts",
        "only the side nearer the camera; swap-forgiving PCK forgives MediaPipe taking the",
        "left limb for the right (per joint, the nearer pairing). Target: detected >= 98%",
        "and PCK >= 95% at the side and 45-degree views.",
        "",
        "## By exercise and view",
        "",
        *header,
    ]
    groups: dict[tuple[str, str], list[ClipScore]] = defaultdict(list)
    nuisances: dict[str, list[ClipScore]] = defaultdict(list)
    for score in scores:
        if score.nuisance:
            nuisances[score.nuisance].append(score)
        else:
            groups[(score.exercise, score.view)].append(score)
    for (exercise, view), group in sorted(groups.items()):
        lines.append(_row(f"{exercise} / {view}", group)[0])
    overall, _ = _row("all of the above", [s for g in groups.values() for s in g])
    lines += [overall, "", "## Nuisances (each on clean plank, deadlift and bridge side views)", ""]
    lines += header
    for key, group in sorted(nuisances.items()):
        lines.append(_row(key, group)[0])
    below = [s for s in scores if s.detection < TARGET_DETECTION or not (s.pck >= TARGET_PCK)]
    lines += ["", "## Clips below target", ""]
    if below:
        lines += ["| clip | detected | PCK@0.05 | near-side PCK |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {s.name} | {_pct(s.detection)} | {_pct(s.pck)} | {_pct(s.near_pck)} |"
            for s in sorted(below, key=lambda s: s.pck if not math.isnan(s.pck) else -1.0)
        ]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder of rendered clips and truth files")
    parser.add_argument("--out", type=Path, help="write the markdown here (else stdout)")
    parser.add_argument("--jobs", type=int, default=1, help="clips scored in parallel")
    parser.add_argument("--cache", type=Path, help="landmark cache folder")
    args = parser.parse_args(argv)
    from formcheck.synth.truth import truth_path_for

    listing = args.corpus / "corpus.toml"
    if listing.is_file():  # the corpus' own list: stale files beside it do not count
        clips = tomllib.loads(listing.read_text(encoding="utf-8"))["clips"]
        videos = sorted(args.corpus / name for name in clips)
    else:
        videos = sorted(
            p
            for p in args.corpus.glob("*")
            if p.suffix in (".mp4", ".webm", ".avi") and truth_path_for(p).is_file()
        )
    if not videos:
        print(
            f"formcheck: error: no clips in {args.corpus}; render some with"
            " formcheck synth corpus DIR",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    work = [(video, args.cache) for video in videos]
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            scores = list(pool.imap(score_clip, work))
    else:
        scores = [score_clip(job) for job in work]
    shown = list(argv if argv is not None else sys.argv[1:])
    if "--cache" in shown:  # where the poses were cached does not change the figures
        i = shown.index("--cache")
        del shown[i : i + 2]
    command = "python tools/landmark_accuracy.py " + " ".join(
        "CORPUS" if a == str(args.corpus) else a for a in shown
    )
    text = report(scores, command.strip())
    if args.out:
        # Hand-written notes below the marker survive regeneration.
        old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if NOTES_MARKER in old:
            text += "\n" + old[old.index(NOTES_MARKER) :]
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    print(f"{len(scores)} clips in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
