"""Static backgrounds: a floor plane meeting a wall, ray-cast once per clip.

The camera does not move during a clip, so the background is rendered once and each
frame starts from a copy. Kinds: "plain" and "gradient" walls over a plain floor,
"textured" (blotchy plaster over wooden planks) and "room" (the textured room with a
window, a door, a picture and a rug). New kinds register a function in `BACKGROUNDS`
with the same signature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from formcheck.synth.appearance import Appearance, hex_to_bgr
from formcheck.synth.camera import WORLD_UP, Camera

Image = npt.NDArray[np.uint8]
Array = npt.NDArray[np.float64]
BackgroundFn = Callable[[Appearance, Camera, Array, np.random.Generator], Image]

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


@dataclass(frozen=True)
class Surfaces:
    """Where each pixel's ray meets the floor or the wall (one clip, one camera).

    Attributes:
        on_floor: (H, W) the ray hits the floor before the wall.
        floor_xz: (H, W, 2) floor hit point (x, z), metres (garbage where not on_floor).
        wall_u: (H, W) horizontal position along the wall, metres from the subject.
        wall_h: (H, W) height on the wall, metres.
        floor_distance: (H, W) distance of the floor hit point from below the subject.
        wall_hit: (H, W) the ray meets the wall at all.
    """

    on_floor: npt.NDArray[np.bool_]
    floor_xz: Array
    wall_u: Array
    wall_h: Array
    floor_distance: Array
    wall_hit: npt.NDArray[np.bool_]


def surfaces(camera: Camera, subject_centre_m: Array, wall_distance_m: float) -> Surfaces:
    """Ray-cast every pixel against the floor y = 0 and a wall facing the camera, standing
    `wall_distance_m` beyond the subject along the camera's horizontal view direction."""
    rays = _pixel_rays(camera)
    origin = camera.position_m
    forward = camera.world_to_camera[2].copy()
    forward[1] = 0.0
    forward /= max(float(np.linalg.norm(forward)), 1e-9)
    across = np.cross(WORLD_UP, forward)
    wall_point = subject_centre_m + forward * wall_distance_m
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(rays[..., 1] < 0, -origin[1] / rays[..., 1], np.inf)
        facing = rays @ forward
        t_wall = np.where(facing > 1e-9, ((wall_point - origin) @ forward) / facing, np.inf)
    wall_hit = np.isfinite(t_wall)
    on_floor = t_floor < t_wall
    t_w = np.where(wall_hit, t_wall, 0.0)[..., None]
    wall_points = origin + t_w * rays
    hit = origin + np.where(np.isfinite(t_floor), t_floor, 0.0)[..., None] * rays
    below = subject_centre_m * np.array([1.0, 0.0, 1.0])
    return Surfaces(
        on_floor=on_floor,
        floor_xz=hit[..., [0, 2]],
        wall_u=(wall_points - wall_point) @ across,
        wall_h=wall_points[..., 1],
        floor_distance=np.linalg.norm(hit - below, axis=-1),
        wall_hit=wall_hit,
    )


def _wall_colour(appearance: Appearance, where: Surfaces) -> Array:
    if appearance.background == "plain":
        return _mix(appearance.wall_top, appearance.wall_top, np.zeros(where.wall_h.shape))
    weight = 1.0 - np.clip(where.wall_h / _WALL_HEIGHT_M, 0.0, 1.0)
    return _mix(appearance.wall_top, appearance.wall_bottom, weight)


def _compose(appearance: Appearance, where: Surfaces, wall: Array, floor: Array) -> Image:
    """Skirting, the floor's fall-off with distance, and the floor/wall split."""
    wall = wall * np.where(where.wall_hit & (where.wall_h < _SKIRTING_M), 0.8, 1.0)[..., None]
    # Floor: slightly darker with distance, as light falls off away from the subject.
    floor = floor * (0.82 + 0.18 * np.exp(-where.floor_distance / 3.0))[..., None]
    image = np.where(where.on_floor[..., None], floor, wall)
    result: Image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return result


def floor_and_wall(
    appearance: Appearance, camera: Camera, subject_centre_m: Array, rng: np.random.Generator
) -> Image:
    """Floor plane y = 0 and a wall facing the camera behind the subject.

    Args:
        appearance: Colours; `background` "plain" paints the wall `wall_top` only,
            "gradient" blends `wall_top` -> `wall_bottom` down to the floor.
        camera: The clip's camera.
        subject_centre_m: (3,) world centre of the subject; the wall stands
            `wall_distance_m` beyond it along the camera's horizontal view direction.
        rng: Unused (plain surfaces have no texture).

    Returns:
        (H, W, 3) BGR image.
    """
    where = surfaces(camera, subject_centre_m, appearance.wall_distance_m)
    floor = _mix(appearance.floor, appearance.floor, np.zeros(where.wall_h.shape))
    return _compose(appearance, where, _wall_colour(appearance, where), floor)


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], scale_px: float) -> Array:
    """(H, W) zero-mean unit-ish noise, smoothed over `scale_px` pixels."""
    noise = rng.normal(0.0, 1.0, size=shape).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), max(scale_px, 0.5))
    result: Array = smooth.astype(np.float64) / max(float(smooth.std()), 1e-6)
    return result


def _planks(appearance: Appearance, where: Surfaces, rng: np.random.Generator) -> Array:
    """A wooden floor: boards 0.14 m wide running along x, each a little lighter or darker,
    dark seams between them, fine grain along the boards."""
    x, z = where.floor_xz[..., 0], where.floor_xz[..., 1]
    board = np.floor(z / 0.14).astype(np.int64)
    tones = rng.uniform(0.86, 1.10, size=64)
    tone = tones[np.mod(board, 64)]
    seam = np.abs(z / 0.14 - np.rint(z / 0.14)) < 0.035
    grain = 1.0 + 0.035 * np.sin(x * 37.0 + board * 1.7) * np.sin(x * 5.3 + board)
    shade = tone * grain * np.where(seam, 0.72, 1.0)
    base = _mix(appearance.floor, appearance.floor, np.zeros(x.shape))
    result: Array = base * shade[..., None]
    return result


def textured(
    appearance: Appearance, camera: Camera, subject_centre_m: Array, rng: np.random.Generator
) -> Image:
    """A plastered wall with blotchy texture over a wooden plank floor (seeded)."""
    where = surfaces(camera, subject_centre_m, appearance.wall_distance_m)
    h, w = where.wall_h.shape
    blotch = 1.0 + 0.045 * _smooth_noise(rng, (h, w), 0.02 * max(h, w))
    fine = 1.0 + 0.02 * _smooth_noise(rng, (h, w), 0.8)
    wall = _wall_colour(appearance, where) * (blotch * fine)[..., None]
    return _compose(appearance, where, wall, _planks(appearance, where, rng))


def room(
    appearance: Appearance, camera: Camera, subject_centre_m: Array, rng: np.random.Generator
) -> Image:
    """A living room: textured wall with a bright window, a door and a picture, a rug
    on a plank floor. Placed in metres on the wall and floor, so they sit still in the
    clip and move with the camera's viewpoint like real furniture."""
    where = surfaces(camera, subject_centre_m, appearance.wall_distance_m)
    image = textured(appearance, camera, subject_centre_m, rng).astype(np.float64)
    u, height = where.wall_u, where.wall_h
    wall = where.wall_hit & ~where.on_floor
    side = 1.0 if rng.uniform() < 0.5 else -1.0

    def on_wall(u0: float, u1: float, h0: float, h1: float) -> npt.NDArray[np.bool_]:
        lo, hi = min(u0, u1), max(u0, u1)
        inside: npt.NDArray[np.bool_] = (
            wall & (u >= lo) & (u <= hi) & (height >= h0) & (height <= h1)
        )
        return inside

    window_u = side * rng.uniform(0.8, 1.6)
    frame = on_wall(window_u - 0.62, window_u + 0.62, 0.88, 2.12)
    glass = on_wall(window_u - 0.55, window_u + 0.55, 0.95, 2.05)
    image[frame] = (235.0, 238.0, 240.0)
    sky = 1.0 - np.clip((height - 0.95) / 1.1, 0.0, 1.0)
    image[glass] = np.stack([250.0 - 25.0 * sky, 235.0 - 10.0 * sky, 215.0 + 10.0 * sky], -1)[glass]
    mullion = glass & (np.abs(u - window_u) < 0.025)
    image[mullion] = (235.0, 238.0, 240.0)
    door_u = -side * rng.uniform(1.2, 2.0)
    image[on_wall(door_u - 0.45, door_u + 0.45, 0.0, 2.05)] = (70.0, 105.0, 140.0)
    picture_u = -side * rng.uniform(0.2, 0.6)
    image[on_wall(picture_u - 0.30, picture_u + 0.30, 1.35, 1.75)] = (60.0, 90.0, 60.0)
    image[on_wall(picture_u - 0.26, picture_u + 0.26, 1.39, 1.71)] = (150.0, 170.0, 185.0)
    # A rug under the subject, in front of the wall.
    x, z = where.floor_xz[..., 0], where.floor_xz[..., 1]
    centre = subject_centre_m
    rug = where.on_floor & (np.abs(x - centre[0]) < 1.3) & (np.abs(z - centre[2]) < 0.8)
    border = rug & ((np.abs(x - centre[0]) > 1.2) | (np.abs(z - centre[2]) > 0.7))
    image[rug] = image[rug] * 0.25 + np.array((90.0, 70.0, 150.0)) * 0.75
    image[border] = image[border] * 0.3 + np.array((50.0, 40.0, 90.0)) * 0.7
    result: Image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return result


BACKGROUNDS: dict[str, BackgroundFn] = {
    "plain": floor_and_wall,
    "gradient": floor_and_wall,
    "textured": textured,
    "room": room,
}


def render_background(
    appearance: Appearance, camera: Camera, subject_centre_m: Array, seed: int = 0
) -> Image:
    """The (H, W, 3) BGR background of `appearance.background`; raises on unknown kinds.

    `seed` drives the texture of the textured kinds (plain and gradient ignore it)."""
    try:
        painter = BACKGROUNDS[appearance.background]
    except KeyError:
        raise ValueError(
            f"unknown background {appearance.background!r}; choose one of {sorted(BACKGROUNDS)}"
        ) from None
    return painter(appearance, camera, subject_centre_m, np.random.default_rng(seed))
