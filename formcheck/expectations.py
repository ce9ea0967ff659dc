"""Expectations for batch scoring: what each clip's report must say, and the check.

The file is TOML (documented in README.md, "Expectations"):

    [defaults]
    tolerance_s = 0.5                 # for hold_s and good_form_s

    [clips."plank_good_side.mp4"]     # path relative to the .toml file's folder
    exercise = "plank"
    verdict = "good"
    faults = []                       # codes that must appear
    forbidden_faults = ["hips_sagging"]  # codes that must not appear
    hold_s = 6.0                      # report hold.total_s
    good_form_s = 6.0                 # report hold.good_form_s
    tolerance_s = 0.5                 # this clip's tolerance
    reps = 3                          # number of reps in the report

Every key of a clip is optional. A mistyped key or a value of the wrong type is a
usage error naming the file, the clip and the key, never silently ignored.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.errors import UsageError
from formcheck.exercises.results import Verdict

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_TOLERANCE_S = 0.5

_CLIP_KEYS = {
    "exercise": "a registered exercise name",
    "verdict": f"one of {', '.join(v.value for v in Verdict)}",
    "faults": "a list of fault codes",
    "forbidden_faults": "a list of fault codes",
    "hold_s": "seconds (a number >= 0)",
    "good_form_s": "seconds (a number >= 0)",
    "tolerance_s": "seconds (a number >= 0)",
    "reps": "a whole number >= 0",
}
_DEFAULT_KEYS = {"tolerance_s": "seconds (a number >= 0)"}


@dataclass(frozen=True, slots=True)
class ClipExpectation:
    """What one clip's report must say; None or empty means "not checked".

    Attributes:
        clip: Absolute path of the clip.
        name: The clip's key as written in the file.
        exercise: Exercise to judge the clip as.
        verdict: Expected `verdict`.
        faults: Fault codes that must appear in `fault_codes`.
        forbidden_faults: Fault codes that must not appear.
        hold_s: Expected `hold.total_s`, within `tolerance_s`.
        good_form_s: Expected `hold.good_form_s`, within `tolerance_s`.
        tolerance_s: Allowed difference for the two durations, seconds.
        reps: Expected number of reps.
    """

    clip: Path
    name: str
    exercise: str | None = None
    verdict: str | None = None
    faults: tuple[str, ...] = ()
    forbidden_faults: tuple[str, ...] = ()
    hold_s: float | None = None
    good_form_s: float | None = None
    tolerance_s: float = DEFAULT_TOLERANCE_S
    reps: int | None = None


@dataclass(frozen=True, slots=True)
class ExpectationFailure:
    """One expectation that did not hold: which (`field`) and how (`message`)."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Expectations:
    """A parsed expectations file: its path and one entry per clip, in file order."""

    path: Path
    clips: tuple[ClipExpectation, ...]

    def for_clip(self, clip: Path) -> ClipExpectation | None:
        """The entry for `clip` (compared as resolved absolute paths), or None."""
        target = Path(clip).resolve()
        for entry in self.clips:
            if entry.clip == target:
                return entry
        return None


def _where(path: Path, clip: str | None, key: str) -> str:
    return f"{path}: clips.{clip!r}: {key}" if clip is not None else f"{path}: defaults: {key}"


def _seconds(path: Path, clip: str | None, key: str, value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise UsageError(
            f"{_where(path, clip, key)}: expected seconds (a number >= 0), got {value!r}"
        )
    return float(value)


def _codes(path: Path, clip: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise UsageError(
            f"{_where(path, clip, key)}: expected a list of fault codes, got {value!r}"
        )
    return tuple(value)


def _check_keys(
    path: Path, clip: str | None, table: Mapping[str, Any], known: Mapping[str, str]
) -> None:
    for key in table:
        if key not in known:
            raise UsageError(
                f"{_where(path, clip, key)}: unknown key; known keys: {', '.join(sorted(known))}"
            )


def _clip_entry(path: Path, name: str, table: Any, tolerance_s: float) -> ClipExpectation:
    if not isinstance(table, dict):
        raise UsageError(f"{path}: clips.{name!r}: expected a table of expectations")
    _check_keys(path, name, table, _CLIP_KEYS)
    exercise = table.get("exercise")
    if exercise is not None and (not isinstance(exercise, str) or not exercise.strip()):
        raise UsageError(
            f"{_where(path, name, 'exercise')}: expected an exercise name, got {exercise!r}"
        )
    verdict = table.get("verdict")
    verdicts = {v.value for v in Verdict}
    if verdict is not None and verdict not in verdicts:
        raise UsageError(
            f"{_where(path, name, 'verdict')}: expected one of {', '.join(sorted(verdicts))},"
            f" got {verdict!r}"
        )
    reps = table.get("reps")
    if reps is not None and (isinstance(reps, bool) or not isinstance(reps, int) or reps < 0):
        raise UsageError(
            f"{_where(path, name, 'reps')}: expected a whole number >= 0, got {reps!r}"
        )
    optional = {
        key: _seconds(path, name, key, table[key])
        for key in ("hold_s", "good_form_s", "tolerance_s")
        if key in table
    }
    return ClipExpectation(
        clip=(path.parent / name).resolve(),
        name=name,
        exercise=exercise,
        verdict=verdict,
        faults=_codes(path, name, "faults", table.get("faults", [])),
        forbidden_faults=_codes(path, name, "forbidden_faults", table.get("forbidden_faults", [])),
        hold_s=optional.get("hold_s"),
        good_form_s=optional.get("good_form_s"),
        tolerance_s=optional.get("tolerance_s", tolerance_s),
        reps=reps,
    )


def load_expectations(path: Path) -> Expectations:
    """Parse an expectations TOML file.

    Raises:
        UsageError: the file is missing, not TOML, or has an unknown key or a bad value
            (the message names the file, the clip and the key).
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise UsageError(f"{path}: expectations file not found; check the --expect path") from None
    except OSError as error:
        raise UsageError(
            f"{path}: cannot read the expectations file ({error.strerror or error})"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError as error:  # TOML is UTF-8; tomllib lets this through
        raise UsageError(
            f"{path}: not valid TOML (not UTF-8 text: byte {error.start}); save it as UTF-8"
        ) from None
    _check_keys(path, None, {k: v for k, v in data.items() if k != "clips"}, {"defaults": ""})
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise UsageError(f"{path}: defaults: expected a table")
    _check_keys(path, None, defaults, _DEFAULT_KEYS)
    tolerance_s = _seconds(
        path, None, "tolerance_s", defaults.get("tolerance_s", DEFAULT_TOLERANCE_S)
    )
    clips = data.get("clips", {})
    if not isinstance(clips, dict) or not clips:
        raise UsageError(f'{path}: no clips; add a [clips."NAME.mp4"] table per clip')
    entries = tuple(_clip_entry(path, name, table, tolerance_s) for name, table in clips.items())
    return Expectations(path=path, clips=entries)


def _seconds_failure(
    key: str, expected: float, actual: float | None, tolerance_s: float
) -> ExpectationFailure | None:
    if actual is None:
        return ExpectationFailure(
            key, f"{key}: expected {expected:g} s, got none (no hold in the report)"
        )
    difference = actual - expected
    if abs(difference) <= tolerance_s + 1e-9:
        return None
    how = f"{abs(difference):.2f} s {'over' if difference > 0 else 'short'}"
    return ExpectationFailure(
        key, f"{key}: expected {expected:g} ± {tolerance_s:g} s, got {actual:g} s ({how})"
    )


def _fault_spans(report: Mapping[str, Any], code: str) -> str:
    spans = [f for f in report.get("faults", []) if f.get("code") == code]
    total = sum(float(f.get("duration_s") or 0.0) for f in spans)
    listed = ", ".join(f"{f['start_s']:g}-{f['end_s']:g} s" for f in spans[:3])
    more = f" and {len(spans) - 3} more" if len(spans) > 3 else ""
    return f"{listed}{more}; {total:.2f} s in all"


def check_report(
    expectation: ClipExpectation, report: Mapping[str, Any]
) -> list[ExpectationFailure]:
    """Every expectation the report breaks, in a fixed order; empty when all hold.

    Each failure's message says what was expected, what the report says and by how
    much they differ, e.g. "hold_s: expected 6 ± 0.5 s, got 4.2 s (1.80 s short)".
    """
    failures: list[ExpectationFailure] = []
    if expectation.verdict is not None and report.get("verdict") != expectation.verdict:
        failures.append(
            ExpectationFailure(
                "verdict",
                f"verdict: expected {expectation.verdict}, got {report.get('verdict')}"
                f" (score {report.get('score')})",
            )
        )
    found = set(report.get("fault_codes", []))
    missing = [code for code in expectation.faults if code not in found]
    if missing:
        seen = ", ".join(sorted(found)) or "none"
        failures.append(
            ExpectationFailure(
                "faults", f"faults: expected {', '.join(missing)}, not found (found: {seen})"
            )
        )
    for code in expectation.forbidden_faults:
        if code in found:
            failures.append(
                ExpectationFailure(
                    "forbidden_faults",
                    f"forbidden_faults: {code} appeared ({_fault_spans(report, code)})",
                )
            )
    hold = report.get("hold") or {}
    for key, actual in (("hold_s", hold.get("total_s")), ("good_form_s", hold.get("good_form_s"))):
        expected = getattr(expectation, key)
        if expected is not None:
            failure = _seconds_failure(key, expected, actual, expectation.tolerance_s)
            if failure is not None:
                failures.append(failure)
    if expectation.reps is not None:
        count = len(report.get("reps", []))
        if count != expectation.reps:
            difference = count - expectation.reps
            how = f"{abs(difference)} {'more' if difference > 0 else 'fewer'}"
            failures.append(
                ExpectationFailure(
                    "reps", f"reps: expected {expectation.reps}, got {count} ({how})"
                )
            )
    return failures
