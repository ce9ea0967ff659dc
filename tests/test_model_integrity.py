"""A damaged pose model is a model error (exit code 4), never a wrong answer.

Random bytes written into the bundled .task used to load and report "no person found"
(issue 12, case 4). The bundled model is checked against its recorded sha256 (once per
install: the result is recorded by path, size and mtime), any other by its zip CRCs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from formcheck import cache, model_integrity
from formcheck.errors import ModelLoadError, ModelNotFoundError
from formcheck.estimator import bundled_model_path, resolve_model_path
from formcheck.model_integrity import BUNDLED_SHA256, RECORD_NAME, verify_model_file

REPO_MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture(autouse=True)
def fresh(monkeypatch, tmp_path):
    """Each test with its own record folder and nothing remembered in the process."""
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    model_integrity._verify.cache_clear()
    cache._model_sha256.cache_clear()
    yield
    model_integrity._verify.cache_clear()
    cache._model_sha256.cache_clear()


def damage(path: Path, at: int = 5_000_000, size: int = 4096) -> Path:
    """Random bytes over part of a file, inside the landmark network's stored data."""
    with open(path, "r+b") as handle:
        handle.seek(at)
        handle.write(os.urandom(size))
    return path


def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the bundled model in a folder of its own, standing in for the install."""
    folder = tmp_path / "install"
    folder.mkdir()
    model = bundled_model_path()
    assert model is not None
    return Path(shutil.copy(model, folder / model.name))


def test_every_shipped_model_has_its_recorded_sha256():
    shipped = sorted(REPO_MODELS.glob("*.task"))
    assert shipped, "no bundled model in models/"
    for model in shipped:
        assert model.name in BUNDLED_SHA256, f"{model.name}: record its sha256 in BUNDLED_SHA256"
        assert hashlib.sha256(model.read_bytes()).hexdigest() == BUNDLED_SHA256[model.name]


def test_damaged_bundled_model_is_a_model_error(tmp_path, monkeypatch):
    model = damage(bundled_copy(tmp_path))
    monkeypatch.setattr("formcheck.estimator.bundled_model_path", lambda: model)
    with pytest.raises(ModelLoadError, match=r"bundled pose model .* is damaged"):
        resolve_model_path()


def test_bundled_model_is_hashed_once_per_install(tmp_path, monkeypatch):
    """Found whole, it is recorded; the next process trusts the record while the file's
    size and mtime stay, and hashes again once they change."""
    model = bundled_copy(tmp_path)
    hashed: list[Path] = []
    real = cache.file_sha256
    monkeypatch.setattr(cache, "file_sha256", lambda path: hashed.append(path) or real(path))
    verify_model_file(model, model)
    assert len(hashed) == 1
    record = json.loads((tmp_path / "cache" / RECORD_NAME).read_text())
    assert record[str(model.resolve())]["sha256"] == BUNDLED_SHA256[model.name]
    model_integrity._verify.cache_clear()  # as a new process would start
    cache._model_sha256.cache_clear()
    verify_model_file(model, model)
    assert len(hashed) == 1
    damage(model)
    os.utime(model, ns=(1, 1))  # a changed file: another mtime
    model_integrity._verify.cache_clear()
    with pytest.raises(ModelLoadError, match="damaged"):
        verify_model_file(model, model)
    assert len(hashed) == 2


def test_an_unwritable_record_only_means_hashing_again(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", "/proc/formcheck-cache")
    model = bundled_copy(tmp_path)
    verify_model_file(model, model)  # no error: the check ran, the record was not kept


def test_damaged_user_model_fails_its_crc(tmp_path):
    model = damage(Path(shutil.copy(bundled_model_path(), tmp_path / "mine.task")))
    with pytest.raises(ModelLoadError, match=r"pose_landmarks_detector\.tflite fails its CRC"):
        resolve_model_path(model)


def test_whole_user_model_passes(tmp_path):
    model = Path(shutil.copy(bundled_model_path(), tmp_path / "mine.task"))
    assert resolve_model_path(model) == model


def test_a_user_bundle_that_is_not_a_pose_model(tmp_path):
    model = tmp_path / "other.task"
    with zipfile.ZipFile(model, "w") as bundle:
        bundle.writestr("face_detector.tflite", b"x" * 64)
    with pytest.raises(ModelLoadError, match="not a PoseLandmarker bundle"):
        resolve_model_path(model)


def test_a_folder_is_not_a_model(tmp_path):
    """Issue 12, case 9: it said the folder 'does not exist'."""
    with pytest.raises(ModelNotFoundError, match="is a folder, not a model file"):
        resolve_model_path(tmp_path)
