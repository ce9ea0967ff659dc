"""Back profile from a body outline: contour cuts, bulge of a rounded versus a flat back."""

import math

import numpy as np
import pytest

from formcheck import geometry


def box_with_back(bow: float, n: int = 41) -> np.ndarray:
    """A trunk outline along x from 0 to 100: the back (y < 0) bows out by `bow` at x = 50.

    The back edge is the arc y = -10 - bow * sin(pi x / 100); the belly is straight at y = 10.
    """
    x = np.linspace(0.0, 100.0, n)
    back = np.stack([x, -10.0 - bow * np.sin(np.pi * x / 100.0)], axis=1)
    belly = np.stack([x[::-1], np.full(n, 10.0)], axis=1)
    return np.concatenate([back, belly])


def test_profile_reads_the_back_edge_on_the_asked_side():
    outline = box_with_back(bow=6.0)
    fractions = np.array([0.0, 0.25, 0.5, 1.0])
    profile = geometry.contour_profile(outline, (0, 0), (100, 0), (0, -1), fractions)
    expected = 10.0 + 6.0 * np.sin(np.pi * fractions)
    np.testing.assert_allclose(profile, expected, atol=0.05)
    belly = geometry.contour_profile(outline, (0, 0), (100, 0), (0, 1), fractions)
    np.testing.assert_allclose(belly, 10.0, atol=1e-9)


def test_profile_is_nan_beyond_the_outline():
    outline = box_with_back(bow=0.0)
    profile = geometry.contour_profile(outline, (0, 0), (100, 0), (0, -1), [0.5, 1.5])
    assert profile[0] == pytest.approx(10.0) and math.isnan(profile[1])


def test_bulge_is_the_sagitta_of_a_bowed_back_and_zero_for_a_flat_one():
    fractions = np.linspace(0.0, 1.0, 11)
    for bow in (0.0, 3.0, 8.0):
        profile = geometry.contour_profile(box_with_back(bow), (0, 0), (100, 0), (0, -1), fractions)
        assert geometry.bulge(profile, fractions) == pytest.approx(bow, abs=0.05)


def test_a_hollow_back_has_negative_bulge_and_nan_propagates():
    fractions = np.linspace(0.0, 1.0, 11)
    profile = geometry.contour_profile(box_with_back(-4.0), (0, 0), (100, 0), (0, -1), fractions)
    assert geometry.bulge(profile, fractions) < -1.0  # the least hollow sample, near an end
    profile[3] = np.nan
    assert math.isnan(geometry.bulge(profile, fractions))
