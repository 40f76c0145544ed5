"""Pictures of notebook 03 (convlib.viz.im2col): windows becoming columns."""


import numpy as np
import pytest
import scipy.signal

from convlib import viz
from convlib.viz.kit import WINDOW
from pictures import has_colour, pixels


GRID = 10 * np.arange(4)[:, None] + np.arange(4)       # values encode (row, column)


KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_window_colours_are_distinct_tints():
    colours = viz.window_colours(25)
    assert colours.shape == (25, 3) and colours.dtype == np.uint8
    assert len({tuple(c) for c in colours}) == 25
    assert np.all(viz.window_colours(5, strength=0) == 255)
    assert np.all(viz.window_colours(5, 0.55).astype(int).sum(axis=1) < colours[:5].astype(int).sum(axis=1))


@pytest.mark.parametrize("shape, kernel_shape, stride", [((4, 4), (2, 2), 1), ((5, 6), (2, 3), 2), ((7, 5), (3, 2), 3)])
def test_the_columns_drawn_are_the_windows(shape, kernel_shape, stride):
    x = np.arange(np.prod(shape)).reshape(shape)
    rows, cols, x_col = viz.im2col._windows(x, kernel_shape, stride)
    kh, kw = kernel_shape
    assert x_col.shape == (kh * kw, rows * cols)
    for position in range(rows * cols):
        r, c = divmod(position, cols)
        np.testing.assert_array_equal(x_col[:, position], x[r * stride:r * stride + kh, c * stride:c * stride + kw].ravel())
    valid = scipy.signal.correlate2d(x, np.ones(kernel_shape), "valid")[::stride, ::stride]
    assert valid.shape == (rows, cols)


def test_windows_to_columns_changes_with_the_window_and_the_stride():
    first = pixels(viz.windows_to_columns(GRID, KERNEL, 0))
    last = pixels(viz.windows_to_columns(GRID, KERNEL, 8))
    assert first.shape == last.shape and np.any(first != last)
    assert pixels(viz.windows_to_columns(GRID, KERNEL, 0, stride=2)).shape != first.shape
    assert has_colour(viz.windows_to_columns(GRID, KERNEL, 4), WINDOW)       # the chosen one is outlined


def test_a_window_past_the_last_is_drawn_at_the_last():
    assert np.array_equal(pixels(viz.windows_to_columns(GRID, KERNEL, 99, stride=2)),
                          pixels(viz.windows_to_columns(GRID, KERNEL, 3, stride=2)))


def test_windows_that_tile_the_input_are_all_coloured():
    """With stride 2 every pixel of the 4x4 input belongs to one window and gets its tint."""
    pale = viz.window_colours(4)
    picture = viz.windows_to_columns(GRID, KERNEL, 0, stride=2)
    assert all(has_colour(picture, colour) for colour in pale[1:])
    overlapping = viz.windows_to_columns(GRID, KERNEL, 0, stride=1)
    assert has_colour(overlapping, viz.window_colours(9)[8])              # in X_col, not on the input


def test_non_square_kernel_picture():
    x = np.arange(20.0).reshape(4, 5)
    picture = viz.windows_to_columns(x, np.array([[1.0, -1.0, 2.0]]), 5)
    assert pixels(picture).shape[2] == 3


def test_kernel_larger_than_the_input_is_refused():
    with pytest.raises(ValueError, match=r"`kernel` must fit inside `x`; got kernel shape \(4, 2\) for x shape \(3, 3\)"):
        viz.windows_to_columns(np.zeros((3, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="`x` must have 2 dimensions; got 3"):
        viz.windows_to_columns(np.zeros((1, 3, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="`stride` must be"):
        viz.windows_to_columns(np.zeros((3, 3)), np.ones((2, 2)), stride=0)
