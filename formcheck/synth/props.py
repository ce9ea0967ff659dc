"""Objects drawn with the body: a barbell, dumbbells, simple furniture.

A prop is placed in world metres by the motion script each frame and broken into
convex `PropPart`s (surface samples plus an axis for shading), which the renderer
depth-sorts together with the body's parts. A part can hide a landmark behind it, so
the truth's visibility says when a plate covers the near knee.

Sizes are the standard ones: an Olympic bar is 2.20 m long, 28 mm thick, its sleeves
start 0.655 m from the centre; a bumper plate is 450 mm across whatever its weight
(so the bar sits 225 mm above the floor), 50-90 mm thick; a 20-25 kg hex dumbbell's
heads are about 170 mm across; a 20-24 kg kettlebell is ~210 mm across and ~280 mm
tall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Vec3 = tuple[float, float, float]

BAR_RADIUS_M = 0.014
BUMPER_RADIUS_M = 0.225
DUMBBELL_HEAD_RADIUS_M = 0.085  # a 20-25 kg hex dumbbell
KETTLEBELL_RADIUS_M = 0.105  # a 20-24 kg bell
KETTLEBELL_GRIP_HEIGHT_M = 0.27  # the handle's grip above the floor when the bell rests
_RING = 32  # points per ring: a 12-gon plate shows its corners at 640x480


@dataclass(frozen=True, slots=True)
class PropPart:
    """One convex piece of a prop, in world coordinates.

    Attributes:
        name: Unique within the frame, e.g. "barbell_plate_left".
        points_m: (K, 3) surface samples; the silhouette is their projected hull.
        axis_m: (2, 3) start and end of the piece's axis (for cylinder shading).
        colour: "#rrggbb".
        radial: Shade towards the centre of the outline (a plate, a box) instead of
            across the axis (a bar).
    """

    name: str
    points_m: Array
    axis_m: Array
    colour: str
    radial: bool = False


class Prop(Protocol):
    """Anything that can break itself into convex parts for one frame."""

    def parts(self) -> list[PropPart]:
        """The prop's convex parts, world metres."""
        ...


def _unit(v: npt.ArrayLike) -> Array:
    a = np.asarray(v, dtype=np.float64)
    result: Array = a / np.linalg.norm(a)
    return result


def _basis(axis: Array) -> tuple[Array, Array]:
    """Two unit vectors perpendicular to `axis` and to each other."""
    helper = np.array([0.0, 1.0, 0.0]) if abs(axis[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = _unit(np.cross(axis, helper))
    return u, np.cross(axis, u)


def cylinder(
    name: str,
    start: npt.ArrayLike,
    end: npt.ArrayLike,
    radius: float,
    colour: str,
    radial: bool = False,
) -> PropPart:
    """A closed cylinder from `start` to `end` (world metres), `radius` metres."""
    a, b = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
    u, v = _basis(_unit(b - a))
    phi = np.linspace(0.0, 2.0 * math.pi, _RING, endpoint=False)
    ring = radius * (np.cos(phi)[:, None] * u + np.sin(phi)[:, None] * v)
    points = np.concatenate([a + ring, b + ring])
    return PropPart(name, points, np.stack([a, b]), colour, radial)


def sphere(name: str, centre: npt.ArrayLike, radius: float, colour: str) -> PropPart:
    """A ball (world metres); its outline is a circle from any side."""
    c = np.asarray(centre, dtype=np.float64)
    lat = np.radians(np.linspace(-90.0, 90.0, 9))[:, None]
    lon = np.linspace(0.0, 2.0 * math.pi, _RING, endpoint=False)[None, :]
    points = np.stack(
        [np.cos(lat) * np.cos(lon), np.sin(lat) * np.ones_like(lon), np.cos(lat) * np.sin(lon)],
        axis=-1,
    ).reshape(-1, 3)
    return PropPart(name, c + radius * points, np.stack([c, c]), colour, radial=True)


def box(name: str, centre: npt.ArrayLike, half_size: Vec3, colour: str) -> PropPart:
    """An axis-aligned box (world metres), shaded as if lit along its longest side."""
    c = np.asarray(centre, dtype=np.float64)
    h = np.asarray(half_size, dtype=np.float64)
    corners = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)])
    longest = int(np.argmax(h))
    axis = np.zeros((2, 3))
    axis[0, longest], axis[1, longest] = -h[longest], h[longest]
    return PropPart(name, c + corners * h, c + axis, colour, radial=True)


@dataclass(frozen=True, slots=True)
class Barbell:
    """An Olympic barbell with one bumper plate a side.

    Attributes:
        centre_m: (3,) world centre of the bar, metres.
        axis: (3,) direction of the bar (the lifter's left to right: world +z).
        plate_radius_m: Plate radius (0.225 for bumpers; the bar rests this high).
        plate_width_m: Plate thickness.
        bar_colour: Steel.
        plate_colour: Rubber.
    """

    centre_m: Vec3
    axis: Vec3 = (0.0, 0.0, 1.0)
    plate_radius_m: float = BUMPER_RADIUS_M
    plate_width_m: float = 0.07
    bar_colour: str = "#b4b8bc"
    plate_colour: str = "#b3342c"

    def parts(self) -> list[PropPart]:
        c, a = np.asarray(self.centre_m, dtype=np.float64), _unit(self.axis)
        # The shaft in three pieces so the painter can put the middle behind the body
        # and the ends in front of it; sleeves and plates on both sides.
        sleeve, end, width = 0.655, 1.10, self.plate_width_m
        pieces = [
            cylinder("bar_shaft_mid", c - 0.30 * a, c + 0.30 * a, BAR_RADIUS_M, self.bar_colour)
        ]
        for sign, side in ((-1.0, "left"), (1.0, "right")):
            pieces += [
                cylinder(
                    f"bar_shaft_{side}",
                    c + sign * 0.30 * a,
                    c + sign * sleeve * a,
                    BAR_RADIUS_M,
                    self.bar_colour,
                ),
                cylinder(
                    f"bar_sleeve_{side}",
                    c + sign * sleeve * a,
                    c + sign * end * a,
                    0.025,
                    self.bar_colour,
                ),
                cylinder(
                    f"bar_plate_{side}",
                    c + sign * (sleeve + 0.01) * a,
                    c + sign * (sleeve + 0.01 + width) * a,
                    self.plate_radius_m,
                    self.plate_colour,
                    radial=True,
                ),
            ]
        return pieces


@dataclass(frozen=True, slots=True)
class Kettlebell:
    """A kettlebell held by its handle with both hands.

    Attributes:
        grip_m: (3,) world centre of the handle's grip, metres (the bell hangs below).
        bell_radius_m: Radius of the ball (16-24 kg bells are 19-22 cm across).
        colour: Cast iron.
    """

    grip_m: Vec3
    bell_radius_m: float = KETTLEBELL_RADIUS_M
    colour: str = "#2e3033"

    def parts(self) -> list[PropPart]:
        g = np.asarray(self.grip_m, dtype=np.float64)
        drop = KETTLEBELL_GRIP_HEIGHT_M - self.bell_radius_m  # grip above the ball's centre
        centre = g - np.array([0.0, drop, 0.0])
        half = 0.06  # half the handle's inside width
        across = np.array([0.0, 0.0, half])
        parts = [
            sphere("kettlebell_bell", centre, self.bell_radius_m, self.colour),
            cylinder("kettlebell_handle", g - across, g + across, 0.016, self.colour),
        ]
        for sign, side in ((-1.0, "left"), (1.0, "right")):
            top = g + np.array([0.0, 0.0, sign * half])
            foot = centre + np.array([0.0, 0.6 * self.bell_radius_m, sign * 0.55 * half])
            parts.append(cylinder(f"kettlebell_horn_{side}", top, foot, 0.016, self.colour))
        return parts


@dataclass(frozen=True, slots=True)
class Dumbbell:
    """A hex dumbbell held at its handle.

    Attributes:
        name: Part-name prefix ("dumbbell_left").
        centre_m: (3,) world centre of the handle, metres.
        axis: (3,) direction of the handle.
        head_radius_m: Radius of the heads.
        colour: Heads; the handle is steel.
    """

    name: str
    centre_m: Vec3
    axis: Vec3 = (0.0, 0.0, 1.0)
    head_radius_m: float = DUMBBELL_HEAD_RADIUS_M
    colour: str = "#303236"

    def parts(self) -> list[PropPart]:
        c, a = np.asarray(self.centre_m, dtype=np.float64), _unit(self.axis)
        handle, head = 0.07, 0.11
        return [
            cylinder(f"{self.name}_handle", c - handle * a, c + handle * a, 0.017, "#a0a4a8"),
            cylinder(
                f"{self.name}_head_a",
                c - handle * a,
                c - (handle + head) * a,
                self.head_radius_m,
                self.colour,
                radial=True,
            ),
            cylinder(
                f"{self.name}_head_b",
                c + handle * a,
                c + (handle + head) * a,
                self.head_radius_m,
                self.colour,
                radial=True,
            ),
        ]
