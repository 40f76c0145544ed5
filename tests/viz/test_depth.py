"""Pictures of notebook 04 (convlib.viz.depth): the depth dot product and recolouring."""


import numpy as np
import pytest

from convlib import depth, images, viz
from pictures import pixels


FACE = images.portrait_rgb(24)


FILTERS = np.random.default_rng(8).standard_normal((3, 3, 3, 3)) / 4


@pytest.mark.parametrize("first, second", [
    ({"out_channel": 0}, {"out_channel": 2}),
    ({"position": (0, 0)}, {"position": (23, 23)}),
    ({"position": (0, 23)}, {"position": (23, 0)}),
])
def test_depth_dot_picture_changes_with_channel_and_position(first, second):
    base = {"out_channel": 1, "position": (5, 5), "padding": "same"}
    a, b = pixels(viz.depth_dot(FACE, FILTERS, **(base | first))), pixels(viz.depth_dot(FACE, FILTERS, **(base | second)))
    assert a.shape == b.shape, "a widget's picture keeps its size while a slider moves"
    assert np.any(a != b)


def test_depth_dot_draws_small_integer_examples_and_other_depths():
    x = np.arange(2 * 4 * 4).reshape(2, 4, 4)
    assert pixels(viz.depth_dot(x, np.ones((1, 2, 2, 2)), 0, (2, 2), bias=[1.0])).shape[2] == 3
    assert pixels(viz.depth_dot(FACE[:1], FILTERS[:, :1], 2, (3, 3), padding=1)).shape[2] == 3


def test_recolour_picture_depends_on_weights_and_tint():
    gray = pixels(viz.recolour(FACE))
    assert np.any(gray != pixels(viz.recolour(FACE, (1, 0, 0))))
    assert np.any(gray != pixels(viz.recolour(FACE, depth.GRAY_WEIGHTS, viz.TINTS["sepia"])))


def test_recolour_output_panel_is_the_tinted_1x1_convolution():
    weights, tint = np.array([0.2, 0.5, 0.3]), np.array(viz.TINTS["sepia"])
    expected = np.clip(tint[:, None, None] * np.tensordot(weights, FACE, axes=1), 0, 1)
    panel = np.asarray(viz.rgb_panel(expected, scale=1))[-24:, :24]
    assert np.abs(panel.astype(float) / 255 - expected.transpose(1, 2, 0)).max() <= 0.5 / 255 + 1e-9


def test_depth_dot_says_when_its_rounded_terms_do_not_add_up():
    """Three sums printed as 0.42 + 0.27 + 0.27 are 0.9747: '= 0.97' would not add up, so '≈'."""
    weight = np.ones((1, 3, 1, 1))
    rounded = viz.depth_dot(np.array([0.4249, 0.2749, 0.2749]).reshape(3, 1, 1), weight)
    assert "= 0.42 + 0.27 + 0.27 ≈ 0.97:" in rounded.alt
    exact = viz.depth_dot(np.array([0.25, 0.5, 0.25]).reshape(3, 1, 1), weight)
    assert "= 0.25 + 0.5 + 0.25 = 1:" in exact.alt
