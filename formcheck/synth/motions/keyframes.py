"""Key poses and the moves between them: getting down to the floor, simple exercises.

A move is a list of placed key poses; in between, every joint angle and the root
position are interpolated (smoothstep in time) and the body is set back on the floor
(`grounded`), so no part sinks into it or floats above it while it moves. This is how
the setup of a plank (standing -> kneeling -> hands down -> lying) and the simpler
exercises (squat, lunge, bird dog, Russian twist) are animated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace

from formcheck.synth.body import BodyPose, BodyShape, LimbAngles, Skeleton, forward_kinematics
from formcheck.synth.motions.base import smoothstep

# Points that can touch the floor, with their distance from the joint to the surface
# (fractions of height times build), so a grounded pose rests on skin, not on bone.
_CONTACTS: tuple[tuple[str, float], ...] = (
    ("left_toe", 0.006),
    ("right_toe", 0.006),
    ("left_heel", 0.0),
    ("right_heel", 0.0),
    ("left_knee", 0.030),
    ("right_knee", 0.030),
    ("left_ankle", 0.018),
    ("right_ankle", 0.018),
    ("left_hand_tip", 0.010),
    ("right_hand_tip", 0.010),
    ("left_wrist", 0.014),
    ("right_wrist", 0.014),
    ("left_elbow", 0.021),
    ("right_elbow", 0.021),
    ("pelvis", 0.070),
    ("t12", 0.060),
    ("t6", 0.055),
    ("head_centre", 0.066),
)
_LIMB_FIELDS = tuple(f.name for f in fields(LimbAngles))
_POSE_FIELDS = tuple(
    f.name for f in fields(BodyPose) if f.name not in ("root_position_m", "left", "right")
)


def blend_pose(a: BodyPose, b: BodyPose, weight: float) -> BodyPose:
    """Every angle and the root position of `a` moved `weight` (0..1) of the way to `b`."""

    def mix(x: float, y: float) -> float:
        return x + weight * (y - x)

    limbs = {
        side: LimbAngles(
            **{
                name: mix(getattr(a.side(side), name), getattr(b.side(side), name))
                for name in _LIMB_FIELDS
            }
        )
        for side in ("left", "right")
    }
    root = tuple(mix(x, y) for x, y in zip(a.root_position_m, b.root_position_m, strict=True))
    return BodyPose(
        root_position_m=(root[0], root[1], root[2]),
        left=limbs["left"],
        right=limbs["right"],
        **{name: mix(getattr(a, name), getattr(b, name)) for name in _POSE_FIELDS},
    )


def lowest_surface_m(shape: BodyShape, skeleton: Skeleton) -> float:
    """Height of the lowest contact surface (toes, knees, hands, back, head ...), metres."""
    return min(float(skeleton.joint(name)[1]) - shape.girth(r) for name, r in _CONTACTS)


def grounded(shape: BodyShape, pose: BodyPose) -> BodyPose:
    """The pose moved up or down so its lowest contact surface touches the floor."""
    drop = lowest_surface_m(shape, forward_kinematics(shape, pose))
    x, y, z = pose.root_position_m
    return replace(pose, root_position_m=(x, y - drop, z))


def shifted(pose: BodyPose, dx: float = 0.0, dz: float = 0.0) -> BodyPose:
    """The pose moved horizontally by (dx, dz) metres."""
    x, y, z = pose.root_position_m
    return replace(pose, root_position_m=(x + dx, y, z + dz))


def along(keys: Sequence[BodyPose], shape: BodyShape, progress: float) -> BodyPose:
    """The pose `progress` (0..1) of the way through key poses spaced evenly in time.

    Each leg of the move eases in and out; in between two keys the body is kept as far
    above (or below) the floor as the keys themselves are, blended, so every key is met
    exactly and no in-between pose sinks into the floor or floats.
    """
    if len(keys) == 1:
        return keys[0]
    position = min(max(progress, 0.0), 1.0) * (len(keys) - 1)
    i = min(int(position), len(keys) - 2)
    w = smoothstep(position - i)
    blend = blend_pose(keys[i], keys[i + 1], w)
    if w <= 0.0 or w >= 1.0:
        return keys[i] if w <= 0.0 else keys[i + 1]
    levels = [lowest_surface_m(shape, forward_kinematics(shape, k)) for k in keys[i : i + 2]]
    wanted = levels[0] + w * (levels[1] - levels[0])
    drop = lowest_surface_m(shape, forward_kinematics(shape, blend)) - wanted
    x, y, z = blend.root_position_m
    return replace(blend, root_position_m=(x, y - drop, z))


def joint_x(shape: BodyShape, pose: BodyPose, joint: str) -> float:
    return float(forward_kinematics(shape, pose).joint(joint)[0])
