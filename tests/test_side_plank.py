"""Side plank rules on 3D poses seen from the front: hip drop, each side's hold, views."""

import dataclasses

import pytest
from holds_poses import pose_from_world, rotated_about_vertical, side_plank_world

from formcheck.exercises import Status, Verdict, create_exercise
from formcheck.exercises.thresholds import SIDE_PLANK
from formcheck.pose import Landmark


def hold(exercise, seconds, start_s=0.0, fps=30, **kwargs):
    results = []
    for i in range(int(round(seconds * fps))):
        stamp = int(round((start_s + i / fps) * 1000))
        results.append(exercise.update(pose_from_world(side_plank_world(**kwargs), stamp), stamp))
    return results


@pytest.mark.parametrize("supporting", ["left", "right"])
@pytest.mark.parametrize(("drop", "expected"), [(0.0, ()), (0.1, ("hips_dropping",)), (0.03, ())])
def test_hip_drop_is_flagged_on_either_side(supporting, drop, expected):
    plank = create_exercise("side_plank")
    # held from the first frame: judged once settled (SIDE_PLANK.settle_s)
    results = hold(plank, SIDE_PLANK.settle_s + 1.0, hip_drop=drop, supporting=supporting)
    assert results[-1].status is Status.ACTIVE
    assert results[-1].side == supporting
    assert results[-1].faults == expected
    assert results[-1].metrics["hip_offset"] == pytest.approx(drop, abs=1e-3)


def test_each_side_is_timed_separately_and_both_are_reported():
    plank = create_exercise("side_plank")
    hold(plank, 4.0, supporting="right")
    hold(plank, 3.0, start_s=4.0, supporting="left", hip_drop=0.1)
    summary = plank.finish(7000)
    sides = summary.extra["sides"]
    assert sides["right"]["hold_s"] == pytest.approx(4.0, abs=0.05)
    assert sides["right"]["good_form_s"] == pytest.approx(4.0, abs=0.05)
    assert sides["left"]["hold_s"] == pytest.approx(3.0, abs=0.05)
    assert sides["left"]["good_form_s"] == pytest.approx(0.0, abs=0.05)
    assert summary.verdict is Verdict.NEEDS_WORK
    assert "right 4.0 s" in summary.message and "left 3.0 s" in summary.message


def test_side_plank_filmed_side_on_asks_to_face_the_camera():
    plank = create_exercise("side_plank")
    pose = pose_from_world(rotated_about_vertical(side_plank_world(), 90.0))
    result = plank.update(pose, 0)
    assert result.status is Status.WRONG_VIEW
    assert "Face the camera" in result.message


def test_lying_on_the_side_is_out_of_position():
    plank = create_exercise("side_plank")
    results = hold(plank, 1.0, hip_drop=0.3)
    assert results[-1].status is Status.OUT_OF_POSITION
    assert plank.finish(1000).verdict is Verdict.NOT_IN_POSITION


def _ankles_hidden(pose):
    """The same pose with both ankles' visibility at 0.2 (hidden behind the legs)."""
    visibility = pose.visibility.copy()
    visibility[[Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]] = 0.2
    return dataclasses.replace(pose, visibility=visibility, presence=visibility)


@pytest.mark.parametrize(("drop", "expected"), [(0.0, ()), (0.1, ("hips_dropping",))])
def test_hidden_ankles_judge_the_drop_on_the_knees(drop, expected):
    plank = create_exercise("side_plank")
    results = []
    for i in range(int((SIDE_PLANK.settle_s + 1.0) * 30)):
        stamp = round(i * 1000 / 30)
        pose = _ankles_hidden(pose_from_world(side_plank_world(hip_drop=drop), stamp))
        results.append(plank.update(pose, stamp))
    last = results[-1]
    assert last.status is Status.ACTIVE
    assert last.body_line[-1] in (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE)
    assert last.faults == expected
    assert last.metrics["hip_offset"] == pytest.approx(1.1 * drop, abs=0.02)


def test_hidden_ankles_and_knees_say_so_instead_of_guessing():
    visibility_hidden = [Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE, Landmark.LEFT_KNEE,
                         Landmark.RIGHT_KNEE]
    pose = pose_from_world(side_plank_world())
    visibility = pose.visibility.copy()
    visibility[visibility_hidden] = 0.2
    result = create_exercise("side_plank").update(
        dataclasses.replace(pose, visibility=visibility, presence=visibility), 0
    )
    assert result.status is Status.NOT_VISIBLE
    assert result.message == "Can't see your ankles"
