"""What every bad-input test checks: the exit code, one line on stderr, no traceback, and
that no file the user had was changed or left half-written.

Imported as `guards` by test_bad_inputs.py, test_interrupts.py and test_fuzz_clips.py.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import cv2
from helpers import make_pose, plank_points
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.errors import EXIT_CODES
from formcheck.pose import PoseFrame

DOCUMENTED = set(EXIT_CODES)


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every regular file under `root` (symlinks are covered by their targets)."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def assert_untouched(root: Path, before: dict[str, str], replaced: Iterable[str] = ()) -> None:
    """Every file that was there is byte-identical, unless the user asked to replace it;
    and no temporary file was left behind."""
    after = snapshot(root)
    allowed = set(replaced)
    changed = [name for name, digest in before.items()
               if name not in allowed and after.get(name) != digest]
    assert not changed, f"files changed or removed: {changed}"
    leftovers = [name for name in after
                 if name not in before and Path(name).name.startswith(".")]
    assert not leftovers, f"temporary files left behind: {leftovers}"


def error_line(stderr: str, code: int) -> str:
    """The one line a failed or interrupted run prints (none for success)."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    if code == 0:
        assert lines == [], stderr
        return ""
    assert len(lines) == 1, stderr
    assert lines[0].startswith(("formcheck: error: ", "formcheck: interrupted")), stderr
    return lines[0]


def frames_in(video: Path) -> int:
    """How many frames a video file really decodes to."""
    capture = cv2.VideoCapture(str(video))
    count = 0
    while capture.read()[0]:
        count += 1
    return count


def run_cli(*args: object) -> tuple[int, str, str]:
    """`formcheck ARGS` in this process (fast: no import, fakes apply); exit code, stdout,
    stderr. A Python exception escaping the command line fails the test."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if not isinstance(result.exception, (SystemExit, type(None))):
        raise AssertionError(f"escaped: {result.exception!r}\n{result.stderr}")
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def formcheck_command(*args: object) -> list[str]:
    """The real command line, as a user runs it (a fresh process: real signals, fds)."""
    return [sys.executable, "-m", "formcheck", *(str(a) for a in args)]


def run_process(*args: object, env: dict[str, str] | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(formcheck_command(*args), capture_output=True, text=True,
                          timeout=timeout, env=env)


class FakeEstimator:
    """Stands in for MediaPipe where inference is not what is tested: a side-on plank
    pose, scaled to each frame, on every frame but a flat one (all black, all one grey),
    which holds nobody. Counts how many were made, so a test can
    check that a bad option failed before the model would have loaded."""

    made = 0

    def __init__(self, model_path: object = None, *, segmentation: bool = False,
                 **_: object) -> None:
        type(self).made += 1

    def __enter__(self) -> FakeEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass

    def estimate(self, image, timestamp_ms: int) -> PoseFrame | None:
        if float(image.std()) < 4.0:
            return None
        height, width = image.shape[:2]
        scale = min(width / 640, height / 480)
        points = {k: (x * scale, y * scale) for k, (x, y) in plank_points().items()}
        return make_pose(points, timestamp_ms, image_size=(width, height))
