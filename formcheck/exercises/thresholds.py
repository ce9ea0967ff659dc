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
class PostureThresholds:
    # `posture_of` reads the body's posture from the 3D world landmarks, so it is the same
    # from any camera view. Standing: the hips above the ankles by over 0.55 of the legs'
    # length, with the trunk more than 20 degrees off level (off the floor).
    standing_hip_height: float = 0.55
    standing_min_incline_deg: float = 20.0
    # Lying: the trunk within 50 degrees of level (55 on the back, where a bridge's top
    # lifts the trunk most) ...
    lying_max_incline_deg: float = 50.0
    supine_max_incline_deg: float = 55.0
    # ... on one side when the shoulders and hips are stacked (their left-right axis
    # within 45 degrees of vertical: cos 45 = 0.7) ...
    side_min_stacked: float = 0.7
    # ... prone or supine when the chest faces the floor or the ceiling (within 60
    # degrees: cos 60 = 0.5).
    min_facing: float = 0.5


@dataclass(frozen=True, slots=True)
class PlankThresholds:
    # Hip offset below the shoulder-ankle line. Peers count a plank as straight when
    # shoulder-hip-ankle > 170 degrees (GymLytics); with the hip near the middle of the
    # line that is an offset of tan(5 deg)/2 = 0.044 of the line length. MediaPipe's
    # world landmarks read a sag shallower than it is, most from 45 degrees: the
    # studio's 0.08 sag (its "moderate") reads 0.063-0.07 side-on and 0.043 from 45
    # degrees. The real footage keeps clear of 0.04 on both sides: correct planks
    # reach at most +0.013 (97th percentile, per clip), the sagging ones sit at a
    # median of +0.06. So flag from 0.04 and clear below 0.03 (3x the ~0.003 per-frame
    # jitter of a held plank), so a hip hovering at the limit does not flicker.
    sag_enter: float = 0.04
    sag_exit: float = 0.03
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
    # Head drop: how far the ears bend below the extension of the hip-shoulder line, on
    # the body's midline in the image. A hanging head is 30-45 degrees. Real planks:
    # neutral heads read at most 14 (90th percentile per clip, correct and faulty
    # planks, side and three-quarter views; posture_plank_006's five judged frames
    # aside), the two hanging heads in posture_plank_000/001 45-68. The studio's
    # neutral side-on planks read up to 27.5 (the mannequin's shoulder sits high), its
    # 32- and 45-degree drops 35 and up. Flag from 30, clear below 25.
    head_drop_enter_deg: float = 30.0
    head_drop_exit_deg: float = 25.0
    # The ears at least this many trunk (hip-shoulder) lengths from the shoulders, or
    # the head is not judged: real planks keep 0.28-0.45 (10th percentile per clip;
    # 0.27 at the lowest, in a hanging head), the studio's head tucked into the arms
    # 0.18-0.23, where a pixel turns the angle by degrees.
    head_min_lever: float = 0.25
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
    # Settling into the plank (body_line.SettleGate): lying prone before rising reads
    # as a 0.11-0.135 sag on the studio's clips, and rising sweeps the hips through
    # every smaller one, for ~1 s. Until settled, only frames in the fault-free band
    # (-pike_exit..sag_exit: the real correct planks read hips slightly high, medians
    # to -0.076) are judged. Settled once the hips have stayed in that band for 0.2 s
    # (a high plank's hips swing from the pike of walking the hands out through it in
    # under 0.2 s on the studio's clips), or once the body has
    # been in position for 2 s without getting there (the studio's setups spend at
    # most ~1.1 s in position before reaching the band; the real incorrect planks sag
    # or pike from their first frame, for 20-50 s). Out of position for over 0.5 s
    # (the hold timeline's gap) re-arms it.
    settle_reach_s: float = 0.2
    settle_s: float = 2.0
    settle_reset_gap_s: float = 0.5


@dataclass(frozen=True, slots=True)
class BridgeThresholds:
    # Rep zones, measured from the floor: the hip extension (shoulder-hip-knee on the
    # world midline, 180 = straight) lying with the hips down depends on the feet and the
    # camera: the studio's bridges read 130-133 from a side camera at hip height, 140-141
    # from a tripod above, 142-150 on a single-leg bridge's planted leg; the real clips
    # 106-142. A bridge stopping well short of the line peaks at 145-160, inside that
    # spread, so no fixed angle separates lying from a low bridge. The rep signal is the
    # rise above the floor: the lowest extension seen, creeping up 1 degree/s while the hips
    # are near it (so feet moved between sets re-set it) and never above 150 (nor, before anything lower is
    # seen, 140: a clip that starts at the top starts in a rep), nor below 130: a real
    # lifter lying at 109 touches down between reps at 127, which must end the rep. A
    # rep leaves the floor zone (rise under 8, 4 times the smoothed jitter), reaches the
    # top zone (over 14: the studio's lowest bridge, 15 above its floor) and comes back.
    floor_start_deg: float = 140.0
    floor_min_deg: float = 130.0
    floor_max_deg: float = 150.0
    floor_creep_deg_per_s: float = 1.0
    rest_rise_deg: float = 8.0
    top_rise_deg: float = 14.0
    min_rep_s: float = 0.5
    # Full extension: shoulders, hips and knees in line. Coaches accept a few degrees
    # short of straight; MediaPipe's hip sits ~3 degrees low on a bridge (the studio's
    # straight top reads 176-179); flag a rep whose peak stays under 168.
    full_extension_deg: float = 168.0
    # Lumbar hyperextension pushes the hips past the shoulder-knee line. On the real
    # clips a coach marks correct, rep peaks read 174-179; the "lower-back-driven"
    # bridge reads 195-196. The studio's straight side-on tops read 182-184, its
    # quad-dominant tops (knees pushed forward) 187-188 and its over-arched ones 202-209.
    # Flag a peak past 190: 10 degrees of arch, clear of every straight top and of the
    # 1-2 degree jitter a per-rep maximum picks up, 5 short of the real fault.
    over_arch_deg: float = 190.0
    # A rep is judged only when its shoulder, hip and knee were seen for this share of
    # it: the studio's bridge with the feet cropped loses the knees for most of its
    # top, and the peak of what is left (150) would read as hips_low.
    min_seen_share: float = 0.6
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


@dataclass(frozen=True, slots=True)
class SidePlankThresholds:
    # Hips dropping towards the floor, as a fraction of the shoulder-ankle line, on the
    # same body-line measure as the plank (the same lumbar sag, seen from the front
    # instead of the side), from 5% (GymLytics' 170 degrees, as for the plank) and
    # clearing below 3.5%. Not lowered with the plank's sag: the real side-plank
    # demonstrations (wahoo_*) then read as needing work (score 64) on their wobbles.
    drop_enter: float = 0.05
    drop_exit: float = 0.035
    min_on_s: float = PlankThresholds().min_on_s
    min_off_s: float = PlankThresholds().min_off_s
    # Judged from the front or back: the body line may turn up to 50 degrees out of the
    # image plane (the world measure is view-independent; past that the hips hide
    # behind the shoulders or the legs). The plank's yaw cannot tell this view: in a
    # side plank the left-right axis is vertical whichever way the camera looks.
    max_line_depth_deg: float = 50.0
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
    # Settling in, as for the plank: lying on the side before lifting the hips reads
    # as a deep hip drop.
    settle_reach_s: float = PlankThresholds().settle_reach_s
    settle_s: float = PlankThresholds().settle_s
    settle_reset_gap_s: float = PlankThresholds().settle_reset_gap_s


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
    # A foot is off the floor from a third of a shin above the other (the bridges' half
    # a shin is late for the march: the pelvis loses its support, and drops, as the foot
    # leaves the floor; on the studio's marches half a shin cut 0.1 s off each drop).
    min_leg_lift: float = 0.3
    good_score: int = PlankThresholds().good_score
    min_hold_s: float = PlankThresholds().min_hold_s
    # Hips up in the bridge: the hold runs (and the both-feet-down reference is taken)
    # from this hip extension, its own number rather than the bridge's rep zones (140/
    # 145, low enough to count a low bridge as a rep). Lying reads 130-140; the tops of
    # the studio's marches and the real bridges read 174-184. From 150 a foot's lift
    # can sag the hips 25 degrees without ending the hold. Tried on the studio's marches:
    # 155, 160 and 165 put no more holds within 0.5 s of the truth (and 165 misses drops).
    hips_up_deg: float = 150.0
    # The hold is the time at the top, not the rise and the lowering (the seed's "hold at
    # the top"): it starts once the hips rise slower than this (a bridge rises at
    # 40-60 degrees/s and settles under 10-20) ...
    settle_rate_deg_s: float = 20.0
    # ... and it ended when the hips, both feet down, first fell more than this below
    # the both-feet-down reference before they went under `hips_up_deg` (the top wobbles
    # 1-2 degrees; lowering passes 3 within a tenth of a second).
    top_band_deg: float = 3.0


VISIBILITY = VisibilityThresholds()
POSTURE = PostureThresholds()
PLANK = PlankThresholds()
BRIDGE = BridgeThresholds()
SIDE_PLANK = SidePlankThresholds()
MARCH = MarchThresholds()


@dataclass(frozen=True, slots=True)
class DeadliftThresholds:
    # Where each number comes from: "real" is ../shared/footage (sources BichraiX,
    # jeff-j-chen, mattiolato98, and the unlabelled Goondoc08 and rnhrn clips), "studio"
    # the rendered corpus (320x240). Every real-footage threshold was re-checked with the
    # clips of each source left out: docs/accuracy_deadlift_generalisation.md.
    #
    # --- reps --- The signal is the hip angle (shoulder-hip-knee, signed: 180 straight,
    # above 180 when the trunk is behind the thigh line), counted by prominence
    # (`reps.SwingCounter`): a rep swings at least `min_swing_deg`, or `swing_share` of
    # the lifter's own largest swing so far, away from the level they stood at and comes
    # back `return_share` of the way. A knee dip with the trunk upright swings the hip
    # angle 15-20 degrees (the thighs tilt) and jitter 1-3; the shallowest hinges seen
    # swing 43-45 (the studio's squatted Romanian deadlift from 45 degrees, 169 -> 124;
    # a squatted kettlebell hinge standing at ~140), real pulls 100-140. Set on the
    # studio; no real clip swings under 100, so leaving a source out cannot move it.
    min_swing_deg: float = 25.0
    # After full reps a partial one still counts down to 0.3 of the lifter's range (a
    # 45-degree squatted rep after 135-degree pulls is still a rep).
    swing_share: float = 0.3
    # The studio's severe incomplete Romanian lockout (trunk 25 degrees forward) comes
    # back 64% of its swing; a lifter who comes back less before going down again is
    # pulsing, not repping.
    return_share: float = 0.6
    # Priors for a clip that begins at the bar (its standing level unseen): a first pull
    # ends on reaching `rest_deg` (peers count the lockout at 165-175 and the bottom at
    # ~120; real lockouts read 170-185), or at its crest once the next hinge has swung a
    # prominence. `bottom_deg` only scales how far the signal has moved for `auto`.
    rest_deg: float = 145.0
    bottom_deg: float = 125.0
    min_rep_s: float = 0.5
    # The lockout is judged over this long after the rep comes back, or until the next
    # rep swings a prominence (`RepExercise.settle_s`): the lifter finishes the last
    # ~40% of the pull and holds the top; a lean back at the top comes late (on the real
    # "hyper extending on top" clip 0.6-1.1 s after the hips pass 145 degrees).
    lockout_window_s: float = 1.5
    # A rep is a hinge: the trunk tips at least this far forward over it (its leanest
    # minus its most upright; the lifter's own, not an absolute lean). A knee dip keeps
    # the trunk within ~10 degrees; real hinges tip 52-109, the studio's squatted
    # Romanian deadlift seen from 45 degrees 28 (it leans 24.6 forward from -4).
    min_hinge_tilt_deg: float = 20.0
    # A pull the clip ends in the middle of counts (judged without its lockout) once the
    # hip angle has come back this share of its swing.
    cut_off_return_share: float = 0.5
    # A posture counts when held this long (sustained extreme: the largest value the
    # signal stays beyond for 0.2 s), so one frame of landmark jitter never decides a
    # lockout, a drift or a lean.
    sustain_s: float = 0.2
    # A rep seen in under this share of its frames (a plate in front of the lifter hid
    # the rest) is counted, not judged; a lockout seen in under it is not judged. The
    # real bichraix_bad005 (plate over the hips mid-lift) is seen in 63% of its pull,
    # bichraix_good004's lockout in under half (no pose from 1.1 to 2.0 s).
    min_seen_share: float = 0.6
    # --- the camera view --- MediaPipe reads a standing lifter's yaw low: the studio's
    # 45-degree deadlifts at 18-22 degrees standing and 33-40 bent over, a real good
    # morning filmed ~25 degrees off the front (frank_good_morning) at 12-16, the real
    # square front view (bichraix_good017_front) at 3. Judged from 10 up ("front" below,
    # with the gate's 5-degree hysteresis).
    front_view_below_deg: float = 10.0
    # From 45 degrees the picture is read as if side-on, its horizontal extent divided by
    # the view's foreshortening fitted on the lifter's trunk (`views.Foreshortening`):
    # cos 45 until the trunk has swept enough leans to fit it ...
    oblique_prior_factor: float = 0.71
    # ... and a hinge shrunk under this (more than ~63 degrees off side-on) shows too
    # little to judge: "Turn side-on". The studio's 45-degree clips fit 0.57-0.81 (truth
    # 0.71), the real front-oblique good morning 0.30.
    min_view_factor: float = 0.45
    # --- the lifter's own baselines --- Standing: upright within this lean, between
    # reps. The medians of the standing frames of the last `baseline_memory_s` (at least
    # `baseline_min_frames` of them, over `baseline_min_s`) are the lifter's standing
    # posture, back outline, shin and knee.
    upright_lean_deg: float = 15.0
    baseline_memory_s: float = 3.0
    baseline_min_s: float = 0.2
    baseline_min_frames: int = 5
    # --- position --- Standing or hinging: the hip above the ankle by at least 30% of
    # the leg's length (lying and sitting are near 0; a deep squat ~0.4) and the shin
    # within 65 degrees of upright (on all fours or kneeling it lies flat at ~90; the
    # studio's squatted pull tilts it 56-58, a squatted hinge must stay judged).
    min_hip_height: float = 0.3
    max_shin_incline_deg: float = 65.0
    # ... while `--exercise auto` counts a frame as standing for the hinge only with the
    # shin within 50 degrees (at 65 a yoga plank tutorial's kneeling set-up fitted the
    # deadlift fully and took the pick from the plank).
    fit_max_shin_incline_deg: float = 50.0
    # Hip angles outside this are landmarks thrown by a plate in front of the hips (the
    # real bichraix_good004 reads 327-344 while the plate hides the lifter), not a
    # posture: "Can't see your hips". The studio's lean backs read up to 206.
    min_plausible_hip_deg: float = 15.0
    max_plausible_hip_deg: float = 225.0
    # --- rounded back --- The lower half of the back's outline (hip to mid-back,
    # 15-60% of the way to the shoulder) bowing outwards, as its sagitta over its chord
    # in trunk lengths, less this lifter's own standing bulge (`standing_rounding_prior`
    # until they are seen standing, and never less: a loose top or a build that bows the
    # outline standing is taken out beyond `standing_rounding_noise`, a hollow standing
    # back, a posture, is not). A flexed
    # lumbar spine bends that stretch into an arc of about 8 x sagitta / chord radians:
    # 0.026 over a standing -0.006 is the old 0.02, ~20 degrees of lumbar flexion, where
    # coaches call a back rounded. Real, held 0.25 s: correct lifts 0.004-0.016
    # (jeffchen_good the most), the unlabelled correct-looking chloe RDL 0.021, the
    # labelled rounded backs 0.040-0.046 (bichraix x3, jeffchen_bad). Clear under 0.018.
    back_rounding_enter: float = 0.026
    back_rounding_exit: float = 0.018
    back_profile_start: float = 0.15
    back_profile_end: float = 0.6
    # The bulge standing of the real correct lifters (median per clip): bichraix -0.007
    # to -0.010, jeffchen -0.004, frank_kettlebell -0.008, chloe -0.010.
    standing_rounding_prior: float = -0.006
    # A standing back's bulge wanders this much from frame to frame (real correct
    # lifters: 90th percentile 0.006-0.010 over their median; the studio's mannequin
    # -0.012 to +0.009): only a standing outline bowing out by more than this beyond the
    # prior is taken for clothing or build (the studio's T-shirt reads +0.003 to +0.007
    # standing, and its 25 degrees of lumbar rounding was missed when that was taken out).
    standing_rounding_noise: float = 0.01
    # Only a loaded, bent-over back is judged: trunk at least 20 degrees from vertical.
    # Standing, the lumbar curve is naturally hollow and carries no bar out in front.
    bent_over_deg: float = 20.0
    # Fallback without an outline: the ear dropping below the hip->shoulder line (head
    # and upper back curling forward), degrees; a neutral neck in a hinge keeps the ear
    # on the line or above it (the gaze a little ahead).
    head_curl_enter_deg: float = 30.0
    head_curl_exit_deg: float = 22.0
    rounded_min_on_s: float = 0.25
    rounded_min_off_s: float = 0.3
    # --- bar drift --- The bar path against the lifter's own set-up and lockout: at each
    # height between the lowest the hands went and where they hang standing, how far
    # the wrists are ahead of the ankle beyond the straight path between those two ends
    # (leg lengths, held 0.2 s). Real correct pulls bow 0.00-0.04 (bichraix good014/015,
    # jeffchen_good, frank_kettlebell, yuryfit), the studio's clean pulls 0.00-0.04, its
    # drifting bars (0.15 and 0.22 leg lengths at mid-pull) 0.09-0.14, the real
    # bichraix_bad013 (its source's phase labels: bar drift on the way up) 0.39. The
    # old measure, the hands' distance from the leg line, read 0.33-0.37 on clean
    # cropped and wide-angle studio pulls and 0.32-0.33 on the drifting ones.
    bar_drift_bulge: float = 0.07
    # --- lockout --- Hips through: without the lifter's standing (a clip that starts at
    # the bar), the hip angle on either leg line reaches 165 (peers: 165-175; real
    # lockouts read 170-185). The knees are reported (`lockout_knee_deg`) but not judged:
    # soft knees at the top are taught for Romanian deadlifts.
    lockout_hip_deg: float = 165.0
    # With it: the lockout short of how this lifter stood before the first rep by more
    # than this, on both leg lines, unless it reaches `lockout_sure_deg`. Studio clean
    # lockouts stop at most 8.6 short of their own standing, its incomplete ones (16-25
    # degrees of trunk still forward) 17-30.
    lockout_short_deg: float = 12.0
    lockout_sure_deg: float = 178.0
    # Leaning back: the hip extended past straight (sustained over the lockout). Without
    # the lifter's standing: past straight by more than `lean_back_deg`. Real lockouts
    # labelled or looking correct read 2-12.4 (mattiolato_good 12.4: MediaPipe puts the
    # hip towards a plate held in front of it); the one labelled "hyper extending on
    # top" 20.
    lean_back_deg: float = 14.0
    # With it: past this lifter's own standing by more than `lean_back_own_deg` and past
    # straight by more than `lean_back_min_deg` (dumbbells at the thighs throw the knee
    # landmark while standing: the studio's 45-degree Romanian deadlift stands at 147 and
    # locks out at 177, 30 past its own standing and still short of straight). Studio
    # clean lockouts are at most 7.9 past their standing, its lean backs 13.9-23.
    lean_back_own_deg: float = 11.0
    lean_back_min_deg: float = 8.0
    # --- squatting the hinge --- knee_dominant: the knees travel forward. Of the knee
    # bend at the bottom, a hinge takes a quarter to a third by tilting the shins (the
    # hips go back, the shins stay near upright); squatting the lift pushes the knees
    # forward and the shins take half or more. Read in the picture against the lifter's
    # own standing shin and knee (MediaPipe's 3D knee reads the studio mannequin 45-60
    # degrees bent standing): studio hinges 0.10-0.33 side-on (0.43-0.46 on the rounded
    # Romanian deadlift from 45 degrees), the real ones 0.06-0.33, the studio's squatted
    # pulls 0.48-0.68. Flag from 0.45 (from 45 degrees only when the 3D landmarks agree).
    knee_dominant_share: float = 0.45
    # Without a standing baseline, and to confirm from 45 degrees: the same share on the
    # 3D world landmarks, which read the same from any view: real hinges 0.21-0.34
    # (jeffchen_rdl_style the most), the studio's squatted pulls 0.45-0.59.
    knee_dominant_shin_share: float = 0.4
    # ... when the knees bend at least 25 degrees (less is too little bend for a share to
    # mean anything).
    knee_dominant_min_flexion_deg: float = 25.0
    # Knee angles below this are landmark errors (a plate over the knee), not knees.
    min_plausible_knee_deg: float = 30.0
    # --- hips rising first --- In a pull from the floor the trunk keeps its angle as
    # the bar leaves the floor; when the knees straighten first the hips rise alone and
    # the trunk tips further forward. Measured from where the hips start to rise for
    # good (searched within `pull_search_s` of the hip angle's low point): real pulls
    # labelled or looking correct tip at most 2.5 degrees (mattiolato_good 2.5,
    # jeffchen_good 2.3), the studio's hips-first pulls 9.5-17.6 side-on, the real
    # bichraix_bad013 8.3. Side-on only (`Deadlift.faults_not_judged_from`).
    hips_rise_lean_deg: float = 5.0
    pull_search_s: float = 0.5
    # A pull from the floor (knee angle under this where the hips start to rise) begins
    # with the lifter hinging down to a bar that rests on the floor: that first descent
    # is setting up, not lowering a load, and is not timed; only such pulls can show
    # hips rising first.
    floor_pull_max_knee_deg: float = 125.0
    # --- tempo --- A phase runs from leaving one plateau of the hip angle to reaching
    # the other, a plateau being within this share of the rep's range of its extreme
    # (5% of a 120-degree pull is 6 degrees: above the 1-2 degree jitter; a cosine-eased
    # phase of T seconds reads 0.71 T between its plateaus) ...
    plateau_share: float = 0.05
    # ... the top plateau before a rep being the stretch within this share of its swing
    # of the level it left.
    top_stretch_share: float = 0.3
    # An uncontrolled drop, not a brisk rep: lowering from plateau to plateau in under
    # 0.4 s (a whole lowering of ~0.6-0.75 s). The studio's 0.6 s lowerings read
    # 0.25-0.32 (0.29 from 45 degrees), its 0.35 s ones 0.29-0.35, its controlled ones
    # 0.44 and up; a brisk controlled 2 s rep (1 s down) reads ~0.71, a 0.8 s lowering
    # 0.57; real controlled lowerings 0.56-1.9. (The old 0.5 flagged brisk reps.)
    min_descent_s: float = 0.4
    good_score: int = 80


@dataclass(frozen=True, slots=True)
class AutoThresholds:
    # Score the candidates once this much video with a person in it is buffered (real
    # deadlift clips are 1-5 s; a plank is recognisable in 1-2 s of holding) ...
    min_window_s: float = 1.5
    # ... and again every half second until one is clearly ahead ...
    rescore_every_s: float = 0.5
    # ... which is when the best fit leads the runner-up by this much (fits are 0-1:
    # a module that sees its whole movement or 2 s of its position scores 1) ...
    decide_margin: float = 0.6
    # ... keeping at most this much video's poses meanwhile (bounded memory; title
    # cards and setting up scroll out). Real clips set up for up to ~11 s before
    # holding (a kneeling set-up after a 6 s title card), so 8 s keeps a held plank's
    # first seconds.
    max_buffer_s: float = 8.0
    # Once the buffer scrolls, score only every second (a long clip that fits nothing
    # would otherwise cost a replay of every candidate twice a second).
    rescore_slow_s: float = 1.0
    # At the end of a clip that never got clear: judged when the lead is at least
    # this, reported "uncertain" (not judged) below it.
    min_confidence: float = 0.3
    # Deadlift fit (`Deadlift.fit`): standing for this long is full evidence of the
    # position (real deadlift clips can be 1 s long) ...
    hinge_stand_s: float = 1.0
    # ... a hinge brings the trunk from upright (25 degrees) to well bent (45 and
    # beyond; real deadlifts bottom at 52-109 degrees on the world landmarks) ...
    hinge_lean_from_deg: float = 25.0
    hinge_lean_full_deg: float = 45.0
    # ... with the hands hanging: at the deepest lean the wrists hang below the hips
    # (by 0.8-2 thigh lengths in every real and studio deadlift; squats hold the bar on
    # the back or the arms up: wrists 0.1-3.5 thigh lengths above the hips). Full
    # evidence from half a thigh below the hips, none at hip height ...
    hinge_hands_from: float = 0.0
    hinge_hands_full: float = 0.5
    # ... or, with the hands up (a good morning: the bar on the back), folding at the
    # hips alone: the trunk's lean over the knee flexion at the deepest point is 1.8
    # for the real good morning, at most 0.84 in real and studio squats. Full evidence
    # from 1.6, none below 1.2.
    hinge_ratio_from: float = 1.2
    hinge_ratio_full: float = 1.6
    # A plank's thighs point the same way (real planks: 3-9 degrees apart, the median of
    # a clip); a bird dog stretching one leg back spreads them 40-85. Frames spread
    # over 25 degrees do not count as a plank.
    max_thigh_spread_deg: float = 25.0
    # Bridge relatives: a leg counts as lifted when its ankle is half a shin higher than
    # the other (as the bridges' own rules count it) for at least 0.2 s (a march step
    # takes 0.5-1 s). A bridge with a leg up in under 10% of its lying frames is a
    # two-footed bridge, from 40% a single-leg one; two switches of the lifted leg make
    # a march.
    min_leg_lift: float = 0.5
    min_lift_s: float = 0.2
    # A march starts as a two-footed bridge: its first lift comes after the hips are up
    # (0.5 s after the top in the studio's marches, whose tops come 1.5 s in). So a
    # two-footed bridge is not picked before this much lying-on-the-back time is
    # buffered; a shorter clip is decided at its end as before.
    bridge_decide_after_s: float = 3.0
    lifted_share_none: float = 0.1
    lifted_share_full: float = 0.4
    march_switches: int = 2


DEADLIFT = DeadliftThresholds()
AUTO = AutoThresholds()
