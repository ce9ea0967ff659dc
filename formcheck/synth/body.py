"""A 3D kinematic mannequin: proportions, named joint angles, forward kinematics, landmarks.

World frame (metres): y up, the floor is the plane y = 0, x and z horizontal.
Every segment has a local frame that, with all angles at zero (standing upright,
arms hanging, palms facing the thighs), is parallel to the body frame:
x anterior (the way the chest faces), y superior (towards the head), z to the
person's right. The person's left side is therefore at -z.

Limbs hang along their local -y; spine, neck and head rise along +y; the foot points
along +x. A joint angle rotates a child frame about its parent's local axes, with the
sign conventions of clinical joint angles (flexion positive); see `BodyPose`.
Proportions follow the segment-length fractions of body height in Winter,
"Biomechanics and Motor Control of Human Movement" (after Drillis and Contini).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from formcheck.pose import NUM_LANDMARKS, Landmark

Vec3 = tuple[float, float, float]
Array = npt.NDArray[np.float64]

# Frames in forward-kinematics order: every parent comes before its children.
FRAME_NAMES: tuple[str, ...] = (
    "pelvis",
    "lumbar",
    "thoracic",
    "upper_trunk",
    "neck",
    "head",
    "left_upper_arm",
    "left_forearm",
    "left_hand",
    "right_upper_arm",
    "right_forearm",
    "right_hand",
    "left_thigh",
    "left_shank",
    "left_foot",
    "right_thigh",
    "right_shank",
    "right_foot",
)
FRAME_INDEX: dict[str, int] = {name: i for i, name in enumerate(FRAME_NAMES)}
SIDES: tuple[str, str] = ("left", "right")


def rot_x(deg: float) -> Array:
    """(3, 3) rotation about x by `deg` degrees (right-handed)."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> Array:
    """(3, 3) rotation about y by `deg` degrees (right-handed)."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> Array:
    """(3, 3) rotation about z by `deg` degrees (right-handed: +x turns towards +y)."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


@dataclass(frozen=True, slots=True)
class BodyShape:
    """Proportions of the mannequin.

    Attributes:
        height_m: Standing height, metres.
        build: Scales every breadth and girth (1.0 average, 0.85 slim, 1.2 broad).
        leg_ratio: Scales thigh and shank lengths.
        arm_ratio: Scales upper-arm, forearm and hand lengths.
        torso_ratio: Scales the spine segments and the neck.
    """

    height_m: float = 1.75
    build: float = 1.0
    leg_ratio: float = 1.0
    arm_ratio: float = 1.0
    torso_ratio: float = 1.0

    def __post_init__(self) -> None:
        for name in ("height_m", "build", "leg_ratio", "arm_ratio", "torso_ratio"):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"BodyShape.{name}: expected a positive number, got {value}")

    # --- lengths (metres), fractions of height after Winter's table ---
    @property
    def thigh_m(self) -> float:
        return 0.245 * self.height_m * self.leg_ratio

    @property
    def shank_m(self) -> float:
        return 0.246 * self.height_m * self.leg_ratio

    @property
    def ankle_height_m(self) -> float:
        return 0.039 * self.height_m

    @property
    def foot_length_m(self) -> float:
        return 0.152 * self.height_m

    @property
    def upper_arm_m(self) -> float:
        return 0.186 * self.height_m * self.arm_ratio

    @property
    def forearm_m(self) -> float:
        return 0.146 * self.height_m * self.arm_ratio

    @property
    def hand_m(self) -> float:
        return 0.108 * self.height_m * self.arm_ratio

    @property
    def lumbar_m(self) -> float:
        return 0.090 * self.height_m * self.torso_ratio

    @property
    def thoracic_m(self) -> float:
        return 0.080 * self.height_m * self.torso_ratio

    @property
    def upper_trunk_m(self) -> float:
        return 0.080 * self.height_m * self.torso_ratio

    @property
    def neck_m(self) -> float:
        return 0.045 * self.height_m * self.torso_ratio

    # --- breadths (metres) ---
    @property
    def hip_half_width_m(self) -> float:
        """Half the distance between the hip-joint centres."""
        return 0.048 * self.height_m * self.build

    @property
    def shoulder_half_width_m(self) -> float:
        """Half the distance between the shoulder-joint centres."""
        return 0.100 * self.height_m * self.build

    def scaled(self, fraction: float) -> float:
        """`fraction` of the height, in metres (for offsets that scale with the body)."""
        return fraction * self.height_m

    def girth(self, fraction: float) -> float:
        """`fraction` of the height scaled by build, in metres (radii, half-widths)."""
        return fraction * self.height_m * self.build


@dataclass(frozen=True, slots=True)
class LimbAngles:
    """Joint angles of one side's arm and leg, degrees.

    Attributes:
        shoulder_flex_deg: Arm raised forwards (0 hanging, 90 pointing anterior,
            180 overhead); negative swings it backwards.
        shoulder_abd_deg: Arm raised sideways, away from the body.
        elbow_flex_deg: 0 straight; positive brings the hand towards the shoulder.
        forearm_pronation_deg: Rotation about the forearm: 0 palm faces the thigh
            (thumb forwards), 90 palm faces backwards.
        wrist_flex_deg: Palm towards the forearm's front; negative bends the hand back.
        hip_flex_deg: Thigh raised forwards (0 standing, 90 thigh horizontal when upright);
            negative extends it backwards.
        hip_abd_deg: Thigh out to the side.
        hip_rot_deg: Rotation of the thigh about its own long axis (+ turns the knee
            outwards); lets a leg reach a foot placed off its plane.
        knee_flex_deg: 0 straight; positive folds the shank backwards.
        ankle_dorsiflex_deg: 0 foot at right angles to the shank; positive lifts the toes
            towards the shin, negative points them (plantar flexion).
    """

    shoulder_flex_deg: float = 0.0
    shoulder_abd_deg: float = 0.0
    elbow_flex_deg: float = 0.0
    forearm_pronation_deg: float = 0.0
    wrist_flex_deg: float = 0.0
    hip_flex_deg: float = 0.0
    hip_abd_deg: float = 0.0
    hip_rot_deg: float = 0.0
    knee_flex_deg: float = 0.0
    ankle_dorsiflex_deg: float = 0.0


@dataclass(frozen=True, slots=True)
class BodyPose:
    """A whole-body pose: root placement plus named joint angles (degrees).

    The root is the pelvis frame, whose origin is the midpoint of the hip-joint centres.
    Its orientation is yaw about world y, then pitch, then roll:
    R = Ry(yaw) Rz(-pitch) Rx(roll).

    Attributes:
        root_position_m: World position of the hip-joint midpoint, metres.
        root_pitch_deg: Pelvis tipped forwards (the head end towards +x); 90 lies face
            down with the head at +x, -90 lies on the back with the head at -x.
        root_yaw_deg: Turn about world y (+ turns the anterior axis from +x towards -z).
        root_roll_deg: Roll about the pelvis' anterior axis (+ drops the right side).
        root_twist_deg: Turn of the pelvis about its own long axis, after pitch and roll
            (+ turns the anterior axis towards the left): in a bridge, drops one hip.
        lumbar_flex_deg: Lumbar spine flexion (+ rounds forwards, - arches).
        lumbar_twist_deg: Axial rotation of the lumbar spine on the pelvis (same sense
            as `root_twist_deg`; its negative keeps the trunk still over a turning pelvis).
        thoracic_twist_deg: Axial rotation of the thoracic spine (a Russian twist).
        lumbar_side_deg: Lumbar side bend (+ bends the trunk towards the right).
        thoracic_flex_deg: Lower/mid thoracic flexion.
        upper_trunk_flex_deg: Upper thoracic flexion (shoulder girdle).
        neck_flex_deg: Neck flexion (+ chin towards the chest).
        head_flex_deg: Head nod on the neck (+ chin down).
        left: Left arm and leg.
        right: Right arm and leg.
    """

    root_position_m: Vec3 = (0.0, 0.0, 0.0)
    root_pitch_deg: float = 0.0
    root_yaw_deg: float = 0.0
    root_roll_deg: float = 0.0
    root_twist_deg: float = 0.0
    lumbar_flex_deg: float = 0.0
    lumbar_twist_deg: float = 0.0
    thoracic_twist_deg: float = 0.0
    lumbar_side_deg: float = 0.0
    thoracic_flex_deg: float = 0.0
    upper_trunk_flex_deg: float = 0.0
    neck_flex_deg: float = 0.0
    head_flex_deg: float = 0.0
    left: LimbAngles = field(default_factory=LimbAngles)
    right: LimbAngles = field(default_factory=LimbAngles)

    def side(self, name: str) -> LimbAngles:
        """The `LimbAngles` of "left" or "right"."""
        return self.left if name == "left" else self.right


@dataclass(frozen=True)
class Skeleton:
    """Posed segment frames in world coordinates.

    Attributes:
        shape: The proportions the skeleton was built with.
        rotations: (F, 3, 3) world rotation of each frame in `FRAME_NAMES` order;
            columns are the frame's x, y, z axes.
        origins: (F, 3) world position of each frame's origin (its proximal joint), metres.
    """

    shape: BodyShape
    rotations: Array
    origins: Array

    def frame(self, name: str) -> tuple[Array, Array]:
        """(3, 3) rotation and (3,) origin of a named frame."""
        i = FRAME_INDEX[name]
        return self.rotations[i], self.origins[i]

    def point(self, name: str, local: npt.ArrayLike) -> Array:
        """(3,) world position of a point given in a named frame's local coordinates."""
        rotation, origin = self.frame(name)
        result: Array = rotation @ np.asarray(local, dtype=np.float64) + origin
        return result

    def transform(self, frame_index: npt.NDArray[np.intp], local: Array) -> Array:
        """(N, 3) world positions of N local points, point i in frame `frame_index[i]`."""
        result: Array = (
            np.einsum("nij,nj->ni", self.rotations[frame_index], local) + self.origins[frame_index]
        )
        return result

    def shifted(self, offset_m: npt.ArrayLike) -> Skeleton:
        """The same skeleton translated by a (3,) world offset in metres."""
        return Skeleton(self.shape, self.rotations, self.origins + np.asarray(offset_m))

    def joint(self, name: str) -> Array:
        """(3,) world position of a named joint or end point (see `JOINT_POINTS`)."""
        frame, local = joint_points(self.shape)[name]
        return self.point(frame, local)

    @cached_property
    def landmarks_m(self) -> Array:
        """(33, 3) MediaPipe landmark positions in world metres."""
        frames, local = landmark_layout(self.shape)
        return self.transform(frames, local)


def _limb_chain_offsets(shape: BodyShape, side: str) -> dict[str, Vec3]:
    """Local offsets of the limb roots for one side (z sign flips for the left)."""
    sign = 1.0 if side == "right" else -1.0
    return {
        # Shoulder joints sit in front of the spine, near the middle of the chest's
        # depth, and below C7 (the top of the upper-trunk segment).
        "shoulder": (
            shape.scaled(0.035),
            shape.upper_trunk_m - shape.scaled(0.030),
            sign * shape.shoulder_half_width_m,
        ),
        "hip": (0.0, 0.0, sign * shape.hip_half_width_m),
    }


def _lumbosacral_offset(shape: BodyShape) -> Vec3:
    # L5/S1 lies above and behind the hip-joint centres.
    return (-shape.scaled(0.020), shape.scaled(0.055), 0.0)


def _sacrum(shape: BodyShape) -> Vec3:
    x, y, z = _lumbosacral_offset(shape)
    return (x, y - shape.scaled(0.050), z)


def forward_kinematics(shape: BodyShape, pose: BodyPose) -> Skeleton:
    """Pose every segment frame.

    Args:
        shape: Body proportions.
        pose: Root placement and joint angles.

    Returns:
        The posed `Skeleton` (18 frames, world metres).
    """
    count = len(FRAME_NAMES)
    rotations = np.empty((count, 3, 3))
    origins = np.empty((count, 3))

    def put(name: str, rotation: Array, origin: Array) -> None:
        rotations[FRAME_INDEX[name]] = rotation
        origins[FRAME_INDEX[name]] = origin

    def child(parent: str, offset: Vec3, local_rotation: Array) -> tuple[Array, Array]:
        rotation = rotations[FRAME_INDEX[parent]]
        origin = origins[FRAME_INDEX[parent]] + rotation @ np.asarray(offset)
        return rotation @ local_rotation, origin

    root = rot_y(pose.root_yaw_deg) @ rot_z(-pose.root_pitch_deg) @ rot_x(pose.root_roll_deg)
    if pose.root_twist_deg:  # skipped at 0 so older scenarios stay bit-identical
        root = root @ rot_y(pose.root_twist_deg)
    put("pelvis", root, np.asarray(pose.root_position_m, dtype=np.float64))
    # Spine flexion tips the upper segment's +y towards +x: a negative turn about z.
    lumbar = rot_z(-pose.lumbar_flex_deg)
    if pose.lumbar_twist_deg:
        lumbar = lumbar @ rot_y(pose.lumbar_twist_deg)
    if pose.lumbar_side_deg:
        lumbar = lumbar @ rot_x(pose.lumbar_side_deg)
    put("lumbar", *child("pelvis", _lumbosacral_offset(shape), lumbar))
    thoracic = rot_z(-pose.thoracic_flex_deg)
    if pose.thoracic_twist_deg:
        thoracic = thoracic @ rot_y(pose.thoracic_twist_deg)
    put("thoracic", *child("lumbar", (0.0, shape.lumbar_m, 0.0), thoracic))
    put(
        "upper_trunk",
        *child("thoracic", (0.0, shape.thoracic_m, 0.0), rot_z(-pose.upper_trunk_flex_deg)),
    )
    put("neck", *child("upper_trunk", (0.0, shape.upper_trunk_m, 0.0), rot_z(-pose.neck_flex_deg)))
    put("head", *child("neck", (0.0, shape.neck_m, 0.0), rot_z(-pose.head_flex_deg)))

    for side in SIDES:
        angles = pose.side(side)
        sign = 1.0 if side == "right" else -1.0  # abduction/pronation mirror across the body
        offsets = _limb_chain_offsets(shape, side)
        # Flexion swings a hanging limb (-y) towards +x: a positive turn about z.
        shoulder = rot_z(angles.shoulder_flex_deg) @ rot_x(-sign * angles.shoulder_abd_deg)
        put(f"{side}_upper_arm", *child("upper_trunk", offsets["shoulder"], shoulder))
        elbow = rot_z(angles.elbow_flex_deg) @ rot_y(sign * angles.forearm_pronation_deg)
        put(f"{side}_forearm", *child(f"{side}_upper_arm", (0.0, -shape.upper_arm_m, 0.0), elbow))
        # After pronation the palm faces local -z on the right hand, +z on the left.
        wrist = rot_x(sign * angles.wrist_flex_deg)
        put(f"{side}_hand", *child(f"{side}_forearm", (0.0, -shape.forearm_m, 0.0), wrist))

        hip = rot_z(angles.hip_flex_deg) @ rot_x(-sign * angles.hip_abd_deg)
        if angles.hip_rot_deg:
            hip = hip @ rot_y(-sign * angles.hip_rot_deg)
        put(f"{side}_thigh", *child("pelvis", offsets["hip"], hip))
        # Knee flexion folds the shank backwards: a negative turn about z.
        knee = rot_z(-angles.knee_flex_deg)
        put(f"{side}_shank", *child(f"{side}_thigh", (0.0, -shape.thigh_m, 0.0), knee))
        ankle = rot_z(angles.ankle_dorsiflex_deg)
        put(f"{side}_foot", *child(f"{side}_shank", (0.0, -shape.shank_m, 0.0), ankle))

    return Skeleton(shape, rotations, origins)


@lru_cache(maxsize=64)
def joint_points(shape: BodyShape) -> Mapping[str, tuple[str, Vec3]]:
    """Named joints and end points as (frame name, local offset in metres).

    Names: pelvis, sacrum, lumbosacral, t12, t6, c7, c1, head_centre, and per side
    `{side}_shoulder/elbow/wrist/hand_tip/hip/knee/ankle/heel/toe`.
    """
    points: dict[str, tuple[str, Vec3]] = {
        "pelvis": ("pelvis", (0.0, 0.0, 0.0)),
        "lumbosacral": ("lumbar", (0.0, 0.0, 0.0)),
        # A point down the sacrum, along the pelvis' own long axis: sacrum -> L5/S1 is
        # the direction the lumbar spine would continue with zero lumbar flexion.
        "sacrum": ("pelvis", _sacrum(shape)),
        "t12": ("thoracic", (0.0, 0.0, 0.0)),
        "t6": ("upper_trunk", (0.0, 0.0, 0.0)),
        "c7": ("neck", (0.0, 0.0, 0.0)),
        "c1": ("head", (0.0, 0.0, 0.0)),
        "head_centre": ("head", _head_centre(shape)),
    }
    for side in SIDES:
        points[f"{side}_shoulder"] = (f"{side}_upper_arm", (0.0, 0.0, 0.0))
        points[f"{side}_elbow"] = (f"{side}_forearm", (0.0, 0.0, 0.0))
        points[f"{side}_wrist"] = (f"{side}_hand", (0.0, 0.0, 0.0))
        points[f"{side}_hand_tip"] = (f"{side}_hand", (0.0, -shape.hand_m, 0.0))
        points[f"{side}_hip"] = (f"{side}_thigh", (0.0, 0.0, 0.0))
        points[f"{side}_knee"] = (f"{side}_shank", (0.0, 0.0, 0.0))
        points[f"{side}_ankle"] = (f"{side}_foot", (0.0, 0.0, 0.0))
        points[f"{side}_heel"] = (f"{side}_foot", _heel(shape))
        points[f"{side}_toe"] = (f"{side}_foot", _toe(shape))
    return MappingProxyType(points)  # cached and shared: read-only


def _head_centre(shape: BodyShape) -> Vec3:
    return (shape.scaled(0.012), shape.scaled(0.057), 0.0)


def _heel(shape: BodyShape) -> Vec3:
    """Back of the heel at sole level, in the foot frame."""
    return (-0.25 * shape.foot_length_m, -shape.ankle_height_m, 0.0)


def _toe(shape: BodyShape) -> Vec3:
    """Tip of the big toe at sole level, in the foot frame."""
    return (0.75 * shape.foot_length_m, -0.8 * shape.ankle_height_m, 0.0)


@lru_cache(maxsize=64)
def landmark_layout(shape: BodyShape) -> tuple[npt.NDArray[np.intp], Array]:
    """Where each MediaPipe landmark sits on the mannequin.

    Placement follows BlazePose's definitions: joint landmarks at the joint centres
    (hips slightly lateral, as annotators mark the greater trochanter side), hand
    landmarks at the index/pinky first knuckles and the thumb's second knuckle,
    heel at the back of the heel, foot index at the big-toe tip.

    Returns:
        (33,) frame index per landmark and (33, 3) local offsets in metres.
    """
    frames = np.zeros(NUM_LANDMARKS, dtype=np.intp)
    local = np.zeros((NUM_LANDMARKS, 3))

    def put(landmark: Landmark, frame: str, offset: Vec3) -> None:
        frames[landmark] = FRAME_INDEX[frame]
        local[landmark] = offset

    s = shape.scaled
    cx, cy, _ = _head_centre(shape)
    put(Landmark.NOSE, "head", (cx + s(0.062), cy - s(0.010), 0.0))
    for side, sign in (("LEFT", -1.0), ("RIGHT", 1.0)):
        put(Landmark[f"{side}_EYE_INNER"], "head", (cx + s(0.050), cy + s(0.010), sign * s(0.009)))
        put(Landmark[f"{side}_EYE"], "head", (cx + s(0.049), cy + s(0.011), sign * s(0.018)))
        put(Landmark[f"{side}_EYE_OUTER"], "head", (cx + s(0.046), cy + s(0.010), sign * s(0.026)))
        put(Landmark[f"{side}_EAR"], "head", (cx - s(0.004), cy - s(0.002), sign * s(0.044)))
        put(Landmark[f"MOUTH_{side}"], "head", (cx + s(0.050), cy - s(0.032), sign * s(0.013)))
    for side in SIDES:
        sign = 1.0 if side == "right" else -1.0
        upper = side.upper()
        put(Landmark[f"{upper}_SHOULDER"], f"{side}_upper_arm", (0.0, 0.0, 0.0))
        put(Landmark[f"{upper}_ELBOW"], f"{side}_forearm", (0.0, 0.0, 0.0))
        put(Landmark[f"{upper}_WRIST"], f"{side}_hand", (0.0, 0.0, 0.0))
        # Hand frame: fingers along -y, thumb side +x, palm facing the body's midline.
        knuckles = -0.45 * shape.hand_m
        breadth = shape.girth(0.024)
        put(Landmark[f"{upper}_INDEX"], f"{side}_hand", (0.7 * breadth, knuckles, 0.0))
        put(Landmark[f"{upper}_PINKY"], f"{side}_hand", (-0.8 * breadth, knuckles + s(0.004), 0.0))
        put(
            Landmark[f"{upper}_THUMB"],
            f"{side}_hand",
            (1.2 * breadth, -0.32 * shape.hand_m, -sign * 0.5 * breadth),
        )
        put(Landmark[f"{upper}_HIP"], f"{side}_thigh", (0.0, 0.0, sign * s(0.012)))
        put(Landmark[f"{upper}_KNEE"], f"{side}_shank", (0.0, 0.0, 0.0))
        put(Landmark[f"{upper}_ANKLE"], f"{side}_foot", (0.0, 0.0, sign * s(0.006)))
        put(Landmark[f"{upper}_HEEL"], f"{side}_foot", _heel(shape))
        toe_x, toe_y, _ = _toe(shape)
        # The big toe lies on the inner side of the foot.
        put(Landmark[f"{upper}_FOOT_INDEX"], f"{side}_foot", (toe_x, toe_y, -sign * s(0.010)))
    frames.flags.writeable = False
    local.flags.writeable = False
    return frames, local


def direction_angle_deg(parent_rotation: Array, world_direction: npt.ArrayLike, zero: str) -> float:
    """Signed angle about the parent's local z from a zero direction to a world direction.

    Used to aim a limb at a world direction (an arm straight down to the floor, a foot
    flat on it) by solving for its flexion angle in the sagittal plane.

    Args:
        parent_rotation: (3, 3) world rotation of the parent frame.
        world_direction: (3,) target direction in world coordinates.
        zero: The direction in the parent frame at angle 0: "-y" (a hanging limb) or
            "+x" (a foot).

    Returns:
        Degrees, positive for a right-handed turn about local z (+x towards +y).
    """
    local = parent_rotation.T @ np.asarray(world_direction, dtype=np.float64)
    x, y = float(local[0]), float(local[1])
    if zero == "-y":
        return math.degrees(math.atan2(x, -y))
    if zero == "+x":
        return math.degrees(math.atan2(y, x))
    raise ValueError(f"zero: expected '-y' or '+x', got {zero!r}")


def limb_angles_towards(
    parent_rotation: Array, direction: npt.ArrayLike, sign: float
) -> tuple[float, float]:
    """(flexion, abduction) in degrees that point a hanging limb along a world direction.

    A limb root rotates by flexion about the parent's z after abduction about its x
    (see `forward_kinematics`), so its hanging axis -y ends up along
    (sin f cos a, -cos f cos a, sign sin a) in the parent frame; this inverts that.

    Args:
        parent_rotation: (3, 3) world rotation of the parent frame (trunk or pelvis).
        direction: (3,) world direction from the joint towards the limb's far end.
        sign: +1 for the right side, -1 for the left.
    """
    d = np.asarray(direction, dtype=np.float64)
    local = parent_rotation.T @ (d / np.linalg.norm(d))
    abduction = math.degrees(math.asin(max(-1.0, min(1.0, sign * float(local[2])))))
    flexion = math.degrees(math.atan2(float(local[0]), -float(local[1])))
    return flexion, abduction


def two_link_knee(
    hip: npt.ArrayLike, ankle: npt.ArrayLike, thigh_m: float, shank_m: float, bend: npt.ArrayLike
) -> Array:
    """(3,) knee position of a hip -> knee -> ankle chain bending towards `bend`.

    The knee lies in the plane of hip, ankle and the `bend` direction, on the `bend`
    side of the hip-ankle line; a chain too short to reach is stretched straight.
    """
    h, a = np.asarray(hip, dtype=np.float64), np.asarray(ankle, dtype=np.float64)
    span = a - h
    reach = float(np.linalg.norm(span))
    axis = span / reach
    reach = min(reach, thigh_m + shank_m - 1e-9)
    along = (thigh_m**2 - shank_m**2 + reach**2) / (2.0 * reach)
    height = math.sqrt(max(thigh_m**2 - along**2, 0.0))
    b = np.asarray(bend, dtype=np.float64)
    b = b - axis * float(b @ axis)
    b /= max(float(np.linalg.norm(b)), 1e-12)
    result: Array = h + axis * along + b * height
    return result


def leg_angles_to(
    pelvis_rotation: Array,
    hip: npt.ArrayLike,
    knee: npt.ArrayLike,
    ankle: npt.ArrayLike,
    side: str,
) -> tuple[float, float, float, float]:
    """(hip flexion, abduction, rotation, knee flexion) in degrees placing knee and ankle.

    Flexion and abduction aim the thigh at the knee; the thigh's rotation about its own
    axis turns the knee's hinge so the shank can reach the ankle by flexion alone.
    """
    sign = 1.0 if side == "right" else -1.0
    h, k, a = (np.asarray(p, dtype=np.float64) for p in (hip, knee, ankle))
    flex, abd = limb_angles_towards(pelvis_rotation, k - h, sign)
    thigh = pelvis_rotation @ rot_z(flex) @ rot_x(-sign * abd)
    shank = thigh.T @ ((a - k) / np.linalg.norm(a - k))
    # Of the two rotations that bring the ankle into the knee's hinge plane, the one
    # under 90 degrees keeps the kneecap facing the way the bend asks.
    phi = math.atan2(-shank[2], shank[0]) if math.hypot(shank[0], shank[2]) > 1e-6 else 0.0
    if abs(phi) > math.pi / 2:
        phi -= math.copysign(math.pi, phi)
    x = math.cos(phi) * shank[0] - math.sin(phi) * shank[2]
    knee_flex = math.degrees(math.atan2(-x, -float(shank[1])))
    # rot_y(-sign * rot) was applied: phi = -sign * rot.
    return flex, abd, -sign * math.degrees(phi), knee_flex
