#!/usr/bin/env python3
"""Rebuild models/pose_landmarker_full.task byte-for-byte from the mediapipe 0.10.21 wheel.

mediapipe 1.x ships no pose model and its official `.task` downloads may be unreachable.
The 0.10.21 wheel on PyPI carries the two TFLite files the Tasks API needs, but without
the NormalizationOptions metadata the Tasks API insists on. This script adds that
metadata with the 0.10.21 wheel's own metadata writer (the one in mediapipe 1.x does not
import) and zips both files, stored and 64-byte aligned, as a PoseLandmarker bundle.

Usage:
    python models/build_pose_task.py            # writes models/pose_landmarker_full.task
    python models/build_pose_task.py --check    # rebuilds to a temp file, compares sha256

Without mediapipe 0.10.21 importable, it makes a throwaway venv, installs the wheel from
PyPI there (the only network use, at build time) and re-runs itself inside it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "pose_landmarker_full.task"
WHEEL_VERSION = "0.10.21"

# (name inside the bundle, file inside the wheel, normalisation mean, std, output count)
# The detector takes pixels scaled to [-1, 1]; the landmark model takes [0, 1].
MODELS = (
    ("pose_detector.tflite", "modules/pose_detection/pose_detection.tflite", 127.5, 127.5, 2),
    (
        "pose_landmarks_detector.tflite",
        "modules/pose_landmark/pose_landmark_full.tflite",
        0.0,
        255.0,
        5,
    ),
)

# Zip entries start on 64-byte boundaries so LiteRT can use the weights in place
# instead of copying them ("unaligned buffer" warning). 0xD935 is the extra-field id
# Android's zipalign uses for the same padding.
ALIGNMENT = 64
ALIGN_EXTRA_ID = 0xD935
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _with_metadata(model: bytes, name: str, mean: float, std: float, outputs: int) -> bytes:
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name.removesuffix(".tflite"), "")
    writer.add_image_input([mean], [std])
    for _ in range(outputs):
        writer.add_feature_output()
    content, _ = writer.populate()
    return bytes(content)


def _aligned_zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            # local header is 30 bytes + name + extra; the extra field itself has a
            # 4-byte header, then `pad` zero bytes.
            data_start = buffer.tell() + 30 + len(name.encode()) + 4
            pad = (-data_start) % ALIGNMENT
            info.extra = ALIGN_EXTRA_ID.to_bytes(2, "little") + pad.to_bytes(2, "little")
            info.extra += bytes(pad)
            bundle.writestr(info, data)
    return buffer.getvalue()


def build_bundle() -> bytes:
    import mediapipe

    if mediapipe.__version__ != WHEEL_VERSION:
        raise SystemExit(f"needs mediapipe=={WHEEL_VERSION}, found {mediapipe.__version__}")
    root = Path(mediapipe.__file__).parent
    entries = []
    for name, source, mean, std, outputs in MODELS:
        model = (root / source).read_bytes()
        entries.append((name, _with_metadata(model, name, mean, std, outputs)))
    return _aligned_zip(entries)


def _has_wheel_mediapipe() -> bool:
    try:
        import mediapipe
    except ImportError:
        return False
    return bool(mediapipe.__version__ == WHEEL_VERSION)


def _rerun_in_throwaway_venv(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="formcheck-model-") as tmp:
        env_dir = Path(tmp) / "venv"
        print(f"creating a throwaway venv with mediapipe=={WHEEL_VERSION} in {env_dir}")
        venv.create(env_dir, with_pip=True)
        python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"mediapipe=={WHEEL_VERSION}"], check=True
        )
        return subprocess.run([str(python), __file__, *argv]).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="bundle to write")
    parser.add_argument(
        "--check", action="store_true", help="rebuild and compare with --out instead of writing"
    )
    args = parser.parse_args()
    if not _has_wheel_mediapipe():
        return _rerun_in_throwaway_venv(sys.argv[1:])
    bundle = build_bundle()
    digest = hashlib.sha256(bundle).hexdigest()
    if args.check:
        existing = hashlib.sha256(args.out.read_bytes()).hexdigest()
        same = existing == digest
        print(f"rebuilt {digest}\ncommitted {existing}\n{'identical' if same else 'DIFFERENT'}")
        return 0 if same else 1
    args.out.write_bytes(bundle)
    print(f"wrote {args.out} ({len(bundle)} bytes) sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
