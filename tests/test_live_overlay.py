"""The live HUD: the timer ring, one cue in large type, sizes that follow the frame."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import make_pose, plank_points
from live_fakes import color_pixels

from formcheck.annotate import FAULT, GOOD, TEXT, WAITING
from formcheck.exercises.plank import Plank
from formcheck.exercises.results import FormResult, Status
from formcheck.live_overlay import LiveHud, display_canvas
from formcheck.pose import Landmark
from formcheck.session import Phase, SessionView, Tone


def holding(good_form_s: float, target: float = 30.0, **fields) -> SessionView:
    fields.setdefault("message", "Good form")
    fields.setdefault("tone", Tone.GOOD)
    fields.setdefault("exercise", Plank)
    return SessionView(Phase.HOLDING, count=good_form_s, target=target, **fields)


def draw(view: SessionView, size=(640, 480), result: FormResult | None = None, pose=None):
    image = np.zeros((size[1], size[0], 3), np.uint8)
    return LiveHud().annotate(image, pose, result, view, fps=30.0, latency_ms=25.0)


def ring_region(image: np.ndarray) -> np.ndarray:
    height, width = image.shape[:2]
    return image[: int(0.4 * height), : int(0.3 * width)]


def test_ring_fills_in_proportion_to_the_timer():
    quarter = color_pixels(ring_region(draw(holding(7.5))), GOOD)
    three_quarters = color_pixels(ring_region(draw(holding(22.5))), GOOD)
    assert quarter > 500
    assert three_quarters / quarter == pytest.approx(3.0, rel=0.15)


def test_fault_cue_is_drawn_large_and_red_on_the_bottom_band():
    image = draw(holding(5.0, message="Lift your hips", tone=Tone.FAULT))
    band, rest = image[-80:], image[:-80, 200:]  # the rest, right of the (red) ring
    assert color_pixels(band, FAULT) > 1500  # large type
    assert color_pixels(rest, FAULT) < 100  # one cue, in one place
    assert color_pixels(ring_region(image), FAULT) > 200  # the ring turns red too


def test_hud_keeps_its_proportions_from_a_small_window_to_1280x720():
    small, large = draw(holding(15.0), (640, 360)), draw(holding(15.0), (1280, 720))
    share_small = color_pixels(ring_region(small), GOOD) / small[..., 0].size
    share_large = color_pixels(ring_region(large), GOOD) / large[..., 0].size
    assert share_large == pytest.approx(share_small, rel=0.15)


def test_a_long_message_is_shrunk_to_fit_the_frame():
    message = "Stand side-on to the camera, then get down into your plank"
    image = draw(SessionView(Phase.POSITIONING, message=message, tone=Tone.INFO), (320, 240))
    band = image[-45:]
    amber = (np.abs(band.astype(int) - np.array(WAITING)).sum(axis=2) < 60).any(axis=0)
    columns = np.flatnonzero(amber)
    assert columns.max() - columns.min() > 250  # spread across the frame ...
    assert columns.min() > 2 and columns.max() < 317  # ... and not cut at its edges


def test_countdown_shows_a_big_number_in_the_middle():
    view = SessionView(Phase.COUNTDOWN, message="Get ready", tone=Tone.GOOD, target=30,
                       countdown_s=2.4)
    image = draw(view)
    middle = image[150:330, 220:420]
    assert color_pixels(middle, TEXT) > 1500


def test_body_line_is_coloured_by_form():
    pose = make_pose(plank_points(), 0)
    line = (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_ANKLE)
    good = FormResult(0, Status.ACTIVE, good_form=True, body_line=line)
    bad = FormResult(0, Status.ACTIVE, faults=("hips_sagging",), cue="Lift your hips",
                     body_line=line)
    middle = slice(200, 400)
    assert color_pixels(draw(holding(1.0), result=good, pose=pose)[middle], GOOD) > 2000
    assert color_pixels(draw(holding(1.0), result=bad, pose=pose)[middle], FAULT) > 2000


def test_display_canvas_mirrors_the_picture_and_the_pose():
    image = np.zeros((480, 640, 3), np.uint8)
    image[:, :10] = 255  # a stripe on the left
    pose = make_pose({Landmark.NOSE: (10.0, 100.0)}, 0)
    canvas, moved = display_canvas(image, pose, mirror=True)
    assert canvas[:, -10:].min() == 255 and canvas[:, :10].max() == 0
    assert moved.xy_px[Landmark.NOSE].tolist() == pytest.approx([629.0, 100.0])
    assert image[:, :10].min() == 255  # the judged frame is untouched


def test_small_frames_are_enlarged_for_drawing_with_the_pose():
    image = np.zeros((240, 320, 3), np.uint8)
    pose = make_pose({Landmark.NOSE: (100.0, 50.0)}, 0, image_size=(320, 240))
    canvas, moved = display_canvas(image, pose)
    assert canvas.shape == (480, 640, 3)
    assert moved.xy_px[Landmark.NOSE].tolist() == pytest.approx([200.0, 100.0])
