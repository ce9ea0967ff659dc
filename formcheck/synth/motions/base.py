"""What every motion script shares: faults with ramps, rep timelines, placement solvers."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from formcheck.errors import UsageError
from formcheck.synth.body import BodyPose, BodyShape, forward_kinematics
from formcheck.synth.props import Prop

Array = npt.NDArray[np.float64]
# Times within this of a boundary count as on it: i / fps is not exact in binary.
TIME_EPS_S = 1e-9


@dataclass(frozen=True, slots=True)
class Fault:
    """A form fault switched on (and optionally off again) during a clip.

    The fault ramps in smoothly over `ramp_s` centred on `start_s` and out over `ramp_s`
    centred on `end_s`. It counts as active from the moment its ramp-in passes halfway
    (`start_s`) until its ramp-out passes halfway (`end_s`); one with `start_s` <= 0 is
    there from the first frame at full size.

    Attributes:
        code: Fault code of the exercise, e.g. "hips_sagging".
        magnitude: Size of the fault in the exercise's measure for that code (see the
            motion module); the sign comes from the code, so give a positive size.
        start_s: When the fault counts from (middle of its ramp-in), seconds.
        end_s: When it stops counting (middle of its ramp-out); None lasts to the end.
        ramp_s: Duration of each ramp, seconds.
    """

    code: str
    magnitude: float
    start_s: float = 0.0
    end_s: float | None = None
    ramp_s: float = 0.25

    def __post_init__(self) -> None:
        if self.ramp_s < 0:
            raise ValueError(f"Fault.ramp_s: expected >= 0 seconds, got {self.ramp_s}")
        if self.end_s is not None and self.end_s <= self.start_s:
            raise ValueError(f"Fault {self.code}: end_s ({self.end_s}) must come after start_s")
        if not math.isfinite(self.magnitude):
            raise ValueError(f"Fault {self.code}: magnitude must be finite")

    def level(self, t: float) -> float:
        """How far the fault is in at time t, 0..1 (smoothstep ramps).

        A fault starting at or before 0 s is fully present from the first frame.
        """
        level = 1.0 if self.start_s <= 0 else _ramp(t, self.start_s, self.ramp_s)
        if self.end_s is not None:
            level = min(level, 1.0 - _ramp(t, self.end_s, self.ramp_s))
        return level

    def active(self, t: float) -> bool:
        """True from `start_s` (inclusive) to `end_s` (exclusive)."""
        if t < self.start_s - TIME_EPS_S:
            return False
        return self.end_s is None or t < self.end_s - TIME_EPS_S


def _ramp(t: float, centre: float, width: float) -> float:
    if width <= 0:
        return 1.0 if t >= centre - TIME_EPS_S else 0.0
    x = min(max((t - centre) / width + 0.5, 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)


def smoothstep(x: float) -> float:
    """0 -> 1 with zero slope at both ends, for x in [0, 1] (clamped)."""
    x = min(max(x, 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)


@dataclass(frozen=True, slots=True)
class MotionSample:
    """The body and the exercise state at one instant.

    Attributes:
        pose: Root placement and joint angles.
        phase: "setup", "hold", "rest", "descent", "bottom", "ascent", "lockout", "top",
            ... (each motion module lists its own).
        rep_index: 0-based index of the rep in progress, or None outside reps.
        hold: True while a timed hold is on (plank hold, bridge top hold).
        faults: Codes of the faults that show in this frame, when the script decides
            (rep faults show only in the phases where they can be seen); None means
            every fault whose window is open (`Fault.active`).
        props: Objects drawn with the body (a barbell, dumbbells), world placement.
        measures: Script-side values for the truth's fault measures that no single frame
            of landmarks can give (a rep's descent seconds), by fault code.
    """

    pose: BodyPose
    phase: str
    rep_index: int | None
    hold: bool
    faults: tuple[str, ...] | None = None
    props: tuple[Prop, ...] = ()
    measures: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasureInput:
    """What a motion's fault measures look at in one rendered frame.

    Attributes:
        xy_px: (33, 2) landmark pixels (y down).
        world_m: (33, 3) landmarks in world metres (y up, floor at 0).
        points_px: Named skeleton points projected to pixels (see `MEASURE_POINTS`;
            "sacrum" -> "lumbosacral" runs along the pelvis), each (2,).
        variant: The exercise variant.
        side: "left" or "right", the side nearer the camera.
        sample: The motion sample the frame shows.
    """

    xy_px: Array
    world_m: Array
    points_px: Mapping[str, Array]
    variant: str
    side: str
    sample: MotionSample


# Skeleton points projected for the measures (the spine has no MediaPipe landmark).
MEASURE_POINTS: tuple[str, ...] = ("pelvis", "sacrum", "lumbosacral", "t12", "t6", "c7", "c1")


class Motion(Protocol):
    """A motion script bound to one body, variant, parameter set and fault list."""

    def sample(self, t: float) -> MotionSample:
        """The pose and state at time t seconds from the clip's start."""
        ...

    def reps_completed(self, t: float) -> int:
        """Reps finished by time t."""
        ...


MeasureFn = Callable[[MeasureInput], dict[str, float]]
# (33, 3) world landmarks -> (33, 2) side-view image coordinates (y down).
SideViewFn = Callable[[Array], Array]


class BuildFn(Protocol):
    """Builds a motion: (shape, variant, params, faults, seed, side_view) -> Motion.

    `side_view` projects landmarks the way the side-view camera of the clip would, so a
    script can solve its pose for fault measures "as measured in the side view"; it
    defaults to the orthographic `sagittal_xy`.
    """

    def __call__(
        self,
        shape: BodyShape,
        variant: str,
        params: Mapping[str, Any],
        faults: tuple[Fault, ...],
        seed: int,
        side_view: SideViewFn | None = None,
    ) -> Motion: ...


def pick(rng: np.random.Generator, options: tuple[Any, ...]) -> Any:
    """One of `options`, drawn from `rng` (one draw)."""
    return options[int(rng.integers(len(options)))]


NaturalParams = Callable[[np.random.Generator, float, "str | None"], dict[str, Any]]


def _no_params(rng: np.random.Generator, tempo: float, variant: str | None) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class CorpusSpec:
    """How the evaluation corpus (`synth.catalogue.corpus`) renders one exercise.

    Attributes:
        variants: The variants its clips use; fault clips cycle through those that can
            show the fault.
        magnitudes: Fault code -> (moderate, severe) size, in the code's own measure
            (the motion module's): moderate is past where a coach would cue it, severe
            unmistakable.
        natural: (rng, tempo, variant) -> the clip's parameters, all below fault level:
            the variety a real set of clips has. `rng` is the clip's own (seeded by its
            name): draw from it in a fixed order, so a clip is the same every time.
        fault_start_s: The clip's parameters -> when its fault starts (a hold's fault
            starts after some good form; a rep fault covers every rep: 0).
        quarter_azimuth_deg: The variant -> the camera azimuth of the 45-degree view
            (lying exercises are seen from the head end: from the feet end the raised
            knees hide the hips).
        crop_offset: Subject offset (fraction of the picture, x right, y down) that
            pushes the feet out of frame, for the cropped nuisance clips.
        variant_faults: The variant -> the fault codes it can show (None: all).
    """

    variants: tuple[str | None, ...] = (None,)
    magnitudes: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    natural: NaturalParams = _no_params
    fault_start_s: Callable[[Mapping[str, Any]], float] = lambda params: 0.0
    quarter_azimuth_deg: Callable[[str | None], float] = lambda variant: 45.0
    crop_offset: tuple[float, float] = (0.0, 0.0)
    variant_faults: Callable[[str | None], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class MotionSpec:
    """A registered exercise motion.

    Attributes:
        name: Exercise name (registry key).
        variants: Allowed variants; the first is the default.
        defaults: Every parameter with its default value.
        fault_codes: Fault codes this script can perform.
        build: (shape, variant, params, faults, seed) -> Motion.
        measure: `MeasureInput` -> {fault code: true value of its measure}, from the
            rendered frame's 2D landmarks (and, where a code needs them, spine points
            or world landmarks).
        natural_duration_s: (params, faults) -> length of the scripted motion, seconds
            (None when it can run for any duration, as a hold does); faults that change
            the tempo (a rushed descent, a short hold) change it.
        holds: Whether the exercise is a timed hold (its truth counts hold seconds);
            otherwise it counts reps. Registered rules say it themselves (their kind);
            this speaks for a motion formcheck does not judge yet.
        corpus: How the evaluation corpus renders it.
        side_view: What the rules call the studio's azimuth-0 view ("side"; a side
            plank, lying on its side chest to the camera, is seen from the "front").
    """

    name: str
    variants: tuple[str, ...]
    defaults: Mapping[str, Any]
    fault_codes: tuple[str, ...]
    build: BuildFn
    measure: MeasureFn
    natural_duration_s: Callable[[Mapping[str, Any], tuple[Fault, ...]], float | None]
    holds: bool = False
    corpus: CorpusSpec = field(default_factory=CorpusSpec)
    side_view: str = "side"

    def fault_codes_of(self, variant: str | None) -> tuple[str, ...]:
        """The fault codes `variant` can show."""
        if self.corpus.variant_faults is not None:
            return self.corpus.variant_faults(variant)
        return self.fault_codes

    def resolve(
        self, variant: str | None, params: Mapping[str, Any], faults: tuple[Fault, ...]
    ) -> tuple[str, dict[str, Any]]:
        """Check the variant, parameter names and fault codes; fill in defaults."""
        chosen = variant or self.variants[0]
        if chosen not in self.variants:
            raise UsageError(
                f"{self.name}: unknown variant {chosen!r}; choose one of {list(self.variants)}"
            )
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            raise UsageError(
                f"{self.name}: unknown parameters {unknown}; known: {sorted(self.defaults)}"
            )
        for fault in faults:
            if fault.code not in self.fault_codes:
                raise UsageError(
                    f"{self.name}: unknown fault {fault.code!r}; known: {sorted(self.fault_codes)}"
                )
        return chosen, {**self.defaults, **params}


@dataclass(frozen=True, slots=True)
class RepTimeline:
    """Setup, then `reps` cycles of named phases, then the final phase held.

    Attributes:
        setup_s: Seconds before the first rep (phase "setup").
        phases: (name, seconds) of one rep cycle, in order.
        reps: Number of cycles.
        completes_with: Phase whose end completes a rep.
        after: Phase name once all reps are done.
    """

    setup_s: float
    phases: tuple[tuple[str, float], ...]
    reps: int
    completes_with: str
    after: str

    @property
    def cycle_s(self) -> float:
        return sum(seconds for _, seconds in self.phases)

    @property
    def duration_s(self) -> float:
        return self.setup_s + self.reps * self.cycle_s

    def at(self, t: float) -> tuple[str, int | None, float]:
        """(phase, rep index or None, fraction 0..1 through the phase) at time t."""
        if t < self.setup_s - TIME_EPS_S:
            return "setup", None, t / self.setup_s if self.setup_s > 0 else 1.0
        into = t - self.setup_s
        rep = int((into + TIME_EPS_S) // self.cycle_s) if self.cycle_s > 0 else self.reps
        if rep >= self.reps:
            return self.after, None, 1.0
        into -= rep * self.cycle_s
        for name, seconds in self.phases:
            if into < seconds - TIME_EPS_S:
                return name, rep, max(into, 0.0) / seconds
            into -= seconds
        return self.phases[-1][0], rep, 1.0

    def reps_completed(self, t: float) -> int:
        """Reps whose `completes_with` phase has ended by time t."""
        end_in_cycle = 0.0
        for name, seconds in self.phases:
            end_in_cycle += seconds
            if name == self.completes_with:
                break
        done = math.floor((t - self.setup_s - end_in_cycle + TIME_EPS_S) / self.cycle_s) + 1
        return int(min(max(done, 0), self.reps))


def solve_increasing(
    f: Callable[[float], float], target: float, lo: float, hi: float, tol: float = 1e-7
) -> float:
    """x in [lo, hi] with f(x) = target, for f increasing (Illinois false position).

    Raises:
        ValueError: the target is outside [f(lo), f(hi)].
    """
    f_lo, f_hi = f(lo) - target, f(hi) - target
    if f_lo > 0 or f_hi < 0:
        raise ValueError(
            f"target {target:.4g} is outside the reachable range [{f_lo + target:.4g}, "
            f"{f_hi + target:.4g}]; choose a smaller fault magnitude"
        )
    side = 0
    x = lo
    for _ in range(100):
        x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo) if f_hi != f_lo else (lo + hi) / 2.0
        value = f(x) - target
        if abs(value) < tol or hi - lo < 1e-12:
            return x
        if value < 0:
            lo, f_lo = x, value
            if side == -1:
                f_hi /= 2.0
            side = -1
        else:
            hi, f_hi = x, value
            if side == 1:
                f_lo /= 2.0
            side = 1
    return x


def solve_clamped(
    f: Callable[[float], float], target: float, lo: float, hi: float, tol: float = 1e-7
) -> float:
    """Like `solve_increasing`, but a target out of reach gives the nearer end of the
    range: for secondary targets (a neutral head) that a strong fault can push out of
    reach, where the closest posture is the right answer."""
    try:
        return solve_increasing(f, target, lo, hi, tol)
    except ValueError:
        return lo if abs(f(lo) - target) <= abs(f(hi) - target) else hi


def sagittal_xy(points_m: Array) -> Array:
    """(N, 3) world points -> (N, 2) side-view image-like coordinates (x, -y): y down.

    An orthographic view of the sagittal plane, used to solve poses for a measure that
    a real side-view camera then reports within perspective error.
    """
    result: Array = np.stack([points_m[:, 0], -points_m[:, 1]], axis=1)
    return result


def place_root(shape: BodyShape, pose: BodyPose, joint: str, target_m: Array) -> BodyPose:
    """The pose translated so that the named joint lands on a world target (metres)."""
    skeleton = forward_kinematics(shape, pose)
    offset = np.asarray(target_m, dtype=np.float64) - skeleton.joint(joint)
    root = np.asarray(pose.root_position_m) + offset
    return replace(pose, root_position_m=(float(root[0]), float(root[1]), float(root[2])))


Phases = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class RepSchedule:
    """Setup, then reps whose phase lengths may differ rep to rep, then a final phase.

    Built by `RepSchedule.build`, which asks for each rep's phases knowing when the rep
    starts, so a fault switched on mid-clip (a rushed descent, a short top hold) changes
    only the reps it covers, and every later rep moves along in time.

    Attributes:
        setup_s: Seconds before the first rep (phase "setup").
        reps: Per rep, its (phase name, seconds), in order.
        completes_with: Phase whose end completes a rep.
        after: Phase once all reps are done.
        after_s: Seconds of `after` in the natural duration (the idle tail).
    """

    setup_s: float
    reps: tuple[Phases, ...]
    completes_with: str
    after: str
    after_s: float = 0.0

    @classmethod
    def build(
        cls,
        setup_s: float,
        count: int,
        phases_for: Callable[[int, float], Phases],
        completes_with: str,
        after: str,
        after_s: float = 0.0,
    ) -> RepSchedule:
        """Ask `phases_for(rep index, rep start seconds)` for each of `count` reps."""
        reps: list[Phases] = []
        start = setup_s
        for index in range(count):
            phases = phases_for(index, start)
            reps.append(phases)
            start += sum(seconds for _, seconds in phases)
        return cls(setup_s, tuple(reps), completes_with, after, after_s)

    @property
    def duration_s(self) -> float:
        return self.setup_s + sum(self.rep_seconds(i) for i in range(len(self.reps))) + self.after_s

    def rep_seconds(self, index: int) -> float:
        return sum(seconds for _, seconds in self.reps[index])

    def rep_start_s(self, index: int) -> float:
        return self.setup_s + sum(self.rep_seconds(i) for i in range(index))

    def at(self, t: float) -> tuple[str, int | None, float]:
        """(phase, rep index or None, fraction 0..1 through the phase) at time t."""
        if t < self.setup_s - TIME_EPS_S:
            return "setup", None, t / self.setup_s if self.setup_s > 0 else 1.0
        start = self.setup_s
        for index, phases in enumerate(self.reps):
            for name, seconds in phases:
                if t < start + seconds - TIME_EPS_S:
                    return name, index, max(t - start, 0.0) / seconds if seconds > 0 else 1.0
                start += seconds
        fraction = (t - start) / self.after_s if self.after_s > 0 else 1.0
        return self.after, None, min(max(fraction, 0.0), 1.0)

    def previous_phase(self, rep: int, phase: str) -> str:
        """The phase before `phase` of rep `rep` ("setup" before the first rep's first)."""
        names = [name for name, _ in self.reps[rep]]
        i = names.index(phase)
        if i > 0:
            return names[i - 1]
        return "setup" if rep == 0 else self.reps[rep - 1][-1][0]

    def reps_completed(self, t: float) -> int:
        """Reps whose `completes_with` phase has ended by time t."""
        done = 0
        start = self.setup_s
        for phases in self.reps:
            end = start
            for name, seconds in phases:
                end += seconds
                if name == self.completes_with:
                    break
            if t + TIME_EPS_S >= end:
                done += 1
            start += sum(seconds for _, seconds in phases)
        return done


# Reps that go down and come back up to standing: squat, lunge.
DOWN_UP_PHASES: tuple[tuple[str, str], ...] = (
    ("descent", "descent_s"),
    ("bottom", "bottom_s"),
    ("ascent", "ascent_s"),
    ("top", "top_s"),
)


def steady_schedule(
    params: Mapping[str, Any],
    phase_keys: tuple[tuple[str, str], ...],
    completes_with: str,
    after: str,
) -> RepSchedule:
    """`reps` identical reps of (phase, seconds from params[key]) after `setup_s`, with an
    `idle_s` tail in phase `after`."""
    phases = tuple((name, float(params[key])) for name, key in phase_keys)
    return RepSchedule.build(
        float(params["setup_s"]),
        int(params["reps"]),
        lambda index, start_s: phases,
        completes_with=completes_with,
        after=after,
        after_s=float(params["idle_s"]),
    )


class ScheduledMotion:
    """Shared by rep motions: a schedule and faults (subclasses set both in __init__)."""

    schedule: RepSchedule
    faults: tuple[Fault, ...]

    def reps_completed(self, t: float) -> int:
        return self.schedule.reps_completed(t)

    def amount(self, code: str, t: float) -> float:
        """The fault's magnitude times its ramp level at time t (0 without the fault)."""
        return max(
            (abs(f.magnitude) * f.level(t) for f in self.faults if f.code == code), default=0.0
        )

    def open_faults(self, t: float) -> tuple[str, ...]:
        """Codes of the faults whose window is open at time t."""
        return tuple(dict.fromkeys(f.code for f in self.faults if f.active(t)))
