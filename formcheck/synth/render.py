"""Draw a posed mannequin with OpenCV: shaded convex parts in depth order over a background.

Each part's silhouette is the convex hull of its projected surface samples; a cylinder-
like shading comes from filling the hull again in three narrower, brighter layers
shifted towards the light. Parts are painted far to near (painter's algorithm on each
part's mean depth). Everything is anti-aliased (LINE_AA with 4 sub-pixel bits), and
the only randomness (sensor noise) comes from the generator the caller passes in, so a
seeded clip renders bit-identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from formcheck.pose import Landmark
from formcheck.synth.appearance import Appearance, hex_to_bgr
from formcheck.synth.background import render_background
from formcheck.synth.body import Skeleton
from formcheck.synth.camera import Camera
from formcheck.synth.props import Prop, PropPart
from formcheck.synth.shapes import MannequinModel

Image = npt.NDArray[np.uint8]
Array = npt.NDArray[np.float64]

_SHIFT_BITS = 4
_SUBPIXEL = float(1 << _SHIFT_BITS)
# (scale, brightness, shift towards the light as a fraction of the half-width): a dark
# rim, then ever lighter and narrower cores. Elongated parts shrink only across their
# axis, so the trunk's stacked parts shade as one continuous cylinder.
_SHADING_LAYERS = (
    (1.00, 0.60, 0.00),
    (0.80, 0.78, 0.12),
    (0.56, 0.93, 0.22),
    (0.28, 1.05, 0.30),
)
_NOISE_BANK_SIZE = 4
_DECAL_THETA = np.linspace(0.0, 2.0 * np.pi, 12, endpoint=False)
_SHADOW_DOWNSCALE = 4
# A part hides a landmark that is not its own only if it is this much (fraction of
# body height) nearer: parts overlap at joints without hiding each other.
_OCCLUSION_TOLERANCE = 0.04


@dataclass(frozen=True)
class RenderedFrame:
    """One rendered frame and where the landmarks fell in it.

    Attributes:
        image: (H, W, 3) BGR uint8.
        landmarks_px: (33, 2) landmark pixels (continuous convention, see camera module).
        landmarks_depth_m: (33,) depth along the optical axis, metres.
        in_frame: (33,) landmark inside the image.
        visible: (33,) in frame and not hidden behind another body part.
    """

    image: Image
    landmarks_px: Array
    landmarks_depth_m: Array
    in_frame: npt.NDArray[np.bool_]
    visible: npt.NDArray[np.bool_]


def _to_cv(points_px: Array) -> npt.NDArray[np.int32]:
    """Continuous pixel coordinates -> OpenCV fixed-point vertices (pixel centres at integers)."""
    return np.rint((points_px - 0.5) * _SUBPIXEL).astype(np.int32)


def _draw_units(model: MannequinModel) -> list[tuple[int, ...]]:
    """Parts drawn together as one unit (same `group`), others alone, in model order."""
    units: dict[str, list[int]] = {}
    for i, part in enumerate(model.primitives):
        units.setdefault(part.group or part.name, []).append(i)
    return [tuple(members) for members in units.values()]


class Renderer:
    """Renders one clip's frames: fixed camera, body shape and appearance.

    Args:
        model: The mannequin's parts for the clip's body shape.
        appearance: Colours and nuisances.
        camera: The clip's camera.
        subject_centre_m: (3,) world centre of the motion (places the wall).
        seed: Seeds the sensor-noise bank and the background's texture.
        background: (H, W, 3) BGR image to draw over instead of rendering the
            appearance's background (for painting a bystander into a clip's scene).
    """

    def __init__(
        self,
        model: MannequinModel,
        appearance: Appearance,
        camera: Camera,
        subject_centre_m: npt.ArrayLike,
        seed: int,
        background: Image | None = None,
    ) -> None:
        self.model = model
        self.appearance = appearance
        self.camera = camera
        if background is None:
            background = render_background(
                appearance, camera, np.asarray(subject_centre_m, dtype=np.float64), seed
            )
        self.background = background
        self._colours = [
            np.asarray(appearance.colour(appearance.slot_for(p.name, p.material)), float)
            for p in model.primitives
        ]
        self._units = _draw_units(model)
        self._decals_on: dict[int, list[int]] = {}
        for i, decal in enumerate(model.decals):
            self._decals_on.setdefault(model.index[decal.part], []).append(i)
        self._decal_colours = [appearance.colour(d.colour) for d in model.decals]
        self._head = model.index["head"]
        self._hair_crown = model.index["hair_crown"]
        self._hair_back = model.index["hair_back"]
        self._starts = np.asarray([s.start for s in model.sample_slices])
        self._counts = np.asarray([s.stop - s.start for s in model.sample_slices], dtype=float)
        light = np.asarray(appearance.light_direction, dtype=np.float64)
        light_image = camera.world_to_camera[:2] @ (light / np.linalg.norm(light))
        norm = float(np.linalg.norm(light_image))
        self._light_px = light_image / norm if norm > 1e-6 else np.array([0.0, -1.0])
        self._noise_bank = self._make_noise_bank(seed)

    def _make_noise_bank(self, seed: int) -> list[tuple[Image, Image]]:
        """Precomputed noise frames as (positive, negative) uint8 pairs: adding them with
        saturating cv2.add/cv2.subtract costs far less than drawing fresh noise."""
        sigma = self.appearance.noise_sigma
        if sigma <= 0:
            return []
        rng = np.random.default_rng(seed)
        shape = self.background.shape
        bank = []
        for _ in range(_NOISE_BANK_SIZE):
            noise = np.rint(rng.normal(0.0, sigma, size=shape))
            bank.append(
                (np.clip(noise, 0, 255).astype(np.uint8), np.clip(-noise, 0, 255).astype(np.uint8))
            )
        return bank

    def render(
        self, skeleton: Skeleton, rng: np.random.Generator, props: Sequence[Prop] = ()
    ) -> RenderedFrame:
        """Draw one frame.

        Args:
            skeleton: The posed body.
            rng: Per-clip generator; consumed only by nuisances (sensor noise).
            props: Objects drawn with the body (a barbell), depth-sorted with its parts.

        Returns:
            The image and the landmark projection with visibility.
        """
        camera, model = self.camera, self.model
        surface = model.surface_points(skeleton)
        surface_px, surface_depth = camera.project(surface)
        part_depth = np.add.reduceat(surface_depth, self._starts) / self._counts
        axes_px, _ = camera.project(model.axis_points(skeleton).reshape(-1, 3))
        axes_px = axes_px.reshape(-1, 2, 2)
        part_depth = self._order_hair(skeleton, part_depth)
        shade = self._side_shade(skeleton)

        image = self.background.copy()
        labels = np.zeros(image.shape[:2], dtype=np.uint8)
        if self.appearance.shadow_strength > 0:
            self._draw_shadow(image, surface)
        unit_depth = [float(part_depth[list(unit)].mean()) for unit in self._units]
        prop_parts = [part for prop in props for part in prop.parts()]
        prop_depth = self._draw_order_props(prop_parts)
        for u in np.argsort(-np.asarray(unit_depth + prop_depth), kind="stable"):
            if u >= len(self._units):
                self._draw_prop(image, labels, prop_parts, int(u) - len(self._units))
                continue
            unit = self._units[u]
            layers = []
            for part in unit:
                points = surface_px[model.sample_slices[part]].astype(np.float32)
                hull = cv2.convexHull(points)[:, 0, :].astype(np.float64)
                colour = self._colours[part] * shade.get(model.primitives[part].side, 1.0)
                layers.append(self._shading_layers(hull, axes_px[part], colour))
                cv2.fillConvexPoly(labels, _to_cv(hull), part + 1, cv2.LINE_8, _SHIFT_BITS)
            # All dark rims of the unit first, then each part's lighter cores: a part's rim
            # does not cut a seam across its neighbour (the trunk reads as one body, not
            # stacked rings), and colour edges (sleeve, waistband) stay clean.
            for part_layers in layers:
                polygon, bgr = part_layers[0]
                cv2.fillConvexPoly(image, polygon, bgr, cv2.LINE_AA, _SHIFT_BITS)
            for part_layers in layers:
                for polygon, bgr in part_layers[1:]:
                    cv2.fillConvexPoly(image, polygon, bgr, cv2.LINE_AA, _SHIFT_BITS)
            # Marks go on right after their part (the face after the hair crown, which is
            # drawn right after the head), so nearer parts still cover them.
            for part in unit:
                for decal in self._decals_on.get(part, ()):
                    self._draw_decal(image, skeleton, decal)

        landmarks_px, landmarks_depth = camera.project(skeleton.landmarks_m)
        in_frame = camera.in_frame(landmarks_px)
        visible = self._visibility(
            labels,
            landmarks_px,
            landmarks_depth,
            in_frame,
            np.concatenate([part_depth, prop_depth]),
        )
        self._apply_sensor(image, rng)
        return RenderedFrame(image, landmarks_px, landmarks_depth, in_frame, visible)

    def _draw_order_props(self, parts: list[PropPart]) -> list[float]:
        """Mean depth of each prop part (the painter's key), metres."""
        return [float(self.camera.project(part.points_m)[1].mean()) for part in parts]

    def paint_props(self, image: Image, parts: Sequence[PropPart]) -> None:
        """Paint still objects into an image (the scene), far to near, in place."""
        order = np.argsort(-np.asarray(self._draw_order_props(list(parts))), kind="stable")
        for index in order:
            self._draw_prop(image, None, list(parts), int(index))

    def _draw_prop(
        self,
        image: Image,
        labels: npt.NDArray[np.uint8] | None,
        parts: list[PropPart],
        index: int,
    ) -> None:
        """Fill one prop part, shaded like a body part; label it for occlusion."""
        part = parts[index]
        points_px, depth = self.camera.project(part.points_m)
        if not np.all(np.isfinite(points_px)) or np.any(depth <= 0.05):
            return  # (partly) behind the camera
        hull = cv2.convexHull(points_px.astype(np.float32))[:, 0, :].astype(np.float64)
        axis_px, _ = self.camera.project(part.axis_m)
        colour = np.asarray(hex_to_bgr(part.colour), dtype=np.float64)
        if part.radial:
            axis_px = np.repeat(hull.mean(axis=0, keepdims=True), 2, axis=0)
        for polygon, bgr in self._shading_layers(hull, axis_px, colour):
            cv2.fillConvexPoly(image, polygon, bgr, cv2.LINE_AA, _SHIFT_BITS)
        label = len(self.model.primitives) + 1 + index
        if labels is not None and label < 256:
            cv2.fillConvexPoly(labels, _to_cv(hull), label, cv2.LINE_8, _SHIFT_BITS)

    def _order_hair(self, skeleton: Skeleton, part_depth: Array) -> Array:
        """Hair lies on the head: the crown always over it; the back of the head over it
        unless the face looks at the camera (then the back hair peeks out behind)."""
        rotation, _ = skeleton.frame("head")
        centre = skeleton.joint("head_centre")
        to_camera = self.camera.position_m - centre
        facing = float(rotation[:, 0] @ to_camera) / float(np.linalg.norm(to_camera))
        depth = part_depth.copy()
        depth[self._hair_crown] = depth[self._head] - 1e-4
        depth[self._hair_back] = depth[self._head] + (1e-4 if facing > 0.3 else -2e-4)
        return depth

    def _side_shade(self, skeleton: Skeleton) -> dict[str | None, float]:
        """Darken the limbs of the side farther from the camera, as a key light would."""
        _, depth = self.camera.project(skeleton.landmarks_m)
        left = depth[[Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP]].mean()
        right = depth[[Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP]].mean()
        far = "left" if left > right else "right"
        # Fade the effect out for front and back views, where both sides are equally lit.
        weight = min(1.0, abs(float(left - right)) / (0.1 * skeleton.shape.height_m))
        return {far: 1.0 - (1.0 - self.appearance.far_side_shade) * weight}

    def _shading_layers(
        self, hull: Array, axis_px: Array, colour: Array
    ) -> list[tuple[npt.NDArray[np.int32], tuple[float, float, float]]]:
        """The part's fill polygons (OpenCV fixed point) and colours, dark rim first."""
        start, end = axis_px
        along = end - start
        length = float(np.linalg.norm(along))
        if length > 2.0 and np.all(np.isfinite(along)):
            a = along / length
            centre = (start + end) / 2.0
        else:  # seen end-on or an ellipsoid: shade radially
            a = np.array([1.0, 0.0])
            centre = hull.mean(axis=0)
        b = np.array([-a[1], a[0]])
        rel = hull - centre
        rel_a, rel_b = rel @ a, rel @ b
        half_width = max(float(np.abs(rel_b).max()), 1.0)
        radial = length <= 2.0
        layers = []
        for across, brightness, shift in _SHADING_LAYERS:
            scale_a = across if radial else 1.0
            layer = (
                centre
                + np.outer(rel_a * scale_a, a)
                + np.outer(rel_b * across, b)
                + shift * half_width * self._light_px
            )
            r, g, bl = (float(c) for c in np.clip(colour * brightness, 0, 255))
            layers.append((_to_cv(layer), (r, g, bl)))
        return layers

    def _draw_decal(self, image: Image, skeleton: Skeleton, index: int) -> None:
        decal, colour = self.model.decals[index], self._decal_colours[index]
        theta = _DECAL_THETA
        rotation, _ = skeleton.frame(decal.frame)
        centre = skeleton.point(decal.frame, decal.centre)
        normal = rotation @ np.asarray(decal.normal, dtype=np.float64)
        normal /= np.linalg.norm(normal)
        to_camera = self.camera.position_m - centre
        if float(normal @ to_camera) < 0.2 * float(np.linalg.norm(to_camera)):
            return  # facing away, or so oblique it would be a sliver
        up = rotation @ np.asarray(decal.up, dtype=np.float64)
        up -= normal * float(up @ normal)
        up /= np.linalg.norm(up)
        across = np.cross(up, normal)
        width, height = decal.half_size
        ring = (
            centre
            + width * np.cos(theta)[:, None] * across
            + height * np.sin(theta)[:, None] * up
            + normal * 0.001
        )
        ring_px, _ = self.camera.project(ring)
        cv2.fillConvexPoly(image, _to_cv(ring_px), colour, cv2.LINE_AA, _SHIFT_BITS)

    def _draw_shadow(self, image: Image, surface: Array) -> None:
        """A soft dark footprint of the body straight below it on the floor."""
        dropped = surface.copy()
        dropped[:, 1] = 0.0
        shadow_px, _ = self.camera.project(dropped)
        if not np.all(np.isfinite(shadow_px)):
            return
        height, width = image.shape[:2]
        small = np.zeros(
            (height // _SHADOW_DOWNSCALE + 1, width // _SHADOW_DOWNSCALE + 1), dtype=np.uint8
        )
        for part_slice in self.model.sample_slices:
            hull = cv2.convexHull((shadow_px[part_slice] / _SHADOW_DOWNSCALE).astype(np.float32))
            cv2.fillConvexPoly(
                small, _to_cv(hull[:, 0, :].astype(np.float64) + 0.5), 255, cv2.LINE_AA, _SHIFT_BITS
            )
        sigma = max(1.0, 0.012 * max(height, width) / _SHADOW_DOWNSCALE)
        small = cv2.GaussianBlur(small, (0, 0), sigma)
        mask = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
        # image *= 1 - strength * mask, in integer arithmetic on uint8 (fast, exact).
        darken = (mask.astype(np.uint16) * round(self.appearance.shadow_strength * 256)) >> 8
        keep = (255 - darken).astype(np.uint8)
        cv2.multiply(image, cv2.merge([keep, keep, keep]), dst=image, scale=1.0 / 255.0)

    def _visibility(
        self,
        labels: npt.NDArray[np.uint8],
        landmarks_px: Array,
        landmarks_depth: Array,
        in_frame: npt.NDArray[np.bool_],
        part_depth: Array,
    ) -> npt.NDArray[np.bool_]:
        visible = in_frame.copy()
        tolerance = _OCCLUSION_TOLERANCE * self.model.shape.height_m
        for landmark in np.flatnonzero(in_frame):
            x, y = (int(v) for v in landmarks_px[landmark])
            label = int(labels[y, x])
            if label == 0:
                continue
            part = label - 1
            if part < self.model.owner_mask.shape[1] and self.model.owner_mask[landmark, part]:
                continue
            visible[landmark] = part_depth[part] >= landmarks_depth[landmark] - tolerance
        return visible

    def _apply_sensor(self, image: Image, rng: np.random.Generator) -> None:
        if self.appearance.blur_sigma_px > 0:
            cv2.GaussianBlur(image, (0, 0), self.appearance.blur_sigma_px, dst=image)
        if self.appearance.exposure != 1.0:
            cv2.convertScaleAbs(image, dst=image, alpha=self.appearance.exposure)
        if self._noise_bank:
            # Pick a bank frame and a random roll so consecutive frames do not repeat noise.
            index = int(rng.integers(len(self._noise_bank)))
            shift = int(rng.integers(image.shape[0]))
            plus, minus = self._noise_bank[index]
            cv2.add(image, np.roll(plus, shift, axis=0), dst=image)
            cv2.subtract(image, np.roll(minus, shift, axis=0), dst=image)
        if self.appearance.jpeg_quality > 0:
            # A phone's or webcam's compression before the file's own codec.
            ok, data = cv2.imencode(
                ".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self.appearance.jpeg_quality]
            )
            decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
            if decoded is not None:
                np.copyto(image, decoded)
