"""Shared by the plank and bridge footage tests: judge MANIFEST.tsv's clips of one exercise."""

from __future__ import annotations

import csv
import os

from helpers import FOOTAGE

from formcheck.analyze import analyze_video
from formcheck.cache import CACHE_ENV_VAR, LandmarkCache

DOUBT_MARKERS = ("QUESTIONABLE", "CONTESTED", "doubtful")


def judge_folder(exercise: str, tmp_dir) -> dict[str, tuple[dict[str, str], dict]]:
    """{file: (manifest row, report)} for the labelled clips of `exercise` in the manifest
    (unlabelled ones cost pose time and assert nothing).

    Poses come from $FORMCHECK_CACHE_DIR when set (a developer's warm cache), else from a
    cache in `tmp_dir` filled by this run (CI computes each clip's poses once).
    """
    cache = LandmarkCache() if os.environ.get(CACHE_ENV_VAR) else LandmarkCache(tmp_dir)
    with open(FOOTAGE / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["exercise"] == exercise and r["label"] != "unlabeled"]
    return {
        row["file"]: (row, analyze_video(FOOTAGE / row["file"], exercise, cache=cache).report)
        for row in rows
    }


def agreement(judged: dict[str, tuple[dict[str, str], dict]]) -> tuple[list[str], list[str]]:
    """(agreeing, disagreeing) files among the labelled clips whose label is not doubted."""
    agree, disagree = [], []
    for file, (row, report) in judged.items():
        label = row["label"]
        if label == "unlabeled" or any(m in row["notes"] for m in DOUBT_MARKERS):
            continue
        expected = "good" if label == "correct" else "needs_work"
        (agree if report["verdict"] == expected else disagree).append(file)
    return agree, disagree
