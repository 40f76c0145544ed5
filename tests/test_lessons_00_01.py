"""Pictures and widgets of notebooks 00 and 01: the notation picture, the sliding window on
numbers and on the portrait, the kernel gallery; every control redraws, no matplotlib."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.signal  # noqa: E402

from convlib import images, kernels, viz, widgets  # noqa: E402
from convlib.viz import kit  # noqa: E402
from convlib.viz import sliding_window as pictures  # noqa: E402

X5 = np.array([[3, 1, 2, 0, 4],
               [1, 5, 3, 2, 2],
               [0, 2, 4, 1, 3],
               [2, 1, 0, 3, 1],
               [4, 2, 1, 2, 0]])
EDGE = np.array([[1, 0, -1]] * 3)
PORTRAIT = images.portrait(64)


def pixels(picture):
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


def where_colour(array, colour):
    """(rows, cols) of the pixels of exactly `colour`."""
    return np.nonzero(np.all(array == np.array(colour, dtype=np.uint8), axis=-1))


# --- 00: the notation picture ---------------------------------------------------------

def test_notation_moves_the_window_one_cell_per_output():
    """The orange window over x starts one grid cell further right for each output."""
    lefts = []
    for i in range(2):
        _, cols = where_colour(pixels(viz.notation([1, 2, 3, 4], [5, 6, 7], i)), kit.WINDOW)
        lefts.append(cols.min())
    assert lefts[1] - lefts[0] == kit.STYLE["cell"]


def test_notation_has_one_output_cell_per_window_position():
    """Longer inputs give more outputs, N - K + 1 of them: the picture widens by one cell each."""
    widths = [pixels(viz.notation(np.arange(n), [1, 0, -1], 0)).shape[1] for n in (6, 7)]
    assert widths[1] - widths[0] == kit.STYLE["cell"]


@pytest.mark.parametrize("arguments, error, message", [
    (([1, 2, 3, 4], [5, 6, 7], 2), ValueError, r"`i` must be at most 1 \(the last of the N - K \+ 1 = 2 outputs\); got 2"),
    (([1, 2, 3, 4], [5, 6, 7], -1), ValueError, r"`i` must be .*>= 0|`i` must be .*at least 0"),
    ((np.ones((2, 2)), [5, 6, 7], 0), ValueError, r"`x` must have 1 dimension; got 2 dimensions"),
    (([1, 2, 3, 4], "abc", 0), TypeError, r"`w` must be an array of real numbers"),
])
def test_notation_explains_wrong_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        viz.notation(*arguments)


def test_blur_widget_matches_its_static_picture():
    explorer = widgets.explore_blur(PORTRAIT)
    explorer.controls["sigma"].value = 3.0
    assert bytes(explorer.image.value) == explorer.encode(viz.blur(PORTRAIT, 3.0).image)


# --- 01: the sliding window on numbers --------------------------------------------------

def test_weight_colors_follow_the_sign_of_each_weight():
    colours = pictures.weight_colors(kernels.sobel_x())
    assert np.all(colours[:, 0] == pictures.NEGATIVE) and np.all(colours[:, 2] == pictures.POSITIVE)
    assert np.all(colours[:, 1] == 255)


def test_the_l_shaped_kernel_shows_in_the_products():
    """Kernel and products panels are tinted on the L's five cells, none blue: 2 panels x 5 cells
    (less the pixels of the digits written on them)."""
    array = pixels(viz.sliding_grid(X5, kernels.asymmetric(), (0, 1)))
    inner = (kit.STYLE["cell"] - 1) ** 2  # a cell's fill inside its 1-pixel border
    assert 0.9 * 2 * 5 * inner <= len(where_colour(array, pictures.POSITIVE)[0]) <= 2 * 5 * inner
    assert len(where_colour(array, pictures.NEGATIVE)[0]) == 0


def test_flipping_the_kernel_moves_its_tint():
    """A flipped L tints other cells: the picture 06 will show."""
    straight = pixels(viz.sliding_grid(X5, kernels.asymmetric(), (0, 1)))
    flipped = pixels(viz.sliding_grid(X5, kernels.asymmetric()[::-1, ::-1], (0, 1)))
    assert where_colour(straight, pictures.POSITIVE)[0].mean() > where_colour(flipped, pictures.POSITIVE)[0].mean()


@pytest.mark.parametrize("mode, padded_cells", [("valid", 0), ("same", 7 * 7 - 25), ("full", 9 * 9 - 25)])
def test_padding_is_grey_in_the_picture_and_only_there(mode, padded_cells):
    array = pixels(viz.sliding_grid(X5, EDGE, (0, 0), mode))
    inner = (kit.STYLE["cell"] - 1) ** 2   # a cell's fill inside its 1-pixel border
    grey = len(where_colour(array, kit.PAD)[0])   # a few antialiased pixels of text may be the same grey
    assert 0.9 * padded_cells * inner <= grey <= padded_cells * inner + inner // 10


def test_padding_mask_marks_the_zeros_of_every_mode():
    for mode, widths in (("full", 2), ("valid", 0)):
        mask = pictures.padding_mask((5, 5), (3, 3), mode)
        assert mask.sum() == (5 + 2 * widths) ** 2 - 25
        assert not mask[widths:widths + 5, widths:widths + 5].any()


def test_sliding_grid_widget_follows_the_output_of_its_mode():
    explorer = widgets.explore_sliding_grid(X5, kernels.asymmetric(), mode="full")
    assert explorer.controls["row"].max == explorer.controls["col"].max == 6
    explorer.controls["row"].value, explorer.controls["col"].value = 6, 6
    assert bytes(explorer.image.value) == kit.png(viz.sliding_grid(X5, kernels.asymmetric(), (6, 6), "full"))


# --- 01: the window on the portrait ------------------------------------------------------

def marked(position, size=64):
    """Rows and columns of the orange pixels in the input panel of filter_step."""
    image = images.portrait(size)
    array = pixels(viz.filter_step(image, kernels.sobel_x(), position))
    gap, top = kit.STYLE["gap"], kit.STYLE["font"] + 8
    panel = array[gap + top:gap + top + size, gap:gap + size]
    return where_colour(panel, kit.WINDOW)


@pytest.mark.parametrize("position", [(30, 20), (10, 50)])
def test_the_window_on_the_portrait_is_ringed_by_a_large_frame_centred_on_it(position):
    rows, cols = marked(position)
    assert rows.max() - rows.min() >= 15 and cols.max() - cols.min() >= 15   # far larger than 3 pixels
    assert abs((rows.min() + rows.max()) / 2 - position[0]) <= 1
    assert abs((cols.min() + cols.max()) / 2 - position[1]) <= 1
    assert len(rows) >= 150                                                   # a thick line, not a dot


@pytest.mark.parametrize("position", [(0, 0), (63, 63), (0, 63)])
def test_the_frame_is_drawn_at_every_border(position):
    rows, _ = marked(position)
    assert len(rows) > 0


@pytest.mark.parametrize("position", [(0, 0), (5, 0), (5, 7), (63, 62)])
def test_the_output_is_revealed_in_reading_order_up_to_the_position(position):
    flat = np.full((64, 64), 0.5)   # its output is never drawn in the light grey of "not computed yet"
    array = pixels(viz.filter_step(flat, kernels.sobel_x(), position))
    gap, top, size = kit.STYLE["gap"], kit.STYLE["font"] + 8, flat.shape[0]
    widths = [max(size, kit.text_width("input")), max(3 * kit.STYLE["cell"] + 1, kit.text_width("kernel")),
              max(3 * max(4, 64 // 3) * kit.STYLE["pixel"], kit.text_width("window"))]   # the panels to its left
    left = 4 * gap + sum(widths)
    grey = np.all(array[gap + top:gap + top + size, left:left + size] == kit.PAD, axis=-1)
    order = np.arange(size * size).reshape(size, size)
    i, j = position
    not_yet = order > i * size + j
    frame = np.zeros_like(grey)
    frame[max(i - 10, 0):i + 11, max(j - 10, 0):j + 11] = True     # the orange frame may cover pixels
    assert np.array_equal(grey[~frame], not_yet[~frame])


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


# --- 01: the kernel gallery ----------------------------------------------------------------

def test_display_range_keeps_the_input_scale_for_weights_summing_to_one():
    image = np.linspace(0, 1, 64).reshape(8, 8)
    result = scipy.signal.correlate2d(image, kernels.sharpen(), "same")
    assert pictures._display_range(kernels.sharpen(), result, image)[:2] == (0.0, 1.0)


def test_display_range_is_symmetric_about_zero_for_weights_summing_to_zero():
    result = scipy.signal.correlate2d(PORTRAIT, kernels.sobel_x(), "same")
    low, high, words = pictures._display_range(kernels.sobel_x(), result, PORTRAIT)
    assert low == -high and 0 < high <= np.abs(result).max() and words == "grey = 0"


def test_display_range_of_another_kernel_is_its_own():
    result = scipy.signal.correlate2d(PORTRAIT, kernels.asymmetric(), "same")
    assert pictures._display_range(kernels.asymmetric(), result, PORTRAIT)[:2] == (result.min(), result.max())


def test_gallery_draws_edges_grey_where_nothing_changes_and_bright_where_it_gets_brighter():
    """On a step edge (dark left, bright right) Sobel x is 0 on the flat halves: mid-grey, not black."""
    step = images.step_edge(16)
    panel = np.asarray(pictures._result_panel(step, kernels.sobel_x(), "sobel x")[0])
    picture = panel[kit.STYLE["font"] + 8:, :16, 0]          # below the title, one channel
    assert picture.shape == (16, 16)
    assert np.all(np.abs(picture[:, [2, 13]].astype(int) - 127) <= 1)
    assert np.all(picture[1:-1, 8] == 255)   # the first and last rows see a zero of the padding


def test_gallery_clips_sharpen_to_the_input_scale():
    """Sharpen overshoots the input's range on a step edge: the overshoot is clipped to black
    and white, and the flat halves keep their input grey levels."""
    step = 0.25 + 0.5 * images.step_edge(16)
    picture = np.asarray(pictures._result_panel(step, kernels.sharpen(), "sharpen")[0])[kit.STYLE["font"] + 8:, :16, 0]
    assert picture[8, 7] == 0 and picture[8, 8] == 255
    assert picture[8, 3] == 0 and picture[8, 12] == 255   # the input's own range is 0.25 to 0.75


def test_gallery_has_one_column_per_kernel_and_no_matplotlib():
    """Each kernel adds a column as wide as the image, and a gap."""
    image, figures = images.portrait(256), plt.get_fignums()
    chosen = {name: kernels.KERNELS[name] for name in ("box blur", "sobel x", "sharpen")}
    two = pixels(viz.filter_gallery(image, dict(list(chosen.items())[:2])))
    three = pixels(viz.filter_gallery(image, chosen))
    assert three.shape[1] - two.shape[1] == image.shape[1] + kit.STYLE["gap"]
    assert plt.get_fignums() == figures
