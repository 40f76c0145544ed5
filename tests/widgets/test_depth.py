"""Widgets of notebook 04 (convlib.widgets.depth): they span every output and draw the static pictures."""


import numpy as np

from convlib import depth, images, viz, widgets
from convlib.widgets.explorer import drawing_png


FACE = images.portrait_rgb(24)


FILTERS = np.random.default_rng(8).standard_normal((3, 3, 3, 3)) / 4


def test_depth_dot_widget_spans_every_output_and_draws_the_static_picture():
    explorer = widgets.explore_depth_dot(FACE, FILTERS, padding="same")
    controls = explorer.controls
    assert (controls["out_channel"].max, controls["row"].max, controls["col"].max) == (2, 23, 23)
    controls["out_channel"].value, controls["row"].value, controls["col"].value = 2, 23, 0
    static = viz.depth_dot(FACE, FILTERS, 2, (23, 0), padding="same")
    assert explorer.image.value == drawing_png(static.image)
    valid = widgets.explore_depth_dot(FACE, FILTERS, padding=0).controls
    assert (valid["row"].max, valid["col"].max) == (21, 21)


def test_recolour_widget_starts_gray_and_draws_the_static_picture():
    explorer = widgets.explore_recolour(FACE)
    assert tuple(explorer.controls[c].value for c in ("red", "green", "blue")) == depth.GRAY_WEIGHTS
    explorer.controls["tint"].value = "sepia"
    assert explorer.image.value == explorer.encode(viz.recolour(FACE, depth.GRAY_WEIGHTS, viz.TINTS["sepia"]).image)
