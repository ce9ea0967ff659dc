"""Every rule threshold, named, in one place, with where each number comes from.

Offsets are fractions of the body-line length (shoulder to ankle, or to knee for a knee
plank) so they do not depend on the person's size or distance from the camera.
Angles are degrees. Durations are seconds of video time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VisibilityThresholds:
    # MediaPipe's own default presence/visibility threshold for drawing a landmark is 0.5;
    # floor poses are where it is weakest (mediapipe issue 4868), so below this we say
    # "can't see your ..." rather than guess.
    min_visibility: float = 0.5


@dataclass(frozen=True, slots=True)
class PlankThresholds:
    # Hip offset below the shoulder-ankle line. Peers count a plank as straight when
    # shoulder-hip-ankle > 170 degrees (GymLytics); with the hip near the middle of the
    # line that is an offset of tan(5 deg)/2 = 0.044 of the line length. We flag from
    # 0.05 and clear below 0.035 so a hip hovering at the limit does not flicker.
    sag_enter: float = 0.05
    sag_exit: float = 0.035
    # Hips high are less harmful to the lower back than hips low, and a slight pike is
    # a common, acceptable cue-free position (peers accept 140-180 degrees at the hip,
    # kaiakol/computervision). Measured on 3D world landmarks (formcheck/exercises/
    # body_line.py), MediaPipe puts the hip above the shoulder-ankle line even in planks
    # their coaches call correct: per-clip medians -0.01 to -0.076 on the labelled
    # correct clips, -0.11 and -0.15 on the two hips-high clips (docs/accuracy.md). With
    # the hip 36% of the way from shoulder to ankle, an offset h bends the line by about
    # 4.3 h radians, so 0.10 is a hip angle of about 155 degrees: flag from there, clear
    # below 0.085 (a 2-degree band, above the per-frame jitter of ~0.01).
    pike_enter: float = 0.10
    pike_exit: float = 0.085
    # Head drop: how far the ear bends below the extension of the hip-shoulder line.
    # A neutral neck keeps the ear near the line (0-10 degrees with the gaze at the
    # floor); a hanging head is 30-45 degrees. Flag from 25, clear below 18.
    head_drop_enter_deg: float = 25.0
    head_drop_exit_deg: float = 18.0
    # A fault must last this long before its cue shows, and be gone this long before it
    # clears: ~0.4 s is 12 frames at 30 fps, 5 at 12 fps, longer than landmark jitter
    # (one or two frames) and shorter than a real correction.
    min_on_s: float = 0.4
    min_off_s: float = 0.4
    # In position: the body line within 40 degrees of horizontal (standing is ~90,
    # a plank on a bench incline ~20-30) ...
    max_body_incline_deg: float = 40.0
    # ... and the upper arm supporting the shoulders: elbow below the shoulder by at
    # least half the upper-arm length (upper arm > 30 degrees below horizontal); lying
    # flat on the floor with arms forward fails this.
    min_arm_support: float = 0.5
    # Beyond this offset either way (about 118 degrees at the hip) the body is folded,
    # not a plank with a fault: on all fours before a knee plank, a downward dog, or
    # lying with the hips on the floor. Those frames are out of position, not judged.
    max_plank_offset: float = 0.25
    # Knee plank. A plank on the toes keeps the legs straight: hip-knee-ankle 170-180
    # degrees, sagging or not (the sag bends at the hip). On the knees with the feet
    # lifted the knee bends to 90-120 degrees; with the shins flat on the floor the
    # knee angle is 180 minus the thigh's incline, only ~145-160 for a forearm knee
    # plank, so there we also ask that the shin lies flat: its drop from knee to ankle
    # under 0.08 shin lengths (on the toes it slopes down at the body's incline, ~10
    # degrees for a forearm plank, a drop of ~0.17).
    knee_plank_max_knee_deg: float = 150.0
    knee_plank_flat_shin_max_knee_deg: float = 168.0
    knee_plank_max_shin_drop: float = 0.08
    # A clip is judged good when at least this share of the hold is in good form.
    good_score: int = 80
    # A hold shorter than this is "not in position" rather than judged.
    min_hold_s: float = 1.0


@dataclass(frozen=True, slots=True)
class BridgeThresholds:
    # Rep zones on the hip extension (shoulder-hip-knee on the world midline, 180 =
    # straight). Lying with the hips down and the feet flat the thighs rise ~45 degrees
    # from the floor: 130-140. ExerSights counts a bridge rep from 140; we take the top
    # zone from 160 and the floor zone below 150, so a 10-degree band keeps jitter from
    # counting reps, and a rep whose hips stop short of the line still counts (and is
    # flagged hips_low) once it passes 160.
    rest_below_deg: float = 150.0
    top_above_deg: float = 160.0
    min_rep_s: float = 0.5
    # Full extension: shoulders, hips and knees in line. Coaches accept a few degrees
    # short of straight; MediaPipe's hip sits ~3 degrees low on a bridge (the studio's
    # straight top reads 176-179); flag a rep whose peak stays under 168.
    full_extension_deg: float = 168.0
    # Lumbar hyperextension pushes the hips past the shoulder-knee line. On the real
    # clips a coach marks correct, rep peaks read 174-179; the "lower-back-driven"
    # bridge reads 195-196. Flag a peak past 187: 7 degrees of arch, clear of both the
    # straight top and the 1-2 degree jitter a per-rep maximum picks up.
    over_arch_deg: float = 187.0
    # "Top" of a rep: within this many degrees of its peak (per-frame jitter of the
    # extension is 1-2 degrees; the hips settle a few degrees while held).
    top_band_deg: float = 8.0
    # The seed asks for a 3-5 s hold at the top ("slow, controlled"); flag under 3 s.
    min_top_hold_s: float = 3.0
    # "Quad dominant" as a camera sees it: the feet too close to the hips, so at the
    # top the knees travel forward past the ankles and the thighs lift instead of the
    # glutes. Measured as the shin's lean from upright at the top (knee ahead of the
    # ankle positive): shins upright (0) or feet slightly ahead (negative) load the
    # glutes and hamstrings. The coach-labelled correct reps read -8 to -14, the
    # "thigh-driven" rep +6 to +8. Flag past +3 degrees (upright plus landmark noise).
    max_shin_forward_deg: float = 3.0
    # In position: the trunk within 50 degrees of horizontal (a bridge top tilts the
    # trunk 20-35 degrees; sitting or standing is 60-90) and the knees bent under 150.
    max_trunk_incline_deg: float = 50.0
    max_knee_deg: float = 150.0
    # A foot counts as lifted when its ankle is higher than the other by half a shin.
    min_leg_lift: float = 0.5
    # Hips level: the line between the hip joints within 10 degrees of level (a hip
    # dropping on the unsupported side is the single-leg bridge's common fault).
    max_pelvis_tilt_deg: float = 10.0


@dataclass(frozen=True, slots=True)
class SidePlankThresholds:
    # Hips dropping towards the floor, as a fraction of the shoulder-ankle line, on the
    # same body-line measure as the plank and with the plank's sag limits (the same
    # lumbar sag, seen from the front instead of the side).
    drop_enter: float = PlankThresholds().sag_enter
    drop_exit: float = PlankThresholds().sag_exit
    min_on_s: float = PlankThresholds().min_on_s
    min_off_s: float = PlankThresholds().min_off_s
    # In position: the body line within 45 degrees of horizontal (a side plank's line
    # rises 15-30 degrees from feet to shoulders; standing is 90) ...
    max_body_incline_deg: float = 45.0
    # ... the supporting elbow below its shoulder by half an upper arm ...
    min_arm_support: float = 0.5
    # ... and the hips off the floor: folded or lying on the side past this offset
    # (about 118 degrees at the hip) is no side plank.
    max_offset: float = 0.25
    # A gap without a judged frame longer than this ends a side's hold (as for holds).
    max_gap_s: float = 0.5
    good_score: int = PlankThresholds().good_score
    min_hold_s: float = PlankThresholds().min_hold_s


@dataclass(frozen=True, slots=True)
class MarchThresholds:
    # Hips dropping as a foot lifts: the hip extension falling below its both-feet-down
    # value. A level bridge top wobbles 1-2 degrees; a pelvis that sags when it loses a
    # support drops 8 or more. Flag from 8, clear under 5.
    drop_enter_deg: float = 8.0
    drop_exit_deg: float = 5.0
    # Debounce as for the plank.
    min_on_s: float = PlankThresholds().min_on_s
    min_off_s: float = PlankThresholds().min_off_s
    # How fast the both-feet-down reference follows the hips (per judged frame): slow
    # enough that a lift does not move it, fast enough to follow a re-settled bridge.
    baseline_weight: float = 0.1
    # A foot must stay up this long to count as a lift (a march step takes ~0.5-1 s;
    # landmark jitter lasts a frame or two).
    min_lift_s: float = 0.2
    good_score: int = PlankThresholds().good_score
    min_hold_s: float = PlankThresholds().min_hold_s


VISIBILITY = VisibilityThresholds()
PLANK = PlankThresholds()
BRIDGE = BridgeThresholds()
SIDE_PLANK = SidePlankThresholds()
MARCH = MarchThresholds()
