"""Pictures depend on their inputs; widgets redraw without matplotlib figures."""

import asyncio
import io
import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import convlib  # noqa: E402
from convlib import images, kernels, viz, widgets  # noqa: E402
from convlib.widgets.explorer import drawing_png  # noqa: E402
from pictures import pixels

A = np.arange(25.0).reshape(5, 5)
PORTRAIT = images.portrait(48)


@pytest.mark.parametrize("render, first, second", [
    (lambda p: viz.sliding_grid(A, kernels.sobel_x(), p), (0, 0), (2, 2)),
    (lambda p: viz.sliding_grid(A, kernels.sobel_x(), p, "full"), (0, 0), (6, 6)),
    (lambda p: viz.filter_step(PORTRAIT, kernels.sharpen(), p), (0, 0), (47, 47)),
    (lambda p: viz.dot_product(A, np.ones((2, 3)), p), (0, 0), (3, 2)),
    (lambda p: viz.receptive_field(7, 3, 2, 1, 2, p), (0, 0), (1, 1)),
])
def test_pictures_change_with_the_position(render, first, second):
    a, b = pixels(render(first)), pixels(render(second))
    assert a.shape == b.shape and a.shape[2] == 3
    assert np.any(a != b)


def test_blur_picture_depends_on_sigma():
    assert np.any(pixels(viz.blur(PORTRAIT, 1.0)) != pixels(viz.blur(PORTRAIT, 3.0)))


def test_blur_is_a_normalised_gaussian_correlation():
    flat = np.full((20, 20), 0.5)
    np.testing.assert_allclose(viz.blurred(flat, 1.5)[8:12, 8:12], 0.5)


def test_impossible_layer_is_explained_not_raised():
    picture = viz.receptive_field(3, 3, 1, 0, 3, (0, 0))
    assert pixels(picture).shape[2] == 3


GRID = 10 * np.arange(4)[:, None] + np.arange(4)       # values encode (row, column)
FACE = images.portrait_rgb(24)
FILTERS = np.random.default_rng(8).standard_normal((3, 3, 3, 3)) / 4

# Every live widget of the course, in the order of the notebooks: one table, one redraw check.
EXPLORERS = {
    "blur": lambda: widgets.explore_blur(PORTRAIT),
    "grid": lambda: widgets.explore_sliding_grid(A, kernels.sobel_x()),
    "filter": lambda: widgets.explore_filter(PORTRAIT),
    "dot": lambda: widgets.explore_dot_product(A, kernels.sobel_x()),
    "dot_product": lambda: widgets.explore_dot_product(GRID, np.array([[1.0, 2.0], [3.0, 4.0]])),
    "receptive": lambda: widgets.explore_receptive_field(),
    "receptive_field": lambda: widgets.explore_receptive_field(7, 3),
    "windows_to_columns": lambda: widgets.explore_windows_to_columns(GRID, np.array([[1.0, 2.0], [3.0, 4.0]])),
    "windows_to_columns (non-square)": lambda: widgets.explore_windows_to_columns(
        np.arange(30.0).reshape(5, 6), np.ones((2, 3)), max_stride=3),
    "depth_dot": lambda: widgets.explore_depth_dot(FACE, FILTERS, bias=[0.1, -0.2, 0.0], padding="same",
                                                   names=["a", "b", "c"]),
    "depth_dot_valid": lambda: widgets.explore_depth_dot(FACE, FILTERS, padding=0),
    "recolour": lambda: widgets.explore_recolour(FACE),
    "row_and_column": lambda: widgets.explore_row_and_column(np.arange(1.0, 9.0), np.array([5.0, 6.0, 7.0]),
                                                             grad_out=np.arange(6.0) - 2),
    "row_and_column_2d": lambda: widgets.explore_row_and_column(GRID, np.arange(9.0).reshape(3, 3), "same"),
    "strided": lambda: widgets.explore_strided_matrix(),
    "slide": lambda: widgets.explore_flip_slide(),
    "portrait": lambda: widgets.explore_flip_portrait(PORTRAIT),
    "theorem": lambda: widgets.explore_theorem(images.portrait(48), largest=15),
    "race": lambda: widgets.explore_race(),
    "windows": lambda: widgets.explore_windows_to_columns(10 * np.arange(4)[:, None] + np.arange(4), [[1, 2], [3, 4]]),
    "row_and_column (2-D, small)": lambda: widgets.explore_row_and_column(A[:4, :4], np.arange(1.0, 10).reshape(3, 3)),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_control_redraws_at_both_ends_without_figures(name, every_control_redraws):
    every_control_redraws(EXPLORERS[name](), name)


def _some_values(control, most=6):
    """Every value of a control, or its ends and middle if it has more than `most`."""
    if isinstance(getattr(control, "min", None), float):
        values = np.linspace(control.min, control.max, most).tolist()
    else:
        values = widgets.explorer.control_values(control)
    return values if len(values) <= most else [values[0], values[len(values) // 2], values[-1]]


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_no_picture_is_taller_than_the_frame_reserved_at_the_start(name):
    """A control that changes the picture's height must not move the page below the widget:
    the frame is as tall as the tallest picture from the start (`tallest`)."""
    explorer = EXPLORERS[name]()
    assert explorer.image.layout.min_height == f"{explorer.frame_height}px"
    names = list(explorer.controls)
    for combination in itertools.product(*(_some_values(explorer.controls[n]) for n in names)):
        values = dict(zip(names, combination))
        highs = explorer.ranges(**values) if explorer.ranges else {}
        if any(values[n] > high for n, high in highs.items()):
            continue  # the widget moves such a control back: another combination draws it
        height = explorer.render(**values).image.height
        assert height <= explorer.frame_height, f"{name} at {values} draws {height} px in a {explorer.frame_height} px frame"


def test_a_shorter_picture_keeps_the_frame():
    explorer = widgets.explore_receptive_field(7, 3)
    tall = explorer.frame_height
    explorer.controls["stride"].value = 3
    assert explorer.frame_height == tall and explorer.image.layout.min_height == f"{tall}px"
    assert Image.open(io.BytesIO(explorer.image.value)).height < tall


def test_filter_widget_reveals_the_correlation():
    explorer = widgets.explore_filter(PORTRAIT, {"sobel": kernels.sobel_x()})
    explorer.controls["row"].value, explorer.controls["col"].value = 47, 47
    expected = viz.filter_step(PORTRAIT, kernels.sobel_x(), (47, 47), convlib.correlate(PORTRAIT, kernels.sobel_x(), "same"))
    assert bytes(explorer.image.value) == explorer.encode(expected.image)


def test_pictures_display_as_png_with_a_stable_repr():
    for picture in (viz.sliding_grid(A, kernels.box_blur(), (1, 1)), viz.kernel_grid(kernels.sobel_x())):
        assert picture._repr_png_().startswith(b"\x89PNG")
        assert repr(picture) == f"<picture {picture.image.width}x{picture.image.height}>"


@pytest.mark.parametrize("make, moved, follower", [
    (lambda: widgets.explore_windows_to_columns(A[:4, :4], [[1, 2], [3, 4]]), "stride", "window"),
    (lambda: widgets.explore_receptive_field(7, 3), "stride", "col"),
])
def test_a_control_that_narrows_another_draws_once(make, moved, follower, every_control_redraws):
    """Moving `moved` clamps `follower` to its new range: still one picture, drawn for both."""
    explorer = make()
    explorer.controls[follower].value = explorer.controls[follower].max
    every_control_redraws(explorer, f"{moved} narrowing {follower}")


def test_receptive_field_sliders_follow_the_output_size():
    explorer = widgets.explore_receptive_field(7, 3)
    explorer.controls["col"].value = 4
    explorer.controls["stride"].value = 3          # 3 outputs per axis: columns 0..1
    assert explorer.controls["col"].max == 1 and explorer.controls["col"].value == 1
    explorer.controls["stride"].value = 1
    assert explorer.controls["col"].max == 4


def test_lecture_mode_enlarges_and_restores():
    normal_font, normal_size = dict(viz.kit.STYLE), matplotlib.rcParams["font.size"]
    small = pixels(viz.sliding_grid(A, kernels.sobel_x(), (0, 0))).shape
    viz.lecture_mode()
    try:
        assert matplotlib.rcParams["font.size"] > normal_size
        assert pixels(viz.sliding_grid(A, kernels.sobel_x(), (0, 0))).shape[0] > small[0]
    finally:
        viz.lecture_mode(False)
    assert viz.kit.STYLE == normal_font and matplotlib.rcParams["font.size"] == normal_size


def test_a_picture_drawn_before_is_sent_again_without_drawing_it():
    drawn = []

    def render(value):
        drawn.append(value)
        return viz.kernel_grid(np.full((2, 2), value))

    explorer = widgets.Explorer(render, {"value": widgets.explorer.slider("value", 0, 3)})
    for value in (1, 2, 1, 2):
        explorer.controls["value"].value = value
    assert drawn == [0, 1, 2]
    assert bytes(explorer.image.value) == drawing_png(render(2).image)
    viz.lecture_mode()  # bigger pictures: nothing drawn before is reused
    try:
        explorer.controls["value"].value = 1
    finally:
        viz.lecture_mode(False)
    assert drawn == [0, 1, 2, 2, 1]


def test_once_the_kernel_is_idle_the_next_steps_are_drawn_ahead():
    drawn = []

    def render(value):
        drawn.append(value)
        return viz.kernel_grid(np.full((2, 2), value))

    async def learner():  # a kernel runs an event loop; the widget draws ahead on it
        explorer = widgets.Explorer(render, {"value": widgets.explorer.slider("value", 0, 9, 4)})
        step = explorer.controls["value"]
        step.value = 5
        await asyncio.sleep(0.3)
        assert drawn == [4, 5, 6]  # 4 was drawn already
        step.value = 6
        assert drawn == [4, 5, 6], "the step drawn ahead was drawn again"
        step.value, step.value = 7, 8  # a slider held down: nothing drawn ahead in between
        assert drawn == [4, 5, 6, 7, 8]
        await asyncio.sleep(0.3)
        assert drawn == [4, 5, 6, 7, 8, 9]
        assert bytes(explorer.image.value) == drawing_png(render(8).image)

    asyncio.run(learner())


def test_a_widget_that_draws_ahead_draws_every_picture_once_when_made():
    drawn = []

    def render(value, sign):
        drawn.append((value, sign))
        return viz.kernel_grid(np.full((1, value + 1), sign))

    controls = {"value": widgets.explorer.slider("value", 0, 40), "sign": widgets.explorer.menu(["+1", "-1"], "sign")}
    controls["value"].step = 2
    explorer = widgets.Explorer(lambda value, sign: render(value, int(sign)), controls, draw_ahead=True)
    assert sorted(drawn) == sorted((v, s) for v in range(0, 41, 2) for s in (1, -1))  # 42 > 32 kept by default
    for value in (40, 2, 0):
        for sign in ("-1", "+1"):
            controls["value"].value, controls["sign"].value = value, sign
            assert bytes(explorer.image.value) == drawing_png(render(value, int(sign)).image)
    assert len(drawn) == 42 + 6  # the 6 pictures drawn by this test for comparing, none by the widget
    assert explorer.frame_height == viz.kernel_grid(np.ones((1, 41))).image.height


def test_the_theorem_widget_draws_ahead_only_for_a_small_image():
    assert len(widgets.explore_theorem(images.portrait(48), largest=7)._drawn) == 8
    assert len(widgets.explore_theorem(images.portrait(48), largest=7, draw_ahead=32)._drawn) == 2  # first, tallest


def test_a_drawing_sent_as_png_decodes_to_exactly_its_pixels():
    rng = np.random.default_rng(0)
    drawing = viz.depth_dot(images.portrait_rgb(12), np.ones((1, 3, 3, 3)) / 27, 0, (3, 4)).image
    noise = Image.fromarray(rng.integers(0, 256, (7, 5, 3), dtype=np.uint8))  # every difference wraps mod 256
    for image in (drawing, noise, Image.new("RGB", (1, 1), "white")):
        data = drawing_png(image)
        decoded = Image.open(io.BytesIO(data))
        assert (decoded.format, decoded.mode, decoded.size) == ("PNG", "RGB", image.size)
        assert np.array_equal(np.asarray(decoded), np.asarray(image))
    assert len(drawing_png(drawing)) < 1.2 * len(viz.kit.png(drawing))  # as small as Pillow's fast PNG
