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


VISIBILITY = VisibilityThresholds()
PLANK = PlankThresholds()
