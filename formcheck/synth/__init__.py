"""A synthetic studio: a 3D mannequin exercising in front of a pinhole camera, with truth.

Render a scenario to a video plus its ground truth, so tests can run the real pose
model on clips whose right answer is known:

    from formcheck.synth import SCENARIOS, render_clip
    truth = render_clip(SCENARIOS["plank_sag_side"], Path("sag.mp4"))  # + sag.truth.json

Only numpy and OpenCV are used (no MediaPipe import here). Same scenario, same seed:
bit-identical frames (`ClipTruth.frames_sha256`).
"""

from __future__ import annotations

from formcheck.synth.appearance import Appearance
from formcheck.synth.body import BodyPose, BodyShape, LimbAngles, Skeleton, forward_kinematics
from formcheck.synth.camera import Camera, CameraSpec, place_camera
from formcheck.synth.catalogue import (
    DEFAULT_FAULT_MAGNITUDE,
    MAGNITUDES,
    SAMPLES,
    SCENARIOS,
    corpus,
    corpus_scenario,
    plank_scenario,
)
from formcheck.synth.clip import Scenario, render_clip, render_frames, render_truth
from formcheck.synth.motions import MOTIONS, Fault, get_motion
from formcheck.synth.truth import ClipSummary, ClipTruth, FaultInterval, FrameTruth, truth_path_for

__all__ = [
    "DEFAULT_FAULT_MAGNITUDE",
    "MAGNITUDES",
    "MOTIONS",
    "SAMPLES",
    "SCENARIOS",
    "Appearance",
    "BodyPose",
    "BodyShape",
    "Camera",
    "CameraSpec",
    "ClipSummary",
    "ClipTruth",
    "Fault",
    "FaultInterval",
    "FrameTruth",
    "LimbAngles",
    "Scenario",
    "Skeleton",
    "corpus",
    "corpus_scenario",
    "forward_kinematics",
    "get_motion",
    "place_camera",
    "plank_scenario",
    "render_clip",
    "render_frames",
    "render_truth",
    "truth_path_for",
]
