"""Landmark cache: exact round trips, content-hash keys, corrupt entries rebuilt."""

import numpy as np
import pytest
from helpers import make_pose, plank_points

from formcheck.cache import LandmarkCache, track_from
from formcheck.pose import PoseFrame


def sample_track(n=6, with_outline=False):
    poses = []
    for i in range(n):
        if i == 2:
            poses.append(None)
            continue
        pose = make_pose(plank_points(hip_offset=0.01 * i), timestamp_ms=i * 33)
        if with_outline:
            # Outlines differ in length from frame to frame (a ragged column).
            outline = np.stack([np.arange(10 + i), np.arange(10 + i) * 2.0], axis=1) + 0.5
            pose = PoseFrame(pose.timestamp_ms, pose.image_size, pose.xy_px, pose.depth,
                             pose.xyz_world_m, pose.visibility, pose.presence, outline)
        poses.append(pose)
    return track_from([i * 33 for i in range(n)], poses, 30.0, (640, 480))


@pytest.mark.parametrize("with_outline", [False, True])
def test_round_trip_is_exact(tmp_path, with_outline):
    cache = LandmarkCache(tmp_path)
    track = sample_track(with_outline=with_outline)
    cache.store("k" * 64, track)
    loaded = cache.load("k" * 64)
    assert loaded.timestamps_ms == track.timestamps_ms
    assert loaded.fps == 30.0 and loaded.frame_size == (640, 480) and loaded.complete
    for a, b in zip(track.poses, loaded.poses):
        assert (a is None) == (b is None)
        if a is None:
            continue
        assert a.timestamp_ms == b.timestamp_ms and a.image_size == b.image_size
        np.testing.assert_array_equal(a.xy_px, b.xy_px)
        np.testing.assert_array_equal(a.xyz_world_m, b.xyz_world_m)
        np.testing.assert_array_equal(a.visibility, b.visibility)
        if with_outline:
            np.testing.assert_array_equal(a.outline_px, b.outline_px)
        else:
            assert b.outline_px is None


def test_missing_entry_is_none(tmp_path):
    assert LandmarkCache(tmp_path).load("0" * 64) is None


def test_corrupt_entry_is_ignored_and_removed(tmp_path):
    cache = LandmarkCache(tmp_path)
    path = cache.store("a" * 64, sample_track())
    path.write_bytes(b"not a zip at all")
    assert cache.load("a" * 64) is None
    assert not path.exists()


def test_key_follows_content_not_path(tmp_path):
    clip, copy, other, model = (tmp_path / n for n in ("a.mp4", "b.mp4", "c.mp4", "m.task"))
    clip.write_bytes(b"same bytes")
    copy.write_bytes(b"same bytes")
    other.write_bytes(b"other bytes")
    model.write_bytes(b"model")
    assert LandmarkCache.key(clip, model, False) == LandmarkCache.key(copy, model, False)
    assert LandmarkCache.key(clip, model, False) != LandmarkCache.key(other, model, False)
    assert LandmarkCache.key(clip, model, False) != LandmarkCache.key(clip, model, True)


def test_unwritable_cache_folder_is_not_fatal(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert LandmarkCache(blocker / "sub").store("b" * 64, sample_track()) is None
