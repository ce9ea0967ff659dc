"""Named scenarios for tests and demos, and builders to vary them.

Every catalogue clip is 640x480 at 30 fps and 4-8 s long. Fault clips carry one fault
from about 2 s to the end, well past the rules' thresholds, so verdicts are
unambiguous; `plank_scenario` makes variations (magnitude, onset, view, size) easy:

    plank_scenario("hips_sagging", magnitude=0.06, start_s=1.0, size=(320, 240))
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from formcheck.synth.camera import CameraSpec
from formcheck.synth.clip import Scenario
from formcheck.synth.motions import Fault

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
    """A plank hold with at most one fault.

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


_TWO_PULLS = {"reps": 2, "setup_s": 0.8, "idle_s": 0.3}


def _named(name: str, scenario: Scenario) -> tuple[str, Scenario]:
    return name, replace(scenario, name=name)


SCENARIOS: dict[str, Scenario] = dict(
    [
        _named("plank_good_side", plank_scenario()),
        _named("plank_sag_side", plank_scenario("hips_sagging")),
        _named("plank_pike_side", plank_scenario("hips_piking")),
        _named("plank_head_drop_side", plank_scenario("head_dropping")),
        _named("plank_good_45", plank_scenario(azimuth_deg=45.0)),
        _named("high_plank_good_side", plank_scenario(variant="high")),
        _named("knee_plank_good_side", plank_scenario(variant="knee")),
        _named("deadlift_good_side", Scenario(exercise="deadlift", params=_TWO_PULLS)),
        _named(
            "deadlift_good_45",
            Scenario(exercise="deadlift", params=_TWO_PULLS, camera=CameraSpec(azimuth_deg=45.0)),
        ),
        _named("glute_bridge_good_side", Scenario(exercise="glute_bridge", params={"reps": 1})),
        # The bridge's three-quarter view is taken from the head end (azimuth -45): from
        # the feet end the raised knees hide the hips and MediaPipe loses the legs.
        _named(
            "glute_bridge_good_45",
            Scenario(
                exercise="glute_bridge", params={"reps": 1}, camera=CameraSpec(azimuth_deg=-45.0)
            ),
        ),
    ]
)
