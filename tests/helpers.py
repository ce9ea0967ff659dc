"""Shared test builders: poses at known angles, tiny clips, the real footage folder.

Imported as `helpers` (pytest puts tests/ on sys.path; there is no tests/__init__.py so
the source tree is not, and the tests exercise the installed package).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from formcheck.io.sink import VideoSink
from formcheck.pose import NUM_LANDMARKS, Landmark, PoseFrame

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_videos"
FOOTAGE = Path(os.environ.get("FORMCHECK_FOOTAGE", REPO.parent / "shared" / "footage"))

requires_footage = pytest.mark.skipif(
    not (FOOTAGE / "MANIFEST.tsv").is_file(),
    reason=f"real footage not found at {FOOTAGE} (set FORMCHECK_FOOTAGE; CI always has it)",
)


# How far behind its near twin make_pose puts a copied far-side landmark (world z, m).
SIDE_VIEW_DEPTH_M = 0.3


def side_pairs() -> list[tuple[Landmark, Landmark]]:
    return [
        (Landmark[name], Landmark[name.replace("LEFT_", "RIGHT_")])
        for name in Landmark.__members__
        if name.startswith("LEFT_")
    ]


def make_pose(
    points: dict[Landmark, tuple[float, float]],
    timestamp_ms: int = 0,
    image_size: tuple[int, int] = (640, 480),
    visibility: float = 0.99,
    far_visibility: float = 0.6,
) -> PoseFrame:
    """A PoseFrame with the given image points on the person's left side.

    Right-side landmarks copy their left twins (a side view), with lower visibility, so
    the left side is the one nearer the camera. Unlisted landmarks sit at the image
    centre with visibility 0.
    """
    xy = np.tile(np.array(image_size, dtype=np.float32) / 2, (NUM_LANDMARKS, 1))
    vis = np.zeros(NUM_LANDMARKS, dtype=np.float32)
    for landmark, point in points.items():
        xy[landmark] = point
        vis[landmark] = visibility
    for left, right in side_pairs():
        if left in points and right not in points:
            xy[right] = xy[left]
            vis[right] = far_visibility
    world = np.zeros((NUM_LANDMARKS, 3), dtype=np.float32)
    world[:, :2] = (xy - xy.mean(axis=0)) / 300.0
    for left, right in side_pairs():
        if left in points and right not in points:
            # The far twin sits a body's width behind the near one: a side view (yaw 90).
            world[right, 2] = SIDE_VIEW_DEPTH_M
    return PoseFrame(
        timestamp_ms=timestamp_ms,
        image_size=image_size,
        xy_px=xy,
        depth=np.zeros(NUM_LANDMARKS),
        xyz_world_m=world,
        visibility=vis,
        presence=vis,
    )


def plank_points(
    hip_offset: float = 0.0,
    head_drop_deg: float = 0.0,
    incline_deg: float | None = None,
    knee_plank: bool = False,
    length_px: float = 400.0,
    facing_left: bool = True,
) -> dict[Landmark, tuple[float, float]]:
    """Side-view plank landmarks with an exact hip offset and head drop.

    The shoulder-to-end (ankle, or knee for a knee plank) line has `length_px` and rises
    `incline_deg` towards the head; the hip sits at its middle, `hip_offset` x length
    below it (negative: above); the ear continues the hip-shoulder line, bent down by
    `head_drop_deg`. Elbows sit under the shoulders (forearm plank). The incline
    defaults to 10 degrees for a plank on the toes and 25 for a knee plank, with the
    shins flat on the floor.
    """
    if incline_deg is None:
        incline_deg = 25.0 if knee_plank else 10.0
    direction = -1.0 if facing_left else 1.0  # head towards -x when facing left
    incline = math.radians(incline_deg)
    end = np.array([320.0 - direction * length_px / 2 * math.cos(incline), 330.0])
    along = np.array([direction * math.cos(incline), -math.sin(incline)])
    shoulder = end + along * length_px
    # Unit normal pointing down the image (y grows downward).
    normal = np.array([-along[1], along[0]])
    if normal[1] < 0:
        normal = -normal
    hip = (shoulder + end) / 2 + normal * hip_offset * length_px
    torso_dir = (shoulder - hip) / np.linalg.norm(shoulder - hip)
    # A screen rotation by +angle (y down) turns a rightward chain downward, a leftward
    # one upward; pick the sign that bends the head down.
    angle = math.radians(head_drop_deg) * (1.0 if torso_dir[0] > 0 else -1.0)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    ear = shoulder + (rotation @ torso_dir) * 0.25 * length_px
    if knee_plank:
        knee = end
        ankle = end + np.array([-direction * 0.25 * length_px, 0.0])  # shin on the floor
    else:
        knee = (hip + end) / 2
        ankle = end
    elbow = shoulder + np.array([0.0, 0.28 * length_px])
    wrist = elbow + np.array([direction * 0.25 * length_px, 0.0])
    points = {
        Landmark.LEFT_SHOULDER: shoulder,
        Landmark.LEFT_HIP: hip,
        Landmark.LEFT_KNEE: knee,
        Landmark.LEFT_ANKLE: ankle,
        Landmark.LEFT_ELBOW: elbow,
        Landmark.LEFT_WRIST: wrist,
        Landmark.LEFT_EAR: ear,
        Landmark.NOSE: ear + (ear - shoulder) * 0.3,
    }
    return {k: (float(v[0]), float(v[1])) for k, v in points.items()}


def timestamps_ms(seconds: float, fps: float) -> list[int]:
    return [int(round(i * 1000.0 / fps)) for i in range(int(round(seconds * fps)))]


def write_clip(path: Path, frames: Iterable[np.ndarray], fps: float = 30.0) -> Path:
    with VideoSink(path, fps) as sink:
        for frame in frames:
            sink.write(frame)
    return path
