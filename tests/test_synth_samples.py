"""The committed sample clips: regenerated bit-identically, their expectations from the
truth, and formcheck's reports on them against sample_videos/expected.toml."""

from __future__ import annotations

import hashlib
import sys

import pytest
from helpers import SAMPLES as SAMPLE_DIR

from formcheck.exercises import REGISTRY, canonical_name
from formcheck.synth import SAMPLES, ClipTruth, render_frames
from formcheck.synth.expected import expectation

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXPECTED = tomllib.loads((SAMPLE_DIR / "expected.toml").read_text(encoding="utf-8"))
CLIPS = EXPECTED["clips"]


def test_every_sample_is_committed_with_its_truth_and_expectations() -> None:
    on_disk = {p.stem for p in SAMPLE_DIR.glob("*.mp4")}
    assert on_disk == set(SAMPLES)
    assert set(CLIPS) == {f"{name}.mp4" for name in SAMPLES}
    assert all((SAMPLE_DIR / f"{name}.truth.json").is_file() for name in SAMPLES)
    total = sum(p.stat().st_size for p in SAMPLE_DIR.iterdir())
    assert total < 25e6


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_committed_sample_regenerates_bit_identically(name: str) -> None:
    """The catalogue's scenario renders the very frames the committed truth hashed."""
    truth = ClipTruth.load(SAMPLE_DIR / f"{name}.truth.json")
    digest = hashlib.sha256()
    for image, _ in render_frames(SAMPLES[name]):
        digest.update(image.data)
    assert digest.hexdigest() == truth.frames_sha256


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_expected_toml_says_what_the_truth_says(name: str) -> None:
    """expected.toml is generated from the truth files (formcheck synth --samples)."""
    truth = ClipTruth.load(SAMPLE_DIR / f"{name}.truth.json")
    assert CLIPS[f"{name}.mp4"] == expectation(truth)
    _, _, duration = SAMPLES[name].resolved()
    assert 3.0 <= duration <= 8.0
    assert truth.image_size[0] <= 640 and truth.image_size[1] <= 480


def _check(report: dict, expected: dict, tolerance_s: float) -> list[str]:
    """Every way the report misses the expectation, as readable lines (empty: it holds)."""
    misses = []
    if report["exercise"] != canonical_name(expected["exercise"]):
        misses.append(f"exercise {report['exercise']} != {expected['exercise']}")
    if report["verdict"] != expected["verdict"]:
        misses.append(f"verdict {report['verdict']} != {expected['verdict']}")
    codes = set(report["fault_codes"])
    missing = sorted(set(expected["faults"]) - codes)
    forbidden = sorted(codes & set(expected["forbidden_faults"]))
    if missing:
        misses.append(f"faults not reported: {missing}")
    if forbidden:
        misses.append(f"forbidden faults reported: {forbidden}")
    for key, field in (("hold_s", "total_s"), ("good_form_s", "good_form_s")):
        if key in expected:
            got = (report.get("hold") or {}).get(field)
            if got is None or abs(got - expected[key]) > tolerance_s:
                misses.append(f"{key} {got} not within {tolerance_s} s of {expected[key]}")
    if "reps" in expected and len(report.get("reps") or []) != expected["reps"]:
        misses.append(f"reps {len(report.get('reps') or [])} != {expected['reps']}")
    if "lifts" in expected and report.get("lifts") != expected["lifts"]:
        misses.append(f"lifts {report.get('lifts')} != {expected['lifts']}")
    return misses


@pytest.mark.slow
@pytest.mark.parametrize("clip", sorted(CLIPS))
def test_formcheck_reports_what_expected_toml_says(clip: str, tmp_path_factory) -> None:
    """analyze_video on each committed sample meets its expected.toml entry (exercises
    whose rules are not registered yet are skipped, with the reason)."""
    from formcheck.analyze import analyze_video
    from formcheck.cache import LandmarkCache

    expected = CLIPS[clip]
    exercise = expected["exercise"]
    if exercise not in REGISTRY:
        pytest.skip(f"no rules registered for {exercise!r} yet (formcheck.exercises.REGISTRY)")
    cache = LandmarkCache(tmp_path_factory.getbasetemp() / "landmarks")
    report = analyze_video(SAMPLE_DIR / clip, exercise, cache=cache).report
    assert _check(report, expected, EXPECTED["defaults"]["tolerance_s"]) == []


def test_the_checker_names_every_miss() -> None:
    """A report that misses on every count gets one line per miss."""
    expected = {
        "exercise": "plank",
        "verdict": "needs_work",
        "faults": ["hips_sagging"],
        "forbidden_faults": ["hips_piking"],
        "hold_s": 5.0,
        "good_form_s": 2.0,
        "reps": 2,
    }
    report = {
        "exercise": "plank",
        "verdict": "good",
        "fault_codes": ["hips_piking"],
        "hold": {"total_s": 3.0, "good_form_s": 2.2},
        "reps": [],
    }
    misses = _check(report, expected, 0.5)
    assert len(misses) == 5
    assert any("hips_sagging" in m for m in misses) and any("hold_s" in m for m in misses)
