"""The pictures and widgets of notebooks 02 and 03: template matching, windows becoming columns.

What they compute is checked against SciPy (and PyTorch where installed); what they draw is
checked by its pixels: the marks and colours the notebooks' prose points at are really there.
"""

import os

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.signal  # noqa: E402

from convlib import images, viz, widgets  # noqa: E402
from convlib.viz.vectors import RAW  # noqa: E402
from convlib.viz.kit import OUTPUT, WINDOW  # noqa: E402

GRID = 10 * np.arange(4)[:, None] + np.arange(4)       # values encode (row, column)
KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])
PORTRAIT = images.portrait(48)


def torch_or_skip():
    if os.environ.get("CONVLIB_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch")


def pixels(picture):
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


def has_colour(picture, colour):
    return bool(np.all(pixels(picture) == np.array(colour, np.uint8), axis=-1).any())


# --- 02: template matching ------------------------------------------------------------------

def test_template_responses_are_scipy_correlations_and_their_cosine():
    rng = np.random.default_rng(0)
    image, template = rng.random((12, 15)), rng.random((3, 4))
    raw, norms, cosine = viz.template_responses(image, template)
    np.testing.assert_allclose(raw, scipy.signal.correlate2d(image, template, "valid"))
    for i, j in [(0, 0), (4, 7), (9, 11)]:
        window = image[i:i + 3, j:j + 4]
        assert norms[i, j] == pytest.approx(np.linalg.norm(window))
        expected = window.ravel() @ template.ravel() / (np.linalg.norm(window) * np.linalg.norm(template))
        assert cosine[i, j] == pytest.approx(expected)
    assert np.all(cosine <= 1 + 1e-12)                 # Cauchy-Schwarz


def test_the_template_cut_from_the_image_is_the_normalised_peak_but_not_the_raw_one():
    image = images.portrait(128)
    template = image[40:52, 36:56]
    raw, norms, cosine = viz.template_responses(image, template)
    assert np.unravel_index(cosine.argmax(), cosine.shape) == (40, 36) and cosine.max() == pytest.approx(1)
    raw_peak = np.unravel_index(raw.argmax(), raw.shape)
    assert raw_peak != (40, 36) and norms[raw_peak] > np.linalg.norm(template)


def test_a_window_of_zeros_has_cosine_zero_not_nan():
    image = np.zeros((6, 6))
    image[3:, 3:] = 1.0
    _, norms, cosine = viz.template_responses(image, np.ones((2, 2)))
    assert norms[0, 0] == 0 and cosine[0, 0] == 0 and np.isfinite(cosine).all()


def test_template_responses_match_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(1)
    image, template = rng.random((10, 9)), rng.random((3, 2))
    raw, norms, _ = viz.template_responses(image, template)
    as_torch = lambda a: torch.tensor(a[None, None])  # noqa: E731
    np.testing.assert_allclose(torch.nn.functional.conv2d(as_torch(image), as_torch(template))[0, 0], raw)
    squares = torch.nn.functional.conv2d(as_torch(image ** 2), as_torch(np.ones_like(template)))[0, 0]
    np.testing.assert_allclose(np.sqrt(squares.numpy()), norms)


def test_template_match_marks_both_peaks():
    image = images.portrait(64)
    picture = viz.template_match(image, image[20:26, 18:28])
    assert has_colour(picture, RAW) and has_colour(picture, OUTPUT)
    other = viz.template_match(image, image[40:46, 30:40])
    assert pixels(picture).shape == pixels(other).shape and np.any(pixels(picture) != pixels(other))


def test_template_larger_than_the_image_is_refused():
    with pytest.raises(ValueError, match=r"in 'valid' mode `kernel` must fit inside `x`"):
        viz.template_responses(np.zeros((4, 4)), np.ones((5, 2)))


def test_dot_product_picture_uses_the_course_notation():
    picture = viz.dot_product(GRID, KERNEL, (1, 2))
    assert np.any(pixels(picture) != pixels(viz.dot_product(GRID, KERNEL, (2, 1))))


# --- 03: windows become columns ------------------------------------------------------------------

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


# --- widgets ---------------------------------------------------------------------------------------

EXPLORERS = {
    "windows_to_columns": lambda: widgets.explore_windows_to_columns(GRID, KERNEL),
    "windows_to_columns (non-square)": lambda: widgets.explore_windows_to_columns(
        np.arange(30.0).reshape(5, 6), np.ones((2, 3)), max_stride=3),
    "receptive_field": lambda: widgets.explore_receptive_field(7, 3),
    "dot_product": lambda: widgets.explore_dot_product(GRID, KERNEL),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_redraws_at_both_ends_without_figures(name, every_control_redraws):
    every_control_redraws(EXPLORERS[name](), name)


def test_window_slider_follows_the_number_of_windows():
    explorer = widgets.explore_windows_to_columns(GRID, KERNEL)
    window, stride = explorer.controls["window"], explorer.controls["stride"]
    assert window.max == 8                            # L = 3 * 3 at stride 1
    window.value = 7
    stride.value = 2                                  # L = 2 * 2
    assert window.max == 3 and window.value == 3
    assert bytes(explorer.image.value) == viz.kit.png(viz.windows_to_columns(GRID, KERNEL, 3, stride=2))
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
