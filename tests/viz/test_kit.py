"""Every picture says in words what it shows, and its colours stay apart for everyone.

- Alt text: every picture function of `convlib.viz` is called on two different inputs; each
  Picture carries a sentence (its text alternative) that reaches the notebook output as the
  PNG's `alt` metadata, and the sentence changes with the data it describes. A picture
  function missing from the sweep fails the test, so that a new one cannot skip it.
- Colours: every pair of colours the drawing kit uses to mean different things keeps a
  CAM02-UCS distance of at least DISTINCT under normal vision and simulated protanopia,
  deuteranopia and tritanopia (colorspacious, Machado et al. 2009 at severity 100); text on
  every fill meets WCAG 2.1 AA contrast (4.5:1).
"""

import inspect
import itertools
import json

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageDraw

matplotlib.use("Agg")

from colorspacious import cspace_convert  # noqa: E402

import course  # noqa: E402
from convlib import images, kernels, viz  # noqa: E402
from convlib.viz import depth, fft, kit, sliding_window, weight_matrix  # noqa: E402

X5 = np.arange(25.0).reshape(5, 5) % 7
X6 = (np.arange(36.0).reshape(6, 6) * 3) % 5 - 2
FACE, SMALL = images.portrait(24), images.portrait(16)
FACE_RGB = images.portrait_rgb(12)
FACE_RGB_2 = images.portrait_rgb(16)
DEPTH_W = np.arange(27.0).reshape(1, 3, 3, 3) / 27 - 0.5
DEPTH_W2 = np.ones((2, 3, 3, 3)) / 27

# Each picture function of convlib.viz, called on two inputs that differ.
CALLS = {
    "notation": [lambda: viz.notation([1, 2, 3, 4], [5, 6, 7], 1), lambda: viz.notation([1, 2, 3, 4, 5], [1, 0], 3)],
    "blur": [lambda: viz.blur(FACE, 1.0), lambda: viz.blur(SMALL, 2.0)],
    "kernel_grid": [lambda: viz.kernel_grid(kernels.sobel_x(), "Sobel x"), lambda: viz.kernel_grid(np.eye(2))],
    "images_picture": [lambda: viz.images_picture({"face": FACE}),
                       lambda: viz.images_picture({"a": SMALL, "b": -SMALL}, limits=(-1, 1))],
    "sliding_grid": [lambda: viz.sliding_grid(X5, np.eye(3), (0, 1)),
                     lambda: viz.sliding_grid(X6, kernels.sobel_x(), (1, 1), mode="full")],
    "filter_step": [lambda: viz.filter_step(FACE, kernels.sobel_x(), (3, 4)),
                    lambda: viz.filter_step(SMALL, kernels.box_blur(), (5, 2))],
    "filter_gallery": [lambda: viz.filter_gallery(FACE, {"blur": kernels.box_blur()}),
                       lambda: viz.filter_gallery(SMALL, {"edges": kernels.sobel_x(), "sharpen": kernels.sharpen()})],
    "dot_product": [lambda: viz.dot_product(X5, np.eye(2), (1, 1)), lambda: viz.dot_product(X6, np.ones((3, 3)), (0, 2))],
    "template_match": [lambda: viz.template_match(FACE, FACE[4:9, 4:9]), lambda: viz.template_match(SMALL, SMALL[:4, :4])],
    "windows_to_columns": [lambda: viz.windows_to_columns(X5, np.eye(2), window=3),
                           lambda: viz.windows_to_columns(X6, np.ones((3, 3)), window=1, stride=2)],
    "receptive_field": [lambda: viz.receptive_field(7, 3, stride=2, padding=1, output_index=(1, 2)),
                        lambda: viz.receptive_field(5, 2, dilation=2)],
    "depth_dot": [lambda: viz.depth_dot(FACE_RGB, DEPTH_W, position=(1, 2)),
                  lambda: viz.depth_dot(FACE_RGB_2, DEPTH_W2, out_channel=1, position=(3, 0))],
    "recolour": [lambda: viz.recolour(FACE_RGB), lambda: viz.recolour(FACE_RGB_2, [0.2, 0.5, 0.3], viz.TINTS["sepia"])],
    "tied_weights": [lambda: viz.tied_weights(4, [1.0, 2.0, 3.0], mode="full", x=[1, 2, 3, 4]),
                     lambda: viz.tied_weights((4, 4), np.arange(9.0).reshape(3, 3))],
    "row_and_column": [lambda: viz.row_and_column([1.0, 2, 3, 4, 5], [1.0, -1], output=1, column=2),
                       lambda: viz.row_and_column(X5[:3, :3], np.eye(2), output=0, column=4)],
    "strided_matrix": [lambda: viz.strided_matrix(7, [1, 2, 3], stride=2, padding=1),
                       lambda: viz.strided_matrix(2, [1, 2, 3, 4, 5])],
    "circulant_vs_toeplitz": [lambda: viz.circulant_vs_toeplitz(6, [1.0, 2.0, 3.0]),
                              lambda: viz.circulant_vs_toeplitz(5, [2.0, -1.0])],
    "flip_slide": [lambda: viz.flip_slide([0, 0, 1, 0], [1, 2, 3], 2),
                   lambda: viz.flip_slide([1, 2, 3], [1, -1], 1, flip_kernel=True)],
    "flip_portrait": [lambda: viz.flip_portrait(FACE, kernels.asymmetric()),
                      lambda: viz.flip_portrait(SMALL, kernels.sobel_x())],
    "theorem_steps": [lambda: viz.theorem_steps(SMALL, kernels.box_blur(3)),
                      lambda: viz.theorem_steps(FACE, kernels.box_blur(5), padded=False)],
    "kernel_spectra": [lambda: viz.kernel_spectra({"blur": kernels.box_blur()}, size=16),
                       lambda: viz.kernel_spectra({"edges": kernels.sobel_x(), "id": kernels.identity()}, size=16)],
    "circulant_diagonal": [lambda: viz.circulant_diagonal([1.0, 2.0, 3.0], 6),
                           lambda: viz.circulant_diagonal([1.0, -1.0], 4)],
    "race_map": [lambda: viz.race_map(), lambda: viz.race_map(cursor=(512, 3))],
    "sequence_plot": [lambda: viz.sequence_plot([3.0, 1.0, 0.5], title="loss", xlabel="step", log=True),
                      lambda: viz.sequence_plot([1.0, -1.0, 1.0], title="peaks", xlabel="lag", stem=True)],
}
# Public functions of convlib.viz that return data or panels, not pictures.
NOT_PICTURES = {"padding_mask", "weight_colors", "template_responses", "window_colours", "bar_row", "rgb_panel",
                "lecture_mode", "show_images", "blurred"}


def picture_functions():
    """Every public function that `convlib.viz` offers."""
    return {name for name, value in vars(viz).items() if callable(value) and not name.startswith("_")
            and not isinstance(value, type) and getattr(value, "__module__", "").startswith("convlib.viz")}


def test_the_sweep_covers_every_picture_function():
    missing = picture_functions() - set(CALLS) - NOT_PICTURES
    assert not missing, f"picture functions without a text-alternative check in CALLS: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_picture_says_what_it_shows_from_its_data(name):
    first, second = (call() for call in CALLS[name])
    for picture in (first, second):
        assert isinstance(picture, viz.Picture), f"{name} returns {type(picture).__name__}, not a Picture"
        assert len(picture.alt.split()) >= 8 and picture.alt.endswith("."), f"{name}: alt {picture.alt!r}"
        data, metadata = picture._repr_mimebundle_()
        assert metadata == {"image/png": {"alt": picture.alt, "font_px": picture.font_px}}
        assert data["image/png"].startswith("iVBOR")
        assert picture.font_px >= kit.STYLE["small"], f"{name}: text of {picture.font_px} px, below the kit's smallest"
    assert first.alt != second.alt, f"{name}: the same text for different data: {first.alt!r}"


def test_alt_text_counts_what_the_matrix_holds():
    """The issue's example: the sentence carries numbers computed from the picture's data."""
    alt = viz.tied_weights((4, 4), np.arange(9.0).reshape(3, 3)).alt
    assert "4x16, 36 entries hold one of the 9 weights" in alt and "28 are zeros" in alt


def test_a_picture_without_alt_text_is_refused():
    image = viz.kernel_grid([[1.0]]).image
    with pytest.raises(ValueError, match="`alt` must be a sentence saying what the picture shows; got ''"):
        viz.Picture(image, "")
    with pytest.raises(TypeError, match="alt"):
        viz.Picture(image)


def test_a_picture_knows_the_smallest_text_drawn_in_it_through_every_paste():
    big, small, blank = (Image.new("RGB", (40, 20), "white") for _ in range(3))
    kit.write(ImageDraw.Draw(big), (0, 0), "big", size=30)
    kit.write(ImageDraw.Draw(small), (0, 0), "small", size=17)
    kit.write(ImageDraw.Draw(blank), (0, 0), " ", size=5)             # no text: nothing to read
    assert (big.info["font_px"], small.info["font_px"], "font_px" in blank.info) == (30, 17, False)
    picture = kit.side_by_side(kit.stacked(big, blank), small.crop((0, 0, 10, 10)), alt="Two words.")
    assert picture.font_px == 17
    assert kit.side_by_side(blank, big, caption="a caption").font_px == kit.STYLE["font"]
    assert viz.Picture(blank, "A white square.").font_px is None
    assert "font_px" not in viz.Picture(blank, "A white square.")._repr_mimebundle_()[1]["image/png"]


def test_matplotlib_titles_are_drawn_at_the_kits_font_size():
    picture = viz.images_picture({"face": FACE})
    assert picture.font_px == kit.STYLE["font"]
    kit.lecture_mode()
    try:
        assert viz.images_picture({"face": FACE}).font_px == kit.STYLE["font"] > picture.font_px
    finally:
        kit.lecture_mode(False)


def stored_pictures(path):
    """(cell source, output) of every PNG a notebook cell made with the drawing kit (`viz.`)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [("".join(cell["source"]), output) for cell in notebook["cells"] if cell["cell_type"] == "code"
            and "viz." in "".join(cell["source"]) for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})]


@pytest.mark.course
@pytest.mark.parametrize("path", course.paths(course.LEARNER) + course.paths(course.INSTRUCTOR),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stored_notebooks_keep_each_pictures_alt_text_and_text_size(path):
    pictures = stored_pictures(path)
    bare = [source.splitlines()[-1] for source, output in pictures
            if not output.get("metadata", {}).get("image/png", {}).get("alt")]
    assert not bare, f"{path.name}: pictures stored without alt text (run `make notebooks`): {bare}"
    unsized = [source.splitlines()[-1] for source, output in pictures
               if not output.get("metadata", {}).get("image/png", {}).get("font_px")]
    assert not unsized, f"{path.name}: pictures stored without the size of their text (`make notebooks`): {unsized}"


# --- colours --------------------------------------------------------------------------

DISTINCT = 10.0       # CAM02-UCS distance; the kit's colours before this check had 0.9 to 5 for some pairs
DEFICIENCIES = ("protanomaly", "deuteranomaly", "tritanomaly")
WHITE = (255, 255, 255)

# Colours that mean different things where they meet in one picture.
MEANINGS = {
    "window, output, highlight, padding, blank": [kit.WINDOW, kit.OUTPUT, kit.HIGHLIGHT, kit.PAD, WHITE],
    "kernel weights (taps), zeros, padding": [*kit.CATEGORICAL, WHITE, kit.PAD],
    "positive, negative and zero weights": [sliding_window.POSITIVE, sliding_window.NEGATIVE, WHITE],
    "chosen row and column of M": [weight_matrix._PALE_WINDOW, weight_matrix._PALE_OUTPUT, WHITE],
    "red, green and blue channels": depth._CHANNEL_COLOURS[3],
    "direct or FFT winner, not run": [*fft.KIND_COLOURS.values(), kit.PAD],
    "bars: window, kernel, products": [inspect.signature(viz.bar_row).parameters["color"].default, kit.WINDOW, kit.OUTPUT],
}
FILLS_UNDER_TEXT = sorted({tuple(c) for colours in MEANINGS.values() for c in colours
                           if c not in depth._CHANNEL_COLOURS[3] + [kit.HIGHLIGHT]}
                          | {tuple(c) for c in viz.window_colours(9, 1.0)} | {kit.FADED})


def seen(colour, deficiency=None):
    """`colour` in CAM02-UCS, as seen with `deficiency` (None: normal vision)."""
    rgb = np.asarray(colour, float) / 255
    if deficiency:
        space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def closest_pair(colours):
    """The smallest distance between two of `colours` for any kind of vision, and where."""
    return min((float(np.linalg.norm(seen(a, d) - seen(b, d))), d or "normal vision", a, b)
               for a, b in itertools.combinations(colours, 2) for d in (None, *DEFICIENCIES))


@pytest.mark.parametrize("meaning", sorted(MEANINGS))
def test_colours_that_mean_different_things_stay_apart_with_colour_blindness(meaning):
    distance, vision, a, b = closest_pair(MEANINGS[meaning])
    assert distance >= DISTINCT, f"{meaning}: {a} and {b} are {distance:.1f} apart with {vision} (< {DISTINCT})"


def test_the_old_orange_and_green_would_fail():
    """The check can fail: the kit's former window orange and output green were 5 apart for protanopia."""
    assert closest_pair([(230, 120, 20), (40, 150, 60)])[0] < DISTINCT


def luminance(colour):
    """WCAG 2.1 relative luminance."""
    c = np.asarray(colour, float) / 255
    return float(np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4) @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("fill", [WHITE, *FILLS_UNDER_TEXT], ids=str)
def test_text_on_every_fill_meets_wcag_aa(fill):
    assert contrast(kit.INK, fill) >= 4.5, f"ink on {fill}: {contrast(kit.INK, fill):.2f}:1"


def test_secondary_text_meets_wcag_aa_and_the_check_can_fail():
    assert contrast(kit.QUIET_INK, WHITE) >= 4.5
    assert contrast(WHITE, (153, 153, 153)) < 4.5     # the decks' former slide number: white on #999
