"""Scenarios in, frames and ground truth out."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from formcheck.errors import UsageError
from formcheck.io.sink import VideoSink
from formcheck.pose import Landmark
from formcheck.synth.appearance import Appearance
from formcheck.synth.body import BodyShape, forward_kinematics
from formcheck.synth.camera import Camera, CameraSpec, extreme_points, place_camera
from formcheck.synth.measures import near_side
from formcheck.synth.motions import Fault, Motion, MotionSpec, get_motion
from formcheck.synth.motions.base import MEASURE_POINTS, MeasureInput
from formcheck.synth.render import Renderer
from formcheck.synth.scene import paint_bystander
from formcheck.synth.shapes import MannequinModel
from formcheck.synth.truth import ClipTruth, FrameTruth, summarize, truth_path_for

Image = npt.NDArray[np.uint8]
Array = npt.NDArray[np.float64]

_FRAMING_SAMPLES_PER_S = 8  # motion samples per second used to fit the body in frame


@dataclass(frozen=True)
class Scenario:
    """Everything that decides a synthetic clip; the same scenario renders the same bytes.

    Attributes:
        exercise: Registered motion name (see `formcheck.synth.motions.MOTIONS`).
        variant: Exercise variant; None takes the motion's default.
        params: Motion parameters overriding its defaults (hold seconds, reps, tempo).
        faults: Faults with magnitude and timing.
        camera: Camera placement.
        body: Body proportions.
        appearance: Colours and nuisances.
        fps: Frames per second.
        duration_s: Clip length; None uses the motion's natural length (reps x tempo).
        size: (width, height) pixels.
        seed: Seeds every random choice (micro-motion, sensor noise).
        name: Catalogue name, informational.
    """

    exercise: str
    variant: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    faults: tuple[Fault, ...] = ()
    camera: CameraSpec = field(default_factory=CameraSpec)
    body: BodyShape = field(default_factory=BodyShape)
    appearance: Appearance = field(default_factory=Appearance)
    fps: float = 30.0
    duration_s: float | None = None
    size: tuple[int, int] = (640, 480)
    seed: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        # Freeze the containers too: a frozen dataclass does not freeze a dict or list.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "faults", tuple(self.faults))
        object.__setattr__(self, "size", (int(self.size[0]), int(self.size[1])))
        if self.fps <= 0:
            raise UsageError(f"Scenario.fps: expected > 0, got {self.fps}")
        if self.size[0] < 16 or self.size[1] < 16:
            raise UsageError(f"Scenario.size: expected at least 16x16 pixels, got {self.size}")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickle (for rendering in worker processes) with params as a plain dict: a
        # mappingproxy does not pickle; __post_init__ freezes it again on the way in.
        values = [getattr(self, f.name) for f in fields(self)]
        values[2] = dict(self.params)
        return (Scenario, tuple(values))

    def motion_spec(self) -> MotionSpec:
        return get_motion(self.exercise)

    def resolved(self) -> tuple[str, dict[str, Any], float]:
        """(variant, full parameters, duration in seconds) after defaults and checks."""
        spec = self.motion_spec()
        variant, params = spec.resolve(self.variant, self.params, self.faults)
        duration = (
            self.duration_s
            if self.duration_s is not None
            else spec.natural_duration_s(params, self.faults)
        )
        if duration is None or duration <= 0:
            raise UsageError(
                f"{self.exercise}: give Scenario.duration_s (or a hold_s parameter) "
                "for a motion with no natural length"
            )
        return variant, params, float(duration)

    @property
    def frame_count(self) -> int:
        _, _, duration = self.resolved()
        return max(1, round(duration * self.fps))

    def to_json(self) -> dict[str, Any]:
        """Plain-data form for the truth file."""
        variant, params, duration = self.resolved()
        return {
            "name": self.name,
            "exercise": self.exercise,
            "variant": variant,
            "params": params,
            "faults": [asdict(f) for f in self.faults],
            "camera": asdict(self.camera),
            "body": asdict(self.body),
            "appearance": asdict(self.appearance),
            "fps": self.fps,
            "duration_s": duration,
            "size": list(self.size),
            "seed": self.seed,
        }


@dataclass(frozen=True)
class _Studio:
    """What one clip needs to render its frames, built once."""

    motion: Motion
    spec: MotionSpec
    variant: str
    model: MannequinModel
    camera: Camera
    renderer: Renderer
    frame_rng: np.random.Generator
    frame_count: int


def _frame_times(count: int, fps: float) -> list[float]:
    return [i / fps for i in range(count)]


def _motion_points(
    motion: Motion, model: MannequinModel, body: BodyShape, duration_s: float
) -> Array:
    """Surface points of the whole motion (reduced to hull extremes), for framing."""
    count = max(2, math.ceil(duration_s * _FRAMING_SAMPLES_PER_S) + 1)
    surfaces = []
    for t in np.linspace(0.0, duration_s, count).tolist():
        sample = motion.sample(t)
        points = model.surface_points(forward_kinematics(body, sample.pose))
        props = [part.points_m for prop in sample.props for part in prop.parts()]
        surfaces.append(extreme_points(np.concatenate([points, *props])))
    return np.concatenate(surfaces)


def _build_studio(scenario: Scenario) -> _Studio:
    spec = scenario.motion_spec()
    variant, params, duration = scenario.resolved()
    frame_count = max(1, round(duration * scenario.fps))
    end_s = frame_count / scenario.fps
    motion_seed, noise_seed, frame_seed = np.random.SeedSequence(scenario.seed).spawn(3)
    seed = int(motion_seed.generate_state(1)[0])
    model = MannequinModel(scenario.body)
    # Fault magnitudes are defined as measured in a side view. Pose the motion once
    # against an orthographic side view, frame the side-view camera this scenario would
    # have (azimuth 0, same elevation and lens) on it, then pose it again against that
    # camera's projection, so a side-view clip's measured truth equals the magnitude.
    draft = spec.build(scenario.body, variant, params, scenario.faults, seed)
    side_spec = replace(scenario.camera, azimuth_deg=0.0)
    side_camera = place_camera(
        side_spec, scenario.size, _motion_points(draft, model, scenario.body, end_s)
    )
    motion = spec.build(
        scenario.body,
        variant,
        params,
        scenario.faults,
        seed,
        side_view=lambda landmarks_m: side_camera.project(landmarks_m)[0],
    )
    # Fit the clip's camera to the whole motion, not the first frame.
    points = _motion_points(motion, model, scenario.body, end_s)
    camera = place_camera(scenario.camera, scenario.size, points)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2.0
    renderer = Renderer(
        model, scenario.appearance, camera, centre, int(noise_seed.generate_state(1)[0])
    )
    if scenario.appearance.bystander != "none":
        renderer.background = paint_bystander(renderer, centre, scenario.seed)
    return _Studio(
        motion,
        spec,
        variant,
        model,
        camera,
        renderer,
        np.random.default_rng(frame_seed),
        frame_count,
    )


def render_frames(scenario: Scenario) -> Iterator[tuple[Image, FrameTruth]]:
    """Render a scenario frame by frame.

    Args:
        scenario: What to render.

    Yields:
        (BGR image (H, W, 3) uint8, its `FrameTruth`), for frames 0 .. frame_count - 1
        at t = index / fps.
    """
    studio = _build_studio(scenario)
    yield from _frames(scenario, studio)


def _frames(scenario: Scenario, studio: _Studio) -> Iterator[tuple[Image, FrameTruth]]:
    camera = studio.camera
    for index, t in enumerate(_frame_times(studio.frame_count, scenario.fps)):
        sample = studio.motion.sample(t)
        skeleton = forward_kinematics(scenario.body, sample.pose)
        rendered = studio.renderer.render(skeleton, studio.frame_rng, sample.props)
        cam = camera.to_camera(skeleton.landmarks_m)
        hips = (cam[Landmark.LEFT_HIP] + cam[Landmark.RIGHT_HIP]) / 2.0
        side = near_side(rendered.landmarks_depth_m)
        if sample.faults is None:
            faults = tuple(dict.fromkeys(f.code for f in scenario.faults if f.active(t)))
        else:
            faults = sample.faults
        points = np.stack([skeleton.joint(name) for name in MEASURE_POINTS])
        measured = MeasureInput(
            xy_px=rendered.landmarks_px,
            world_m=skeleton.landmarks_m,
            points_px=dict(zip(MEASURE_POINTS, camera.project(points)[0], strict=True)),
            variant=studio.variant,
            side=side,
            sample=sample,
        )
        truth = FrameTruth(
            index=index,
            timestamp_ms=round(index * 1000.0 / scenario.fps),
            xy_px=rendered.landmarks_px,
            xyz_world_m=cam - hips,
            depth_m=rendered.landmarks_depth_m,
            in_frame=rendered.in_frame,
            visible=rendered.visible,
            phase=sample.phase,
            rep_index=sample.rep_index,
            hold=sample.hold,
            faults=faults,
            measures=studio.spec.measure(measured),
            near_side=side,
        )
        yield rendered.image, truth


def _camera_json(camera: Camera) -> dict[str, Any]:
    return {
        "focal_px": round(camera.focal_px, 6),
        "position_m": np.round(camera.position_m, 6).tolist(),
        "world_to_camera": np.round(camera.world_to_camera, 9).tolist(),
    }


def render_truth(scenario: Scenario, video_name: str = "") -> tuple[ClipTruth, list[Image]]:
    """Render a whole scenario in memory: its truth and all frames (for short clips)."""
    studio = _build_studio(scenario)
    hasher = hashlib.sha256()
    images, truths = [], []
    for image, truth in _frames(scenario, studio):
        hasher.update(image.data)
        images.append(image)
        truths.append(truth)
    return _clip_truth(scenario, studio, truths, hasher.hexdigest(), video_name), images


def _clip_truth(
    scenario: Scenario, studio: _Studio, truths: list[FrameTruth], digest: str, video_name: str
) -> ClipTruth:
    end_s = studio.frame_count / scenario.fps
    return ClipTruth(
        scenario=scenario.to_json(),
        fps=scenario.fps,
        image_size=scenario.size,
        camera=_camera_json(studio.camera),
        frames_sha256=digest,
        summary=summarize(truths, scenario.fps, studio.motion.reps_completed(end_s)),
        frames=tuple(truths),
        video=video_name,
    )


def render_clip(scenario: Scenario, video_path: Path) -> ClipTruth:
    """Render a scenario to a video file and write its truth next to it.

    Args:
        scenario: What to render.
        video_path: Output video (extension picks the codec, see `formcheck.io.sink`).
            The truth goes to `<stem>.truth.json` in the same folder.

    Returns:
        The clip's truth (also written to disk).
    """
    video_path = Path(video_path)
    studio = _build_studio(scenario)
    hasher = hashlib.sha256()
    truths = []
    with VideoSink(video_path, scenario.fps) as sink:
        for image, truth in _frames(scenario, studio):
            hasher.update(image.data)
            sink.write(image)
            truths.append(truth)
    clip = _clip_truth(scenario, studio, truths, hasher.hexdigest(), video_path.name)
    clip.save(truth_path_for(video_path))
    return clip
