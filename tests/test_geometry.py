"""Geometry: analytic answers, broadcasting, and NaN for joints that are not seen."""

import math

import numpy as np
import pytest

from formcheck import geometry


def test_right_angle_is_90_degrees():
    assert geometry.joint_angle_deg((1, 0), (0, 0), (0, 1)) == pytest.approx(90.0)


def test_straight_line_is_180_and_folded_is_0():
    assert geometry.joint_angle_deg((-1, 0), (0, 0), (2, 0)) == pytest.approx(180.0)
    assert geometry.joint_angle_deg((1, 0), (0, 0), (3, 0)) == pytest.approx(0.0)


def test_angles_broadcast_over_frames():
    a = np.array([[1, 0], [1, 0], [1, 1]], dtype=float)
    b = np.zeros((3, 2))
    c = np.array([[0, 1], [-1, 0], [1, 0]], dtype=float)
    np.testing.assert_allclose(geometry.joint_angle_deg(a, b, c), [90, 180, 45])


def test_angle_works_in_3d():
    assert geometry.joint_angle_deg((1, 0, 0), (0, 0, 0), (0, 0, 5)) == pytest.approx(90.0)


def test_nan_joint_gives_nan_not_an_error():
    assert math.isnan(geometry.joint_angle_deg((np.nan, 0), (0, 0), (0, 1)))
    assert math.isnan(geometry.joint_angle_deg((0, 0), (0, 0), (0, 1)))  # a == b


def test_offset_below_line_is_positive_either_direction():
    assert geometry.signed_offset_below_line((5, 2), (0, 0), (10, 0)) == pytest.approx(2.0)
    assert geometry.signed_offset_below_line((5, 2), (10, 0), (0, 0)) == pytest.approx(2.0)
    assert geometry.signed_offset_below_line((5, -3), (0, 0), (10, 0)) == pytest.approx(-3.0)


def test_offset_from_a_tilted_line_is_perpendicular():
    # line y = x (down-right on screen); (0, 2) lies below it by sqrt(2)
    assert geometry.signed_offset_below_line((0, 2), (0, 0), (4, 4)) == pytest.approx(math.sqrt(2))


def test_offset_of_a_vertical_line_is_nan():
    assert math.isnan(geometry.signed_offset_below_line((1, 1), (0, 0), (0, 5)))


def test_distance_to_line_in_3d():
    assert geometry.distance_to_line((0, 3, 4), (-1, 0, 0), (1, 0, 0)) == pytest.approx(5.0)


def test_inclination_ignores_direction():
    assert geometry.inclination_deg((0, 0), (10, 0)) == pytest.approx(0.0)
    assert geometry.inclination_deg((0, 0), (0, -10)) == pytest.approx(90.0)
    assert geometry.inclination_deg((10, 10), (0, 0)) == pytest.approx(45.0)


@pytest.mark.parametrize("rightward", [True, False])
def test_bend_is_positive_when_the_chain_turns_down(rightward):
    sign = 1 if rightward else -1
    a, b = (0, 0), (sign * 10, 0)
    down = (sign * 20, 10 * math.tan(math.radians(30)))
    up = (sign * 20, -10 * math.tan(math.radians(30)))
    assert geometry.signed_bend_deg(a, b, down) == pytest.approx(30.0)
    assert geometry.signed_bend_deg(a, b, up) == pytest.approx(-30.0)
    assert geometry.signed_bend_deg(a, b, (sign * 30, 0)) == pytest.approx(0.0)
