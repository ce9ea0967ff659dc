"""The body's posture from its 3D world landmarks: the same from any camera view.

`--exercise auto` counts a frame for an exercise only in that exercise's posture
(`Exercise.posture`), so a module's position test cannot claim another exercise.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from formcheck.exercises.thresholds import AUTO, POSTURE, PostureThresholds
from formcheck.pose import Landmark, PoseFrame

# Postures `posture_of` tells apart.
POSTURES = ("standing", "prone", "supine", "side", "other")


def _world_mid(world: npt.NDArray[np.float64], name: str) -> npt.NDArray[np.float64]:
    point: npt.NDArray[np.float64] = (
        world[Landmark[f"LEFT_{name}"]] + world[Landmark[f"RIGHT_{name}"]]
    ) / 2.0
    return point


def posture_of(pose: PoseFrame, limits: PostureThresholds = POSTURE) -> str:
    """The body's posture: "standing", "prone", "supine", "side" or "other".

    "standing": hips above the ankles by over half the legs' length, trunk off the
    floor; "side": lying on one side (the shoulders stacked: their axis within 45
    degrees of vertical) with the trunk within 50 degrees of level; "prone": trunk
    within 50 degrees of level, chest facing the floor (plank, all fours, a deadlift's
    bottom); "supine": chest facing up (bridge); else "other" (sitting, kneeling up).
    The chest's direction is left-right axis x (hip -> shoulder), world y pointing down.
    """
    world = pose.xyz_world_m.astype(np.float64)
    shoulder, hip = _world_mid(world, "SHOULDER"), _world_mid(world, "HIP")
    knee, ankle = _world_mid(world, "KNEE"), _world_mid(world, "ANKLE")
    across = (
        world[Landmark.LEFT_SHOULDER] - world[Landmark.RIGHT_SHOULDER]
        + world[Landmark.LEFT_HIP] - world[Landmark.RIGHT_HIP]
    )
    trunk = shoulder - hip
    chest = np.cross(across, trunk)
    chest_norm, across_norm = float(np.linalg.norm(chest)), float(np.linalg.norm(across))
    leg = float(np.linalg.norm(hip - knee) + np.linalg.norm(knee - ankle))
    if chest_norm == 0 or across_norm == 0 or leg == 0:
        return "other"
    level = math.hypot(float(trunk[0]), float(trunk[2]))
    incline = math.degrees(math.atan2(abs(float(trunk[1])), level))
    facing_down = float(chest[1]) / chest_norm
    stacked = abs(float(across[1])) / across_norm
    hip_height = float(ankle[1] - hip[1]) / leg
    if hip_height > limits.standing_hip_height and incline > limits.standing_min_incline_deg:
        return "standing"
    if incline < limits.lying_max_incline_deg and stacked > limits.side_min_stacked:
        return "side"
    if incline < limits.lying_max_incline_deg and facing_down > limits.min_facing:
        return "prone"
    if incline < limits.supine_max_incline_deg and facing_down < -limits.min_facing:
        return "supine"
    return "other"


def legs_together(pose: PoseFrame, max_spread_deg: float = AUTO.max_thigh_spread_deg) -> bool:
    """True when the thighs point the same way (3D): a plank's legs, not a bird dog's
    (one knee down under the hip, the other leg stretched back)."""
    world = pose.xyz_world_m.astype(np.float64)
    left = world[Landmark.LEFT_KNEE] - world[Landmark.LEFT_HIP]
    right = world[Landmark.RIGHT_KNEE] - world[Landmark.RIGHT_HIP]
    norms = float(np.linalg.norm(left) * np.linalg.norm(right))
    if norms == 0:
        return False
    cosine = float(np.clip(left @ right / norms, -1.0, 1.0))
    return math.degrees(math.acos(cosine)) <= max_spread_deg
