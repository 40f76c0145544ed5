"""Pictures of notebooks 05 and 06 (convlib.viz.weight_matrix): the weight-tied matrix, strides and circulants."""


import numpy as np
import pytest

from convlib import viz
from pictures import pixels


X8, W3 = np.arange(1.0, 9.0), np.array([5.0, 6.0, 7.0])


GRID = 10 * np.arange(4)[:, None] + np.arange(4)[None, :]


@pytest.mark.parametrize("render, first, second", [
    (lambda v: viz.row_and_column(X8, W3, "valid", output=v), 0, 5),
    (lambda v: viz.row_and_column(X8, W3, "valid", column=v), 0, 7),
    (lambda v: viz.row_and_column(GRID, np.arange(9.0).reshape(3, 3), "valid", column=v), 0, 15),
    (lambda v: viz.row_and_column(X8, W3, "full", output=v), 0, 9),
    (lambda v: viz.strided_matrix(7, W3, stride=v), 1, 3),
    (lambda v: viz.strided_matrix(7, W3, padding=v), 0, 2),
    (lambda v: viz.tied_weights(4, W3, v, x=[1, 2, 3, 4]), "full", "valid"),
    (lambda v: viz.tied_weights(4, W3, "full", convolution=v), False, True),
])
def test_pictures_change_with_their_arguments(render, first, second):
    a, b = pixels(render(first)), pixels(render(second))
    assert a.shape != b.shape or np.any(a != b)


def test_impossible_layer_is_explained_not_raised():
    assert pixels(viz.strided_matrix(3, W3, dilation=3)).shape[2] == 3


def test_circulant_picture_and_legend_colours():
    picture = viz.circulant_vs_toeplitz(6, W3)
    colours = {tuple(c) for c in pixels(picture).reshape(-1, 3)}
    assert set(viz.TAP_COLOURS[:3]) <= colours and viz.TAP_COLOURS[3] not in colours
