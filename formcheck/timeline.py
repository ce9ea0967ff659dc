"""A clip's key metric over time, downsampled for plots (the batch HTML report).

`TimelineRecorder` takes every judged frame's value of the exercise's `key_metric` and
keeps one mean per time bucket (10 per second by default), so the timeline of a
10-minute clip is 6000 numbers whatever its frame rate. Frames that were not judged
(nobody found, joints hidden, out of position) leave their bucket empty: a gap in the
plot, not a misleading value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from formcheck.exercises.results import FormResult, Status

DEFAULT_TIMELINE_HZ = 10.0


class TimelineRecorder:
    """Collects per-frame values of one metric into time buckets.

    Args:
        metric: Name of the metric in `FormResult.metrics` (an exercise's `key_metric`).
        max_hz: Buckets per second (the timeline's highest rate), > 0.
    """

    def __init__(self, metric: str, max_hz: float = DEFAULT_TIMELINE_HZ) -> None:
        if max_hz <= 0:
            raise ValueError(f"max_hz must be > 0, got {max_hz}")
        self.metric = metric
        self.max_hz = max_hz
        # bucket index -> [sum of times s, sum of values, frame count]
        self._buckets: dict[int, list[float]] = {}

    def follow(self, metric: str, results: Iterable[FormResult] = ()) -> None:
        """Record `metric` from now on (`--exercise auto` picked an exercise), starting
        with `results`, the frames before the pick as the picked rules judged them."""
        self.metric = metric
        self._buckets.clear()
        for result in results:
            self.add(result)

    def add(self, result: FormResult) -> None:
        """Record one frame's result (only judged frames with a finite value count)."""
        if result.status is not Status.ACTIVE or not self.metric:
            return
        value = result.metrics.get(self.metric, math.nan)
        if not math.isfinite(value):
            return
        time_s = result.timestamp_ms / 1000.0
        bucket = self._buckets.setdefault(math.floor(time_s * self.max_hz), [0.0, 0.0, 0])
        bucket[0] += time_s
        bucket[1] += value
        bucket[2] += 1

    def as_dict(self, faults: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """JSON-ready timeline: `t_s` and `values` (equal lengths, time order).

        Returns:
            {"metric": name, "max_hz": rate, "t_s": [s, ...], "values": [v, ...],
            "faults": [{"code", "start_s", "end_s"}, ...]}; `t_s` is the mean time of the
            frames in each bucket (ms precision), buckets with no judged frame are left out.
        """
        t_s: list[float] = []
        values: list[float] = []
        for index in sorted(self._buckets):
            time_sum, value_sum, count = self._buckets[index]
            t_s.append(round(time_sum / count, 3))
            values.append(round(value_sum / count, 5))
        return {
            "metric": self.metric,
            "max_hz": self.max_hz,
            "t_s": t_s,
            "values": values,
            "faults": [
                {"code": f["code"], "start_s": f["start_s"], "end_s": f["end_s"]}
                for f in (faults or [])
            ],
        }
