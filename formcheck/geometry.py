"""Pure, vectorised geometry on landmark arrays.

Every function takes points as arrays whose last axis holds the coordinates
(`(..., 2)` image pixels or `(..., 3)` metres) and broadcasts over the leading axes.
NaN in, NaN out: a joint that is not visible is passed as NaN and never raises.
Image coordinates have y pointing down, as in OpenCV and MediaPipe.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Points = npt.NDArray[np.floating]
Scalars = npt.NDArray[np.floating]


def joint_angle_deg(a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike) -> Scalars:
    """Angle ABC at vertex b, in degrees in [0, 180].

    angle = arccos( (a - b) . (c - b) / (|a - b| |c - b|) ); NaN if a or c coincides with b.
    """
    ba = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    bc = np.asarray(c, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    norm = np.linalg.norm(ba, axis=-1) * np.linalg.norm(bc, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = np.sum(ba * bc, axis=-1) / np.where(norm > 0, norm, np.nan)
    result: Scalars = np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))
    return result


def distance(a: npt.ArrayLike, b: npt.ArrayLike) -> Scalars:
    """Euclidean distance |a - b|."""
    result: Scalars = np.linalg.norm(
        np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64), axis=-1
    )
    return result


def signed_offset_below_line(p: npt.ArrayLike, a: npt.ArrayLike, b: npt.ArrayLike) -> Scalars:
    """Distance of image point p from the line through a and b, positive below it.

    offset = cross(b - a, p - a) / |b - a|, with the sign chosen so that a point lower in
    the image (larger y) than the line is positive whichever way a -> b runs.
    Only for 2D image points (y down). NaN when a and b coincide or the line is vertical.
    """
    a2 = np.asarray(a, dtype=np.float64)
    direction = np.asarray(b, dtype=np.float64) - a2
    rel = np.asarray(p, dtype=np.float64) - a2
    length = np.linalg.norm(direction, axis=-1)
    cross = direction[..., 0] * rel[..., 1] - direction[..., 1] * rel[..., 0]
    # cross > 0 means p lies clockwise of a->b on screen, i.e. below it when a->b runs
    # rightwards; flip for lines that run leftwards so "below" is always positive.
    sign = np.where(direction[..., 0] >= 0, 1.0, -1.0)
    sign = np.where(direction[..., 0] == 0, np.nan, sign)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: Scalars = sign * cross / np.where(length > 0, length, np.nan)
    return result


def distance_to_line(p: npt.ArrayLike, a: npt.ArrayLike, b: npt.ArrayLike) -> Scalars:
    """Unsigned distance of p from the infinite line through a and b (2D or 3D).

    d = |(p - a) - ((p - a) . u) u| with u = (b - a) / |b - a|; NaN when a == b.
    """
    a3 = np.asarray(a, dtype=np.float64)
    direction = np.asarray(b, dtype=np.float64) - a3
    rel = np.asarray(p, dtype=np.float64) - a3
    length = np.linalg.norm(direction, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = direction / np.where(length > 0, length, np.nan)
    along = np.sum(rel * unit, axis=-1, keepdims=True)
    result: Scalars = np.linalg.norm(rel - along * unit, axis=-1)
    return result


def inclination_deg(a: npt.ArrayLike, b: npt.ArrayLike) -> Scalars:
    """Angle of the segment a -> b above the image horizontal, in degrees in [0, 90].

    0 is horizontal, 90 vertical; direction-free. Image points only.
    """
    d = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    result: Scalars = np.degrees(np.arctan2(np.abs(d[..., 1]), np.abs(d[..., 0])))
    return result


def signed_bend_deg(a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike) -> Scalars:
    """How far the chain a -> b -> c turns downward at b, in degrees in (-180, 180].

    0 when c continues the line a -> b; positive when c bends below that line (image
    y down), negative when above. Image points only.
    """
    a2 = np.asarray(a, dtype=np.float64)
    b2 = np.asarray(b, dtype=np.float64)
    c2 = np.asarray(c, dtype=np.float64)
    d1 = b2 - a2
    d2 = c2 - b2
    turn = np.arctan2(
        d1[..., 0] * d2[..., 1] - d1[..., 1] * d2[..., 0],
        d1[..., 0] * d2[..., 0] + d1[..., 1] * d2[..., 1],
    )
    # A positive screen turn (clockwise, y down) goes downward when the chain runs right.
    sign = np.where(d1[..., 0] >= 0, 1.0, -1.0)
    result: Scalars = np.degrees(turn) * sign
    return result


def offset_towards(p: npt.ArrayLike, a: npt.ArrayLike, b: npt.ArrayLike,
                          down: npt.ArrayLike) -> Scalars:
    """Signed distance of p from the line through a and b, measured towards `down`.

    With u = (b - a) / |b - a|, the perpendicular part of p is
    r = (p - a) - ((p - a) . u) u and the reference direction made perpendicular to the
    line is d = (down - (down . u) u) / |...|; the result is r . d, positive when p lies
    on the `down` side of the line. Works for 2D or 3D points (a sideways deviation out
    of the plane of line and `down` does not count). NaN when a == b or `down` is parallel
    to the line.
    """
    a3 = np.asarray(a, dtype=np.float64)
    direction = np.asarray(b, dtype=np.float64) - a3
    rel = np.asarray(p, dtype=np.float64) - a3
    ref = np.asarray(down, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        length = np.linalg.norm(direction, axis=-1, keepdims=True)
        unit = direction / np.where(length > 0, length, np.nan)
        perpendicular = rel - np.sum(rel * unit, axis=-1, keepdims=True) * unit
        ref_perp = ref - np.sum(ref * unit, axis=-1, keepdims=True) * unit
        ref_norm = np.linalg.norm(ref_perp, axis=-1, keepdims=True)
        ref_unit = ref_perp / np.where(ref_norm > 1e-9, ref_norm, np.nan)
        result: Scalars = np.sum(perpendicular * ref_unit, axis=-1)
    return result


def contour_profile(
    contour: npt.ArrayLike,
    start: npt.ArrayLike,
    end: npt.ArrayLike,
    normal: npt.ArrayLike,
    fractions: npt.ArrayLike,
) -> Scalars:
    """How far a closed contour reaches to one side of a segment, along the segment.

    For each fraction t, the line perpendicular to start -> end through
    start + t (end - start) is cut with every contour edge; the result is the largest
    signed distance d = (q - start) . n of the cut points q, with n the unit vector of
    `normal` (which should be perpendicular to the segment). So with n pointing from the
    spine towards the back's surface, d(t) is the back's profile. NaN where no edge
    crosses the line.

    Args:
        contour: (K, 2) closed polygon, image points.
        start, end: (2,) the segment (hip and shoulder, say).
        normal: (2,) the side to look on.
        fractions: (M,) positions along the segment, 0 at start, 1 at end.

    Returns:
        (M,) distances in the contour's units (pixels).
    """
    points = np.asarray(contour, dtype=np.float64).reshape(-1, 2)
    a = np.asarray(start, dtype=np.float64)
    axis = np.asarray(end, dtype=np.float64) - a
    t = np.asarray(fractions, dtype=np.float64)
    length = float(np.linalg.norm(axis))
    n = np.asarray(normal, dtype=np.float64)
    n_length = float(np.linalg.norm(n))
    if len(points) < 3 or length == 0 or n_length == 0:
        return np.full(t.shape, np.nan)
    unit, n = axis / length, n / n_length
    along = (points - a) @ unit  # (K,)
    across = (points - a) @ n
    a0, a1 = along, np.roll(along, -1)  # edge i runs from vertex i to vertex i + 1
    c0, c1 = across, np.roll(across, -1)
    s = t[:, None] * length  # (M, 1)
    crosses = (a0 - s) * (a1 - s) <= 0  # (M, K)
    span = np.where(a1 != a0, a1 - a0, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(a1 != a0, (s - a0) / span, 0.0)
    cut = np.where(crosses, c0 + w * (c1 - c0), -np.inf)
    best = cut.max(axis=1)
    result: Scalars = np.where(np.isfinite(best), best, np.nan)
    return result


def bulge(profile: npt.ArrayLike, fractions: npt.ArrayLike) -> float:
    """Largest height of a profile above the chord joining its two ends.

    With d(t) from `contour_profile`, bulge = max_t (d(t) - chord(t)), chord the straight
    line from (t0, d(t0)) to (tM, d(tM)): 0 for a straight back, positive where it
    bows outwards (a rounded back), negative where it is hollow all along. NaN if any
    sample is NaN.
    """
    d = np.asarray(profile, dtype=np.float64)
    t = np.asarray(fractions, dtype=np.float64)
    if d.size < 3 or not np.all(np.isfinite(d)):
        return float("nan")
    chord = d[0] + (d[-1] - d[0]) * (t - t[0]) / (t[-1] - t[0])
    return float(np.max(d[1:-1] - chord[1:-1]))


def ramp(value: float, start: float, full: float) -> float:
    """0 at or below `start`, 1 at or above `full`, linear between (NaN: 0).

    ramp(v) = clip((v - start) / (full - start), 0, 1): how much evidence a measure
    gives, from none at `start` to full at `full`.
    """
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, (value - start) / (full - start)))
