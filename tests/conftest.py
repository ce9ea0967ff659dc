"""Fixtures shared by the tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import write_clip


@pytest.fixture
def blank_clip(tmp_path: Path) -> Path:
    """A 1-second 160x120 clip of grey noise: no person anywhere."""
    rng = np.random.default_rng(0)
    frames = (rng.integers(90, 110, (120, 160, 3), dtype=np.uint8) for _ in range(30))
    return write_clip(tmp_path / "blank.mp4", frames)
