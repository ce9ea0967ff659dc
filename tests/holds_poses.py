"""Builders for the hold and bridge rules: 3D poses at known angles, seen by a camera.

Each builder places the body's joints in world metres (x along the floor, y down as in
MediaPipe's world landmarks, z away from the camera) and `pose_from_world` projects
them into the image orthographically, so image and world measures agree exactly.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.pose import NUM_LANDMARKS, Landmark, PoseFrame

PX_PER_M = 250.0
IMAGE_SIZE = (640, 480)
L = Landmark


def pose_from_world(
    world: dict[Landmark, np.ndarray],
    timestamp_ms: int = 0,
    near: str = "left",
    far_visibility: float = 0.6,
) -> PoseFrame:
    """A PoseFrame with these world points; the image is an orthographic view from -z.

    Landmarks of the `near` side (and the face) get visibility 0.99, the far side
    `far_visibility`; unlisted landmarks sit at the body's centre, unseen.
    """
    points = np.array(list(world.values()), dtype=np.float64)
    centre = points.mean(axis=0)
    xyz = np.tile(centre, (NUM_LANDMARKS, 1))
    vis = np.zeros(NUM_LANDMARKS, dtype=np.float32)
    for landmark, point in world.items():
        xyz[landmark] = point
        far = landmark.name.startswith("RIGHT_" if near == "left" else "LEFT_")
        vis[landmark] = far_visibility if far else 0.99
    xy = (xyz[:, :2] - centre[:2]) * PX_PER_M + np.array(IMAGE_SIZE) / 2
    return PoseFrame(
        timestamp_ms=timestamp_ms,
        image_size=IMAGE_SIZE,
        xy_px=xy.astype(np.float32),
        depth=np.zeros(NUM_LANDMARKS),
        xyz_world_m=(xyz - centre).astype(np.float32),
        visibility=vis,
        presence=vis,
    )


def _both(world: dict[Landmark, np.ndarray], name: str, point: np.ndarray, half_width: float) -> None:
    """Put the left/right pair of `name` at `point`, left nearer the camera (-z)."""
    world[L[f"LEFT_{name}"]] = point + np.array([0.0, 0.0, -half_width])
    world[L[f"RIGHT_{name}"]] = point + np.array([0.0, 0.0, half_width])


def bridge_world(
    extension_deg: float = 178.0,
    trunk_incline_deg: float = 25.0,
    shin_forward_deg: float = -8.0,
    lifted: str | None = None,
    lift_m: float = 0.25,
    pelvis_tilt_deg: float = 0.0,
) -> dict[Landmark, np.ndarray]:
    """A glute bridge seen side-on: shoulders on the floor at x = 0, head towards -x.

    The trunk rises `trunk_incline_deg` from shoulder to hip; the thigh bends
    `180 - extension_deg` upward from the trunk's line (above 180: the hips pushed past
    the line); the shin leans `shin_forward_deg` from upright (knee ahead of the ankle
    positive). `lifted` raises that leg's foot `lift_m` (knee and ankle) off the floor.
    """
    trunk, thigh, shin = 0.5, 0.45, 0.42
    incline = math.radians(trunk_incline_deg)
    shoulder = np.array([0.0, 0.0, 0.0])
    hip = shoulder + trunk * np.array([math.cos(incline), -math.sin(incline), 0.0])
    phi = incline + math.radians(180.0 - extension_deg)
    knee = hip + thigh * np.array([math.cos(phi), -math.sin(phi), 0.0])
    lean = math.radians(shin_forward_deg)
    ankle = knee + shin * np.array([-math.sin(lean), math.cos(lean), 0.0])
    world: dict[Landmark, np.ndarray] = {}
    _both(world, "SHOULDER", shoulder, 0.18)
    _both(world, "ELBOW", shoulder + np.array([0.28, 0.02, 0.0]), 0.2)
    _both(world, "WRIST", shoulder + np.array([0.52, 0.04, 0.0]), 0.2)
    _both(world, "HIP", hip, 0.1)
    _both(world, "KNEE", knee, 0.1)
    _both(world, "ANKLE", ankle, 0.1)
    _both(world, "FOOT_INDEX", ankle + np.array([0.15, 0.04, 0.0]), 0.1)
    world[L.NOSE] = shoulder + np.array([-0.22, -0.1, 0.0])
    _both(world, "EAR", shoulder + np.array([-0.15, -0.05, 0.0]), 0.07)
    tilt = 0.1 * math.tan(math.radians(pelvis_tilt_deg))
    world[L.LEFT_HIP] = world[L.LEFT_HIP] + np.array([0.0, -tilt, 0.0])
    world[L.RIGHT_HIP] = world[L.RIGHT_HIP] + np.array([0.0, tilt, 0.0])
    if lifted is not None:
        prefix = lifted.upper()
        for name in ("KNEE", "ANKLE", "FOOT_INDEX"):
            world[L[f"{prefix}_{name}"]] = world[L[f"{prefix}_{name}"]] + np.array([0.0, -lift_m, 0.0])
        # A lifted leg straightens: its ankle goes on along the thigh.
        knee_l = world[L[f"{prefix}_KNEE"]]
        direction = (knee_l - world[L[f"{prefix}_HIP"]]) / np.linalg.norm(knee_l - world[L[f"{prefix}_HIP"]])
        world[L[f"{prefix}_ANKLE"]] = knee_l + shin * direction
    return world


def side_plank_world(
    hip_drop: float = 0.0, supporting: str = "right", incline_deg: float = 20.0,
    length_m: float = 1.4,
) -> dict[Landmark, np.ndarray]:
    """A side plank seen from the front: head towards -x, the `supporting` side down.

    The midline runs from the shoulders down to the ankles at `incline_deg`; the hips
    sit 36% of the way along it, `hip_drop` x length towards the floor (negative: up).
    Shoulders, hips and ankles are stacked vertically (y), the bottom side lower.
    """
    incline = math.radians(incline_deg)
    shoulder = np.array([0.0, 0.0, 0.0])
    along = np.array([math.cos(incline), math.sin(incline), 0.0])
    normal = np.array([-math.sin(incline), math.cos(incline), 0.0])  # towards the floor
    ankle = shoulder + length_m * along
    hip = shoulder + 0.36 * length_m * along + hip_drop * length_m * normal
    knee = (hip + ankle) / 2
    bottom, top = (supporting.upper(), "LEFT" if supporting == "right" else "RIGHT")
    world: dict[Landmark, np.ndarray] = {}
    for name, point, half in (("SHOULDER", shoulder, 0.18), ("HIP", hip, 0.1),
                              ("KNEE", knee, 0.07), ("ANKLE", ankle, 0.05),
                              ("FOOT_INDEX", ankle + np.array([0.0, 0.0, -0.15]), 0.05)):
        world[L[f"{bottom}_{name}"]] = point + np.array([0.0, half, 0.0])
        world[L[f"{top}_{name}"]] = point + np.array([0.0, -half, 0.0])
    bottom_shoulder = world[L[f"{bottom}_SHOULDER"]]
    world[L[f"{bottom}_ELBOW"]] = bottom_shoulder + np.array([0.0, 0.28, 0.0])
    world[L[f"{bottom}_WRIST"]] = bottom_shoulder + np.array([-0.25, 0.3, 0.0])
    world[L[f"{top}_ELBOW"]] = world[L[f"{top}_SHOULDER"]] + np.array([0.25, 0.05, 0.0])
    world[L[f"{top}_WRIST"]] = world[L[f"{top}_HIP"]] + np.array([0.0, -0.05, 0.0])
    world[L.NOSE] = shoulder + np.array([-0.25, 0.0, -0.08])
    return world


def rotated_about_vertical(world: dict[Landmark, np.ndarray], degrees: float) -> dict[Landmark, np.ndarray]:
    """The same body turned `degrees` about the vertical (y) axis: a camera moved round."""
    a = math.radians(degrees)
    rotation = np.array([[math.cos(a), 0.0, math.sin(a)], [0.0, 1.0, 0.0], [-math.sin(a), 0.0, math.cos(a)]])
    return {k: rotation @ v for k, v in world.items()}


def plank_world(hip_offset: float = 0.0, incline_deg: float = 10.0, length_m: float = 1.5) -> dict[Landmark, np.ndarray]:
    """A forearm plank seen side-on (head towards -x): the hip `hip_offset` x length below
    the shoulder-ankle line (negative: above), 36% of the way from the shoulders."""
    incline = math.radians(incline_deg)
    ankle = np.array([length_m * math.cos(incline), 0.0, 0.0])
    shoulder = np.array([0.0, -length_m * math.sin(incline), 0.0])
    along = (ankle - shoulder) / length_m
    normal = np.array([-along[1], along[0], 0.0])
    normal = normal if normal[1] > 0 else -normal
    hip = shoulder + 0.36 * length_m * along + hip_offset * length_m * normal
    knee = (hip + ankle) / 2
    world: dict[Landmark, np.ndarray] = {}
    _both(world, "SHOULDER", shoulder, 0.18)
    _both(world, "ELBOW", shoulder + np.array([0.0, 0.3, 0.0]), 0.15)
    _both(world, "WRIST", shoulder + np.array([-0.25, 0.3, 0.0]), 0.1)
    _both(world, "HIP", hip, 0.1)
    _both(world, "KNEE", knee, 0.1)
    _both(world, "ANKLE", ankle, 0.1)
    _both(world, "EAR", shoulder + np.array([-0.15, -0.05, 0.0]), 0.07)
    world[L.NOSE] = shoulder + np.array([-0.22, 0.0, 0.0])
    return world
