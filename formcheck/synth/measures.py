"""Fault measures on 2D landmarks, defined exactly as the form rules measure them.

Every function takes (33, 2) image landmarks (pixels, y down) and the side of the body
nearer the camera, and uses `formcheck.geometry`, so the synthetic ground truth and
the rules agree on what a number means.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from formcheck.geometry import distance, signed_bend_deg, signed_offset_below_line
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
