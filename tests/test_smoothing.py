"""One Euro smoothing: removes jitter when still, follows motion, driven by timestamps."""

import numpy as np
import pytest
from helpers import make_pose, plank_points

from formcheck.smoothing import OneEuroFilter, OneEuroParams, PoseSmoother, smoothing_factor


def test_smoothing_factor_formula():
    # r = 2 pi f dt = 2 pi * 1 * 0.1; alpha = r / (r + 1)
    r = 2 * np.pi * 0.1
    assert smoothing_factor(0.1, 1.0) == pytest.approx(r / (r + 1))


@pytest.mark.parametrize("bad", [dict(min_cutoff_hz=0), dict(beta=-1), dict(d_cutoff_hz=-2)])
def test_invalid_parameters_are_refused(bad):
    with pytest.raises(ValueError, match="must be"):
        OneEuroParams(**bad)


def test_first_sample_passes_through():
    f = OneEuroFilter()
    np.testing.assert_array_equal(f(np.array([1.0, 2.0]), 0.0), [1.0, 2.0])


def test_jitter_on_a_still_point_is_reduced_fourfold():
    rng = np.random.default_rng(1)
    f = OneEuroFilter(OneEuroParams(1.0, 0.0, 1.0))
    noisy = 0.5 + rng.normal(0, 0.01, size=300)
    out = np.array([f(np.array([x]), i / 30)[0] for i, x in enumerate(noisy)])
    assert np.std(out[30:]) < np.std(noisy[30:]) / 4


def test_fast_motion_lags_less_with_beta():
    times = np.arange(60) / 30
    ramp = times * 2.0  # 2 units per second
    lags = {}
    for beta in (0.0, 5.0):
        f = OneEuroFilter(OneEuroParams(1.0, beta, 1.0))
        out = [f(np.array([x]), t)[0] for x, t in zip(ramp, times)]
        lags[beta] = ramp[-1] - out[-1]
    assert lags[5.0] < lags[0.0] / 3


def test_same_motion_at_10_and_30_fps_gives_the_same_lag():
    results = []
    for fps in (10, 30):
        times = np.arange(int(2 * fps)) / fps
        f = OneEuroFilter(OneEuroParams(1.0, 0.0, 1.0))
        out = [f(np.array([np.sin(t)]), t)[0] for t in times]
        results.append(np.sin(times[-1]) - out[-1])
    assert results[0] == pytest.approx(results[1], abs=0.03)


def test_repeated_timestamp_keeps_the_last_estimate():
    f = OneEuroFilter()
    f(np.array([0.0]), 0.0)
    first = f(np.array([1.0]), 0.1)
    assert f(np.array([50.0]), 0.1)[0] == first[0]


def test_nan_input_keeps_the_previous_value():
    f = OneEuroFilter()
    f(np.array([1.0, 1.0]), 0.0)
    out = f(np.array([np.nan, 1.0]), 0.1)
    assert out[0] == pytest.approx(1.0)


def test_reset_forgets_the_past():
    f = OneEuroFilter()
    f(np.array([0.0]), 0.0)
    f.reset()
    assert f(np.array([9.0]), 1.0)[0] == 9.0


def test_pose_smoother_resets_after_a_gap_and_keeps_the_frame_type():
    smoother = PoseSmoother(max_gap_s=0.5)
    a = make_pose(plank_points(), timestamp_ms=0)
    moved = {k: (x + 100, y) for k, (x, y) in plank_points().items()}
    b = make_pose(moved, timestamp_ms=2000)
    smoother(a)
    out = smoother(b)
    assert out is not None and out.timestamp_ms == 2000
    np.testing.assert_allclose(out.xy_px, b.xy_px, atol=1e-3)  # gap: no blending with a
    assert smoother(None) is None
