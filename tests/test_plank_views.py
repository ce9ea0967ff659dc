"""The shared body-line measure: analytic offsets, the same answer from any camera angle,
and the plank's view and position gates built on it."""

import numpy as np
import pytest
from holds_poses import plank_world, pose_from_world, rotated_about_vertical

from formcheck import geometry
from formcheck.exercises import Status, body_line, create_exercise


def test_offset_towards_is_the_perpendicular_distance_on_the_down_side():
    # Line along x; p 2 units below it (y down), measured towards +y.
    assert geometry.offset_towards((5, 2, 0), (0, 0, 0), (10, 0, 0), (0, 1, 0)) == pytest.approx(2.0)
    assert geometry.offset_towards((5, -2, 0), (0, 0, 0), (10, 0, 0), (0, 1, 0)) == pytest.approx(-2.0)


def test_offset_towards_ignores_sideways_deviation_and_a_slanted_down():
    # 3 units sideways (z) does not count; a down direction with a component along the
    # line is made perpendicular to it first.
    assert geometry.offset_towards((5, 2, 3), (0, 0, 0), (10, 0, 0), (1, 1, 0)) == pytest.approx(2.0)


def test_offset_towards_is_nan_when_down_runs_along_the_line():
    assert np.isnan(geometry.offset_towards((5, 2, 0), (0, 0, 0), (10, 0, 0), (1, 0, 0)))


@pytest.mark.parametrize("offset", [-0.12, 0.0, 0.08])
@pytest.mark.parametrize("turn_deg", [0.0, 30.0, 45.0])
def test_plank_hip_offset_is_the_same_side_on_and_from_45_degrees(offset, turn_deg):
    """The image line shrinks as the camera looks along the body; the world measure does not."""
    world = rotated_about_vertical(plank_world(hip_offset=offset), turn_deg)
    pose = pose_from_world(world)
    measured = body_line.line_offset(
        body_line.midline(pose, "shoulder"), body_line.midline(pose, "hip"),
        body_line.midline(pose, "ankle"), body_line.arm_down(pose),
    )
    assert measured == pytest.approx(offset, abs=1e-4)


def test_plank_from_45_degrees_is_judged_and_flags_the_sag():
    plank = create_exercise("plank")
    world = rotated_about_vertical(plank_world(hip_offset=0.1), 45.0)
    results = [plank.update(pose_from_world(world, t), t) for t in range(0, 3000, 33)]
    assert results[-1].status is Status.ACTIVE
    assert results[-1].faults == ("hips_sagging",)


def test_plank_seen_head_on_asks_to_turn_side_on():
    plank = create_exercise("plank")
    pose = pose_from_world(rotated_about_vertical(plank_world(), 90.0))
    result = plank.update(pose, 0)
    assert result.status is Status.WRONG_VIEW
    assert "side-on" in result.message


def test_a_slight_pike_that_coaches_accept_is_not_flagged_but_a_clear_one_is():
    for offset, expected in ((-0.08, ()), (-0.13, ("hips_piking",))):
        plank = create_exercise("plank")
        results = [plank.update(pose_from_world(plank_world(hip_offset=offset), t), t)
                   for t in range(0, 3000, 33)]
        assert results[-1].faults == expected


def test_folded_at_the_hips_is_out_of_position_not_a_pike():
    """On all fours or in a downward dog the hips sit far above the line: not a plank."""
    plank = create_exercise("plank")
    results = [plank.update(pose_from_world(plank_world(hip_offset=-0.3), t), t)
               for t in range(0, 1500, 33)]
    assert results[-1].status is Status.OUT_OF_POSITION
    assert plank.finish(1500).faults == ()
