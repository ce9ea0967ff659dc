"""Things in the scene besides the subject: a bystander or objects at the picture's edge.

They stand still, so they are painted once into the clip's background, behind the
subject: a second person cut by the frame edge (does the pose model stay on the
subject?) or an exercise ball and a box (clutter with body-like colours and curves).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from formcheck.synth.appearance import Appearance
from formcheck.synth.body import BodyPose, BodyShape, forward_kinematics
from formcheck.synth.camera import Camera
from formcheck.synth.motions.keyframes import grounded
from formcheck.synth.props import box, sphere
from formcheck.synth.render import Renderer
from formcheck.synth.shapes import MannequinModel

Image = npt.NDArray[np.uint8]
Array = npt.NDArray[np.float64]

# The bystander: someone else in the room, dressed differently, a step behind the subject.
BYSTANDER_BODY = BodyShape(height_m=1.66, build=1.1)
BYSTANDER_LOOK = Appearance(
    skin="#c68e6c", shirt="#8f2f3a", pants="#4a5a6a", shoes="#303030", hair="#1c1410"
)
_BEHIND_M = 1.0  # how far behind the subject's centre (along the view)


def _edge_point(camera: Camera, centre: Array, edge_x: float, behind_m: float) -> Array:
    """(3,) floor point that projects near image column `edge_x` (fraction of width),
    `behind_m` farther than the subject's centre."""
    forward = camera.world_to_camera[2]
    depth = float((centre - camera.position_m) @ forward) + behind_m
    right = camera.world_to_camera[0]
    cx, _ = camera.principal_point_px
    lateral = (edge_x * camera.width - cx) / camera.focal_px * depth
    point: Array = camera.position_m + depth * forward + lateral * right
    point[1] = 0.0
    return point


def paint_bystander(renderer: Renderer, centre_m: npt.ArrayLike, seed: int) -> Image:
    """The renderer's background with its appearance's bystander painted in.

    Args:
        renderer: The clip's renderer (its camera, appearance and background).
        centre_m: (3,) world centre of the subject's motion.
        seed: Picks the side of the picture and the pose details.

    Returns:
        (H, W, 3) BGR background (a new image; the renderer's is unchanged).
    """
    kind = renderer.appearance.bystander
    camera = renderer.camera
    centre = np.asarray(centre_m, dtype=np.float64)
    rng = np.random.default_rng(seed)
    edge = 0.97 if rng.uniform() < 0.5 else 0.03
    image = renderer.background.copy()
    if kind == "person":
        feet = _edge_point(camera, centre, edge, _BEHIND_M)
        to_camera = camera.position_m - feet
        # Turned three-quarters towards the camera, arms hanging, weight on one leg.
        yaw = math.degrees(math.atan2(-to_camera[2], to_camera[0])) + rng.uniform(20.0, 45.0)
        pose = BodyPose(root_yaw_deg=yaw)
        pose = replace(pose, root_position_m=(float(feet[0]), 0.9, float(feet[2])))
        pose = grounded(BYSTANDER_BODY, pose)
        look = replace(BYSTANDER_LOOK, background=renderer.appearance.background, noise_sigma=0.0)
        painter = Renderer(
            MannequinModel(BYSTANDER_BODY), look, camera, centre, seed, background=image
        )
        skeleton = forward_kinematics(BYSTANDER_BODY, pose)
        frame = painter.render(skeleton, np.random.default_rng(seed))
        return frame.image
    if kind == "object":
        spot = _edge_point(camera, centre, edge, 0.4)
        ball = sphere("ball", spot + np.array([0.0, 0.33, 0.0]), 0.33, "#3f6fb5")
        crate = box("box", spot + np.array([0.55, 0.2, 0.35]), (0.25, 0.2, 0.2), "#8a6a48")
        renderer.paint_props(image, [crate, ball])
    return image
