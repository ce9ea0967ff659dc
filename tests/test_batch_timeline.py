"""The key-metric timeline for batch plots: at most 10 points a second, gaps where not judged."""

from __future__ import annotations

import math

import pytest

from formcheck.exercises.results import FormResult, Status
from formcheck.timeline import TimelineRecorder


def frame(t_ms: int, value: float, status: Status = Status.ACTIVE) -> FormResult:
    return FormResult(timestamp_ms=t_ms, status=status, metrics={"hip_offset": value})


def test_30_fps_becomes_10_points_a_second_each_the_mean_of_its_frames():
    recorder = TimelineRecorder("hip_offset")
    for i in range(60):  # 2 s at 30 fps, value = frame index
        recorder.add(frame(round(i * 1000 / 30), float(i)))
    timeline = recorder.as_dict()
    assert len(timeline["t_s"]) == len(timeline["values"]) == 20
    assert timeline["values"][:3] == [1.0, 4.0, 7.0]
    assert timeline["t_s"][0] == pytest.approx(0.033, abs=0.001)
    assert timeline["metric"] == "hip_offset" and timeline["max_hz"] == 10.0


def test_frames_not_judged_or_not_measurable_leave_gaps():
    recorder = TimelineRecorder("hip_offset", max_hz=5.0)
    recorder.add(frame(0, 0.1))
    recorder.add(frame(250, 0.2, Status.OUT_OF_POSITION))
    recorder.add(frame(450, math.nan))
    recorder.add(frame(650, 0.3))
    timeline = recorder.as_dict(
        faults=[{"code": "x", "cue": "c", "start_s": 0.6, "end_s": 0.8, "duration_s": 0.2}]
    )
    assert timeline["t_s"] == [0.0, 0.65]
    assert timeline["values"] == [0.1, 0.3]
    assert timeline["faults"] == [{"code": "x", "start_s": 0.6, "end_s": 0.8}]


def test_a_rate_of_zero_is_refused():
    with pytest.raises(ValueError, match="max_hz must be > 0"):
        TimelineRecorder("hip_offset", max_hz=0)
