"""Shared by the deadlift and auto footage tests: judge MANIFEST.tsv's clips, once per run.

Poses come from $FORMCHECK_CACHE_DIR when set (a developer's warm cache), else from one
landmark cache in pytest's session temp folder, so the deadlift and the auto tests
compute each clip's poses (with the segmentation outline) once between them.
"""

from __future__ import annotations

import csv
import os
from typing import Any

from helpers import FOOTAGE

from formcheck.analyze import analyze_video
from formcheck.cache import CACHE_ENV_VAR, LandmarkCache

DOUBT_MARKERS = ("QUESTIONABLE", "CONTESTED", "doubtful")
_REPORTS: dict[tuple[str, str], dict[str, Any]] = {}
_CACHES: dict[str, LandmarkCache] = {}


def manifest(*exercises: str) -> list[dict[str, str]]:
    """Manifest rows of the given exercise folders, in manifest order; none without the
    footage (a user's machine: the tests that use them are skipped by requires_footage)."""
    if not (FOOTAGE / "MANIFEST.tsv").is_file():
        return []
    with open(FOOTAGE / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle, delimiter="\t") if r["exercise"] in exercises]


def session_cache(tmp_path_factory: Any) -> LandmarkCache:
    if os.environ.get(CACHE_ENV_VAR):
        return LandmarkCache()
    base = str(tmp_path_factory.getbasetemp())
    if base not in _CACHES:
        _CACHES[base] = LandmarkCache(tmp_path_factory.mktemp("hinge_footage_cache"))
    return _CACHES[base]


def report(file: str, exercise: str, cache: LandmarkCache) -> dict[str, Any]:
    """formcheck's report for one clip (memoised for the test run)."""
    key = (file, exercise)
    if key not in _REPORTS:
        _REPORTS[key] = analyze_video(FOOTAGE / file, exercise, cache=cache).report
    return _REPORTS[key]


def expected_verdict(row: dict[str, str]) -> str | None:
    """good for `correct`, needs_work for `incorrect_*`, None when unlabelled or doubted."""
    if row["label"] == "unlabeled" or any(m in row["notes"] for m in DOUBT_MARKERS):
        return None
    return "good" if row["label"] == "correct" else "needs_work"
