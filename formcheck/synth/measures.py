"""Fault measures on 2D landmarks, defined exactly as the form rules measure them.

Every function takes (33, 2) image landmarks (pixels, y down) and the side of the body
nearer the camera, and uses `formcheck.geometry`, so the synthetic ground truth and
the rules agree on what a number means.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from formcheck.geometry import distance, joint_angle_deg, signed_bend_deg, signed_offset_below_line
from formcheck.pose import Landmark

Array = npt.NDArray[np.float64]


def _side_landmark(side: str, joint: str) -> Landmark:
    return Landmark[f"{side.upper()}_{joint}"]


def hip_line_offset(xy_px: npt.ArrayLike, side: str, end_joint: str = "ANKLE") -> float:
    """Hip offset below the shoulder -> end-joint line, as a fraction of that line's length.

    offset = signed_offset_below_line(hip, shoulder, end) / distance(shoulder, end),
    positive when the hip is below the line (sagging), negative above it (piking).

    Args:
        xy_px: (33, 2) image landmarks.
        side: "left" or "right", the side nearer the camera.
        end_joint: "ANKLE" (plank) or "KNEE" (knee plank).
    """
    xy = np.asarray(xy_px, dtype=np.float64)
    hip = xy[_side_landmark(side, "HIP")]
    shoulder = xy[_side_landmark(side, "SHOULDER")]
    end = xy[_side_landmark(side, end_joint)]
    return float(signed_offset_below_line(hip, shoulder, end) / distance(shoulder, end))


def head_drop_deg(xy_px: npt.ArrayLike, side: str) -> float:
    """How far the ear falls below the extension of the hip -> shoulder line, degrees.

    drop = signed_bend_deg(hip, shoulder, ear); positive when the head hangs down.
    """
    xy = np.asarray(xy_px, dtype=np.float64)
    return float(
        signed_bend_deg(
            xy[_side_landmark(side, "HIP")],
            xy[_side_landmark(side, "SHOULDER")],
            xy[_side_landmark(side, "EAR")],
        )
    )


def near_side(depth_m: npt.ArrayLike) -> str:
    """ "left" or "right": the side whose shoulder and hip are nearer the camera.

    Args:
        depth_m: (33,) landmark depths along the optical axis.
    """
    depth = np.asarray(depth_m, dtype=np.float64)
    left = depth[Landmark.LEFT_SHOULDER] + depth[Landmark.LEFT_HIP]
    right = depth[Landmark.RIGHT_SHOULDER] + depth[Landmark.RIGHT_HIP]
    return "left" if left <= right else "right"


def facing_sign(xy_px: npt.ArrayLike, side: str) -> float:
    """+1 if the body faces image right (its toes point to +x), -1 if left.

    Taken from heel -> foot index of the given side: the one direction a side view
    always shows, standing, hinged or lying on the back with the feet planted.
    """
    xy = np.asarray(xy_px, dtype=np.float64)
    toe = xy[_side_landmark(side, "FOOT_INDEX")]
    heel = xy[_side_landmark(side, "HEEL")]
    return 1.0 if toe[0] >= heel[0] else -1.0


def forward_turn_deg(a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike, facing: float) -> float:
    """How far the chain a -> b -> c turns towards the body's front at b, degrees.

    The screen turn from (b - a) to (c - b) (positive clockwise, image y down), signed
    so that positive turns towards the way the body faces (`facing` +1: image right).
    Flexing the hip or the spine turns the chain forwards; bending the knee turns the
    thigh -> shank chain backwards (negative).
    """
    a2, b2, c2 = (np.asarray(p, dtype=np.float64) for p in (a, b, c))
    d1, d2 = b2 - a2, c2 - b2
    turn = math.atan2(d1[0] * d2[1] - d1[1] * d2[0], d1[0] * d2[0] + d1[1] * d2[1])
    return math.degrees(turn) * facing


def spine_flexion_deg(points_px: Mapping[str, npt.ArrayLike], facing: float) -> float:
    """Total forward bend of the spine polyline sacrum -> L5/S1 -> T12 -> T6 -> C7, degrees.

    The sum of the turns at L5/S1, T12 and T6: 0 for a straight back (the lumbar spine
    continuing the pelvis), positive when it rounds (flexion), negative when it arches.
    In a side view this equals the summed lumbar, thoracic and upper-thoracic flexion.
    """
    sacrum, l5, t12, t6, c7 = (points_px[k] for k in ("sacrum", "lumbosacral", "t12", "t6", "c7"))
    return (
        forward_turn_deg(sacrum, l5, t12, facing)
        + forward_turn_deg(l5, t12, t6, facing)
        + forward_turn_deg(t12, t6, c7, facing)
    )


def trunk_inclination_deg(xy_px: npt.ArrayLike, side: str, facing: float) -> float:
    """Angle of hip -> shoulder from the image vertical, positive leaning forwards."""
    xy = np.asarray(xy_px, dtype=np.float64)
    trunk = xy[_side_landmark(side, "SHOULDER")] - xy[_side_landmark(side, "HIP")]
    return math.degrees(math.atan2(trunk[0] * facing, -trunk[1]))


def knee_flexion_deg(xy_px: npt.ArrayLike, side: str) -> float:
    """180 - angle(hip, knee, ankle): 0 for a straight leg, degrees."""
    xy = np.asarray(xy_px, dtype=np.float64)
    angle = joint_angle_deg(
        xy[_side_landmark(side, "HIP")],
        xy[_side_landmark(side, "KNEE")],
        xy[_side_landmark(side, "ANKLE")],
    )
    return 180.0 - float(angle)


def hip_flexion_deg(xy_px: npt.ArrayLike, side: str, facing: float) -> float:
    """Signed hip bend knee -> hip -> shoulder: + flexed (trunk forward of the thigh
    line), - hyperextended (trunk behind it), degrees."""
    xy = np.asarray(xy_px, dtype=np.float64)
    return forward_turn_deg(
        xy[_side_landmark(side, "KNEE")],
        xy[_side_landmark(side, "HIP")],
        xy[_side_landmark(side, "SHOULDER")],
        facing,
    )


def _point_segment_distance(p: Array, a: Array, b: Array) -> float:
    ab = b - a
    t = float(np.clip((p - a) @ ab / max(float(ab @ ab), 1e-12), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))


def hands_to_legs(xy_px: npt.ArrayLike, side: str) -> float:
    """Distance of the wrist from the leg (hip -> knee -> ankle polyline), in leg lengths.

    Leg length = |hip - knee| + |knee - ankle| on the same side; the nearer segment counts.
    """
    xy = np.asarray(xy_px, dtype=np.float64)
    hip, knee, ankle = (xy[_side_landmark(side, j)] for j in ("HIP", "KNEE", "ANKLE"))
    wrist = xy[_side_landmark(side, "WRIST")]
    gap = min(
        _point_segment_distance(wrist, hip, knee), _point_segment_distance(wrist, knee, ankle)
    )
    return gap / float(distance(hip, knee) + distance(knee, ankle))
