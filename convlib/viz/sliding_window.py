"""Pictures of notebook 01: one step of the sliding window, on numbers and on an image,
and what three classic kernels do to a portrait."""

import numpy as np
from PIL import Image, ImageDraw

from ..methods import correlate
from ..modes import pad_for_mode, pad_widths
from ..validation import check_memory, check_time
from .kit import (INK, OKABE_ITO, STYLE, WINDOW, Picture, fmt, gray_panel, grid_panel, numbers_text, paste, sentences,
                  shape_text, side_by_side, stacked, text_width, tint, write)
from ..i18n import _

__all__ = ["filter_gallery", "filter_step", "padding_mask", "sliding_grid", "weight_colors"]


def padding_mask(shape, kernel_shape, mode):
    """True where `pad_for_mode` adds a zero around an input of `shape`.

    Examples
    --------
    >>> padding_mask((1, 2), (1, 3), "full").astype(int)
    array([[1, 1, 0, 0, 1, 1]])
    """
    padded = np.add(shape, np.sum(pad_widths(kernel_shape, mode), axis=1))
    check_memory(padded, bool, _("the padding mask"), _("use a smaller shape"))
    return np.pad(np.zeros(shape, bool), pad_widths(kernel_shape, mode), constant_values=True)


POSITIVE = tint(OKABE_ITO["orange"], 0.3)    # pale orange: a positive weight
NEGATIVE = tint(OKABE_ITO["sky blue"], 0.4)  # pale blue: a negative weight


def weight_colors(kernel):
    """An (H, W, 3) array tinting each weight by its sign: orange positive, blue negative, white zero.

    Examples
    --------
    >>> weight_colors(np.array([[1.0, 0.0, -2.0]]))[0].tolist()
    [[248, 226, 178], [255, 255, 255], [187, 225, 246]]
    """
    kernel = np.asarray(kernel, float)
    check_time(kernel.size, 2000, _("colouring {kernel_size} weights for a picture").format(
                                      kernel_size=kernel.size), _("show a smaller kernel"))
    colors = np.full(kernel.shape + (3,), 255, dtype=np.uint8)
    colors[kernel > 0], colors[kernel < 0] = POSITIVE, NEGATIVE
    return colors


def sliding_grid(x, kernel, position, mode="valid"):
    """One step of the sliding window on a small grid of numbers.

    Shows the input (padded for `mode`, the zeros shaded grey) with the window
    at `position` = (row, col) of the output, the kernel, the elementwise
    products and their sum, and the output filled in up to that position.
    The kernel's cells and the products are tinted by the sign of their weight,
    so that the kernel's shape shows in the products.
    """
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    padded = pad_for_mode(x, kernel.shape, mode)
    out = correlate(x, kernel, mode, method="loop")
    (i, j), (kh, kw) = position, kernel.shape
    products = padded[i:i + kh, j:j + kw] * kernel
    filled = np.arange(out.size).reshape(out.shape) <= i * out.shape[1] + j
    caption = _("output[{i}, {j}] = sum of the products = {fmt_products_sum}").format(
                  i=i, j=j, fmt_products_sum=fmt(products.sum()))
    if mode != "valid":
        caption += _("; grey: the zeros that mode={mode!r} adds around the input").format(mode=mode)
    return side_by_side(
        grid_panel(padded, _("input"), window=(i, j, kh, kw), padded=padding_mask(x.shape, kernel.shape, mode)),
        grid_panel(kernel, _("kernel"), colors=weight_colors(kernel)),
        grid_panel(products, _("window * kernel"), colors=weight_colors(kernel)),
        grid_panel(out, _("output"), filled=filled, current=(i, j)),
        caption=caption,
        alt=_("One step of the sliding window, mode {mode!r}: the {shape_text_padded} input with the "
              "{shape_text_kernel} window at rows {i} to {i_kh_1}, columns {j} to {j_kw_1}; the kernel "
              "{numbers_text_kernel}; the products {numbers_text_products}; the {shape_text_out} output filled in up "
              "to [{i}, {j}]").format(
                mode=mode, shape_text_padded=shape_text(padded), shape_text_kernel=shape_text(kernel), i=i,
                i_kh_1=i + kh - 1, j=j, j_kw_1=j + kw - 1, numbers_text_kernel=numbers_text(kernel),
                numbers_text_products=numbers_text(products), shape_text_out=shape_text(out)),
    )



def _mark(panel, row, col, height, width, margin=None):
    """Outline pixels (row, col, height, width) of a gray panel so that a few pixels stand out:
    a thin orange line around them and a thick orange frame `margin` pixels further out,
    edged in black and white so that it shows on dark and on bright areas alike. The
    frame is clipped to the picture: at a border it never covers the title."""
    scale, top = STYLE["pixel"], STYLE["font"] + 8
    margin = 9 * scale if margin is None else margin
    picture = panel.crop((0, top, panel.width, panel.height))
    left, upper = col * scale, row * scale
    right, lower = (col + width) * scale - 1, (row + height) * scale - 1
    draw = ImageDraw.Draw(picture)
    draw.rectangle((left - 1, upper - 1, right + 1, lower + 1), outline=WINDOW, width=1)
    for inset, color, thickness in ((0, INK, 1), (1, WINDOW, 3), (4, "white", 1)):
        box = (left - margin + inset, upper - margin + inset, right + margin - inset, lower + margin - inset)
        draw.rectangle(box, outline=color, width=thickness)
    paste(panel, picture, (0, top))
    return panel


def _framed(panel, color=WINDOW, width=3):
    """`panel` with a coloured frame around its picture (below the title)."""
    top = STYLE["font"] + 8
    ImageDraw.Draw(panel).rectangle((0, top, panel.width - 1, panel.height - 1), outline=color, width=width)
    return panel


def filter_step(image, kernel, position, result=None):
    """The kernel at `position` on a real image: the window, its zoom, and the
    output revealed in reading order up to that position ('same' mode).

    The window and the output pixel are a few pixels of a large picture: each is
    outlined and ringed by a larger orange frame so that it can be found.
    `result` (optional) is ``correlate(image, kernel, "same")``, if already known.
    """
    return filter_steps(image, kernel, result)(position)


def filter_steps(image, kernel, result=None):
    """A function ``position -> filter_step(image, kernel, position)`` that filters the
    image and draws its panels once, so that each step only draws what moves: a
    live widget's slider step stays within milliseconds."""
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    result = correlate(image, kernel, "same") if result is None else np.asarray(result, float)
    low, high, _limit = _display_range(kernel, result, image)   # as in filter_gallery
    padded = pad_for_mode(image, kernel.shape, "same")
    panels = {"input": gray_panel(image, _("input"), 0, 1), "kernel": grid_panel(kernel, _("kernel")),
              "output": gray_panel(result, _("output so far"), low, high),
              "blank": gray_panel(np.full(result.shape, np.nan), _("output so far"), low, high)}
    (kh, kw), zoom = kernel.shape, max(4, 64 // max(kernel.shape)) * STYLE["pixel"]

    def step(position):
        i, j = position
        row = side_by_side(
            _mark(panels["input"].copy(), i - kh // 2, j - kw // 2, kh, kw),
            panels["kernel"],
            _framed(gray_panel(padded[i:i + kh, j:j + kw], _("window"), 0, 1, scale=zoom)),
            _mark(_revealed(panels["output"], panels["blank"], i, j), i, j, 1, 1),
            caption=_("output[{i}, {j}] = {fmt_result_i_j}").format(i=i, j=j, fmt_result_i_j=fmt(result[i, j])),
            alt=_("The {kh}x{kw} kernel {numbers_text_kernel} at pixel ({i}, {j}) of a {shape_text_image} gray "
                  "image: the image with the window framed, the kernel, the window enlarged, and the output image "
                  "computed in reading order up to that pixel").format(
                    kh=kh, kw=kw, numbers_text_kernel=numbers_text(kernel), i=i, j=j,
                    shape_text_image=shape_text(image)),
        )
        return _with_notes(row, [_("orange frames: the window and the output pixel; light grey: not computed yet")])

    return step


def _revealed(full, blank, i, j):
    """The output panel drawn in reading order up to (i, j): rows above i, and row i
    up to column j, from `full`; the rest from `blank` (light grey)."""
    scale, top = STYLE["pixel"], STYLE["font"] + 8
    panel = blank.copy()
    if i > 0:
        paste(panel, full.crop((0, top, full.width, top + i * scale)), (0, top))
    paste(panel, full.crop((0, top + i * scale, (j + 1) * scale, top + (i + 1) * scale)), (0, top + i * scale))
    return panel


def _display_range(kernel, result, image):
    """How to draw a filtered image, and the words for it: a kernel that keeps flat
    regions (weights sum to 1) on the input's scale, one that removes them (sum 0)
    on a scale symmetric about 0 that clips the strongest 1% of the responses
    (a few strong edges would leave every other one grey), any other on the
    result's own range."""
    total = kernel.sum()
    if np.isclose(total, 1):
        return float(image.min()), float(image.max()), "the input's scale"
    if np.isclose(total, 0):
        limit = float(np.percentile(np.abs(result), 99)) or 1.0
        return -limit, limit, "grey = 0"
    return float(result.min()), float(result.max()), "its own range"


def _scale_notes():
    """What each display range means, in the learner's language: {range: note}."""
    return {"the input's scale": _("the input's scale: {low} is black and {high} is white, as in the input; "
                                   "values beyond them are clipped"),
            "grey = 0": _("grey = 0: no response; brighter is positive, darker negative (the strongest 1% clipped)"),
            "its own range": _("its own range: black is the smallest value of that result, white the largest")}


def _result_panel(image, kernel, name):
    """`image` correlated with `kernel` ('same' mode), drawn on the scale that suits the
    kernel; and the words for that scale."""
    result = correlate(image, kernel, "same")
    low, high, scale = _display_range(kernel, result, image)
    return gray_panel(result, f"{name}: {scale}", low, high), scale


def _text_panel(lines):
    """Lines of text, left-aligned, on white."""
    size = STYLE["font"]
    height = len(lines) * (size + 6)
    panel = Image.new("RGB", (max(map(text_width, lines)) + 2, height), "white")
    draw = ImageDraw.Draw(panel)
    for index, line in enumerate(lines):
        write(draw, (0, index * (size + 6)), line)
    return panel


def filter_gallery(image, kernels):
    """The image beside its correlation with each kernel ('same' mode), each
    kernel's numbers above its result.

    Each result is drawn on the scale that shows what its kernel does: weights
    summing to 1 (blur, sharpen) on the input's scale, values beyond it clipped
    to black or white; weights summing to 0 (edges) on a scale symmetric about
    0, so that grey means "no response here". The caption says so.
    """
    image = np.asarray(image, float)
    low, high = float(image.min()), float(image.max())
    columns, scales = [], []
    for name, kernel in kernels.items():
        kernel = np.asarray(kernel, float)
        result_panel, scale = _result_panel(image, kernel, name)
        columns.append(stacked(grid_panel(kernel, name), result_panel))
        scales += [scale] if scale not in scales else []
    blank = Image.new("RGB", (1, columns[0].height - gray_panel(image).height if columns else 1), "white")
    row = side_by_side(stacked(blank, gray_panel(image, _("input"), low, high)), *columns,
                       alt=_("A {shape_text_image} gray image beside its correlation with {len_kernels} kernels, "
                             "each kernel's numbers above its result: "
                             "{kernel_numbers}").format(
                               shape_text_image=shape_text(image), len_kernels=len(kernels),
                               kernel_numbers="; ".join(f"{name}, {numbers_text(kernel)}"
                                                        for name, kernel in kernels.items())))
    return _with_notes(row, [_scale_notes()[scale].format(low=fmt(low), high=fmt(high)) for scale in scales])


def _with_notes(picture, lines):
    """`picture` with lines of text below it, aligned with its caption: a Picture."""
    note, gap = _text_panel(lines), STYLE["gap"]
    canvas = Image.new("RGB", (max(picture.image.width, note.width + 2 * gap),
                               picture.image.height + note.height + gap), "white")
    paste(canvas, picture.image, (0, 0))
    paste(canvas, note, (gap, picture.image.height))
    return Picture(canvas, sentences(picture.alt, *lines))

