"""Widgets of notebook 01 (convlib.widgets.sliding_window): they follow the mode and the menu."""

import matplotlib.pyplot as plt
import numpy as np

from convlib import images, kernels, viz, widgets
from convlib.widgets.explorer import drawing_png


X5 = np.array([[3, 1, 2, 0, 4],
               [1, 5, 3, 2, 2],
               [0, 2, 4, 1, 3],
               [2, 1, 0, 3, 1],
               [4, 2, 1, 2, 0]])


PORTRAIT = images.portrait(64)


def test_sliding_grid_widget_follows_the_output_of_its_mode():
    explorer = widgets.explore_sliding_grid(X5, kernels.asymmetric(), mode="full")
    assert explorer.controls["row"].max == explorer.controls["col"].max == 6
    explorer.controls["row"].value, explorer.controls["col"].value = 6, 6
    assert bytes(explorer.image.value) == drawing_png(viz.sliding_grid(X5, kernels.asymmetric(), (6, 6), "full").image)


def test_filter_widget_draws_at_every_border_and_follows_the_menu():
    explorer = widgets.explore_filter(PORTRAIT)
    figures = plt.get_fignums()
    drawn = set()
    for name in ("asymmetric", "sobel x"):
        explorer.controls["name"].value = name
        for row, col in ((0, 0), (63, 63)):
            explorer.controls["row"].value, explorer.controls["col"].value = row, col
            drawn.add(bytes(explorer.image.value))
    assert len(drawn) == 4 and plt.get_fignums() == figures
