"""The scenario catalogue: every named clip, the committed samples and the larger corpus.

- `SAMPLES`: the clips committed in `sample_videos/` (640x480, 30 fps, 3-8 s), each
  regenerated bit-identically by `formcheck synth NAME` (a test checks the frame hash).
- `SCENARIOS`: the samples plus a few more demo clips, by name.
- `corpus(size, quick)`: the larger corpus, rendered on demand (`formcheck synth
  --corpus DIR`) and never committed: every exercise the rules judge x the side and
  45-degree views x each of its faults at two magnitudes (`MAGNITUDES`: moderate and
  severe, both sizes a coach would clearly call the fault), plus clean clips with
  natural variation below fault level, plus exercises the rules do not judge (squat,
  lunge, bird dog, Russian twist: negatives for exercise detection) and a nuisance set
  (backgrounds, light, noise, blur, JPEG, a bystander, the body partly out of frame,
  camera height, distance and lens).

Variation is seeded from each clip's name, so a corpus clip is the same every time.
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from typing import Any

import numpy as np

from formcheck.exercises import REGISTRY
from formcheck.synth.appearance import Appearance
from formcheck.synth.body import BodyShape
from formcheck.synth.camera import CameraSpec
from formcheck.synth.clip import Scenario
from formcheck.synth.motions import MOTIONS, Fault
from formcheck.synth.motions.base import pick

# Fault magnitudes of the corpus, "exercise.code" -> (moderate, severe), in each code's
# own measure: each motion module's `CorpusSpec.magnitudes` says why.
MAGNITUDES: dict[str, tuple[float, float]] = {
    f"{name}.{code}": sizes
    for name, spec in MOTIONS.items()
    for code, sizes in spec.corpus.magnitudes.items()
}
# The studio's exercises with rules (in the registry's order) and without (negatives for
# exercise detection), from the registry.
JUDGED = tuple(name for name in REGISTRY if name in MOTIONS)
NOT_JUDGED = tuple(name for name in MOTIONS if name not in REGISTRY)
VIEWS = ("side", "45")
_SKINS = ("#e0ac8c", "#c68e6c", "#8d5a3b", "#f1c7a5", "#5c3a24")
_SHIRTS = ("#2f4f8f", "#8f2f3a", "#2f7f5f", "#5a5a5a", "#c8a040", "#e0e0e0", "#6a3f8f")
_PANTS = ("#2d2d33", "#3f4f6f", "#5a4a3a", "#202020", "#6f6f78")
_BACKGROUNDS = ("gradient", "plain", "textured", "room")
_LIGHTS = ((0.3, 1.0, -0.5), (-0.5, 1.0, -0.3), (0.0, 1.0, 0.0), (0.8, 0.6, -0.4))


def view_azimuth(exercise: str, variant: str | None, view: str) -> float:
    """Camera azimuth for a named view: "side" or "45" (three-quarter; each motion says
    from which end, `CorpusSpec.quarter_azimuth_deg`)."""
    if view == "side":
        return 0.0
    if view != "45":
        raise ValueError(f"view: expected 'side' or '45', got {view!r}")
    return MOTIONS[exercise].corpus.quarter_azimuth_deg(variant)


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(name.encode()))


def _natural(name: str, exercise: str, variant: str | None) -> dict[str, Any]:
    """Body, look, camera and exercise parameters of one corpus clip, all below fault
    level: the variety a real set of clips has."""
    rng = _rng(name)
    body = BodyShape(
        height_m=round(float(rng.uniform(1.58, 1.90)), 3),
        build=round(float(rng.uniform(0.9, 1.15)), 3),
        leg_ratio=round(float(rng.uniform(0.96, 1.04)), 3),
    )
    appearance = Appearance(
        skin=pick(rng, _SKINS),
        shirt=pick(rng, _SHIRTS),
        pants=pick(rng, _PANTS),
        legwear="shorts" if rng.uniform() < 0.2 else "long",
        sleeves="long" if rng.uniform() < 0.25 else "short",
        background=pick(rng, _BACKGROUNDS),
        light_direction=pick(rng, _LIGHTS),
        noise_sigma=round(float(rng.uniform(1.0, 2.5)), 2),
    )
    camera = {
        # A laptop on the floor, a low table, a table, a tripod.
        "elevation_deg": float(pick(rng, (3.0, 8.0, 14.0, 20.0))),
        "hfov_deg": float(pick(rng, (55.0, 60.0, 68.0))),
    }
    tempo = float(rng.uniform(0.9, 1.15))
    params = MOTIONS[exercise].corpus.natural(rng, tempo, variant)
    return {"body": body, "appearance": appearance, "camera": camera, "params": params}


def corpus_scenario(
    exercise: str,
    variant: str | None,
    view: str,
    fault: str | None = None,
    level: str = "moderate",
    *,
    size: tuple[int, int] = (320, 240),
    fps: float = 30.0,
    name: str | None = None,
) -> Scenario:
    """One corpus clip: natural variation seeded by its name, at most one fault.

    Args:
        exercise: Motion name.
        variant: Its variant (None: the default).
        view: "side" or "45" (see `view_azimuth`).
        fault: Fault code or None (clean).
        level: "moderate" or "severe" (`MAGNITUDES`).
        size: Frame size.
        fps: Frame rate.
        name: Clip name; None builds it from the other arguments.
    """
    if name is None:
        parts = [exercise, variant or "", fault or "good", level if fault else "", view]
        name = "_".join(p for p in parts if p)
    natural = _natural(name, exercise, variant)
    params = natural["params"]
    faults: tuple[Fault, ...] = ()
    if fault is not None:
        moderate, severe = MAGNITUDES[f"{exercise}.{fault}"]
        magnitude = moderate if level == "moderate" else severe
        start = MOTIONS[exercise].corpus.fault_start_s(params)
        faults = (Fault(fault, magnitude, start_s=start),)
    camera = CameraSpec(azimuth_deg=view_azimuth(exercise, variant, view), **natural["camera"])
    return Scenario(
        exercise=exercise,
        variant=variant,
        params=params,
        faults=faults,
        camera=camera,
        body=natural["body"],
        appearance=natural["appearance"],
        fps=fps,
        size=size,
        seed=zlib.crc32(name.encode()) % 10_000,
        name=name,
    )


def _fault_codes(exercise: str, variant: str | None) -> tuple[str, ...]:
    return MOTIONS[exercise].fault_codes_of(variant)


# Variants each exercise's corpus covers; fault clips cycle through them.
CORPUS_VARIANTS: dict[str, tuple[str | None, ...]] = {
    name: spec.corpus.variants for name, spec in MOTIONS.items()
}
# Nuisances, each on a clean clip (the nuisance is the only change from natural).
NUISANCES: dict[str, dict[str, Any]] = {
    "background_plain": {"appearance": {"background": "plain"}},
    "background_textured": {"appearance": {"background": "textured"}},
    "background_room": {"appearance": {"background": "room"}},
    "light_dim": {"appearance": {"exposure": 0.55, "light_direction": (-0.8, 0.5, 0.3)}},
    "light_bright": {"appearance": {"exposure": 1.35}},
    "sensor_noise": {"appearance": {"noise_sigma": 6.0}},
    "blur": {"appearance": {"blur_sigma_px": 1.6}},
    "jpeg": {"appearance": {"jpeg_quality": 18}},
    "bystander": {"appearance": {"bystander": "person"}},
    "objects": {"appearance": {"bystander": "object"}},
    # The body partly out of frame: the feet end, then the head end, leaves the picture
    # (the offsets per exercise are in `_CROPS`: a plank's head is on the left of a side
    # view, a bridge's on the right, a standing lifter's up).
    "cropped_feet": {},
    "cropped_head": {},
    "floor_laptop": {"camera": {"elevation_deg": 1.0, "hfov_deg": 70.0}},
    "tripod": {"camera": {"elevation_deg": 32.0}},
    "far": {"camera": {"distance_scale": 1.7}},
    "wide_lens": {"camera": {"hfov_deg": 90.0}},
    "barbell": {"params": {"implement": "barbell"}},
}
_NUISANCE_SUBJECTS = (("plank", "forearm"), ("deadlift", "conventional"), ("glute_bridge", None))


def corpus(
    size: tuple[int, int] = (320, 240),
    quick: bool = False,
    fps: float = 30.0,
    exercises: tuple[str, ...] | None = None,
) -> dict[str, Scenario]:
    """Every clip of the corpus by name (see the module docstring).

    Args:
        size: Frame size of every clip.
        exercises: Only these exercises' clips, nuisance clips included (None: all).
        quick: A smaller corpus (severe faults, side view, fewer clean and nuisance
            clips) for a first look.
        fps: Frame rate.
    """
    clips: dict[str, Scenario] = {}

    def add(scenario: Scenario) -> None:
        clips[scenario.name] = scenario

    views = ("side",) if quick else VIEWS
    levels = ("severe",) if quick else ("moderate", "severe")
    for exercise in (*JUDGED, *NOT_JUDGED):
        if exercises is not None and exercise not in exercises:
            continue
        variants = CORPUS_VARIANTS[exercise]
        for view in views:
            clean = variants[:1] if quick else variants
            for variant in clean:
                add(corpus_scenario(exercise, variant, view, size=size, fps=fps))
            i = 0
            for code in sorted({c for v in variants for c in _fault_codes(exercise, v)}):
                for level in levels:
                    # Cycle the variants that can show this fault.
                    able = [v for v in variants if code in _fault_codes(exercise, v)]
                    variant = able[i % len(able)]
                    i += 1
                    add(corpus_scenario(exercise, variant, view, code, level, size=size, fps=fps))
    nuisances = list(NUISANCES)[:4] if quick else list(NUISANCES)
    for key in nuisances:
        for exercise, variant in _NUISANCE_SUBJECTS:
            if exercises is not None and exercise not in exercises:
                continue
            if key == "barbell" and "implement" not in MOTIONS[exercise].defaults:
                continue
            base = corpus_scenario(exercise, variant, "side", size=size, fps=fps)
            base = _with_nuisance(base, NUISANCES[key], f"{base.name}_{key}")
            add(base)
    return clips


def _with_nuisance(scenario: Scenario, change: dict[str, Any], name: str) -> Scenario:
    camera = replace(scenario.camera, **change.get("camera", {}))
    if name.endswith(("_cropped_feet", "_cropped_head")):
        dx, dy = MOTIONS[scenario.exercise].corpus.crop_offset
        sign = 1.0 if name.endswith("_feet") else -1.0
        camera = replace(camera, offset=(sign * dx, sign * dy))
    return replace(
        scenario,
        name=name,
        appearance=replace(scenario.appearance, **change.get("appearance", {})),
        camera=camera,
        params={**scenario.params, **change.get("params", {})},
    )


# --- the committed samples and demo clips --------------------------------------------------

DEFAULT_FAULT_MAGNITUDE: dict[str, float] = {
    "hips_sagging": 0.11,
    "hips_piking": 0.11,
    "head_dropping": 20.0,
}


def plank_scenario(
    fault: str | None = None,
    *,
    magnitude: float | None = None,
    start_s: float = 2.0,
    end_s: float | None = None,
    variant: str = "forearm",
    azimuth_deg: float = 0.0,
    duration_s: float = 5.0,
    size: tuple[int, int] = (640, 480),
    fps: float = 30.0,
    seed: int = 0,
    **scenario: Any,
) -> Scenario:
    """A plank hold with at most one fault (the first samples' recipe).

    Args:
        fault: Fault code, or None for good form.
        magnitude: Fault size; defaults to `DEFAULT_FAULT_MAGNITUDE[fault]`.
        start_s: When the fault counts from.
        end_s: When it stops counting; None lasts to the end.
        variant: "forearm", "high" or "knee".
        azimuth_deg: 0 side view, 45 three-quarter, 90 front (head-on).
        duration_s: Clip length.
        size: (width, height) pixels.
        fps: Frames per second.
        seed: Random seed.
        **scenario: Any other `Scenario` field (appearance, body, params, ...).
    """
    faults: tuple[Fault, ...] = ()
    if fault is not None:
        size_of_fault = DEFAULT_FAULT_MAGNITUDE[fault] if magnitude is None else magnitude
        faults = (Fault(fault, size_of_fault, start_s=start_s, end_s=end_s),)
    camera = scenario.pop("camera", CameraSpec(azimuth_deg=azimuth_deg))
    return Scenario(
        exercise="plank",
        variant=variant,
        faults=faults,
        camera=camera,
        duration_s=duration_s,
        size=size,
        fps=fps,
        seed=seed,
        **scenario,
    )


def _named(name: str, scenario: Scenario) -> tuple[str, Scenario]:
    return name, replace(scenario, name=name)


_TWO_PULLS = {"reps": 2, "setup_s": 0.8, "idle_s": 0.3}
_ONE_BRIDGE = {"reps": 1, "top_hold_s": 3.5}
_HEAD_END = CameraSpec(azimuth_deg=-45.0)
_QUARTER = CameraSpec(azimuth_deg=45.0)

SAMPLES: dict[str, Scenario] = dict(
    [
        _named("plank_good_side", plank_scenario()),
        _named("plank_sag_side", plank_scenario("hips_sagging")),
        _named("plank_pike_side", plank_scenario("hips_piking", magnitude=0.15)),
        _named("plank_good_45", plank_scenario(azimuth_deg=45.0)),
        _named("plank_sag_45", plank_scenario("hips_sagging", magnitude=0.12, azimuth_deg=45.0)),
        _named(
            "side_plank_good_front",
            Scenario(exercise="side_plank", variant="right", params={"hold_s": 5.0}),
        ),
        _named("deadlift_good_side", Scenario(exercise="deadlift", params=_TWO_PULLS)),
        _named(
            "deadlift_good_45", Scenario(exercise="deadlift", params=_TWO_PULLS, camera=_QUARTER)
        ),
        _named(
            "deadlift_rounded_back_side",
            Scenario(exercise="deadlift", params=_TWO_PULLS, faults=(Fault("rounded_back", 55.0),)),
        ),
        _named(
            "deadlift_knee_dominant_45",
            Scenario(
                exercise="deadlift",
                params=_TWO_PULLS,
                faults=(Fault("knee_dominant", 40.0),),
                camera=_QUARTER,
            ),
        ),
        _named(
            "rdl_good_side",
            Scenario(exercise="deadlift", variant="romanian", params=_TWO_PULLS),
        ),
        _named("glute_bridge_good_side", Scenario(exercise="glute_bridge", params=_ONE_BRIDGE)),
        _named(
            "glute_bridge_good_45",
            Scenario(exercise="glute_bridge", params=_ONE_BRIDGE, camera=_HEAD_END),
        ),
        _named(
            "glute_bridge_hips_low_side",
            Scenario(
                exercise="glute_bridge", params=_ONE_BRIDGE, faults=(Fault("hips_low", 30.0),)
            ),
        ),
        _named(
            "glute_bridge_short_hold_45",
            Scenario(
                exercise="glute_bridge",
                params={"reps": 2, "top_hold_s": 3.5, "bottom_s": 0.3, "idle_s": 0.3},
                faults=(Fault("short_hold", 0.8),),
                camera=_HEAD_END,
            ),
        ),
    ]
)
SCENARIOS: dict[str, Scenario] = {
    **SAMPLES,
    **dict(
        [
            _named("plank_head_drop_side", plank_scenario("head_dropping", magnitude=35.0)),
            _named("high_plank_good_side", plank_scenario(variant="high")),
            _named("knee_plank_good_side", plank_scenario(variant="knee")),
            _named(
                "plank_from_standing_side",
                plank_scenario(
                    duration_s=8.0, params={"setup_s": 4.0, "hold_s": 3.5, "start": "standing"}
                ),
            ),
            _named(
                "single_leg_bridge_good_45",
                Scenario(
                    exercise="single_leg_bridge",
                    variant="right",
                    params=_ONE_BRIDGE,
                    camera=_HEAD_END,
                ),
            ),
            _named(
                "bridge_march_good_side",
                Scenario(exercise="bridge_march", params={"marches": 2}),
            ),
            _named("squat_good_side", Scenario(exercise="squat", params={"reps": 2})),
        ]
    ),
}
