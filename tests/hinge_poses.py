"""Builders for hip-hinge test poses: side-view deadlift landmarks at known angles.

Imported as `hinge_poses` (tests/ is on sys.path). A lifter stands with the left side to
the camera, facing +x (or -x), ankle on the floor; the pose is set by the trunk's lean
from vertical, the knee flexion and the share of it the shin takes by tilting forward
(a hinge ~0.3, a squat ~0.5). World landmarks follow the image (make_pose), so the 3D
measures read the same angles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
from helpers import make_pose

from formcheck.pose import Landmark, PoseFrame

SHIN_PX = 110.0
THIGH_PX = 115.0
TRUNK_PX = 130.0
ARM_PX = 150.0
FLOOR_Y = 440.0


@dataclass(frozen=True)
class Hinge:
    """One posture. Angles in degrees; `back_bow` bows the lower back's outline out by
    that many trunk lengths (None: no outline at all, as without segmentation)."""

    lean: float = 0.0  # trunk from vertical, forwards positive, negative leaning back
    knee: float = 5.0  # knee flexion
    shin_share: float = 0.3  # part of the knee flexion taken by the shin tilting forward
    hands: float = 0.05  # wrist in front of the legs, leg lengths (only bent over)
    back_bow: float | None = 0.0
    head_curl: float = 0.0  # the ear turned forward off the hip -> shoulder line


def blend(a: Hinge, b: Hinge, weight: float) -> Hinge:
    """`a` moved `weight` (0-1) of the way to `b` (the outline follows `b` when set)."""
    def mix(x: float, y: float) -> float:
        return x + (y - x) * weight

    bow = b.back_bow if a.back_bow is None or b.back_bow is None else mix(a.back_bow, b.back_bow)
    return Hinge(mix(a.lean, b.lean), mix(a.knee, b.knee), mix(a.shin_share, b.shin_share),
                 mix(a.hands, b.hands), bow, mix(a.head_curl, b.head_curl))


def hinge_points(h: Hinge, facing: float = 1.0, x0: float = 300.0) -> dict[Landmark, np.ndarray]:
    """Image points (x right, y down) of the left side for posture `h`."""
    f = facing
    ankle = np.array([x0, FLOOR_Y])
    shin_tilt = math.radians(h.shin_share * h.knee)
    knee = ankle + SHIN_PX * np.array([f * math.sin(shin_tilt), -math.cos(shin_tilt)])
    thigh_tilt = math.radians(h.knee) - shin_tilt  # the thigh leans back by the rest
    hip = knee + THIGH_PX * np.array([-f * math.sin(thigh_tilt), -math.cos(thigh_tilt)])
    lean = math.radians(h.lean)
    up = np.array([f * math.sin(lean), -math.cos(lean)])
    shoulder = hip + TRUNK_PX * up
    leg = SHIN_PX + THIGH_PX
    # The hands hang an arm's length below the shoulder, `hands` leg lengths in front of
    # the legs (holding a bar against the thighs when upright).
    wrist_y = min(float(shoulder[1]) + ARM_PX, FLOOR_Y - 20.0)
    wrist_x = _leg_x(wrist_y, hip, knee, ankle) + f * h.hands * leg
    wrist = np.array([wrist_x, wrist_y])
    elbow = (shoulder + wrist) / 2
    curl = math.radians(h.head_curl) * f
    rotation = np.array([[math.cos(curl), -math.sin(curl)], [math.sin(curl), math.cos(curl)]])
    ear = shoulder + (rotation @ up) * 0.3 * TRUNK_PX
    nose = ear + np.array([f * 18.0, 4.0])
    heel = ankle + np.array([-f * 15.0, 8.0])
    toe = ankle + np.array([f * 45.0, 10.0])
    return {
        Landmark.LEFT_ANKLE: ankle, Landmark.LEFT_KNEE: knee, Landmark.LEFT_HIP: hip,
        Landmark.LEFT_SHOULDER: shoulder, Landmark.LEFT_ELBOW: elbow, Landmark.LEFT_WRIST: wrist,
        Landmark.LEFT_EAR: ear, Landmark.NOSE: nose, Landmark.LEFT_HEEL: heel,
        Landmark.LEFT_FOOT_INDEX: toe,
    }


def _leg_x(y: float, hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> float:
    """x of the hip-knee-ankle line at height y (clamped to its ends)."""
    for top, bottom in ((hip, knee), (knee, ankle)):
        if top[1] <= y <= bottom[1] and bottom[1] != top[1]:
            return float(top[0] + (bottom[0] - top[0]) * (y - top[1]) / (bottom[1] - top[1]))
    return float(hip[0] if y < hip[1] else ankle[0])


def trunk_outline(points: dict[Landmark, np.ndarray], bow: float, facing: float) -> np.ndarray:
    """(K, 2) outline around the trunk: both edges 0.2 trunk lengths off the hip-shoulder
    axis, the back's edge bowed out by `bow` trunk lengths between 15% and 60% of the
    way up (a half sine: its sagitta over that stretch is exactly `bow`)."""
    hip, shoulder = points[Landmark.LEFT_HIP], points[Landmark.LEFT_SHOULDER]
    axis = shoulder - hip
    length = float(np.linalg.norm(axis))
    front = np.array([-axis[1], axis[0]]) * facing / length
    t = np.linspace(-0.2, 1.2, 57)
    lower = (t >= 0.15) & (t <= 0.6)
    out = 0.2 + np.where(lower, bow * np.sin(np.pi * (t - 0.15) / 0.45), 0.0)
    back = hip + t[:, None] * axis - front * (out[:, None] * length)
    belly = hip + t[::-1, None] * axis + front * (0.2 * length)
    return np.concatenate([back, belly]).astype(np.float32)


def hinge_pose(h: Hinge, timestamp_ms: int = 0, facing: float = 1.0) -> PoseFrame:
    points = hinge_points(h, facing)
    pose = make_pose({k: (float(v[0]), float(v[1])) for k, v in points.items()}, timestamp_ms)
    if h.back_bow is None:
        return pose
    return replace(pose, outline_px=trunk_outline(points, h.back_bow, facing))


STAND = Hinge()
RDL_BOTTOM = Hinge(lean=70.0, knee=20.0)
FLOOR_BOTTOM = Hinge(lean=60.0, knee=85.0)


@dataclass(frozen=True)
class Rep:
    """One rep's schedule: descent from `top` to `bottom`, a pause, the ascent, a lockout.
    `ascent_path(w)` may bend the way up (w from 0 at the bottom to 1 at the top)."""

    bottom: Hinge = RDL_BOTTOM
    top: Hinge = STAND
    descent_s: float = 1.5
    bottom_s: float = 0.3
    ascent_s: float = 1.2
    lockout_s: float = 1.0
    ascent_path: Callable[[float], Hinge] | None = None


def _ease(x: float) -> float:
    """Cosine ease 0 -> 1."""
    return (1.0 - math.cos(math.pi * min(max(x, 0.0), 1.0))) / 2.0


def schedule(reps: list[Rep], setup: Hinge | None = STAND, setup_s: float = 1.0,
             start_at_bottom: bool = False) -> Callable[[float], Hinge]:
    """The posture at time t (s) for a clip of `reps` after `setup_s` of standing (or,
    with `start_at_bottom`, starting at the first rep's bottom: a pull from the floor)."""
    phases: list[tuple[float, Callable[[float], Hinge]]] = []
    if start_at_bottom:
        first = reps[0]
        phases.append((setup_s, lambda x, r=first: r.bottom))
    elif setup is not None:
        phases.append((setup_s, lambda x, s=setup: s))
    for i, rep in enumerate(reps):
        if not (start_at_bottom and i == 0):
            phases.append((rep.descent_s, lambda x, r=rep: blend(r.top, r.bottom, _ease(x))))
            phases.append((rep.bottom_s, lambda x, r=rep: r.bottom))
        up = rep.ascent_path or (lambda w, r=rep: blend(r.bottom, r.top, w))
        phases.append((rep.ascent_s, lambda x, u=up: u(_ease(x))))
        phases.append((rep.lockout_s, lambda x, r=rep: r.top))

    def at(t: float) -> Hinge:
        for duration, posture in phases:
            if t < duration:
                return posture(t / duration)
            t -= duration
        return phases[-1][1](1.0)

    return at


def clip(posture_at: Callable[[float], Hinge], seconds: float, fps: float = 30.0,
         facing: float = 1.0) -> Iterator[tuple[int, PoseFrame]]:
    """(timestamp_ms, pose) frames of a clip."""
    for i in range(round(seconds * fps)):
        ms = round(i * 1000.0 / fps)
        yield ms, hinge_pose(posture_at(ms / 1000.0), ms, facing)


def duration(reps: list[Rep], setup_s: float = 1.0, start_at_bottom: bool = False) -> float:
    total = setup_s + sum(r.descent_s + r.bottom_s + r.ascent_s + r.lockout_s for r in reps)
    if start_at_bottom:
        total -= reps[0].descent_s + reps[0].bottom_s
    return total
