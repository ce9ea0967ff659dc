"""Static backgrounds: a floor plane meeting a wall, ray-cast once per clip.

The camera does not move during a clip, so the background is rendered once and each
frame starts from a copy. New kinds (textured floor, room with furniture, photo
plates) register a function in `BACKGROUNDS` with the same signature.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from formcheck.synth.appearance import Appearance, hex_to_bgr
from formcheck.synth.camera import Camera

Image = npt.NDArray[np.uint8]
Array = npt.NDArray[np.float64]
BackgroundFn = Callable[[Appearance, Camera, Array], Image]

_WALL_HEIGHT_M = 2.6  # the gradient runs from the floor to this height
_SKIRTING_M = 0.08  # a darker strip where the wall meets the floor marks the floor line


def _pixel_rays(camera: Camera) -> Array:
    """(H, W, 3) world directions (unnormalised) through every pixel centre."""
    cx, cy = camera.principal_point_px
    u = (np.arange(camera.width) + 0.5 - cx) / camera.focal_px
    v = (np.arange(camera.height) + 0.5 - cy) / camera.focal_px
    cam = np.stack(np.broadcast_arrays(u[None, :], v[:, None], np.ones((1, 1))), axis=-1)
    rays: Array = cam @ camera.world_to_camera  # row-vector form of R^T @ d
    return rays


def _mix(a: str, b: str, weight: Array) -> Array:
    """(..., 3) BGR blend a*(1-w) + b*w as floats."""
    ca, cb = np.asarray(hex_to_bgr(a), float), np.asarray(hex_to_bgr(b), float)
    result: Array = ca + (cb - ca) * weight[..., None]
    return result


def floor_and_wall(appearance: Appearance, camera: Camera, subject_centre_m: Array) -> Image:
    """Floor plane y = 0 and a wall facing the camera behind the subject.

    Args:
        appearance: Colours; `background` "plain" paints the wall `wall_top` only.
        camera: The clip's camera.
        subject_centre_m: (3,) world centre of the subject; the wall stands
            `wall_distance_m` beyond it along the camera's horizontal view direction.

    Returns:
        (H, W, 3) BGR image.
    """
    rays = _pixel_rays(camera)
    origin = camera.position_m
    forward = camera.world_to_camera[2].copy()
    forward[1] = 0.0
    forward /= max(float(np.linalg.norm(forward)), 1e-9)
    wall_point = subject_centre_m + forward * appearance.wall_distance_m
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(rays[..., 1] < 0, -origin[1] / rays[..., 1], np.inf)
        facing = rays @ forward
        t_wall = np.where(facing > 1e-9, ((wall_point - origin) @ forward) / facing, np.inf)
    on_floor = t_floor < t_wall
    wall_height = origin[1] + np.where(np.isfinite(t_wall), t_wall, 0.0) * rays[..., 1]
    if appearance.background == "plain":
        wall = _mix(appearance.wall_top, appearance.wall_top, np.zeros(rays.shape[:2]))
    else:
        weight = 1.0 - np.clip(wall_height / _WALL_HEIGHT_M, 0.0, 1.0)
        wall = _mix(appearance.wall_top, appearance.wall_bottom, weight)
    wall *= np.where(np.isfinite(t_wall) & (wall_height < _SKIRTING_M), 0.8, 1.0)[..., None]
    # Floor: slightly darker with distance, as light falls off away from the subject.
    hit = origin + np.where(np.isfinite(t_floor), t_floor, 0.0)[..., None] * rays
    distance = np.linalg.norm(hit - subject_centre_m * np.array([1.0, 0.0, 1.0]), axis=-1)
    floor = _mix(appearance.floor, appearance.floor, np.zeros(rays.shape[:2]))
    floor *= (0.82 + 0.18 * np.exp(-distance / 3.0))[..., None]
    image = np.where(on_floor[..., None], floor, wall)
    result: Image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return result


BACKGROUNDS: dict[str, BackgroundFn] = {
    "plain": floor_and_wall,
    "gradient": floor_and_wall,
}


def render_background(appearance: Appearance, camera: Camera, subject_centre_m: Array) -> Image:
    """The (H, W, 3) BGR background of `appearance.background`; raises on unknown kinds."""
    try:
        painter = BACKGROUNDS[appearance.background]
    except KeyError:
        raise ValueError(
            f"unknown background {appearance.background!r}; choose one of {sorted(BACKGROUNDS)}"
        ) from None
    return painter(appearance, camera, subject_centre_m)
