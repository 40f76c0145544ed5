"""Widgets of notebook 03 (convlib.widgets.im2col): their sliders follow the number of windows."""


import numpy as np

from convlib import viz, widgets
from convlib.widgets.explorer import drawing_png


GRID = 10 * np.arange(4)[:, None] + np.arange(4)       # values encode (row, column)


KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_window_slider_follows_the_number_of_windows():
    explorer = widgets.explore_windows_to_columns(GRID, KERNEL)
    window, stride = explorer.controls["window"], explorer.controls["stride"]
    assert window.max == 8                            # L = 3 * 3 at stride 1
    window.value = 7
    stride.value = 2                                  # L = 2 * 2
    assert window.max == 3 and window.value == 3
    assert bytes(explorer.image.value) == drawing_png(viz.windows_to_columns(GRID, KERNEL, 3, stride=2).image)
    stride.value = 1
    assert window.max == 8


def test_receptive_field_sliders_are_stacked_and_follow_the_output_size():
    explorer = widgets.explore_receptive_field(7, 3)
    assert type(explorer.children[0]).__name__ == "VBox"
    explorer.controls["padding"].value = 3            # output 11x11
    assert explorer.controls["row"].max == 10
    explorer.controls["row"].value = 10
    explorer.controls["padding"].value = 0            # output 5x5
    assert explorer.controls["row"].max == 4 and explorer.controls["row"].value == 4
