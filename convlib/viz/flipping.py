"""Pictures of notebook 07: a kernel sliding along a signal as it is or flipped, and the
portrait filtered by convolution and by correlation.

Each kernel weight keeps its own pale colour and its index ``w[k]`` wherever it
appears, so that a flip shows as the colours running backwards.
"""

import numpy as np
from PIL import Image, ImageDraw

from ..flipping import flip
from ..methods import convolve, correlate
from ..modes import pad_for_mode
from ..validation import check_time
from .kit import (CATEGORICAL, GRID, OUTPUT, PAD, STYLE, WINDOW, fmt, gray_panel, grid_panel, side_by_side, stacked,
                  text_width, write)
from ..i18n import _

__all__ = ["flip_portrait", "flip_slide"]

_TAPS = CATEGORICAL
_GRID = GRID
_TARGET = 256  # pixels: the portrait panels are enlarged by whole pixels up to about this size


def _tap_colours(k):
    return np.array([_TAPS[t % len(_TAPS)] for t in range(k)])


def _cells(draw, left, top, values, fills, labels=(), current=None):
    """One row of numbered cells from `left`; `labels` go in small type under the cells."""
    cell = STYLE["cell"]
    for k, (value, fill) in enumerate(zip(values, fills)):
        if value is None:
            continue
        box = (left + k * cell, top, left + (k + 1) * cell, top + cell)
        draw.rectangle(box, fill=OUTPUT if k == current else fill, outline=_GRID)
        write(draw, (box[0] + cell / 2, top + cell / 2), fmt(value), anchor="mm")
    for k, label in enumerate(labels):
        if label:
            write(draw, (left + (k + 0.5) * cell, top + cell + 2), label, size=STYLE["small"], anchor="ma")


def _slide_panel(padded, is_pad, kernel_as_used, taps, position, output):
    """The rows of the 1-D picture, aligned on one grid of cells."""
    cell, font = STYLE["cell"], STYLE["font"]
    names = (_("x, padded"), _("kernel"), _("products"), _("y (full)"))
    left = max(text_width(name) for name in names) + STYLE["gap"]
    row_height = cell + font + 6
    image = Image.new("RGB", (left + len(padded) * cell + 1, 4 * row_height), "white")
    draw = ImageDraw.Draw(image)
    k, n = len(kernel_as_used), position
    blank = [None] * n
    fills = [tuple(c) for c in _tap_colours(len(taps))[taps]]
    rows = (
        (list(padded), [PAD if p else "white" for p in is_pad], [], None),
        (blank + list(kernel_as_used), ["white"] * n + fills, [""] * n + [f"w[{t}]" for t in taps], None),
        (blank + list(padded[n:n + k] * kernel_as_used), ["white"] * n + fills, [], None),
        ([v if i <= n else None for i, v in enumerate(output)], ["white"] * len(output), [], n),
    )
    for r, (name, (values, colours, labels, current)) in enumerate(zip(names, rows)):
        top = r * row_height
        write(draw, (0, top + (cell - font) / 2), name)
        _cells(draw, left, top, values, colours, labels, current)
    draw.rectangle((left + n * cell, 0, left + (n + k) * cell, cell), outline=WINDOW, width=3)
    return image


def flip_slide(x, kernel, position, flip_kernel=False):
    """One step of a 1-D kernel sliding along a signal, as it is (correlation) or flipped (convolution).

    `position` counts the outputs of mode 'full', 0 to N + K - 2, so the window
    reaches past both ends of `x` (the grey cells are the zeros added there).
    Each weight keeps its colour and its index w[k]: with `flip_kernel` the
    colours run backwards. For an impulse input the output spells out the
    kernel (convolution) or its flip (correlation).
    """
    cells = np.size(x) + 2 * np.size(kernel)
    check_time(cells, 2000, _("drawing {cells} cells of a sliding kernel").format(
                                cells=cells), _("use a shorter signal and kernel"))
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    operation = convolve if flip_kernel else correlate
    output = operation(x, kernel, "full")
    padded = pad_for_mode(x, kernel.shape, "full")
    is_pad = np.ones(padded.shape, bool)
    is_pad[len(kernel) - 1:len(kernel) - 1 + len(x)] = False
    taps = np.arange(len(kernel))[::-1] if flip_kernel else np.arange(len(kernel))
    used = flip(kernel) if flip_kernel else kernel
    products = padded[position:position + len(kernel)] * used
    name = _("convolution: the kernel slides flipped") if flip_kernel else _("correlation: the kernel slides as it is")
    verb = _("flipped (convolution)") if flip_kernel else _("as it is (correlation)")
    alt = (_("A kernel of {len_kernel} weights, {kernel_numbers}, each in its own colour, sliding {verb} along "
             "the signal {x_numbers} padded with zeros; rows show the padded signal, the kernel at output "
             "{position}, the products and the full output up to y[{position}]").format(
               len_kernel=len(kernel), kernel_numbers=', '.join(map(fmt, kernel)), verb=verb,
               x_numbers=', '.join(map(fmt, x)), position=position))
    return side_by_side(
        stacked(grid_panel(kernel[None], _("the kernel w"), colors=_tap_colours(len(kernel))[None]),
                _slide_panel(padded, is_pad, used, taps, position, output)),
        caption=_("{name};  y[{position}] = sum of the products = {fmt_products_sum}").format(
                    name=name, position=position, fmt_products_sum=fmt(products.sum())),
        alt=alt,
    )


def _kernel_panel(kernel, title):
    """A small kernel as its numbers; a large one as a framed picture (white: the largest weight)."""
    if max(kernel.shape) <= 5:
        return grid_panel(kernel, title)
    scale = max(2, 96 // max(kernel.shape)) * STYLE["pixel"]
    panel = gray_panel(kernel, title, scale=scale)
    top = STYLE["font"] + 8
    ImageDraw.Draw(panel).rectangle((0, top, kernel.shape[1] * scale - 1, top + kernel.shape[0] * scale - 1),
                                    outline=_GRID)
    return panel


def flip_portrait(image, kernel, results=None):
    """An image filtered by correlation and by convolution with `kernel` ('same' mode), and their difference.

    The two outputs share one gray scale, so equal values look equal; the
    difference is drawn with 0 as middle gray. `results` = (correlation,
    convolution) may be passed when they are computed already (a widget does).
    """
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    corr, conv = results if results is not None else (correlate(image, kernel, "same"),
                                                      convolve(image, kernel, "same"))
    low, high = min(corr.min(), conv.min()), max(corr.max(), conv.max())
    difference = conv - corr
    rounding = 1e-9 * max(abs(low), abs(high), 1.0)  # sums in another order: not a difference to draw
    difference[np.abs(difference) <= rounding] = 0.0
    reach = np.abs(difference).max() or 1.0
    scale = max(1, _TARGET // max(image.shape)) * STYLE["pixel"]
    return side_by_side(
        stacked(_kernel_panel(kernel, _("kernel w")), _kernel_panel(np.flip(kernel), "flip(w)")),
        gray_panel(corr, _("correlate(x, w)"), low, high, scale=scale),
        gray_panel(conv, _("convolve(x, w)"), low, high, scale=scale),
        gray_panel(difference, _("convolve - correlate"), -reach, reach, scale=scale),
        alt=_("The {kernel_shape_0}x{kernel_shape_1} kernel and its flip, then a {image_shape_0}x{image_shape_1} "
              "gray image filtered by correlation and by convolution, and their difference").format(
                kernel_shape_0=kernel.shape[0], kernel_shape_1=kernel.shape[1], image_shape_0=image.shape[0],
                image_shape_1=image.shape[1]),
        caption=_("largest |convolve - correlate| = {fmt_np_abs_difference_max} (outputs range over {fmt_low} .. "
                  "{fmt_high}; gray in the difference is 0)").format(
                    fmt_np_abs_difference_max=fmt(np.abs(difference).max()), fmt_low=fmt(low), fmt_high=fmt(high)),
    )
