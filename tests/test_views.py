"""View gating in the rules engine: a steadied camera view, 'turn side-on', a wrong_view verdict."""

import math

import numpy as np
import pytest
from helpers import make_pose, plank_points

from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.holds import HoldExercise
from formcheck.exercises.results import Measurement, Status, Verdict
from formcheck.exercises.views import Foreshortening, ViewGate, body_yaw_deg, camera_view
from formcheck.pose import Landmark, PoseFrame


def turned(pose: PoseFrame, yaw_deg: float) -> PoseFrame:
    """The pose with its world left-right axis turned `yaw_deg` out of the image plane."""
    world = np.array(pose.xyz_world_m)
    half_width = 0.15
    z = half_width * np.sin(np.radians(yaw_deg))
    x = half_width * np.cos(np.radians(yaw_deg))
    for left, right in ((Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
                        (Landmark.LEFT_HIP, Landmark.RIGHT_HIP)):
        centre = (world[left] + world[right]) / 2
        world[left] = centre + np.array([x, 0.0, -z])
        world[right] = centre + np.array([-x, 0.0, z])
    return PoseFrame(pose.timestamp_ms, pose.image_size, pose.xy_px, pose.depth, world,
                     pose.visibility, pose.presence)


BASE = make_pose(plank_points())


@pytest.mark.parametrize("yaw", [0.0, 20.0, 45.0, 75.0, 90.0])
def test_turned_poses_have_the_yaw_asked_for(yaw):
    assert body_yaw_deg(turned(BASE, yaw)) == pytest.approx(yaw, abs=0.5)


def test_single_odd_frames_do_not_change_the_view():
    gate = ViewGate(frozenset({"side", "oblique"}))
    views = []
    for i in range(60):
        yaw = 20.0 if i in (30, 31) else 85.0  # a plate hides a hip for two frames
        views.append(gate.update(turned(BASE, yaw), i / 30))
    assert set(views) == {"side"}


def test_a_lasting_turn_changes_the_view_after_about_half_the_window():
    gate = ViewGate(frozenset({"side", "oblique"}), window_s=1.0)
    changed_at = None
    for i in range(90):
        view = gate.update(turned(BASE, 85.0 if i < 30 else 5.0), i / 30)
        if changed_at is None and view == "front":
            changed_at = i / 30
    assert changed_at == pytest.approx(1.5, abs=0.1)
    assert not gate.allows("front") and gate.allows("side") and gate.allows("unknown")


def test_hysteresis_keeps_the_view_near_a_boundary():
    gate = ViewGate(frozenset({"side"}), margin_deg=5.0)
    for i in range(30):
        gate.update(turned(BASE, 70.0), i / 30)
    for i in range(30, 90):
        view = gate.update(turned(BASE, 57.0), i / 30)  # 3 degrees past 60: stays side
    assert view == "side"
    for i in range(90, 150):
        view = gate.update(turned(BASE, 52.0), i / 30)
    assert view == "oblique"


@pytest.mark.parametrize(
    ("views", "message"),
    [
        (frozenset({"side", "oblique"}), "Turn side-on to the camera"),
        (frozenset({"front", "oblique"}), "Face the camera"),
    ],
)
def test_the_message_asks_for_a_view_the_exercise_can_judge(views, message):
    assert ViewGate.message_for(views) == message


class StillHold(HoldExercise):
    """A hold that is always in position and never at fault (only the view decides)."""

    name = "still_hold"

    def __init__(self):
        super().__init__([FaultSpec("x", "Do x", "x", 1.0, 0.5)], good_score=80, min_hold_s=1.0)

    def measure(self, pose):
        return Measurement(Status.ACTIVE, {"x": 0.0})


def test_frames_from_a_view_the_exercise_cannot_judge_are_not_judged():
    hold = StillHold()
    results = [hold.update(turned(BASE, 5.0), int(i * 1000 / 30)) for i in range(90)]
    assert {r.status for r in results} == {Status.WRONG_VIEW}
    assert results[-1].message == "Turn side-on to the camera"
    summary = hold.finish(3000)
    assert summary.verdict is Verdict.WRONG_VIEW
    assert "turn side-on to the camera" in summary.message


def test_the_same_hold_seen_side_on_is_judged():
    hold = StillHold()
    results = [hold.update(turned(BASE, 85.0), int(i * 1000 / 30)) for i in range(90)]
    assert {r.status for r in results} == {Status.ACTIVE}
    summary = hold.finish(3000)
    assert summary.verdict is Verdict.GOOD and summary.hold.total_s == pytest.approx(3.0)


# --- how far a view off side-on shrinks the movement (Foreshortening) ---


@pytest.mark.parametrize("factor", [1.0, 0.71, 0.5])
def test_foreshortening_is_read_from_a_rigid_trunk_hinging(factor):
    """A trunk of fixed length leaning 0-70 degrees, its horizontal extent shrunk by the
    view: the fit gives the shrink back."""
    fit = Foreshortening(prior=0.8)
    for lean in range(0, 72, 2):
        t = math.radians(lean)
        fit.add(120.0 * math.sin(t) * factor, -120.0 * math.cos(t))
    assert fit.factor == pytest.approx(factor, abs=0.01)


def test_foreshortening_keeps_its_prior_until_the_trunk_has_swept_enough():
    fit = Foreshortening(prior=0.71)
    for lean in (0.0, 5.0, 10.0):
        t = math.radians(lean)
        fit.add(100.0 * math.sin(t) * 0.5, -100.0 * math.cos(t))
    assert fit.factor == 0.71
    fit.add(float("nan"), 1.0)
    assert fit.factor == 0.71


def test_an_exercise_may_count_a_lower_yaw_as_still_oblique():
    assert camera_view(20.0) == "front"
    assert camera_view(20.0, front_below_deg=10.0) == "oblique"
    assert camera_view(5.0, front_below_deg=10.0) == "front"
    gate = ViewGate(frozenset({"side", "oblique"}), front_below_deg=10.0)
    assert gate.front_below_deg == 10.0
