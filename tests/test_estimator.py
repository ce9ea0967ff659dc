"""The MediaPipe adapter: model lookup, clear model errors, an empty result with no person."""

import zipfile

import numpy as np
import pytest

from formcheck.errors import ModelLoadError, ModelNotFoundError
from formcheck.estimator import MODEL_ENV_VAR, PoseEstimator, bundled_model_path, resolve_model_path


def test_the_model_ships_with_the_package():
    path = bundled_model_path()
    assert path is not None and path.stat().st_size > 5_000_000
    with zipfile.ZipFile(path) as bundle:
        assert set(bundle.namelist()) == {"pose_detector.tflite", "pose_landmarks_detector.tflite"}


def test_lookup_order_is_option_then_environment_then_bundled(tmp_path, monkeypatch):
    bundled = bundled_model_path()
    copy = tmp_path / "copy.task"
    copy.write_bytes(bundled.read_bytes())
    monkeypatch.delenv(MODEL_ENV_VAR, raising=False)
    assert resolve_model_path() == bundled
    monkeypatch.setenv(MODEL_ENV_VAR, str(copy))
    assert resolve_model_path() == copy
    assert resolve_model_path(bundled) == bundled


def test_missing_model_says_how_to_fix_it(tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist; pass --model PATH"):
        resolve_model_path(tmp_path / "missing.task")


def test_missing_model_from_the_environment_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_ENV_VAR, str(tmp_path / "gone.task"))
    with pytest.raises(ModelNotFoundError, match=MODEL_ENV_VAR):
        resolve_model_path()


def test_a_file_that_is_not_a_bundle_is_refused(tmp_path):
    junk = tmp_path / "junk.task"
    junk.write_bytes(b"\x00" * 1000)
    with pytest.raises(ModelLoadError, match="not a MediaPipe .task bundle"):
        resolve_model_path(junk)


def test_a_bundle_with_corrupt_weights_is_refused_on_load(tmp_path):
    broken = tmp_path / "broken.task"
    with zipfile.ZipFile(broken, "w") as bundle:
        bundle.writestr("pose_detector.tflite", b"garbage" * 100)
        bundle.writestr("pose_landmarks_detector.tflite", b"garbage" * 100)
    with pytest.raises(ModelLoadError, match="cannot load pose model"):
        PoseEstimator(broken)


def test_no_person_gives_none_and_timestamps_must_increase():
    with PoseEstimator() as estimator:
        frame = np.full((240, 320, 3), 127, dtype=np.uint8)
        assert estimator.estimate(frame, 0) is None
        assert estimator.estimate(frame, 33) is None
        with pytest.raises(ValueError, match="increase strictly"):
            estimator.estimate(frame, 33)
