"""A pinhole camera placed around the subject by azimuth, elevation and distance.

World frame: y up, floor at y = 0 (see `formcheck.synth.body`). Camera frame: OpenCV's,
x right, y down, z forwards (away from the camera), which is also MediaPipe's world-
landmark convention. Pixel coordinates are continuous with the image spanning
[0, width] x [0, height], so pixel (i, j) covers [i, i + 1) and its centre is
i + 0.5: the convention of MediaPipe's normalised landmarks times the image size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Vec3 = tuple[float, float, float]

WORLD_UP: Array = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True, slots=True)
class CameraSpec:
    """Where the camera stands, relative to the subject.

    Azimuth is measured around the vertical axis from the subject's left side: 0 looks
    at the left side (a side view), 90 at the front (the way a standing person faces,
    the head end of a plank), 180 at the right side, -45 or 315 a rear-left three-
    quarter view. Elevation is the angle of the camera above the aim point as seen from
    there: 0-10 a laptop on the floor, ~20 a table, ~30 a tripod above head height.

    Attributes:
        azimuth_deg: Direction of the camera around the subject, degrees.
        elevation_deg: Camera height angle above the aim point, degrees.
        distance_m: Camera-to-aim-point distance, metres; None fits the motion in frame.
        hfov_deg: Horizontal field of view, degrees (laptop webcams ~60-70).
        target_m: World aim point, metres; None centres the motion in the image.
        margin: With auto-framing, the fraction of width/height kept free on each side.
        min_distance_ratio: With auto-framing, the camera stays at least this many times
            the subject's largest extent from the aim point, as a person setting up a
            phone would: it bounds the perspective distortion of oblique views of
            lying bodies, which would otherwise pull the camera within a metre.
        distance_scale: With auto-framing, stand this many times farther back than the
            fit (2.0: the person fills half the picture).
        offset: After framing, move the subject in the picture by this fraction of the
            image width and height (x right, y down): (0.3, 0) pushes the body right
            so its right-hand end leaves the frame.
    """

    azimuth_deg: float = 0.0
    elevation_deg: float = 5.0
    distance_m: float | None = None
    hfov_deg: float = 60.0
    target_m: Vec3 | None = None
    margin: float = 0.08
    min_distance_ratio: float = 1.2
    distance_scale: float = 1.0
    offset: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        if not 1.0 < self.hfov_deg < 170.0:
            raise ValueError(f"CameraSpec.hfov_deg: expected 1-170 degrees, got {self.hfov_deg}")
        if not -89.0 <= self.elevation_deg <= 89.0:
            raise ValueError(
                f"CameraSpec.elevation_deg: expected -89..89 degrees, got {self.elevation_deg}"
            )
        if self.distance_m is not None and self.distance_m <= 0:
            raise ValueError(f"CameraSpec.distance_m: expected > 0 metres, got {self.distance_m}")
        if not 0.0 <= self.margin < 0.5:
            raise ValueError(f"CameraSpec.margin: expected 0 <= margin < 0.5, got {self.margin}")

    def direction(self) -> Array:
        """(3,) unit vector from the aim point towards the camera, world frame."""
        az, el = math.radians(self.azimuth_deg), math.radians(self.elevation_deg)
        return np.array([math.sin(az) * math.cos(el), math.sin(el), -math.cos(az) * math.cos(el)])


@dataclass(frozen=True)
class Camera:
    """A posed pinhole camera with square pixels and the principal point at the centre.

    Attributes:
        width: Image width, pixels.
        height: Image height, pixels.
        focal_px: Focal length, pixels.
        position_m: (3,) camera centre in world metres.
        world_to_camera: (3, 3) rotation; rows are the camera's x (right), y (down) and
            z (forwards) axes in world coordinates.
    """

    width: int
    height: int
    focal_px: float
    position_m: Array
    world_to_camera: Array

    @classmethod
    def look_at(
        cls,
        position_m: npt.ArrayLike,
        target_m: npt.ArrayLike,
        size: tuple[int, int],
        hfov_deg: float,
    ) -> Camera:
        """A level camera (no roll) at `position_m` aimed at `target_m`.

        Args:
            position_m: (3,) camera centre, world metres.
            target_m: (3,) aim point, world metres; it projects to the image centre.
            size: (width, height) in pixels.
            hfov_deg: Horizontal field of view, degrees.
        """
        position = np.asarray(position_m, dtype=np.float64)
        forward = np.asarray(target_m, dtype=np.float64) - position
        forward /= np.linalg.norm(forward)
        right = np.cross(forward, WORLD_UP)
        if np.linalg.norm(right) < 1e-9:
            raise ValueError("Camera.look_at: looking straight up or down has no level 'right'")
        right /= np.linalg.norm(right)
        down = np.cross(forward, right)
        width, height = size
        focal = (width / 2.0) / math.tan(math.radians(hfov_deg) / 2.0)
        return cls(width, height, focal, position, np.stack([right, down, forward]))

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def principal_point_px(self) -> tuple[float, float]:
        return self.width / 2.0, self.height / 2.0

    @property
    def diagonal_px(self) -> float:
        return math.hypot(self.width, self.height)

    def to_camera(self, points_m: npt.ArrayLike) -> Array:
        """(N, 3) world points -> (N, 3) camera-frame points (x right, y down, z forwards)."""
        points = np.asarray(points_m, dtype=np.float64)
        result: Array = (points - self.position_m) @ self.world_to_camera.T
        return result

    def project(self, points_m: npt.ArrayLike) -> tuple[Array, Array]:
        """Project world points to pixels.

        Args:
            points_m: (N, 3) world points, metres.

        Returns:
            (N, 2) pixel coordinates (x right, y down; continuous convention, see module
            docstring) and (N,) depth along the optical axis in metres. Points behind the
            camera get NaN pixels.
        """
        cam = self.to_camera(points_m)
        depth = cam[:, 2]
        cx, cy = self.principal_point_px
        with np.errstate(divide="ignore", invalid="ignore"):
            safe = np.where(depth > 1e-6, depth, np.nan)
            xy = np.stack(
                [cx + self.focal_px * cam[:, 0] / safe, cy + self.focal_px * cam[:, 1] / safe],
                axis=1,
            )
        return xy, depth

    def view_direction(self, points_m: npt.ArrayLike) -> Array:
        """(N, 3) unit vectors from the camera towards each world point."""
        rays = np.asarray(points_m, dtype=np.float64) - self.position_m
        result: Array = rays / np.linalg.norm(rays, axis=-1, keepdims=True)
        return result

    def in_frame(self, xy_px: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """(N,) True where a pixel coordinate lies inside the image."""
        xy = np.asarray(xy_px, dtype=np.float64)
        inside: npt.NDArray[np.bool_] = (
            (xy[:, 0] >= 0) & (xy[:, 0] < self.width) & (xy[:, 1] >= 0) & (xy[:, 1] < self.height)
        )
        return inside


def _sphere_directions(count: int) -> Array:
    """(count, 3) unit vectors spread evenly over the sphere (Fibonacci lattice)."""
    i = np.arange(count) + 0.5
    polar = np.arccos(1.0 - 2.0 * i / count)
    azimuth = math.pi * (1.0 + 5.0**0.5) * i
    return np.stack(
        [np.cos(azimuth) * np.sin(polar), np.cos(polar), np.sin(azimuth) * np.sin(polar)], axis=1
    )


_EXTREME_DIRECTIONS = _sphere_directions(160)


def extreme_points(points_m: npt.ArrayLike) -> Array:
    """The points that are farthest along any of 160 directions: a small subset holding
    (nearly) every vertex of the convex hull, which is all that framing needs, since a
    convex set's image extremes lie at hull vertices.

    Args:
        points_m: (N, 3) points.

    Returns:
        (M, 3) subset, M <= 320.
    """
    points = np.asarray(points_m, dtype=np.float64).reshape(-1, 3)
    d = _EXTREME_DIRECTIONS
    # (D, N) projections, written out: a BLAS matmul with an inner size of 3 is slower
    # than this, and far slower when another process holds the other core.
    along = d[:, :1] * points[:, 0] + d[:, 1:2] * points[:, 1] + d[:, 2:] * points[:, 2]
    keep = np.unique(np.concatenate([along.argmax(axis=1), along.argmin(axis=1)]))
    result: Array = points[keep]
    return result


def place_camera(
    spec: CameraSpec, size: tuple[int, int], subject_points_m: npt.ArrayLike
) -> Camera:
    """Resolve a `CameraSpec` into a `Camera`, auto-framing what the spec leaves open.

    With `distance_m` None the camera backs off until every subject point fits inside
    the image less `margin` on each side; with `target_m` None the aim point moves so
    the subject's image is centred. Both stay fixed for the whole clip.

    Args:
        spec: The camera's placement around the subject.
        size: (width, height) in pixels.
        subject_points_m: (N, 3) world points that must stay in frame: the body's
            surface sampled over the whole motion (reduce a long motion's samples with
            `extreme_points` first; the result is the same).

    Returns:
        The posed camera.
    """
    points = extreme_points(subject_points_m)
    lo, hi = points.min(axis=0), points.max(axis=0)
    target = np.asarray(spec.target_m, dtype=np.float64) if spec.target_m else (lo + hi) / 2.0
    direction = spec.direction()
    width, height = size
    usable = np.array([width, height]) * (1.0 - 2.0 * spec.margin)

    def camera_at(distance: float, aim: Array) -> Camera:
        return Camera.look_at(aim + distance * direction, aim, size, spec.hfov_deg)

    def fits(camera: Camera) -> bool:
        xy, depth = camera.project(points)
        if np.any(depth <= 0.05):
            return False
        extent = xy.max(axis=0) - xy.min(axis=0)
        return bool(np.all(extent <= usable))

    distance = spec.distance_m
    for _ in range(4 if spec.target_m is None else 1):
        if spec.distance_m is None:
            near, far = 0.3, 0.5
            while not fits(camera_at(far, target)):
                near, far = far, far * 2.0
                if far > 1e4:
                    raise ValueError("place_camera: the subject cannot be framed from here")
            for _ in range(40):  # bisection to ~1e-12 of the range: far beyond pixel precision
                mid = (near + far) / 2.0
                near, far = (near, mid) if fits(camera_at(mid, target)) else (mid, far)
            distance = max(far, spec.min_distance_ratio * float(np.max(hi - lo)))
            distance *= spec.distance_scale
        assert distance is not None
        if spec.target_m is not None:
            break
        camera = camera_at(distance, target)
        xy, depth = camera.project(points)
        centre_offset_px = (xy.max(axis=0) + xy.min(axis=0)) / 2.0 - np.array(
            camera.principal_point_px
        )
        # Move the aim point in the image plane by the offset, scaled to the subject's depth.
        scale = float(np.median(depth)) / camera.focal_px
        target = target + scale * (
            centre_offset_px[0] * camera.world_to_camera[0]
            + centre_offset_px[1] * camera.world_to_camera[1]
        )
    assert distance is not None
    camera = camera_at(distance, target)
    if spec.offset != (0.0, 0.0):
        # Aim away from the subject so it slides the other way across the picture.
        _, depth = camera.project(points)
        scale = float(np.median(depth)) / camera.focal_px
        shift = -scale * (
            spec.offset[0] * width * camera.world_to_camera[0]
            + spec.offset[1] * height * camera.world_to_camera[1]
        )
        camera = camera_at(distance, target + shift)
    return camera
