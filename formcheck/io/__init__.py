"""I/O at the edges: the only package that opens VideoCapture, VideoWriter or a window.

- `frames`: the frame types every stage passes along (`Image`, `VideoFrame`, `VideoInfo`);
- `capture`: what formcheck uses of `cv2.VideoCapture`, shared by files and cameras;
- `files`: recorded clips, decoded on a reader thread (`VideoFileSource`, `read_frames`);
- `sink`: annotated videos, encoded on a writer thread (`VideoSink`);
- `camera`: a live camera, or a file played as one, newest frame only (`CameraSource`);
- `window`: the on-screen window of `formcheck live`;
- `atomic`: every output written whole (a temporary file beside it, renamed into place);
- `paths`: no output written over an input, or over another output of the same run.
"""

from __future__ import annotations

import os

# FFmpeg's own log lines ("moov atom not found", "overread 8") duplicate the one-line
# errors formcheck gives; a user may still ask for them by setting these variables.
# Set here, in the package's first module, before any submodule imports cv2 (which reads
# them when it loads FFmpeg).
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
