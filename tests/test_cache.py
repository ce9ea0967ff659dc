"""Landmark cache: exact round trips, content-hash keys, corrupt entries rebuilt."""

from pathlib import Path

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
    for a, b in zip(track.poses, loaded.poses, strict=True):
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


def test_ragged_per_frame_arrays_and_missing_ones_round_trip(tmp_path):
    """Per-frame arrays of different lengths (body outlines of changing length) and None mix
    freely."""
    poses = []
    for i, size in enumerate([(64, 48), (32, 24), None, (80, 60), (16, 12)]):
        if size is None:
            poses.append(None)
            continue
        base = make_pose(plank_points(), timestamp_ms=i * 40, image_size=size)
        outline = None if i == 3 else np.full((size[0] // 4, 2), i / 10, np.float32)
        poses.append(PoseFrame(base.timestamp_ms, size, base.xy_px, base.depth,
                               base.xyz_world_m, base.visibility, base.presence, outline))
    track = track_from([i * 40 for i in range(5)], poses, 25.0, (64, 48), False, "cut short")
    cache = LandmarkCache(tmp_path)
    cache.store("r" * 64, track)
    loaded = cache.load("r" * 64)
    assert (loaded.complete, loaded.warning) == (False, "cut short")
    for a, b in zip(track.poses, loaded.poses, strict=True):
        assert (a is None) == (b is None)
        if a is None:
            continue
        assert b.image_size == a.image_size
        assert (a.outline_px is None) == (b.outline_px is None)
        if a.outline_px is not None:
            np.testing.assert_array_equal(a.outline_px, b.outline_px)


def test_model_hash_is_remembered_until_the_file_changes(tmp_path):
    import os

    from formcheck.cache import file_sha256, model_sha256

    model = tmp_path / "m.task"
    model.write_bytes(b"one")
    assert model_sha256(model) == file_sha256(model)
    model.write_bytes(b"two!")
    os.utime(model, ns=(1, 10**18))
    assert model_sha256(model) == file_sha256(model)


def _store_many(root: str, count: int) -> None:
    cache = LandmarkCache(Path(root))
    track = sample_track(n=40)
    for _ in range(count):
        cache.store("c" * 64, track)


def test_concurrent_writers_never_leave_a_partial_entry(tmp_path):
    """Two processes rewrite one entry while this one reads it: every read is whole."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_store_many, args=(str(tmp_path), 40)) for _ in range(2)]
    for writer in writers:
        writer.start()
    cache, expected = LandmarkCache(tmp_path), sample_track(n=40)
    reads = 0
    while any(w.is_alive() for w in writers) or reads == 0:
        loaded = cache.load("c" * 64)
        if loaded is not None:
            reads += 1
            assert loaded.timestamps_ms == expected.timestamps_ms
            assert sum(p is None for p in loaded.poses) == 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert reads > 0
    assert [p.name for p in cache.path_for("c" * 64).parent.iterdir()] == ["c" * 64 + ".npz"]


def test_corrupt_entry_is_rebuilt_by_the_next_analysis(tmp_path):
    from formcheck.analyze import analyze_video
    from formcheck.synth import plank_scenario, render_clip

    clip = tmp_path / "p.mp4"
    render_clip(plank_scenario(size=(256, 192), duration_s=1.0), clip)
    cache = LandmarkCache(tmp_path / "cache")
    first = analyze_video(clip, "plank", cache=cache)
    (entry,) = (tmp_path / "cache").rglob("*.npz")
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # a torn write
    rebuilt = analyze_video(clip, "plank", cache=cache)
    again = analyze_video(clip, "plank", cache=cache)
    assert (first.from_cache, rebuilt.from_cache, again.from_cache) == (False, False, True)
    assert again.report == rebuilt.report == first.report


def test_recorder_keeps_poses_within_its_budget_and_gives_up_beyond_it():
    from formcheck.cache import TrackRecorder

    poses = sample_track(n=10).poses
    roomy = TrackRecorder()
    for i, pose in enumerate(poses):
        roomy.add(i * 33, pose)
    track = roomy.track(30.0, (640, 480))
    assert track is not None and track.poses == poses
    tight = TrackRecorder(max_bytes=3 * (800 + 1064))  # three frames of 33 landmarks
    for i, pose in enumerate(poses):
        tight.add(i * 33, pose)
    assert tight.overflowed and tight.track(30.0, (640, 480)) is None
