"""MediaPipe behind one adapter: the only module that imports mediapipe.

`PoseEstimator` wraps the Tasks API PoseLandmarker in VIDEO mode and turns each result
into a `PoseFrame` at once, so nothing downstream sees a MediaPipe type.
"""

from __future__ import annotations

import logging
import os
import zipfile
from importlib import resources
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np
import numpy.typing as npt

from formcheck.errors import ModelLoadError, ModelNotFoundError
from formcheck.io.frames import Image
from formcheck.model_integrity import verify_model_file
from formcheck.native_logs import quiet_native_stderr
from formcheck.pose import NUM_LANDMARKS, PoseFrame

log = logging.getLogger(__name__)

MODEL_ENV_VAR = "FORMCHECK_MODEL"
# The body outline keeps the contour within this share of the image diagonal (about 1.5 px
# at 1280x720): far below the 5-10% of trunk length a rounded back bends the outline, and
# it keeps K at a few hundred points per frame.
OUTLINE_TOLERANCE = 0.001
# A mask pixel belongs to the body where its probability exceeds one half (the mask's
# decision boundary; MediaPipe's segmentation samples threshold it the same way).
MASK_THRESHOLD = 0.5
BUNDLED_MODEL_NAME = "pose_landmarker_full.task"
_REQUIRED_BUNDLE_ENTRIES = {"pose_detector.tflite", "pose_landmarks_detector.tflite"}


def bundled_model_path() -> Path | None:
    """The model shipped with formcheck: inside the installed package, else the repo's models/."""
    packaged = resources.files("formcheck") / "models" / BUNDLED_MODEL_NAME
    if packaged.is_file():
        return Path(str(packaged))
    # An editable install or a source checkout keeps the model at the top level.
    checkout = Path(__file__).resolve().parent.parent / "models" / BUNDLED_MODEL_NAME
    return checkout if checkout.is_file() else None


def resolve_model_path(model: Path | None = None) -> Path:
    """Pick the pose model: `model` if given, then $FORMCHECK_MODEL, then the bundled file.

    Raises:
        ModelNotFoundError: the chosen file does not exist.
        ModelLoadError: the file is not a PoseLandmarker `.task` bundle.
    """
    if model is not None:
        chosen, origin = Path(model), "--model"
    elif os.environ.get(MODEL_ENV_VAR):
        chosen, origin = Path(os.environ[MODEL_ENV_VAR]), f"${MODEL_ENV_VAR}"
    else:
        bundled = bundled_model_path()
        if bundled is None:
            raise ModelNotFoundError(
                "the bundled pose model is missing from this install; reinstall formcheck"
                " or pass --model PATH to a pose_landmarker_*.task file"
            )
        chosen, origin = bundled, "bundled"
    if chosen.is_dir():
        raise ModelNotFoundError(
            f"pose model {chosen} (from {origin}) is a folder, not a model file; pass --model"
            " PATH to a pose_landmarker_*.task file"
        )
    if not chosen.is_file():
        raise ModelNotFoundError(
            f"pose model {chosen} (from {origin}) does not exist; pass --model PATH to a"
            f" pose_landmarker_*.task file or unset {MODEL_ENV_VAR}"
        )
    _check_bundle(chosen)
    return chosen


def _check_bundle(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelLoadError(
            f"pose model {path} is not a MediaPipe .task bundle ({error}); rebuild it with"
            " models/build_pose_task.py or pass --model PATH to a pose_landmarker_*.task file"
        ) from None
    missing = _REQUIRED_BUNDLE_ENTRIES - names
    if missing:
        raise ModelLoadError(
            f"pose model {path} lacks {', '.join(sorted(missing))}; it is not a PoseLandmarker"
            " bundle: pass --model PATH to a pose_landmarker_*.task file"
        )
    verify_model_file(path, bundled_model_path())  # whole, and the file it claims to be


class PoseEstimator:
    """Finds one person per frame with MediaPipe's PoseLandmarker (VIDEO mode).

    Use as a context manager. Frames must come with strictly increasing timestamps.

    Args:
        model_path: A PoseLandmarker `.task` bundle; see `resolve_model_path`.
        segmentation: Also trace the body outline from the segmentation mask into
            `PoseFrame.outline_px` (costs a little time; the mask itself is dropped).
        min_detection_confidence: Person detector threshold.
        min_tracking_confidence: Below this MediaPipe re-runs detection instead of tracking.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        segmentation: bool = False,
        min_detection_confidence: float = 0.5,
        min_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        self.model_path = resolve_model_path(model_path)
        self.segmentation = segmentation
        with quiet_native_stderr():
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
            output_segmentation_masks=segmentation,
        )
        try:
            with quiet_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else "unknown"
            raise ModelLoadError(
                f"MediaPipe cannot load pose model {self.model_path} ({first_line}); rebuild it"
                " with models/build_pose_task.py or pass --model PATH to a pose_landmarker_*.task"
            ) from None
        self._last_timestamp_ms = -1
        self._frames_seen = 0

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        landmarker = getattr(self, "_landmarker", None)
        if landmarker is not None:
            with quiet_native_stderr():
                landmarker.close()
            self._landmarker = None

    def estimate(self, image_bgr: Image, timestamp_ms: int) -> PoseFrame | None:
        """The pose in one BGR frame, or None when no person is found.

        Raises:
            ValueError: timestamp_ms does not increase.
        """
        if self._landmarker is None:
            raise RuntimeError("PoseEstimator is closed")
        if timestamp_ms <= self._last_timestamp_ms:
            raise ValueError(
                f"timestamps must increase strictly: {timestamp_ms} after {self._last_timestamp_ms}"
            )
        self._last_timestamp_ms = timestamp_ms
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb)
        if self._frames_seen == 0:
            with quiet_native_stderr():  # the first call logs a buffer-alignment note
                result = self._landmarker.detect_for_video(image, timestamp_ms)
        else:
            result = self._landmarker.detect_for_video(image, timestamp_ms)
        self._frames_seen += 1
        if not result.pose_landmarks:
            return None
        height, width = image_bgr.shape[:2]
        return _to_pose_frame(result, timestamp_ms, width, height, self.segmentation)


def _to_pose_frame(
    result: object, timestamp_ms: int, width: int, height: int, with_mask: bool
) -> PoseFrame:
    landmarks = result.pose_landmarks[0]  # type: ignore[attr-defined]
    world = result.pose_world_landmarks[0]  # type: ignore[attr-defined]
    if len(landmarks) != NUM_LANDMARKS:
        raise ModelLoadError(
            f"the pose model returned {len(landmarks)} landmarks, not {NUM_LANDMARKS};"
            " pass --model PATH to a MediaPipe pose_landmarker_*.task"
        )
    # One pass over the landmark objects into a (33, 6) array; MediaPipe may give None
    # for visibility/presence, read as 0.
    image_values = np.array(
        [(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in landmarks],
        dtype=np.float32,
    )
    world_xyz = np.array([(lm.x, lm.y, lm.z) for lm in world], dtype=np.float32)
    xy_px = image_values[:, :2] * np.array([width, height], dtype=np.float32)
    outline = None
    if with_mask:
        masks = result.segmentation_masks  # type: ignore[attr-defined]
        if masks:
            mask = np.asarray(masks[0].numpy_view(), dtype=np.float32).reshape(height, width)
            outline = body_outline_px(mask)
    return PoseFrame(
        timestamp_ms=timestamp_ms,
        image_size=(width, height),
        xy_px=xy_px,
        depth=image_values[:, 2],
        xyz_world_m=world_xyz,
        visibility=image_values[:, 3],
        presence=image_values[:, 4],
        outline_px=outline,
    )


def body_outline_px(mask: npt.NDArray[np.float32]) -> npt.NDArray[np.float32] | None:
    """The outer contour of the largest body region of a segmentation mask.

    Args:
        mask: (height, width) body probability in [0, 1].

    Returns:
        (K, 2) float32 contour points in pixels (x, y), pixel centres at i + 0.5 as for
        landmarks, simplified to within `OUTLINE_TOLERANCE` of the image diagonal; None
        when the mask holds no body pixel.
    """
    body = (mask > MASK_THRESHOLD).astype(np.uint8)
    contours, _ = cv2.findContours(body, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    # An occluder (a barbell plate in front of the hips) can split the body in two; the
    # largest piece holds the trunk, which is what the outline is measured on.
    largest = max(contours, key=cv2.contourArea)
    height, width = mask.shape
    tolerance = max(0.5, OUTLINE_TOLERANCE * float(np.hypot(width, height)))
    simplified = cv2.approxPolyDP(largest, tolerance, True)
    points: npt.NDArray[np.float32] = simplified.reshape(-1, 2).astype(np.float32) + 0.5
    return points
