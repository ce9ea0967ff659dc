"""Honest measures on the real footage: per-fault precision and recall, and thresholds
refitted leave-one-source-out (imported by tools/evaluate_footage.py).

A *source* is MANIFEST.tsv's `source_repo`: clips from one repository share a lifter,
a room, a camera and often the very session, so a threshold that only holds on them has
not been tested at all. For every threshold that decides a verdict on the footage
(`KNOBS`), and for every source:

1. the threshold is refitted on the other sources' labelled clips: every value of its
   search grid is judged (the clip's cached poses re-judged with that value, nothing
   else changed), the value agreeing with the most labels wins: first verdicts (`good`
   for a correct clip, `needs_work` for an incorrect one), then, among equal verdicts,
   the threshold's own fault where the label names it (found on clips labelled with
   it, absent on correct clips). Ties go to the middle of the widest run of best
   values, the widest margin, never towards today's value. An exercise's thresholds
   are refitted one after the other, each given the others' latest values, until none
   moves (coordinate ascent, at most `MAX_PASSES` passes);
2. the held-out source's clips are judged with all of the refitted thresholds.

When no other source has a labelled clip of an exercise (every real glute bridge comes
from one tutorial), the refit falls back to the studio corpus (the thresholds the
studio's truth alone would choose) when one is rendered and cached, else to the middle
of each search range; the report says which.

Judging is exact: the same rules, `judge_poses` over the landmark cache, the limits
passed to the exercise's constructor (`limits=`). Each clip is smoothed once and its
judgements are kept on disk beside the landmark cache, keyed by the clip's cache entry,
the limits and a hash of formcheck's source, so a second run takes seconds and any
change to the rules recomputes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DOUBT_MARKERS = ("QUESTIONABLE", "CONTESTED", "doubtful")
MAX_PASSES = 4
# Bump when what a stored judgement means changes (the Outcome fields, the replay).
JUDGEMENT_FORMAT = 1

# The fault code a label names, per exercise. None: the label names a fault that is not
# one of formcheck's codes, so only the verdict is scored.
LABEL_FAULTS: dict[tuple[str, str], str | None] = {
    ("deadlift", "incorrect_rounded_back"): "rounded_back",
    ("deadlift", "incorrect_hyperextended_lockout"): "leaning_back",
    # A pull started with the hips high and the knees nearly straight (a stiff-legged,
    # RDL-style start). No deadlift code measures the start position: hips_rise_early
    # is the trunk tipping further forward as the bar leaves the floor, which a start
    # already at hip height does not show (issue 13 counts no real hips-first clip).
    ("deadlift", "incorrect_hips_high"): None,
    ("deadlift", "incorrect_unspecified"): None,
    ("deadlift", "incorrect_overextended_spine"): None,
    ("plank", "incorrect_hips_sagging"): "hips_sagging",
    ("plank", "incorrect_hips_high"): "hips_piking",
    ("glute_bridge", "incorrect_lumbar_hyperextension"): "over_arching",
    ("glute_bridge", "incorrect_quad_dominant"): "quad_dominant",
}


def label_fault(exercise: str, label: str) -> str | None:
    """The fault code `label` names for `exercise` (None: correct, or no code)."""
    return LABEL_FAULTS.get((exercise, label))


@dataclass(frozen=True)
class Knob:
    """One threshold that decides a verdict, and the grid its refit searches.

    `exit_name` is the limit that clears the fault (hysteresis): it moves with the
    threshold, keeping today's band.
    """

    exercise: str
    name: str
    code: str
    lo: float
    hi: float
    step: float
    why: str
    exit_name: str | None = None

    @property
    def key(self) -> str:
        return f"{self.exercise}.{self.name}"

    def grid(self) -> tuple[float, ...]:
        count = round((self.hi - self.lo) / self.step)
        return tuple(round(self.lo + i * self.step, 6) for i in range(count + 1))

    def apply(self, limits: Any, value: float) -> Any:
        """`limits` with this threshold at `value` (and its exit limit moved alongside)."""
        changes = {self.name: value}
        if self.exit_name is not None:
            band = getattr(limits, self.name) - getattr(limits, self.exit_name)
            changes[self.exit_name] = round(value - band, 6)
        return dataclasses.replace(limits, **changes)


# Each range spans what a coach could argue for and what MediaPipe's readings make
# possible, wide enough that the refit, not the range, decides wherever clips constrain it.
KNOBS: tuple[Knob, ...] = (
    Knob(
        "plank",
        "sag_enter",
        "hips_sagging",
        0.01,
        0.10,
        0.0025,
        "hip below the shoulder-ankle line: 3x jitter to ~11 degrees at the hip",
        "sag_exit",
    ),
    Knob(
        "plank",
        "pike_enter",
        "hips_piking",
        0.03,
        0.20,
        0.005,
        "hip above the line: ~7 to ~40 degrees at the hip",
        "pike_exit",
    ),
    Knob(
        "plank",
        "head_drop_enter_deg",
        "head_dropping",
        10.0,
        60.0,
        2.0,
        "ears below the trunk line: jitter to a hanging head",
        "head_drop_exit_deg",
    ),
    Knob(
        "deadlift",
        "back_rounding_enter",
        "rounded_back",
        0.005,
        0.05,
        0.0015,
        "lower-back sagitta/chord: ~5 to ~50 degrees of lumbar flexion",
        "back_rounding_exit",
    ),
    Knob(
        "deadlift",
        "bar_drift_bulge",
        "bar_drift",
        0.02,
        0.30,
        0.005,
        "bar path bowed forward of its own set-up-to-lockout line, leg lengths",
    ),
    Knob(
        "deadlift",
        "hips_rise_lean_deg",
        "hips_rise_early",
        1.0,
        20.0,
        0.5,
        "extra trunk lean off the floor: jitter to a stiff-legged pull",
    ),
    Knob(
        "deadlift",
        "lean_back_deg",
        "leaning_back",
        2.0,
        30.0,
        1.0,
        "hip past straight at lockout: jitter to a gross lean back",
    ),
    Knob(
        "deadlift",
        "lockout_hip_deg",
        "incomplete_lockout",
        150.0,
        180.0,
        1.0,
        "hip angle the lockout must reach: 5 past the standing zone to straight",
    ),
    Knob(
        "deadlift",
        "min_descent_s",
        "too_fast",
        0.1,
        1.5,
        0.05,
        "lowering between plateaus: a dropped bar to a 3 s eccentric",
    ),
    Knob(
        "deadlift",
        "knee_dominant_shin_share",
        "knee_dominant",
        0.25,
        0.75,
        0.025,
        "share of the knee bend taken by the shins: a hinge's to a squat's",
    ),
    Knob(
        "glute_bridge",
        "over_arch_deg",
        "over_arching",
        178.0,
        215.0,
        1.0,
        "peak hip extension: just past straight to a 35-degree arch",
    ),
    Knob(
        "glute_bridge",
        "max_shin_forward_deg",
        "quad_dominant",
        -10.0,
        15.0,
        1.0,
        "shin lean at the top: feet well ahead to knees well past the toes",
    ),
    Knob(
        "glute_bridge",
        "min_top_hold_s",
        "short_hold",
        0.5,
        6.0,
        0.25,
        "time at the top: a touch-and-go to a long hold",
    ),
    Knob(
        "glute_bridge",
        "full_extension_deg",
        "hips_low",
        150.0,
        180.0,
        1.0,
        "peak hip extension a rep must reach: a half bridge to straight",
    ),
)


@dataclass(frozen=True)
class Outcome:
    """What the rules said about a clip."""

    verdict: str
    codes: frozenset[str]
    score: int | None

    def as_json(self) -> list[Any]:
        return [self.verdict, sorted(self.codes), self.score]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Outcome:
        return cls(str(data[0]), frozenset(data[1]), int(data[2]))


@dataclass
class Clip:
    """A labelled clip of an exercise formcheck judges, with its smoothed poses."""

    file: str
    exercise: str
    label: str
    source: str
    doubtful: bool
    cache_key: str
    frames: list[Any] = field(repr=False)  # DetectedFrame with the *smoothed* pose
    end_ms: int = 0

    @property
    def code(self) -> str | None:
        return label_fault(self.exercise, self.label)

    @property
    def expected_verdict(self) -> str:
        return "good" if self.label == "correct" else "needs_work"

    @property
    def name(self) -> str:
        return Path(self.file).stem

    def agrees(self, outcome: Outcome) -> bool:
        return outcome.verdict == self.expected_verdict

    def fault_agrees(self, code: str, outcome: Outcome) -> bool | None:
        """Whether `code` is reported as the label says (None: the label does not say)."""
        if self.code == code:
            return code in outcome.codes
        if self.label == "correct":
            return code not in outcome.codes
        return None


def default_limits(exercise: str) -> Any:
    from formcheck.exercises import create_exercise

    return create_exercise(exercise).limits  # type: ignore[attr-defined]


def _replayed(track: Any) -> tuple[list[Any], int]:
    """(frames with smoothed poses, end of clip ms) as `analyze_video` replays a track."""
    from formcheck.pipeline import DetectedFrame
    from formcheck.smoothing import PoseSmoother

    smooth = PoseSmoother()
    frames = [
        DetectedFrame(index, stamp, None, smooth(pose)) for index, (stamp, pose) in enumerate(track)
    ]
    frame_ms = 1000.0 / track.fps if track.fps > 0 else 0.0
    last_ms = frames[-1].timestamp_ms if frames else 0
    return frames, round(last_ms + frame_ms)


def _presmoothed() -> Any:
    """A smoother that passes poses through: `Clip.frames` are smoothed already."""
    from formcheck.smoothing import PoseSmoother

    class Presmoothed(PoseSmoother):
        def __call__(self, pose: Any) -> Any:
            return pose

    return Presmoothed()


def judge_frames(exercise: str, frames: Sequence[Any], end_ms: int, limits: Any) -> Outcome:
    """The rules' verdict on pre-smoothed frames with `limits` (the replay of analyze_video)."""
    from formcheck.exercises import exercise_class
    from formcheck.exercises.judge import Judge
    from formcheck.pipeline import judge_poses

    rules_class = exercise_class(exercise)
    judge = Judge(exercise, {exercise: lambda: rules_class(limits=limits)})  # type: ignore[call-arg, dict-item]
    for _ in judge_poses(frames, judge, smoother=_presmoothed()):
        pass
    summary, _ = judge.finish(end_ms)
    return Outcome(summary.verdict.value, frozenset(f.code for f in summary.faults), summary.score)


def source_fingerprint() -> str:
    """Hash of formcheck's source: stored judgements are only as good as the rules."""
    digest = hashlib.sha256(f"judgements v{JUDGEMENT_FORMAT}".encode())
    package = REPO / "formcheck"
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Judge:
    """Judges clips with given limits; remembers every judgement (memory and disk)."""

    def __init__(self, store: Path | None) -> None:
        self.store = store
        self.judged = 0
        self._unsaved = 0
        self._saved_at = time.monotonic()
        self._memo: dict[str, Outcome] = {}
        if store is not None and store.is_file():
            try:
                raw = json.loads(store.read_text(encoding="utf-8"))
                self._memo = {key: Outcome.from_json(value) for key, value in raw.items()}
            except (OSError, ValueError, TypeError, IndexError):
                self._memo = {}

    def __call__(self, clip: Clip, limits: Any) -> Outcome:
        key = f"{clip.cache_key}|{clip.exercise}|{limits!r}"
        outcome = self._memo.get(key)
        if outcome is None:
            outcome = judge_frames(clip.exercise, clip.frames, clip.end_ms, limits)
            self._memo[key] = outcome
            self.judged += 1
            self._unsaved += 1
        return outcome

    def checkpoint(self, every_s: float = 60.0) -> None:
        """Save now and then, so a run stopped half-way keeps what it judged."""
        if time.monotonic() - self._saved_at >= every_s:
            self.save()

    def save(self) -> None:
        """Write the judgements atomically (a concurrent run never reads half a file)."""
        if self.store is None or not self._unsaved:
            return
        self.store.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({k: v.as_json() for k, v in sorted(self._memo.items())})
        handle, tmp = tempfile.mkstemp(prefix=".judged.", dir=self.store.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, self.store)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._saved_at = time.monotonic()
        self._unsaved = 0


def is_labelled(row: Mapping[str, str]) -> bool:
    return row["label"] == "correct" or row["label"].startswith("incorrect")


def clip_of(
    row: Mapping[str, str], cache_key: str = "", frames: list[Any] | None = None, end_ms: int = 0
) -> Clip:
    """A manifest row as a Clip (without poses unless given)."""
    doubtful = any(marker in row["notes"] for marker in DOUBT_MARKERS)
    return Clip(
        row["file"],
        row["exercise"],
        row["label"],
        row["source_repo"],
        doubtful,
        cache_key,
        frames or [],
        end_ms,
    )


def load_clips(rows: Iterable[Mapping[str, str]], footage: Path, cache: Any) -> list[Clip]:
    """The clips of `rows` (labelled, of judged exercises) with their cached poses.

    Raises:
        LookupError: a clip's poses are not in the cache.
    """
    from formcheck.cache import LandmarkCache
    from formcheck.estimator import resolve_model_path
    from formcheck.exercises import create_exercise

    model = resolve_model_path(None)
    clips = []
    for row in rows:
        segmentation = create_exercise(row["exercise"]).needs_segmentation
        key = LandmarkCache.key(footage / row["file"], model, segmentation)
        track = cache.load(key)
        if track is None:
            raise LookupError(f"{row['file']}: no poses in the landmark cache {cache.root}")
        frames, end_ms = _replayed(track)
        clips.append(clip_of(row, key, frames, end_ms))
    return clips


# --- the studio corpus, as a second check ---------------------------------------------


@dataclass
class StudioClip:
    path: str
    expected: dict[str, Any]
    clip: Clip  # label/source unused; frames and cache key


class Studio:
    """The rendered studio corpus's clips of the footage's exercises, from the cache."""

    def __init__(self, corpus: Path, cache: Any, exercises: Sequence[str]) -> None:
        import tomllib  # Python 3.11+, as tools/evaluate_corpus.py

        from formcheck.cache import LandmarkCache
        from formcheck.estimator import resolve_model_path
        from formcheck.exercises import create_exercise

        model = resolve_model_path(None)
        listed = tomllib.loads((corpus / "corpus.toml").read_text(encoding="utf-8"))["clips"]
        self.clips: list[StudioClip] = []
        self.missing: list[str] = []
        for path, expected in sorted(listed.items()):
            exercise = expected["exercise"]
            if exercise not in exercises:
                continue
            segmentation = create_exercise(exercise).needs_segmentation
            key = LandmarkCache.key(corpus / path, model, segmentation)
            track = cache.load(key)
            if track is None:
                self.missing.append(path)
                continue
            frames, end_ms = _replayed(track)
            clip = Clip(path, exercise, "studio", "studio", False, key, frames, end_ms)
            self.clips.append(StudioClip(path, expected, clip))

    def of(self, exercise: str) -> list[StudioClip]:
        return [c for c in self.clips if c.expected["exercise"] == exercise]

    def counts(self, judge: Judge, exercise: str, code: str, limits: Any) -> dict[str, int]:
        """TP/FP/FN of `code` over the studio's clips, counted as tools/evaluate_corpus.py does."""
        judged = {s.path: judge(s.clip, limits) for s in self.of(exercise)}
        return self._counts(exercise, code, judged)

    def _counts(self, exercise: str, code: str, judged: Mapping[str, Outcome]) -> dict[str, int]:
        from evaluate_corpus import ClipOutcome, fault_counts

        outcomes = [
            ClipOutcome(
                s.path,
                s.expected,
                {"verdict": judged[s.path].verdict, "fault_codes": sorted(judged[s.path].codes)},
            )
            for s in self.of(exercise)
        ]
        return fault_counts(outcomes).get(f"{exercise}.{code}", {"tp": 0, "fp": 0, "fn": 0})

    def objective(self, judge: Judge) -> Objective:
        """Refitting on the studio: fewest clips with the knob's code wrong (missed where
        the truth has it, reported where the truth forbids it)."""

        def objective(knob: Knob, base: Any) -> list[tuple[int, int]]:
            rows = {s.path: sweep(judge, knob, s.clip, base) for s in self.of(knob.exercise)}
            scores = []
            for i in range(len(knob.grid())):
                judged = {path: row[i] for path, row in rows.items()}
                c = self._counts(knob.exercise, knob.code, judged)
                scores.append((-(c["fp"] + c["fn"]), 0))
            return scores

        return objective


def f1(counts: Mapping[str, int]) -> float:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan


# --- refitting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A refitted value and the run of equally good grid values it is the middle of."""

    value: float
    run: tuple[float, float]
    open_below: bool  # the run reaches the bottom of the search range
    open_above: bool
    score: tuple[int, int]


def best_value(grid: Sequence[float], scores: Sequence[tuple[int, int]]) -> Choice:
    """The middle of the widest run of consecutive grid values with the best score
    (the first such run on a tie), so the margin to the nearest clip is widest."""
    best = max(scores)
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, score in enumerate(scores):
        if score == best and start is None:
            start = i
        if score != best and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(scores) - 1))
    lo, hi = max(runs, key=lambda run: (grid[run[1]] - grid[run[0]], -run[0]))
    value = round((grid[lo] + grid[hi]) / 2, 6)
    return Choice(value, (grid[lo], grid[hi]), lo == 0, hi == len(grid) - 1, best)


def clip_score(knob: Knob, clip: Clip, outcome: Outcome) -> tuple[int, int]:
    """(verdict agrees, the knob's fault as the label says) for one clip, 0 or 1 each."""
    fault = clip.fault_agrees(knob.code, outcome)
    return (int(clip.agrees(outcome)), int(bool(fault)))


# Scores a knob at every value of its grid, the other thresholds as in the limits given.
Objective = Callable[[Knob, Any], list[tuple[int, int]]]


def sweep(judge: Judge, knob: Knob, clip: Clip, base: Any) -> list[Outcome]:
    """The clip judged along the knob's grid (the other thresholds as in `base`).

    By bisection: a threshold moves its own fault one way only, so where the verdict
    and the knob's fault read the same at two grid values they are taken to read the
    same between them (that value is filled in; faults of other codes and the score may
    differ there). Change points are found exactly, in a few judgements per clip."""
    grid = knob.grid()
    outcomes: list[Outcome | None] = [None] * len(grid)

    def at(i: int) -> Outcome:
        found = outcomes[i]
        if found is None:
            found = outcomes[i] = judge(clip, knob.apply(base, grid[i]))
        return found

    def fill(lo: int, hi: int) -> None:
        if hi - lo <= 1:
            return
        if not _differs(knob, at(lo), at(hi)):
            outcomes[lo + 1 : hi] = [at(lo)] * (hi - lo - 1)
            return
        mid = (lo + hi) // 2
        at(mid)
        fill(lo, mid)
        fill(mid, hi)

    fill(0, len(grid) - 1)
    return [at(i) for i in range(len(grid))]


def footage_objective(judge: Judge, clips: Sequence[Clip]) -> Objective:
    def objective(knob: Knob, base: Any) -> list[tuple[int, int]]:
        total = [[0, 0] for _ in knob.grid()]
        for clip in clips:
            for i, outcome in enumerate(sweep(judge, knob, clip, base)):
                verdict, fault = clip_score(knob, clip, outcome)
                total[i][0] += verdict
                total[i][1] += fault
        return [(a, b) for a, b in total]

    return objective


@dataclass
class Fit:
    """An exercise's thresholds refitted on some clips."""

    limits: Any
    choices: dict[str, Choice]
    trained_on: str  # "footage", "studio" or "range middle"
    passes: int
    converged: bool = True
    # Per knob: the training clips whose change sits at the lower and at the upper edge
    # of the chosen run (what bounds the refit on each side; none where the range does).
    setters: dict[str, tuple[list[ChangePoint], list[ChangePoint]]] = field(default_factory=dict)


def fit_exercise(
    exercise: str, knobs: Sequence[Knob], objective: Objective | None, base: Any
) -> Fit:
    """Coordinate ascent from today's limits: each knob in turn to its best value given
    the others, until a whole pass moves none. Without an objective (no clips to learn
    from) every knob goes to the middle of its range."""
    mine = [k for k in knobs if k.exercise == exercise]
    limits = base
    choices: dict[str, Choice] = {}
    if objective is None:
        for knob in mine:
            grid = knob.grid()
            choices[knob.key] = best_value(grid, [(0, 0)] * len(grid))
            limits = knob.apply(limits, choices[knob.key].value)
        return Fit(limits, choices, "range middle", 0)
    passes, moved = 0, True
    while moved and passes < MAX_PASSES:
        passes += 1
        moved = False
        for knob in mine:
            grid = knob.grid()
            choice = best_value(grid, objective(knob, limits))
            if getattr(limits, knob.name) != choice.value:
                moved = True
            choices[knob.key] = choice
            limits = knob.apply(limits, choice.value)
    return Fit(limits, choices, "footage", passes, converged=not moved)


def run_edges(
    knob: Knob, choice: Choice, judge: Judge, clips: Sequence[Clip], limits: Any
) -> tuple[list[ChangePoint], list[ChangePoint]]:
    """The clips whose verdict or fault changes at the lower and the upper edge of the
    chosen run, the other thresholds as in `limits`."""
    below_at = round(choice.run[0] - knob.step / 2, 6)
    above_at = round(choice.run[1] + knob.step / 2, 6)
    points = [p for c in clips for p in change_points(knob, c, sweep(judge, knob, c, limits))]
    return ([p for p in points if p.at == below_at], [p for p in points if p.at == above_at])


# --- what sets a threshold ---------------------------------------------------------------


@dataclass(frozen=True)
class ChangePoint:
    """Between two grid values a clip's outcome changes: the clip sets the threshold there."""

    clip: Clip
    at: float  # midway between the two grid values
    below: Outcome  # with the threshold just below `at`
    above: Outcome

    def describe(self, code: str) -> str:
        changes = []
        if (code in self.below.codes) != (code in self.above.codes):
            gained = code in self.above.codes
            changes.append(f"{code} {'found' if gained else 'lost'} above {self.at:g}")
        if self.below.verdict != self.above.verdict:
            changes.append(
                f"verdict {self.below.verdict} -> {self.above.verdict} above {self.at:g}"
            )
        return f"{self.clip.name} [{self.clip.source}, {self.clip.label}]: " + "; ".join(changes)


def change_points(knob: Knob, clip: Clip, outcomes: Sequence[Outcome]) -> list[ChangePoint]:
    """Where, along the knob's grid, the clip's verdict or the knob's fault changes."""
    grid = knob.grid()
    points = []
    for i in range(len(grid) - 1):
        a, b = outcomes[i], outcomes[i + 1]
        if a.verdict != b.verdict or (knob.code in a.codes) != (knob.code in b.codes):
            points.append(ChangePoint(clip, round((grid[i] + grid[i + 1]) / 2, 6), a, b))
    return points


def nearest_setters(
    points: Iterable[ChangePoint], value: float
) -> tuple[ChangePoint | None, ChangePoint | None]:
    """The change points nearest `value` below and above it."""
    below = [p for p in points if p.at < value]
    above = [p for p in points if p.at > value]
    return (
        max(below, key=lambda p: p.at) if below else None,
        min(above, key=lambda p: p.at) if above else None,
    )


# --- per-fault precision and recall ------------------------------------------------------


@dataclass
class FaultTally:
    code: str
    labelled: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    correct_clips: int = 0
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.labelled) if self.labelled else math.nan

    @property
    def precision(self) -> float:
        hits = len(self.found) + len(self.false_alarms)
        return len(self.found) / hits if hits else math.nan

    @property
    def met(self) -> bool:
        return self.recall >= 0.8 and len(self.false_alarms) <= len(self.found)


def fault_tallies(clips: Sequence[Clip], outcomes: Mapping[str, Outcome]) -> list[FaultTally]:
    """Per code a label names: recall over its clips, false alarms on the correct clips of
    the same exercise (doubtful labels left out)."""
    counted = [c for c in clips if not c.doubtful and c.file in outcomes]
    codes = sorted({(c.exercise, c.code) for c in counted if c.code})
    tallies = []
    for exercise, code in codes:
        tally = FaultTally(f"{exercise}.{code}")
        for clip in counted:
            if clip.exercise != exercise:
                continue
            reported = code in outcomes[clip.file].codes
            if clip.code == code:
                tally.labelled.append(clip.name)
                if reported:
                    tally.found.append(clip.name)
            elif clip.label == "correct":
                tally.correct_clips += 1
                if reported:
                    tally.false_alarms.append(clip.name)
        tallies.append(tally)
    return tallies


# --- leave-one-source-out ----------------------------------------------------------------


@dataclass
class SweepRow:
    """One knob swept over its grid with every other threshold at today's value."""

    knob: Knob
    outcomes: dict[str, list[Outcome]]  # clip file -> outcome per grid value


@dataclass
class LosoResult:
    clips: list[Clip]
    today: dict[str, Outcome]
    insample: dict[str, Outcome]  # judged with the thresholds refitted on every source
    loso: dict[str, Outcome]  # judged with the thresholds refitted without its source
    fits: dict[tuple[str, str], Fit]  # (exercise, held-out source or "") -> fit
    sweeps: dict[str, SweepRow]
    flips: dict[tuple[str, str], list[str]]  # (knob, source) -> held-out clips it flips
    studio: Studio | None = None
    studio_f1: dict[tuple[str, float], float] = field(default_factory=dict)
    bases: dict[str, Any] = field(default_factory=dict)

    def sources(self, exercise: str) -> list[str]:
        return sorted({c.source for c in self.clips if c.exercise == exercise})


def run_loso(
    clips: Sequence[Clip],
    judge: Judge,
    studio: Studio | None = None,
    knobs: Sequence[Knob] = KNOBS,
    progress: Callable[[str], None] | None = None,
) -> LosoResult:
    """Refit every knob in-sample and per held-out source, and judge the clips with it."""
    say = progress or (lambda _: None)
    exercises = sorted({c.exercise for c in clips})
    bases = {e: default_limits(e) for e in exercises}
    today = {c.file: judge(c, bases[c.exercise]) for c in clips}
    result = LosoResult(list(clips), today, {}, {}, {}, {}, {}, studio, bases=bases)
    counted = [c for c in clips if not c.doubtful]
    for exercise in exercises:
        mine = [k for k in knobs if k.exercise == exercise]
        for knob in mine:
            say(f"sweeping {knob.key}")
            outcomes = {
                c.file: sweep(judge, knob, c, bases[exercise])
                for c in clips
                if c.exercise == exercise
            }
            result.sweeps[knob.key] = SweepRow(knob, outcomes)
            judge.checkpoint()
        for held_out in ["", *result.sources(exercise)]:
            train = [c for c in counted if c.exercise == exercise and c.source != held_out]
            say(f"refitting {exercise}" + (f" without {held_out}" if held_out else ""))
            if train:
                objective: Objective | None = footage_objective(judge, train)
            elif studio is not None and studio.of(exercise):
                objective = studio.objective(judge)
            else:
                objective = None
            fit = fit_exercise(exercise, knobs, objective, bases[exercise])
            if not train and objective is not None:
                fit.trained_on = "studio"
            for knob in mine if train else ():
                fit.setters[knob.key] = run_edges(
                    knob, fit.choices[knob.key], judge, train, fit.limits
                )
            result.fits[(exercise, held_out)] = fit
            judge.checkpoint()
            held = [
                c
                for c in clips
                if c.exercise == exercise and (c.source == held_out or not held_out)
            ]
            for clip in held:
                outcome = judge(clip, fit.limits)
                (result.loso if held_out else result.insample)[clip.file] = outcome
            if not held_out:
                continue
            for knob in mine:
                alone = knob.apply(bases[exercise], fit.choices[knob.key].value)
                flipped = []
                for c in held:
                    before, after = today[c.file], judge(c, alone)
                    if c.doubtful or not _differs(knob, before, after):
                        continue
                    better = clip_score(knob, c, after) > clip_score(knob, c, before)
                    flipped.append(f"{c.name} ({'right' if better else 'wrong'} now)")
                result.flips[(knob.key, held_out)] = flipped
    if studio is not None:
        for knob in knobs:
            values = {getattr(result.bases[knob.exercise], knob.name)}
            values |= {
                fit.choices[knob.key].value
                for (exercise, _), fit in result.fits.items()
                if exercise == knob.exercise
            }
            for value in sorted(values):
                limits = knob.apply(result.bases[knob.exercise], value)
                counts = studio.counts(judge, knob.exercise, knob.code, limits)
                result.studio_f1[(knob.key, value)] = f1(counts)
    return result


def _differs(knob: Knob, a: Outcome, b: Outcome) -> bool:
    return a.verdict != b.verdict or (knob.code in a.codes) != (knob.code in b.codes)


# --- the report --------------------------------------------------------------------------


def _pct(agree: int, total: int) -> str:
    return f"{agree}/{total} ({agree / total:.0%})" if total else "-"


def _agreement(clips: Iterable[Clip], outcomes: Mapping[str, Outcome]) -> tuple[int, int]:
    counted = [c for c in clips if not c.doubtful and c.file in outcomes]
    return sum(c.agrees(outcomes[c.file]) for c in counted), len(counted)


def _fixed(value: float) -> str:
    return "-" if value != value else f"{value:.2f}"


def render_faults(
    clips: Sequence[Clip], loso: LosoResult | None, today: Mapping[str, Outcome]
) -> str:
    """Per-fault precision and recall (today's thresholds; leave-one-source-out too)."""
    lines = [
        "## Per fault: recall on the clips labelled with it, false alarms on the correct ones",
        "",
        "A label names a fault code ("
        + ", ".join(
            f"{label} -> {exercise}.{code}"
            for (exercise, label), code in LABEL_FAULTS.items()
            if code
        )
        + "). A deadlift labelled incorrect_hips_high (a stiff-legged start with the hips"
        " high) names no code: no deadlift rule measures the start position, and"
        " hips_rise_early (the trunk tipping further forward as the bar leaves the floor)"
        " is not what it shows; it counts in the verdicts only. False alarms are counted on"
        " the clips of the same exercise labelled correct; precision is finds over finds"
        " plus false alarms. Doubtful labels are left out. Target (issue 13): recall >= 0.8"
        " and no more false alarms than finds.",
        "",
        "| fault | labelled | found | recall | correct clips | false alarms | precision | met |"
        + (" LOSO found | LOSO false alarms | LOSO met |" if loso else ""),
        "|---|---|---|---|---|---|---|---|" + ("---|---|---|" if loso else ""),
    ]
    held_out = {t.code: t for t in fault_tallies(clips, loso.loso)} if loso else {}
    for tally in fault_tallies(clips, today):
        row = (
            f"| {tally.code} | {len(tally.labelled)} | {len(tally.found)} | {tally.recall:.2f} |"
            f" {tally.correct_clips} | {len(tally.false_alarms)}"
            + (f" ({', '.join(tally.false_alarms)})" if tally.false_alarms else "")
            + f" | {_fixed(tally.precision)} | {'yes' if tally.met else '**no**'} |"
        )
        if loso:
            other = held_out[tally.code]
            row += (
                f" {len(other.found)}/{len(other.labelled)} | {len(other.false_alarms)}"
                + (f" ({', '.join(other.false_alarms)})" if other.false_alarms else "")
                + f" | {'yes' if other.met else '**no**'} |"
            )
        lines.append(row)
        missed = sorted(set(tally.labelled) - set(tally.found))
        if missed:
            lines[-1] += f" missed: {', '.join(missed)}"
    doubtful = [c for c in clips if c.doubtful and c.code]
    if doubtful:
        lines += [
            "",
            "Left out (doubtful label): "
            + ", ".join(
                f"{c.name} ({c.exercise}.{c.code}: "
                f"{'found' if c.code in today[c.file].codes else 'not found'})"
                for c in doubtful
            )
            + ".",
        ]
    return "\n".join(lines) + "\n"


def render_loso(result: LosoResult) -> str:
    clips = result.clips
    exercises = sorted({c.exercise for c in clips})
    lines = [
        "## Leave-one-source-out",
        "",
        "A source is MANIFEST.tsv's `source_repo` (one lifter, room and camera, often one"
        " session). For each source every threshold below is refitted on the other"
        " sources' labelled clips (most verdicts agreeing, then the threshold's own fault"
        " where a label names it; ties to the middle of the widest run of best values) and"
        " the source's clips are judged with the refitted thresholds. *Refitted on all"
        " sources* is the same procedure on every clip: the in-sample figure it should be"
        " compared with. Doubtful labels are left out of every count and every fit.",
        "",
        "| exercise | sources | today's thresholds (in-sample) | refitted on all sources"
        " (in-sample) | leave-one-source-out |",
        "|---|---|---|---|---|",
    ]
    totals = [[0, 0], [0, 0], [0, 0]]
    for exercise in exercises:
        mine = [c for c in clips if c.exercise == exercise]
        cells = []
        for i, outcomes in enumerate((result.today, result.insample, result.loso)):
            agree, total = _agreement(mine, outcomes)
            totals[i][0] += agree
            totals[i][1] += total
            cells.append(_pct(agree, total))
        lines.append(
            f"| {exercise} | {len(result.sources(exercise))} | " + " | ".join(cells) + " |"
        )
    lines.append(
        "| **all** | "
        + str(len({c.source for c in clips}))
        + " | "
        + " | ".join(f"**{_pct(a, t)}**" for a, t in totals)
        + " |"
    )
    refit_changes = [
        f"{c.name} {result.today[c.file].verdict} -> {result.insample[c.file].verdict}"
        f" ({', '.join(sorted(result.insample[c.file].codes)) or 'no fault'})"
        for c in clips
        if not c.doubtful and result.today[c.file].verdict != result.insample[c.file].verdict
    ]
    lines += [
        "",
        "Refitted on all sources, these verdicts change: "
        + ("; ".join(refit_changes) or "none")
        + ".",
    ]
    lines += [
        "",
        "### Per held-out source",
        "",
        "| source | exercise | labelled clips | today | leave-one-source-out | refitted on |"
        " clips whose verdict changes |",
        "|---|---|---|---|---|---|---|",
    ]
    for exercise in exercises:
        for source in result.sources(exercise):
            mine = [c for c in clips if c.exercise == exercise and c.source == source]
            fit = result.fits[(exercise, source)]
            changed = [
                f"{c.name}: {result.today[c.file].verdict} -> {result.loso[c.file].verdict}"
                + (" (doubtful)" if c.doubtful else "")
                for c in mine
                if result.today[c.file].verdict != result.loso[c.file].verdict
            ]
            trained = {
                "footage": "the other sources' clips",
                "studio": "**the studio corpus** (no other source has a labelled clip)",
                "range middle": "**nothing**: no other source, no studio (range middles)",
            }[fit.trained_on]
            lines.append(
                f"| {source} | {exercise} | {len([c for c in mine if not c.doubtful])} |"
                f" {_pct(*_agreement(mine, result.today))} |"
                f" {_pct(*_agreement(mine, result.loso))} |"
                f" {trained} | {'; '.join(changed) or '-'} |"
            )
    lines += [
        "",
        "### Each threshold: today, refitted, and what a refit does to the held-out clips",
        "",
        "Refits are `value [best run]`; a run that reaches the end of the search range is"
        " marked `<` or `>` (nothing in the clips bounds it on that side: the range does)."
        " *Flips* lists held-out clips whose verdict or own fault changes when this one"
        " threshold takes its refitted value (every other at today's)."
        + (
            " *Studio F1* is tools/evaluate_corpus.py's F1 for the code with the threshold"
            " at today's value, then at each refit that moves it."
            if result.studio
            else ""
        ),
        "",
        "| threshold | code | search range (step) | today | refitted on all sources |"
        " refitted without each source | flips a held-out clip |"
        + (" studio F1 |" if result.studio else ""),
        "|---|---|---|---|---|---|---|" + ("---|" if result.studio else ""),
    ]
    for key, sweep in result.sweeps.items():
        knob = sweep.knob
        today_value = getattr(result.bases[knob.exercise], knob.name)
        all_fit = result.fits[(knob.exercise, "")].choices[key]
        per_source = []
        flips = []
        for source in result.sources(knob.exercise):
            choice = result.fits[(knob.exercise, source)].choices[key]
            per_source.append(f"{_short(source)}: {_choice(choice)}")
            flipped = result.flips.get((key, source), [])
            if flipped:
                flips.append(f"**{_short(source)}**: {', '.join(flipped)}")
        row = (
            f"| {key} | {knob.code} | {knob.lo:g}-{knob.hi:g} ({knob.step:g}) | {today_value:g} |"
            f" {_choice(all_fit)} | {'; '.join(per_source)} | {'; '.join(flips) or 'none'} |"
        )
        if result.studio:
            values = sorted(
                {
                    c.value
                    for (e, _), f in result.fits.items()
                    if e == knob.exercise
                    for k, c in f.choices.items()
                    if k == key
                }
                - {today_value}
            )
            base_f1 = result.studio_f1.get((key, today_value), math.nan)
            moved = [
                f"{v:g}: {_fixed(result.studio_f1[(key, v)])}"
                for v in values
                if (key, v) in result.studio_f1
            ]
            row += f" {_fixed(base_f1)}" + (f" -> {', '.join(moved)}" if moved else "") + " |"
        lines.append(row)
    lines += _section(
        "What bounds each refit",
        "The clips (of the clips the refit learnt from) whose verdict or own fault changes"
        " at the edges of the refit's best run: moving the threshold past them loses"
        " agreement. `range` where nothing does, so the search range bounds it.",
        ["threshold", "refitted without", "value", "bounded below by", "bounded above by"],
    )
    for key, sweep_row in result.sweeps.items():
        knob = sweep_row.knob
        for (exercise, held_out), fit in result.fits.items():
            if exercise != knob.exercise or key not in fit.setters:
                continue
            below, above = fit.setters[key]
            choice = fit.choices[key]
            lines.append(
                f"| {key} | {_short(held_out) if held_out else '(none: all sources)'} |"
                f" {choice.value:g} | {_setters(below, knob, choice.open_below)} |"
                f" {_setters(above, knob, choice.open_above)} |"
            )
    unconverged = [
        f"{e} without {s or 'none'}" for (e, s), f in result.fits.items() if not f.converged
    ]
    if unconverged:
        lines += [
            "",
            f"Refits still moving after {MAX_PASSES} passes (the last pass is"
            f" reported): {', '.join(unconverged)}.",
        ]
    lines += _section(
        "What sets each threshold",
        "Each threshold swept over its range with every other at today's value, on every"
        " labelled clip of its exercise: the clips whose verdict or own fault changes"
        " nearest today's value, below and above it. The distance to them is the margin"
        " today's value has; a clip from the same source on both sides means one source"
        " set it alone.",
        ["threshold", "today", "nearest below", "nearest above"],
    )
    for key, sweep in result.sweeps.items():
        knob = sweep.knob
        today_value = getattr(result.bases[knob.exercise], knob.name)
        points = [
            p
            for clip in clips
            if clip.file in sweep.outcomes and not clip.doubtful
            for p in change_points(knob, clip, sweep.outcomes[clip.file])
        ]
        below, above = nearest_setters(points, today_value)
        none = "- (none in range)"
        lines.append(
            f"| {key} | {today_value:g} | {below.describe(knob.code) if below else none} |"
            f" {above.describe(knob.code) if above else none} |"
        )
    return "\n".join(lines) + "\n"


def _section(title: str, text: str, columns: Sequence[str]) -> list[str]:
    """A level-3 heading, a paragraph and a table's header rows."""
    return [
        "",
        f"### {title}",
        "",
        text,
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]


def _setters(points: Sequence[ChangePoint], knob: Knob, open_end: bool) -> str:
    if open_end or not points:
        return "range"
    return "; ".join(p.describe(knob.code) for p in points)


def _short(source: str) -> str:
    return source.split("/")[-1]


def _choice(choice: Choice) -> str:
    lo = ("<" if choice.open_below else "") + f"{choice.run[0]:g}"
    hi = f"{choice.run[1]:g}" + (">" if choice.open_above else "")
    return f"{choice.value:g} [{lo}, {hi}]"


def render_summary(result: LosoResult) -> str:
    """A few lines for docs/accuracy.md."""
    clips = result.clips
    lines = [
        "| exercise | in-sample (today's thresholds) | leave-one-source-out |",
        "|---|---|---|",
    ]
    for exercise in sorted({c.exercise for c in clips}):
        mine = [c for c in clips if c.exercise == exercise]
        lines.append(
            f"| {exercise} | {_pct(*_agreement(mine, result.today))} |"
            f" {_pct(*_agreement(mine, result.loso))} |"
        )
    lines.append(
        f"| **all** | {_pct(*_agreement(clips, result.today))} |"
        f" {_pct(*_agreement(clips, result.loso))} |"
    )
    fragile = sorted({key for (key, _), flipped in result.flips.items() if flipped})
    lines += [
        "",
        "Thresholds whose leave-one-source-out refit flips a held-out clip: "
        + (", ".join(fragile) if fragile else "none")
        + ".",
    ]
    return "\n".join(lines) + "\n"
