"""Video I/O: every frame with strictly increasing timestamps; clear errors for bad files."""

from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers import write_clip

from formcheck.errors import OutputError, VideoSourceError, VideoTruncatedError
from formcheck.io.files import VideoFileSource, probe
from formcheck.io.sink import VideoSink


def numbered_frames(n, size=(96, 64)):
    """Frames whose brightness encodes their index, to check order after a round trip."""
    for i in range(n):
        yield np.full((size[1], size[0], 3), (i * 8) % 256, dtype=np.uint8)


@pytest.mark.parametrize("suffix", [".mp4", ".webm", ".avi"])
def test_round_trip_keeps_every_frame_in_order(tmp_path, suffix):
    path = write_clip(tmp_path / f"clip{suffix}", numbered_frames(24), fps=12)
    frames = list(VideoFileSource(path))
    assert [f.index for f in frames] == list(range(24))
    brightness = [int(f.image.mean()) for f in frames]
    assert brightness == pytest.approx([(i * 8) % 256 for i in range(24)], abs=6)


def test_timestamps_follow_the_video_clock_and_increase_strictly(tmp_path):
    path = write_clip(tmp_path / "clip.mp4", numbered_frames(30), fps=15)
    stamps = [f.timestamp_ms for f in VideoFileSource(path)]
    assert all(b > a for a, b in zip(stamps, stamps[1:]))
    assert stamps[-1] == pytest.approx(29 * 1000 / 15, abs=2)


def test_probe_reads_the_container(tmp_path):
    path = write_clip(tmp_path / "clip.mp4", numbered_frames(30), fps=15)
    info = probe(path)
    assert (info.width, info.height, info.frame_count) == (96, 64, 30)
    assert info.fps == pytest.approx(15)
    assert info.duration_s == pytest.approx(2.0)


def test_reader_stops_cleanly_when_the_consumer_stops_early(tmp_path):
    path = write_clip(tmp_path / "clip.mp4", numbered_frames(60))
    source = iter(VideoFileSource(path, prefetch=2))
    assert next(source).index == 0
    source.close()  # generator cleanup joins the reader thread without hanging


def test_missing_file(tmp_path):
    with pytest.raises(VideoSourceError, match="no such file"):
        probe(tmp_path / "nope.mp4")


def test_a_text_file_is_not_a_video(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video\n")
    with pytest.raises(VideoSourceError, match="cannot be opened as a video"):
        VideoFileSource(fake)


def test_truncated_file_reports_how_far_decoding_got(tmp_path):
    path = write_clip(tmp_path / "clip.avi", numbered_frames(60))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    source = VideoFileSource(path)
    frames = []
    with pytest.raises(VideoTruncatedError, match="stopped at frame") as caught:
        frames.extend(source)
    assert 20 <= len(frames) == caught.value.frames_read < 60
    assert caught.value.frames_expected == 60


def test_zero_frame_video(tmp_path):
    path = tmp_path / "empty.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30, (64, 48))
    writer.release()
    with pytest.raises(VideoSourceError, match="no frame could be decoded|cannot be opened"):
        list(VideoFileSource(path))


def test_sink_refuses_a_missing_folder_before_any_work(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        VideoSink(tmp_path / "no" / "such" / "out.mp4", 30)


def test_sink_refuses_unknown_extensions(tmp_path):
    with pytest.raises(OutputError, match="unsupported video extension"):
        VideoSink(tmp_path / "out.gifv", 30)


def test_sink_opens_at_the_first_frame_size(tmp_path):
    path = tmp_path / "out.webm"
    with VideoSink(path, 10) as sink:
        for frame in numbered_frames(5, size=(80, 60)):
            sink.write(frame)
    assert sink.frames_written == 5
    assert (probe(path).width, probe(path).height) == (80, 60)


def test_sink_with_no_frames_writes_nothing(tmp_path):
    path = tmp_path / "out.mp4"
    with VideoSink(path, 10):
        pass
    assert not Path(path).exists()
