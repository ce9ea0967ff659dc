"""Seeded fuzzing: 50 random corruptions of a small studio clip (overwritten ranges, cut
ends, flipped bytes), each analysed to the end with an annotated video and a report: a
documented exit code, at most one line on stderr, no traceback, the corrupted clip
untouched, and outputs that are whole or not there at all: a report that parses and a
video with exactly the frames the report counts. (With this seed: 26 clips do not open,
17 stop part-way with a partial report and video, 7 decode whole.)

What is tested is decoding and the edges around it, not inference: the pose model is
`guards.FakeEstimator`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from guards import FakeEstimator, assert_untouched, error_line, frames_in, run_cli, snapshot

from formcheck.synth import plank_scenario, render_clip

SEED = 20240612
CASES = 50
# What a corrupted clip may come to: analysed (0), unreadable or cut short (3), nobody
# found (6). Anything else (70: a bug) fails.
EXPECTED_CODES = {0, 3, 6}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A 2 s, 96x72 plank from the studio (7 kB of real mp4v)."""
    clip = tmp_path_factory.mktemp("fuzz") / "plank.mp4"
    render_clip(plank_scenario(size=(96, 72), duration_s=2.0), clip)
    return clip


def corrupt(data: bytes, case: int) -> tuple[bytes, str]:
    """The case-th corruption of `data`, and what it did (for the failure message)."""
    rng = np.random.default_rng([SEED, case])
    buffer = bytearray(data)
    kind = case % 3
    if kind == 0:  # overwrite a range with random bytes
        length = int(rng.integers(1, max(2, len(buffer) // 4)))
        start = int(rng.integers(0, len(buffer) - length))
        buffer[start : start + length] = rng.bytes(length)
        return bytes(buffer), f"overwrote {length} bytes at {start}"
    if kind == 1:  # cut the end off
        keep = int(rng.integers(0, len(buffer)))
        return bytes(buffer[:keep]), f"kept the first {keep} of {len(buffer)} bytes"
    flips = int(rng.integers(1, 64))  # flip single bits anywhere
    where = rng.integers(0, len(buffer), flips)
    for position in where:
        buffer[position] ^= 1 << int(rng.integers(0, 8))
    return bytes(buffer), f"flipped {flips} bits"


@pytest.mark.parametrize("case", range(CASES), ids=[f"fuzz-{i:02d}" for i in range(CASES)])
def test_corrupted_clip(case, sample, tmp_path, monkeypatch):
    monkeypatch.setattr("formcheck.estimator.PoseEstimator", FakeEstimator)
    data, what = corrupt(sample.read_bytes(), case)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(data)
    before = snapshot(tmp_path)
    report, video = tmp_path / "r.json", tmp_path / "out.webm"
    code, _, stderr = run_cli("analyze", clip, "--exercise", "plank", "--out", video,
                              "--report", report)
    assert code in EXPECTED_CODES, f"{what}: exit {code}: {stderr}"
    line = error_line(stderr, code)
    assert_untouched(tmp_path, before)
    if not report.exists():  # nothing decoded: nothing written, not even a video
        assert code == 3 and not video.exists(), f"{what}: {line}"
        return
    saved = json.loads(report.read_text())
    if code == 3:  # decoding stopped part-way: what was analysed landed, whole
        assert saved["complete"] is False, what
        assert f"decoding stopped at frame {saved['frames']} of" in line, f"{what}: {line}"
    else:
        assert saved["complete"] is True, what
        assert (code == 6) == (saved["verdict"] == "no_pose"), what
    assert frames_in(video) == saved["frames"], what



def test_the_corruptions_differ(sample):
    """The cases really are 50 different files, of all three kinds."""
    data = sample.read_bytes()
    variants = {corrupt(data, case)[0] for case in range(CASES)}
    assert len(variants) == CASES and data not in variants
