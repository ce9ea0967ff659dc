"""`--exercise auto` on real clips: it names the deadlifts, bridges and planks, and does not
confidently call squats, lunges, bird dogs or Russian twists any of them.

The long plank clips (20-55 s each) are left to tools/evaluate_footage.py to keep the suite
short; docs/accuracy_hinge.md has the run over every clip.
"""

import pytest
from helpers import requires_footage
from hinge_footage import manifest, report, session_cache

pytestmark = [requires_footage, pytest.mark.slow]

SHORT_PLANKS = [f"plank/correct/kaiakol_plank_correct_00{i}.mp4" for i in (1, 2, 5)]
NEGATIVES = ("squat", "russian_twist", "lunge", "bird_dog")
LONG = {"lunge/unlabeled/wahoo_how_to_lunges.mp4"}  # 28 s: the other negatives suffice


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return session_cache(tmp_path_factory)


def picked(file, cache):
    return report(file, "auto", cache)["auto"]


def test_every_deadlift_clip_is_named_a_deadlift_and_judged(cache):
    rows = manifest("deadlift")
    assert len(rows) == 19
    wrong = {row["file"]: picked(row["file"], cache) for row in rows}
    wrong = {f: a for f, a in wrong.items() if not (a["exercise"] == "deadlift" and a["judged"])}
    assert wrong == {}


@pytest.mark.parametrize(
    ("files", "exercise"),
    [([row["file"] for row in manifest("glute_bridge")], "glute_bridge"), (SHORT_PLANKS, "plank")],
)
def test_bridges_and_planks_are_named_for_what_they_are(cache, files, exercise):
    names = {f: picked(f, cache)["exercise"] for f in files}
    assert set(names.values()) == {exercise}, names


def test_other_exercises_are_not_confidently_called_a_deadlift_plank_or_bridge(cache):
    ours = {"deadlift", "plank", "side_plank", "glute_bridge", "single_leg_bridge", "bridge_march"}
    rows = [row for row in manifest(*NEGATIVES) if row["file"] not in LONG]
    assert len(rows) >= 10
    called = {}
    for row in rows:
        auto = picked(row["file"], cache)
        if auto["judged"] and auto["exercise"] in ours:
            called[row["file"]] = (auto["exercise"], auto["confidence"])
    assert called == {}
