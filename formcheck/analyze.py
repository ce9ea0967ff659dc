"""Analyse one recorded clip: the edge that joins source, pipeline, overlay and sinks.

The pipeline itself does no I/O (`formcheck.pipeline`); this module opens the video and
the model, writes the annotated video and the JSON report, and makes sure a report is
saved whatever happens mid-way (a truncated file, Ctrl-C). With a landmark cache, a
clip seen before is re-scored from its stored poses: no inference, and no decoding
unless an annotated video is wanted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.annotate import FeedbackAnnotator, SkeletonAnnotator
from formcheck.cache import LandmarkCache, PoseTrack, TrackRecorder
from formcheck.errors import VideoTruncatedError
from formcheck.exercises import canonical_name, create_exercise
from formcheck.io.files import VideoFileSource
from formcheck.io.frames import VideoInfo
from formcheck.io.sink import VideoSink, check_writable
from formcheck.pipeline import DetectedFrame, FrameAnalysis, PoseSource, detect_poses, judge_poses
from formcheck.pose import PoseFrame
from formcheck.report import FrameStats, build_report, write_json
from formcheck.timeline import TimelineRecorder

log = logging.getLogger(__name__)

ProgressCallback = Callable[[FrameAnalysis], None]


@dataclass
class ClipAnalysis:
    """The outcome of `analyze_video`: the report, and whether the clip was read whole."""

    report: dict[str, Any]
    info: VideoInfo
    complete: bool = True
    warnings: list[str] = field(default_factory=list)
    from_cache: bool = False
    # The exercise's key metric at <= 10 Hz plus fault intervals (`formcheck.timeline`).
    timeline: dict[str, Any] | None = None


class _ReplayEstimator:
    """Hands back cached raw poses in frame order (decoding still runs, for drawing)."""

    def __init__(self, track: PoseTrack) -> None:
        self._poses = dict(zip(track.timestamps_ms, track.poses))

    def estimate(self, image_bgr: Any, timestamp_ms: int) -> PoseFrame | None:
        return self._poses.get(timestamp_ms)


def _replay(track: PoseTrack) -> Iterator[DetectedFrame]:
    for index, (stamp, pose) in enumerate(track):
        yield DetectedFrame(index, stamp, None, pose)


def _recorded(
    detected: Iterator[DetectedFrame], recorder: TrackRecorder
) -> Iterator[DetectedFrame]:
    for item in detected:
        recorder.add(item.timestamp_ms, item.raw_pose)
        yield item


def analyze_video(
    video: Path,
    exercise: str,
    *,
    out_video: Path | None = None,
    report_path: Path | None = None,
    model: Path | None = None,
    estimator: PoseSource | None = None,
    cache: LandmarkCache | None = None,
    on_frame: ProgressCallback | None = None,
    fourcc: str | None = None,
) -> ClipAnalysis:
    """Analyse every frame of `video` for `exercise`; write the overlay and report if asked.

    Args:
        video: A recorded clip.
        exercise: A registered exercise name or alias.
        out_video: Annotated video to write (.webm or .mp4).
        report_path: JSON report to write. On Ctrl-C or a truncated file the report of
            the frames analysed so far is still written.
        model: Pose model; see `formcheck.estimator.resolve_model_path`.
        estimator: Use this pose source instead of creating a MediaPipe one (the cache
            is then not used: it is keyed by the model file).
        cache: Landmark cache to read from and fill.
        on_frame: Called after every frame (progress display).
        fourcc: Override the output codec.

    Raises:
        UnknownExerciseError, VideoSourceError, ModelNotFoundError, ModelLoadError,
        OutputError: before any frame is analysed.
    """
    name = canonical_name(exercise)
    for path in (out_video, report_path):
        if path is not None:
            check_writable(path)
    source = VideoFileSource(video)
    rules = create_exercise(name)
    cache_key: str | None = None
    track: PoseTrack | None = None
    if cache is not None and estimator is None:
        from formcheck.estimator import resolve_model_path

        cache_key = LandmarkCache.key(video, resolve_model_path(model), rules.needs_segmentation)
        track = cache.load(cache_key)
    owned_estimator = None
    if estimator is None and track is None:
        from formcheck.estimator import PoseEstimator  # imports mediapipe: only when needed

        owned_estimator = PoseEstimator(model, segmentation=rules.needs_segmentation)
        estimator = owned_estimator
    stats = FrameStats()
    warnings: list[str] = []
    complete = True
    interrupted = False
    recorder = TrackRecorder()
    detected: Iterator[DetectedFrame]
    if track is not None and out_video is None:
        source.close()
        detected = _replay(track)
        complete = track.complete
        if track.warning:
            warnings.append(track.warning)
    else:
        pose_source = _ReplayEstimator(track) if track is not None else estimator
        assert pose_source is not None
        detected = detect_poses(source, pose_source)
        if cache_key is not None and track is None:
            detected = _recorded(detected, recorder)
    skeleton = SkeletonAnnotator()
    feedback = FeedbackAnnotator(name, rules.target_s)
    shown = rules.judged_name
    timeline = TimelineRecorder(rules.key_metric)
    sink = VideoSink(out_video, source.info.fps, fourcc=fourcc) if out_video else None
    try:
        try:
            for analysis in judge_poses(detected, rules):
                result = analysis.result
                stats.add(
                    analysis.timestamp_ms,
                    analysis.pose is not None,
                    result.status.value == "active",
                    result.message,
                )
                timeline.add(result)
                if sink is not None and analysis.image is not None:
                    if rules.judged_name != shown:  # auto has picked: title and target
                        shown = rules.judged_name
                        feedback.follow(shown, rules.target_s)
                    image = analysis.image.copy()
                    skeleton.annotate(image, analysis.pose)
                    feedback.annotate(image, analysis.pose, result)
                    sink.write(image)
                if on_frame is not None:
                    on_frame(analysis)
        except VideoTruncatedError as error:
            complete = False
            warnings.append(str(error))
        except KeyboardInterrupt:
            complete = False
            interrupted = True
            warnings.append(f"interrupted after {stats.frames} frames")
    finally:
        if owned_estimator is not None:
            owned_estimator.close()
        if sink is not None:
            sink.close()
    if cache is not None and cache_key is not None and track is None and not interrupted:
        info = source.info
        recorded = recorder.track(
            info.fps, (info.width, info.height), complete, warnings[0] if warnings else ""
        )
        if recorded is not None:
            cache.store(cache_key, recorded)
    frame_ms = 1000.0 / source.info.fps if source.info.fps > 0 else 0.0
    last_ms = stats.last_timestamp_ms if stats.last_timestamp_ms is not None else 0
    end_ms = int(round(last_ms + frame_ms))
    summary = rules.finish(end_ms)
    first_ms = stats.first_timestamp_ms or 0
    report = build_report(
        video=str(video),
        exercise=summary,
        fps=source.info.fps,
        stats=stats,
        duration_s=(end_ms - first_ms) / 1000.0 if stats.frames else 0.0,
        complete=complete,
        warnings=warnings,
    )
    if report_path is not None:
        write_json(report, report_path)
    if interrupted:
        raise KeyboardInterrupt
    return ClipAnalysis(
        report=report, info=source.info, complete=complete, warnings=warnings,
        from_cache=track is not None, timeline=timeline.as_dict(report["faults"]),
    )

