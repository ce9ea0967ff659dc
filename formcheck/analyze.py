"""Analyse one recorded clip: the edge that joins source, pipeline, overlay and sinks.

The pipeline itself does no I/O (`formcheck.pipeline`); this module opens the video and
the model, writes the annotated video and the JSON report, and makes sure a report is
saved whatever happens mid-way (a truncated file, Ctrl-C). With a landmark cache, a
clip seen before is re-scored from its stored poses: no inference, and no decoding
unless an annotated video is wanted.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.annotate import FeedbackAnnotator, SkeletonAnnotator
from formcheck.cache import LandmarkCache, PoseTrack, TrackRecorder
from formcheck.errors import Interrupted, VideoTruncatedError
from formcheck.exercises import canonical_name, create_judge
from formcheck.exercises.judge import ExercisePicked, Judge
from formcheck.interrupts import held_interrupts
from formcheck.io.files import VideoFileSource
from formcheck.io.frames import VideoInfo
from formcheck.io.paths import check_outputs_apart
from formcheck.io.sink import VideoSink, check_writable, fourcc_for
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


@dataclass
class _Poses:
    """Where a clip's raw poses come from: the cache, or the model (recorded for the cache).

    Attributes:
        detected: The raw poses, frame by frame (with the decoded frames unless replayed
            from the cache with no video to draw).
        track: The cached poses, if the cache had the clip.
        cache_key: The clip's cache key (None: no cache in use).
        recorder: Records the model's poses for the cache.
    """

    detected: Iterator[DetectedFrame]
    track: PoseTrack | None = None
    cache_key: str | None = None
    recorder: TrackRecorder | None = None


def _open_poses(
    video: Path,
    source: VideoFileSource,
    judge: Judge,
    resources: ExitStack,
    *,
    model: Path | None,
    estimator: PoseSource | None,
    cache: LandmarkCache | None,
    need_frames: bool,
) -> _Poses:
    """The clip's pose stream: replayed from `cache` when it has the clip, else the model's
    (a MediaPipe estimator opened here and closed with `resources`)."""
    cache_key: str | None = None
    track: PoseTrack | None = None
    if cache is not None and estimator is None:
        from formcheck.estimator import resolve_model_path

        cache_key = LandmarkCache.key(video, resolve_model_path(model), judge.needs_segmentation)
        track = cache.load(cache_key)
    if track is not None and not need_frames:
        source.close()
        return _Poses(_replay(track), track, cache_key)
    if track is not None:
        return _Poses(detect_poses(source, _ReplayEstimator(track)), track, cache_key)
    if estimator is None:
        from formcheck.estimator import PoseEstimator  # imports mediapipe: only when needed

        estimator = resources.enter_context(
            PoseEstimator(model, segmentation=judge.needs_segmentation)
        )
    detected = detect_poses(source, estimator)
    if cache_key is None:
        return _Poses(detected)
    recorder = TrackRecorder()
    return _Poses(_recorded(detected, recorder), None, cache_key, recorder)


class _ClipRun:
    """Frame by frame: counts, the key metric's timeline, and the annotated video."""

    def __init__(self, judge: Judge, sink: VideoSink | None, on_frame: ProgressCallback | None):
        self.stats = FrameStats()
        exercise = judge.exercise_class
        self.timeline = TimelineRecorder(exercise.key_metric if exercise else "")
        self.sink = sink
        self.on_frame = on_frame
        self.skeleton = SkeletonAnnotator()
        self.feedback = FeedbackAnnotator(exercise, exercise.target if exercise else None)

    def follow(self, picked: ExercisePicked) -> None:
        """`--exercise auto` picked: title, target, angle and timeline follow the pick."""
        exercise = type(picked.exercise)
        self.feedback.follow(exercise, exercise.target)
        self.timeline.follow(exercise.key_metric, picked.replayed)

    def step(self, analysis: FrameAnalysis) -> None:
        result = analysis.result
        if analysis.picked is not None:
            self.follow(analysis.picked)
        self.stats.add(
            analysis.timestamp_ms, analysis.pose is not None, result.status, result.message
        )
        if analysis.picked is None:
            self.timeline.add(result)
        if self.sink is not None and analysis.image is not None:
            image = analysis.image.copy()
            self.skeleton.annotate(image, analysis.pose)
            self.feedback.annotate(image, analysis.pose, result)
            self.sink.write(image)
        if self.on_frame is not None:
            self.on_frame(analysis)


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

    Every option is checked, and every output tried, before the model loads. Outputs are
    written whole or not at all (`formcheck.io.atomic`) and never over the clip, the
    model or each other (`formcheck.io.paths`).

    Args:
        video: A recorded clip.
        exercise: A registered exercise name or alias, or "auto".
        out_video: Annotated video to write (.webm or .mp4).
        report_path: JSON report to write. On Ctrl-C or a truncated file the report of
            the frames analysed so far is still written, and so is the video so far.
        model: Pose model; see `formcheck.estimator.resolve_model_path`.
        estimator: Use this pose source instead of creating a MediaPipe one (the cache
            is then not used: it is keyed by the model file).
        cache: Landmark cache to read from and fill.
        on_frame: Called after every frame (progress display).
        fourcc: Override the output codec.

    Raises:
        UnknownExerciseError, VideoSourceError, ModelNotFoundError, ModelLoadError,
        OutputError: before any frame is analysed.
        Interrupted: Ctrl-C, once the report and video so far were written; it carries
            the report.
    """
    name = canonical_name(exercise)
    model_path = None
    if estimator is None:
        from formcheck.estimator import resolve_model_path

        model_path = resolve_model_path(model)
    check_outputs_apart(
        [("the video being analysed", Path(video)), ("the pose model", model_path)],
        [("--out", out_video), ("--report", report_path)],
    )
    for path in (out_video, report_path):
        if path is not None:
            check_writable(path)
    if out_video is not None:
        fourcc = fourcc or fourcc_for(out_video)  # an unknown extension fails before work
    source = VideoFileSource(video)
    judge = create_judge(name)
    warnings: list[str] = []
    complete, interrupted = True, False
    resources = ExitStack()
    try:
        resources.callback(source.close)
        sink = None
        if out_video is not None:  # made, and its codec tried, before the model loads
            sink = resources.enter_context(VideoSink(out_video, source.info.fps, fourcc=fourcc))
        poses = _open_poses(
            video, source, judge, resources, model=model, estimator=estimator, cache=cache,
            need_frames=out_video is not None,
        )
        run = _ClipRun(judge, sink, on_frame)
        if poses.track is not None:
            complete = poses.track.complete
            warnings.extend([poses.track.warning] if poses.track.warning else [])
        analyses = judge_poses(poses.detected, judge)
        try:
            for analysis in analyses:
                run.step(analysis)
        except VideoTruncatedError as error:
            complete = False
            warnings.append(str(error))
        except KeyboardInterrupt:
            complete, interrupted = False, True
            warnings.append(f"interrupted after {run.stats.frames} frames")
    except BaseException:
        # The run failed (the model or the clip did not open, a bug mid-way) or Ctrl-C
        # came before the first frame: the sink drops its temporary file, and whatever
        # stood at --out stays as it was.
        with held_interrupts():
            resources.__exit__(*sys.exc_info())
        raise
    # The run is over: what follows saves it, and a Ctrl-C arriving now waits for that.
    with held_interrupts() as held:
        _close(analyses)  # the decoder thread stops here, not when garbage is collected
        _close(poses.detected)
        resources.close()  # the video so far lands under its name
        if poses.recorder is not None and cache is not None and not interrupted:
            assert poses.cache_key is not None
            info = source.info
            recorded = poses.recorder.track(
                info.fps, (info.width, info.height), complete, warnings[0] if warnings else ""
            )
            if recorded is not None:
                cache.store(poses.cache_key, recorded)
        summary, picked = judge.finish(run.stats.end_ms(source.info.fps))
        if picked is not None:  # auto decided only at the end: the timeline follows
            run.timeline.follow(type(picked.exercise).key_metric, picked.replayed)
        report = build_report(
            video=str(video), exercise=summary, fps=source.info.fps, stats=run.stats,
            complete=complete, warnings=warnings,
        )
        if report_path is not None:
            write_json(report, report_path)
    if interrupted or held.received:
        raise Interrupted(report, run.stats.frames)
    return ClipAnalysis(
        report=report, info=source.info, complete=complete, warnings=warnings,
        from_cache=poses.track is not None, timeline=run.timeline.as_dict(report["faults"]),
    )


def _close(stream: Iterator[Any]) -> None:
    close = getattr(stream, "close", None)  # generators; a plain iterator has none
    if close is not None:
        close()
