"""Expectations files: parsing with clear errors, and checks that say what broke and by how much."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from formcheck.errors import UsageError
from formcheck.expectations import ClipExpectation, check_report, load_expectations

EXAMPLE = """
[defaults]
tolerance_s = 0.5

[clips."plank_good_side.mp4"]
exercise = "plank"
verdict = "good"
faults = []
forbidden_faults = ["hips_sagging"]
hold_s = 6.0
good_form_s = 6.0

[clips."sub/bridge.mp4"]
reps = 3
tolerance_s = 1.0
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "expected.toml"
    path.write_text(textwrap.dedent(text))
    return path


def report(**changes):
    base = {
        "verdict": "good",
        "score": 100,
        "fault_codes": [],
        "faults": [],
        "hold": {"total_s": 6.0, "good_form_s": 6.0, "longest_good_s": 6.0},
        "reps": [],
    }
    base.update(changes)
    return base


def test_example_file_parses_with_defaults_and_overrides(tmp_path):
    parsed = load_expectations(write(tmp_path, EXAMPLE))
    good, bridge = parsed.clips
    assert good.clip == (tmp_path / "plank_good_side.mp4").resolve()
    assert (good.exercise, good.verdict, good.faults) == ("plank", "good", ())
    assert good.forbidden_faults == ("hips_sagging",)
    assert (good.hold_s, good.good_form_s, good.tolerance_s) == (6.0, 6.0, 0.5)
    assert bridge.clip == (tmp_path / "sub" / "bridge.mp4").resolve()
    assert (bridge.exercise, bridge.reps, bridge.tolerance_s) == (None, 3, 1.0)
    assert parsed.for_clip(tmp_path / "sub" / ".." / "plank_good_side.mp4") is good
    assert parsed.for_clip(tmp_path / "other.mp4") is None


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            '[clips."a.mp4"]\nverdct = "good"\n',
            r"clips\.'a\.mp4': verdct: unknown key; known keys: .*verdict",
        ),
        ('[clips."a.mp4"]\nverdict = "great"\n', r"verdict: expected one of good, needs_work"),
        ('[clips."a.mp4"]\nhold_s = -1\n', r"hold_s: expected seconds"),
        ('[clips."a.mp4"]\nhold_s = "6"\n', r"hold_s: expected seconds"),
        ('[clips."a.mp4"]\nreps = 2.5\n', r"reps: expected a whole number"),
        ('[clips."a.mp4"]\nfaults = "hips_sagging"\n', r"faults: expected a list of fault codes"),
        ('[defaults]\ntolerance = 1\n[clips."a.mp4"]\n', r"defaults: tolerance: unknown key"),
        ("[defaults]\n", r"no clips"),
        ("[clips\n", r"not valid TOML"),
        ('[clip."a.mp4"]\n', r"clip: unknown key"),
    ],
)
def test_bad_files_are_usage_errors_naming_the_key(tmp_path, text, match):
    with pytest.raises(UsageError, match=match):
        load_expectations(write(tmp_path, text))


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="expectations file not found"):
        load_expectations(tmp_path / "nope.toml")


def expect(**fields) -> ClipExpectation:
    return ClipExpectation(clip=Path("/x.mp4"), name="x.mp4", **fields)


def test_a_report_that_meets_every_expectation_has_no_failures():
    wanted = expect(verdict="good", forbidden_faults=("hips_sagging",), hold_s=6.2, good_form_s=5.6)
    assert check_report(wanted, report()) == []


def test_verdict_failure_names_both_verdicts_and_the_score():
    (failure,) = check_report(expect(verdict="good"), report(verdict="needs_work", score=42))
    assert failure.field == "verdict"
    assert failure.message == "verdict: expected good, got needs_work (score 42)"


def test_missing_and_forbidden_faults_are_named_with_their_times():
    faults = [{"code": "hips_sagging", "start_s": 2.1, "end_s": 5.0, "duration_s": 2.9}]
    got = report(fault_codes=["hips_sagging"], faults=faults)
    failures = check_report(
        expect(faults=("hips_piking",), forbidden_faults=("hips_sagging",)), got
    )
    assert [f.message for f in failures] == [
        "faults: expected hips_piking, not found (found: hips_sagging)",
        "forbidden_faults: hips_sagging appeared (2.1-5 s; 2.90 s in all)",
    ]


def test_durations_fail_outside_the_tolerance_and_say_by_how_much():
    got = report(hold={"total_s": 4.2, "good_form_s": 7.0, "longest_good_s": 4.2})
    failures = check_report(expect(hold_s=6.0, good_form_s=6.4, tolerance_s=0.5), got)
    assert [f.message for f in failures] == [
        "hold_s: expected 6 ± 0.5 s, got 4.2 s (1.80 s short)",
        "good_form_s: expected 6.4 ± 0.5 s, got 7 s (0.60 s over)",
    ]


def test_duration_exactly_at_the_tolerance_passes():
    got = report(hold={"total_s": 5.5, "good_form_s": 6.5, "longest_good_s": 5.5})
    assert check_report(expect(hold_s=6.0, good_form_s=6.0, tolerance_s=0.5), got) == []


def test_hold_expected_of_a_report_without_a_hold_fails():
    (failure,) = check_report(expect(hold_s=3.0), report(hold=None))
    assert failure.message == "hold_s: expected 3 s, got none (no hold in the report)"


def test_rep_count_failure_says_how_many_more_or_fewer():
    got = report(hold=None, reps=[{"index": 1}, {"index": 2}])
    assert check_report(expect(reps=3), got)[0].message == "reps: expected 3, got 2 (1 fewer)"
    assert check_report(expect(reps=1), got)[0].message == "reps: expected 1, got 2 (1 more)"
    assert check_report(expect(reps=2), got) == []
