"""The mannequin's surface: swept-ellipse capsules and ellipsoids attached to skeleton frames.

Each `Primitive` is a convex solid: an elliptical cross-section swept from a start to an
end point of one segment frame, closed by half-ellipsoid caps. A zero-length primitive
with caps is an ellipsoid (the head). Its silhouette in any view is the convex hull of
the projected surface samples, which is what the renderer fills; the samples also
serve auto-framing (every point must stay in the picture).

Sizes are fractions of body height (times `BodyShape.build` for girths), chosen from
average adult anthropometry so the outline reads as a person to a pose model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from formcheck.pose import NUM_LANDMARKS, Landmark
from formcheck.synth.body import FRAME_INDEX, SIDES, BodyShape, Skeleton

Array = npt.NDArray[np.float64]
Vec3 = tuple[float, float, float]

RING_POINTS = 12
# Cap rings at these angles from the cross-section towards the tip (plus the tip).
_CAP_ANGLES_DEG = (0.0, 35.0, 65.0)
_AXES = {
    "x": np.array([1.0, 0.0, 0.0]),
    "y": np.array([0.0, 1.0, 0.0]),
    "z": np.array([0.0, 0.0, 1.0]),
}


@dataclass(frozen=True, slots=True)
class Primitive:
    """One convex body part in its segment's local frame (metres).

    Attributes:
        name: Unique part name, e.g. "left_thigh".
        frame: Skeleton frame the part moves with.
        start: Local (3,) start of the axis.
        end: Local (3,) end of the axis (equal to start for an ellipsoid).
        start_half: (a, b) cross-section semi-axes at the start, along `axes`.
        end_half: (a, b) semi-axes at the end.
        start_cap: Length of the rounded cap beyond the start.
        end_cap: Length of the rounded cap beyond the end.
        axes: Local axis names of the cross-section's a and b directions.
        material: Appearance slot: "skin", "shirt", "pants", "shoes", "hair".
        side: "left", "right" or None for midline parts.
        along: Local axis of an ellipsoid's length (used when start == end).
        keep: For an ellipsoid cut by a plane (a hair cap): (local unit normal, offset);
            only surface points p with normal . (p - centre) >= offset * size are kept,
            size being the largest semi-axis.
        group: Parts of one group are shaded together as one surface (the trunk's
            segments; sleeve and arm); the group is depth-sorted by its parts' mean.
    """

    name: str
    frame: str
    start: Vec3
    end: Vec3
    start_half: tuple[float, float]
    end_half: tuple[float, float]
    start_cap: float
    end_cap: float
    material: str
    axes: tuple[str, str] = ("x", "z")
    side: str | None = None
    along: str = "y"
    keep: tuple[Vec3, float] | None = None
    group: str | None = None

    def samples(self) -> Array:
        """(K, 3) local surface samples: cap rings and tips at both ends."""
        if self.keep is not None:
            return self._cut_ellipsoid_samples()
        start, end = np.asarray(self.start), np.asarray(self.end)
        axis = end - start
        length = float(np.linalg.norm(axis))
        axis = axis / length if length > 1e-9 else _AXES[self.along]
        a_dir, b_dir = _AXES[self.axes[0]], _AXES[self.axes[1]]
        phi = np.linspace(0.0, 2.0 * math.pi, RING_POINTS, endpoint=False)
        rings = []
        for centre, half, cap, outward in (
            (start, self.start_half, self.start_cap, -axis),
            (end, self.end_half, self.end_cap, axis),
        ):
            for angle in _CAP_ANGLES_DEG:
                shrink, rise = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                ring = (
                    centre
                    + outward * cap * rise
                    + shrink * half[0] * np.cos(phi)[:, None] * a_dir
                    + shrink * half[1] * np.sin(phi)[:, None] * b_dir
                )
                rings.append(ring)
            rings.append((centre + outward * cap)[None, :])
        return np.concatenate(rings)

    def _cut_ellipsoid_samples(self) -> Array:
        """Dense samples of an ellipsoid, keeping those on the `keep` side of its plane."""
        assert self.keep is not None
        centre = np.asarray(self.start, dtype=np.float64)
        along = _AXES[self.along]
        a_dir, b_dir = _AXES[self.axes[0]], _AXES[self.axes[1]]
        lat = np.radians(np.linspace(-90.0, 90.0, 13))[:, None]
        lon = np.linspace(0.0, 2.0 * math.pi, 24, endpoint=False)[None, :]
        points = (
            centre
            + (np.sin(lat) * self.end_cap)[..., None] * along
            + (np.cos(lat) * np.cos(lon) * self.start_half[0])[..., None] * a_dir
            + (np.cos(lat) * np.sin(lon) * self.start_half[1])[..., None] * b_dir
        ).reshape(-1, 3)
        normal, offset = self.keep
        size = max(self.end_cap, *self.start_half)
        kept: Array = points[(points - centre) @ np.asarray(normal) >= offset * size]
        return kept

    def axis_points(self) -> tuple[Array, Array]:
        """Local (3,) start and end of the part's axis, caps included."""
        start, end = np.asarray(self.start), np.asarray(self.end)
        axis = end - start
        length = float(np.linalg.norm(axis))
        axis = axis / length if length > 1e-9 else _AXES[self.along]
        return start - axis * self.start_cap, end + axis * self.end_cap


@dataclass(frozen=True, slots=True)
class Decal:
    """A flat elliptical mark on the surface (eye, brow, mouth), drawn only when facing the camera.

    Attributes:
        name: Part name, e.g. "left_eye".
        frame: Skeleton frame.
        centre: Local (3,) centre on the surface.
        normal: Local (3,) outward unit normal.
        up: Local (3,) direction of the decal's minor axis (roughly "up" on the face).
        half_size: (along the width, along `up`) semi-axes, metres.
        colour: Appearance slot or a literal "#rrggbb" colour.
        part: The part it is drawn on (right after that part, in depth order).
    """

    name: str
    frame: str
    centre: Vec3
    normal: Vec3
    up: Vec3
    half_size: tuple[float, float]
    colour: str
    part: str = "hair_crown"


def _limb_primitives(shape: BodyShape) -> list[Primitive]:
    g, s = shape.girth, shape.scaled
    parts: list[Primitive] = []
    for side in SIDES:
        parts += [
            # A T-shirt sleeve over the deltoid, the widest part of the arm, then the bare
            # lower upper arm: the sleeve's edge tells the arm from the trunk.
            Primitive(
                name=f"{side}_sleeve",
                frame=f"{side}_upper_arm",
                start=(0, -s(0.010), 0),
                end=(0, -0.48 * shape.upper_arm_m, 0),
                start_half=(g(0.034), g(0.033)),
                end_half=(g(0.028), g(0.028)),
                start_cap=g(0.034),
                end_cap=0.0,
                material="shirt",
                side=side,
                group=f"{side}_arm",
            ),
            Primitive(
                name=f"{side}_upper_arm",
                frame=f"{side}_upper_arm",
                start=(0, -0.40 * shape.upper_arm_m, 0),
                end=(0, -shape.upper_arm_m, 0),
                start_half=(g(0.024), g(0.024)),
                end_half=(g(0.021), g(0.021)),
                start_cap=0.0,
                end_cap=g(0.018),
                material="skin",
                side=side,
                group=f"{side}_arm",
            ),
            Primitive(
                name=f"{side}_forearm",
                frame=f"{side}_forearm",
                start=(0, 0, 0),
                end=(0, -shape.forearm_m, 0),
                start_half=(g(0.021), g(0.020)),
                end_half=(g(0.015), g(0.013)),
                start_cap=g(0.018),
                end_cap=g(0.011),
                material="skin",
                side=side,
            ),
            # Hand: breadth along local x (thumb side), thickness along z (palm normal).
            Primitive(
                name=f"{side}_hand",
                frame=f"{side}_hand",
                start=(0, -s(0.012), 0),
                end=(0, -0.62 * shape.hand_m, 0),
                start_half=(g(0.023), g(0.011)),
                end_half=(g(0.025), g(0.008)),
                start_cap=g(0.010),
                end_cap=0.30 * shape.hand_m,
                material="skin",
                side=side,
            ),
            Primitive(
                name=f"{side}_thigh",
                frame=f"{side}_thigh",
                start=(0, 0, 0),
                end=(0, -shape.thigh_m, 0),
                start_half=(g(0.050), g(0.046)),
                end_half=(g(0.031), g(0.031)),
                start_cap=g(0.030),
                end_cap=g(0.026),
                material="pants",
                side=side,
            ),
            Primitive(
                name=f"{side}_shank",
                frame=f"{side}_shank",
                start=(0, 0, 0),
                end=(0, -shape.shank_m, 0),
                start_half=(g(0.031), g(0.029)),
                end_half=(g(0.017), g(0.016)),
                start_cap=g(0.024),
                end_cap=g(0.013),
                material="pants",
                side=side,
                group=f"{side}_lower_leg",
            ),
            # The calf muscle bulges behind the upper two thirds of the shin, so the leg
            # narrows visibly just above the ankle, where pose models put the ankle.
            Primitive(
                name=f"{side}_calf",
                frame=f"{side}_shank",
                start=(-s(0.006), -0.12 * shape.shank_m, 0),
                end=(-s(0.004), -0.58 * shape.shank_m, 0),
                start_half=(g(0.033), g(0.030)),
                end_half=(g(0.024), g(0.022)),
                start_cap=g(0.012),
                end_cap=g(0.030),
                material="pants",
                side=side,
                group=f"{side}_lower_leg",
            ),
            # Foot: axis from heel to toe (local +x), height along y, width along z. A low
            # shoe: its top stays below the ankle joint.
            Primitive(
                name=f"{side}_foot",
                frame=f"{side}_foot",
                start=(-0.25 * shape.foot_length_m + s(0.020), -0.62 * shape.ankle_height_m, 0),
                end=(0.75 * shape.foot_length_m - s(0.016), -0.70 * shape.ankle_height_m, 0),
                start_half=(g(0.020), g(0.022)),
                end_half=(g(0.010), g(0.029)),
                start_cap=s(0.020),
                end_cap=s(0.016),
                material="shoes",
                axes=("y", "z"),
                side=side,
            ),
        ]
    return parts


def _trunk_primitives(shape: BodyShape) -> list[Primitive]:
    g, s = shape.girth, shape.scaled
    return [
        # Pelvis: hips and buttocks around the hip joints, a little behind them.
        Primitive(
            name="pelvis",
            frame="pelvis",
            start=(-s(0.008), -s(0.030), 0),
            end=(-s(0.004), s(0.060), 0),
            start_half=(g(0.064), g(0.104)),
            end_half=(g(0.058), g(0.092)),
            start_cap=g(0.030),
            end_cap=0.0,
            material="pants",
            group="trunk",
        ),
        # The spine runs along the back, so the cross-sections sit in front of it.
        Primitive(
            name="lumbar",
            frame="lumbar",
            start=(s(0.034), 0, 0),
            end=(s(0.036), shape.lumbar_m, 0),
            start_half=(g(0.054), g(0.087)),
            end_half=(g(0.056), g(0.085)),
            start_cap=0.0,
            end_cap=0.0,
            material="shirt",
            group="trunk",
        ),
        Primitive(
            name="thoracic",
            frame="thoracic",
            start=(s(0.036), 0, 0),
            end=(s(0.040), shape.thoracic_m, 0),
            start_half=(g(0.058), g(0.088)),
            end_half=(g(0.064), g(0.097)),
            start_cap=0.0,
            end_cap=0.0,
            material="shirt",
            group="trunk",
        ),
        Primitive(
            name="upper_trunk",
            frame="upper_trunk",
            start=(s(0.040), 0, 0),
            end=(s(0.030), shape.upper_trunk_m - s(0.012), 0),
            start_half=(g(0.064), g(0.099)),
            end_half=(g(0.052), g(0.108)),
            start_cap=0.0,
            end_cap=s(0.022),
            material="shirt",
            group="trunk",
        ),
        Primitive(
            name="neck",
            frame="neck",
            start=(s(0.010), -s(0.010), 0),
            end=(s(0.012), shape.neck_m + s(0.010), 0),
            start_half=(g(0.030), g(0.030)),
            end_half=(g(0.027), g(0.027)),
            start_cap=0.0,
            end_cap=0.0,
            material="skin",
        ),
    ]


def _head_primitives(shape: BodyShape) -> list[Primitive]:
    s = shape.scaled
    cx, cy = s(0.012), s(0.057)
    # Hair: two cuts of a slightly larger ellipsoid, the crown (above the hairline) and
    # the back of the head (behind the ears); each is convex, so each is one hull.
    hair_half = (s(0.0585), s(0.0465))
    up_back = (-math.sin(math.radians(25)), math.cos(math.radians(25)), 0.0)
    parts = [
        Primitive(
            name="head",
            frame="head",
            start=(cx, cy, 0),
            end=(cx, cy, 0),
            start_half=(s(0.056), s(0.044)),
            end_half=(s(0.056), s(0.044)),
            start_cap=s(0.066),
            end_cap=s(0.066),
            material="skin",
        ),
        Primitive(
            name="hair_crown",
            frame="head",
            start=(cx - s(0.002), cy + s(0.002), 0),
            end=(cx - s(0.002), cy + s(0.002), 0),
            start_half=hair_half,
            end_half=hair_half,
            start_cap=s(0.068),
            end_cap=s(0.068),
            material="hair",
            keep=(up_back, 0.45),
        ),
        Primitive(
            name="hair_back",
            frame="head",
            start=(cx - s(0.002), cy + s(0.002), 0),
            end=(cx - s(0.002), cy + s(0.002), 0),
            start_half=hair_half,
            end_half=hair_half,
            start_cap=s(0.068),
            end_cap=s(0.068),
            material="hair",
            keep=((-1.0, 0.0, 0.0), 0.30),
        ),
        Primitive(
            name="nose",
            frame="head",
            start=(cx + s(0.046), cy - s(0.000), 0),
            end=(cx + s(0.054), cy - s(0.012), 0),
            start_half=(s(0.006), s(0.006)),
            end_half=(s(0.008), s(0.009)),
            start_cap=0.0,
            end_cap=s(0.007),
            material="skin",
        ),
    ]
    for side in SIDES:
        sign = 1.0 if side == "right" else -1.0
        parts.append(
            Primitive(
                name=f"{side}_ear",
                frame="head",
                start=(cx - s(0.004), cy + s(0.006), sign * s(0.041)),
                end=(cx - s(0.004), cy - s(0.010), sign * s(0.041)),
                start_half=(s(0.009), s(0.005)),
                end_half=(s(0.008), s(0.005)),
                start_cap=s(0.006),
                end_cap=s(0.006),
                material="skin",
                side=side,
            )
        )
    return parts


def _face_decals(shape: BodyShape) -> list[Decal]:
    s = shape.scaled
    cx, cy = s(0.012), s(0.057)
    decals: list[Decal] = []
    for side in SIDES:
        sign = 1.0 if side == "right" else -1.0
        # Eyes look forwards, turned ~20 degrees outwards with the face's curvature.
        normal = (math.cos(math.radians(20)), 0.0, sign * math.sin(math.radians(20)))
        eye = (cx + s(0.049), cy + s(0.011), sign * s(0.018))
        decals += [
            Decal(
                name=f"{side}_eye_white",
                frame="head",
                centre=eye,
                normal=normal,
                up=(0, 1, 0),
                half_size=(s(0.0085), s(0.0045)),
                colour="#f2f2f2",
            ),
            Decal(
                name=f"{side}_iris",
                frame="head",
                centre=eye,
                normal=normal,
                up=(0, 1, 0),
                half_size=(s(0.0042), s(0.0042)),
                colour="#2b1d14",
            ),
            Decal(
                name=f"{side}_brow",
                frame="head",
                centre=(eye[0] + s(0.002), eye[1] + s(0.011), eye[2]),
                normal=normal,
                up=(0, 1, 0),
                half_size=(s(0.011), s(0.0022)),
                colour="hair",
            ),
        ]
    # The T-shirt's round neckline: a front-facing cue that tells chest from back.
    decals.append(
        Decal(
            name="neckline",
            frame="upper_trunk",
            centre=(s(0.045), shape.upper_trunk_m + s(0.004), 0.0),
            normal=(1.0, 1.1, 0.0),
            up=(-1.1, 1.0, 0.0),
            half_size=(s(0.030), s(0.020)),
            colour="skin",
            part="upper_trunk",
        )
    )
    decals.append(
        Decal(
            name="mouth",
            frame="head",
            centre=(cx + s(0.051), cy - s(0.032), 0.0),
            normal=(1.0, -0.25, 0.0),
            up=(0, 1, 0),
            half_size=(s(0.013), s(0.0035)),
            colour="#8a3b3b",
        )
    )
    return decals


# Landmarks and the parts that may cover them without hiding them (their own segments).
def _owners() -> dict[int, tuple[str, ...]]:
    owners: dict[int, tuple[str, ...]] = {}
    face = ("head", "hair_crown", "hair_back", "nose", "left_ear", "right_ear")
    for landmark in list(Landmark)[: Landmark.MOUTH_RIGHT + 1]:
        owners[landmark] = face
    for side in SIDES:
        up = side.upper()
        owners[Landmark[f"{up}_SHOULDER"]] = (f"{side}_sleeve", f"{side}_upper_arm")
        owners[Landmark[f"{up}_ELBOW"]] = (f"{side}_sleeve", f"{side}_upper_arm", f"{side}_forearm")
        for name in ("WRIST", "PINKY", "INDEX", "THUMB"):
            owners[Landmark[f"{up}_{name}"]] = (f"{side}_forearm", f"{side}_hand")
        owners[Landmark[f"{up}_HIP"]] = (f"{side}_thigh",)
        owners[Landmark[f"{up}_KNEE"]] = (f"{side}_thigh", f"{side}_shank", f"{side}_calf")
        for name in ("ANKLE", "HEEL", "FOOT_INDEX"):
            owners[Landmark[f"{up}_{name}"]] = (f"{side}_shank", f"{side}_calf", f"{side}_foot")
    return owners


class MannequinModel:
    """Every part and decal of one body shape, with their samples stacked for fast posing.

    Attributes:
        shape: The body proportions.
        primitives: Parts in a fixed order (index = part id).
        decals: Face marks.
        sample_frames: (S,) frame index of every surface sample.
        sample_local: (S, 3) local coordinates of every surface sample.
        sample_slices: Per part, the slice of its samples in the stacked arrays.
        owner_mask: (33, P) True where part p is one of landmark i's own segments.
    """

    def __init__(self, shape: BodyShape) -> None:
        self.shape = shape
        self.primitives: tuple[Primitive, ...] = tuple(
            _trunk_primitives(shape) + _limb_primitives(shape) + _head_primitives(shape)
        )
        self.decals: tuple[Decal, ...] = tuple(_face_decals(shape))
        self.index = {part.name: i for i, part in enumerate(self.primitives)}
        samples: list[Array] = []
        frames: list[npt.NDArray[np.intp]] = []
        slices: list[slice] = []
        axis_local: list[Array] = []
        axis_frames: list[int] = []
        offset = 0
        for part in self.primitives:
            points = part.samples()
            samples.append(points)
            frames.append(np.full(len(points), FRAME_INDEX[part.frame], dtype=np.intp))
            slices.append(slice(offset, offset + len(points)))
            offset += len(points)
            axis_local.extend(part.axis_points())
            axis_frames += [FRAME_INDEX[part.frame]] * 2
        self.sample_local: Array = np.concatenate(samples)
        self.sample_frames = np.concatenate(frames)
        self.sample_slices: tuple[slice, ...] = tuple(slices)
        self.axis_local: Array = np.asarray(axis_local)
        self.axis_frames = np.asarray(axis_frames, dtype=np.intp)
        owners = _owners()
        self.owner_mask = np.zeros((NUM_LANDMARKS, len(self.primitives)), dtype=bool)
        for landmark, names in owners.items():
            for name in names:
                self.owner_mask[landmark, self.index[name]] = True

    def surface_points(self, skeleton: Skeleton) -> Array:
        """(S, 3) world positions of every surface sample of a posed skeleton."""
        return skeleton.transform(self.sample_frames, self.sample_local)

    def axis_points(self, skeleton: Skeleton) -> Array:
        """(P, 2, 3) world start and end (caps included) of every part's axis."""
        return skeleton.transform(self.axis_frames, self.axis_local).reshape(-1, 2, 3)
