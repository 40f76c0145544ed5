"""Widgets of notebooks 05 and 06 (convlib.widgets.weight_matrix): their sliders span the matrix."""


import numpy as np

from convlib import widgets


GRID = 10 * np.arange(4)[:, None] + np.arange(4)[None, :]


def test_row_and_column_sliders_span_every_output_and_input():
    explorer = widgets.explore_row_and_column(GRID, np.ones((3, 3)), "full")
    assert explorer.controls["output"].max == 6 * 6 - 1 and explorer.controls["column"].max == 15
