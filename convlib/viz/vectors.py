"""Pictures of notebook 02: a window and a kernel flattened into two rows of numbers,
and the dot product as a similarity score (template matching)."""

import numpy as np
from PIL import Image, ImageDraw

from ..methods import correlate
from ..validation import check_time
from .kit import (GRID, HIGHLIGHT, OKABE_ITO, OUTPUT, STYLE, WINDOW, fmt, gray_panel, grid_panel, side_by_side, stacked,
                  write)
from ..i18n import _

__all__ = ["bar_row", "dot_product", "template_match", "template_responses"]

RAW = HIGHLIGHT   # blue: where the raw dot product peaks


def bar_row(values, title, height=None, color=OKABE_ITO["sky blue"]):
    """Values as bars up (positive) or down (negative), each labelled."""
    check_time(np.size(values), 2000, _("drawing {size_values} labelled bars").format(
                                          size_values=np.size(values)), _("show fewer values"))
    values = np.asarray(values, float).ravel()
    cell, height = STYLE["cell"], height or 3 * STYLE["cell"]
    top = STYLE["font"] + 8
    image = Image.new("RGB", (len(values) * cell + 1, height + top), "white")
    draw = ImageDraw.Draw(image)
    write(draw, (0, 0), title)
    middle, reach = top + height // 2, height // 2 - STYLE["font"] - 2
    biggest = np.abs(values).max() or 1.0
    draw.line((0, middle, image.width, middle), fill=GRID)
    for k, value in enumerate(values):
        end = middle - value / biggest * reach
        draw.rectangle((k * cell + 4, min(middle, end), (k + 1) * cell - 4, max(middle, end)), fill=color)
        label_y = end - 2 if value >= 0 else end + 2
        write(draw, ((k + 0.5) * cell, label_y), fmt(value), size=STYLE["small"],
              anchor="md" if value >= 0 else "ma")
    return image


def dot_product(x, kernel, position):
    """The window at `position` (valid mode) and the kernel, flattened into two
    rows of numbers, their products, and the dot product they sum to."""
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    (i, j), (kh, kw) = position, kernel.shape
    window = x[i:i + kh, j:j + kw]
    products = window.ravel() * kernel.ravel()
    rows = stacked(bar_row(window, "vec(window)"), bar_row(kernel, "vec(w)", color=WINDOW),
                   bar_row(products, "products", color=OUTPUT))
    numbers = {name: ", ".join(map(fmt, values.ravel())) for name, values in
               (("window", window), ("w", kernel), ("products", products))}
    return side_by_side(
        grid_panel(x, _("input"), window=(i, j, kh, kw)), rows,
        caption=_("vec(window) · vec(w) = {fmt_window_ravel_kernel_ravel} = y[{i}, {j}]").format(
                    fmt_window_ravel_kernel_ravel=fmt(window.ravel() @ kernel.ravel()), i=i, j=j),
        alt=_("The input grid with a {kh}x{kw} window at ({i}, {j}) outlined, and three rows of bars: the flattened "
              "window {numbers_window}, the flattened kernel {numbers_w}, and their products "
              "{numbers_products}").format(
                kh=kh, kw=kw, i=i, j=j, numbers_window=numbers['window'], numbers_w=numbers['w'],
                numbers_products=numbers['products']),
    )


def template_responses(image, template):
    """The raw response w·x, the window norms ||x|| and the cosine of every valid window.

    ``raw = ||w|| ||x|| cos(angle)``: `template` is w, each window of `image`
    is x. Windows of norm 0 get cosine 0.

    Examples
    --------
    >>> raw, norms, cosine = template_responses(np.eye(3), np.eye(2))
    >>> raw
    array([[2., 0.],
           [0., 2.]])
    >>> cosine.round(6)                   # 1 where the window is the template
    array([[1., 0.],
           [0., 1.]])
    """
    image, template = np.asarray(image, float), np.asarray(template, float)
    raw = correlate(image, template, "valid")
    norms = np.sqrt(np.maximum(correlate(image ** 2, np.ones_like(template), "valid"), 0))
    scale = norms * np.linalg.norm(template)
    cosine = np.divide(raw, scale, out=np.zeros_like(raw), where=scale > 0)
    return raw, norms, cosine


def _ring(panel, at, colour, scale, size=(1, 1)):
    """Outline the cells (row, col, rows, cols) = (*at, *size) of a gray panel, in place."""
    (r, c), (h, w), top = at, size, STYLE["font"] + 8
    pad = 5 if size == (1, 1) else 0
    ImageDraw.Draw(panel).rectangle(
        (c * scale - 1 - pad, top + r * scale - 1 - pad, (c + w) * scale + pad, top + (r + h) * scale + pad),
        outline=colour, width=2)
    return panel


def template_match(image, template, scale=2):
    """Where the raw and the normalised responses to `template` peak, on the image and on the maps.

    Four panels: the image with the windows at both peaks, the raw response
    w·x, the window norms ||x|| and the normalised response cos(angle). Blue
    marks the raw peak, green the normalised one, in every panel.
    """
    image, template = np.asarray(image, float), np.asarray(template, float)
    raw, norms, cosine = template_responses(image, template)
    peaks = {name: np.unravel_index(np.argmax(values), values.shape) for name, values in
             (("raw", raw), ("cosine", cosine))}
    scale = scale * STYLE["pixel"]

    def marked(panel, size=(1, 1)):
        for name, colour in (("raw", RAW), ("cosine", OUTPUT)):
            _ring(panel, peaks[name], colour, scale, size)
        return panel

    titles = (_("raw response w·x"), _("window norm ||x||"), _("normalised: cos = w·x / (||w|| ||x||)"))
    maps = [marked(gray_panel(values, title, scale=scale)) for title, values in zip(titles, (raw, norms, cosine))]
    picture = marked(gray_panel(image, _("the windows at the two peaks"), scale=scale), template.shape)
    (i, j), (k, m) = peaks["raw"], peaks["cosine"]
    return side_by_side(
        picture, *maps,
        alt=_("A {image_shape_0}x{image_shape_1} gray image with the windows at two peaks marked, and three maps of "
              "every window: the raw response w·x, the window norm ||x|| and the normalised response (cosine); blue "
              "rings mark the raw peak, green rings the normalised one").format(
                image_shape_0=image.shape[0], image_shape_1=image.shape[1]),
        caption=_("blue: raw peak ({i}, {j}), ||x|| = {fmt_norms_i_j}, cos = {fmt_cosine_i_j};  green: normalised "
                  "peak ({k}, {m}), ||x|| = {fmt_norms_k_m}, cos = {fmt_cosine_k_m}").format(
                    i=i, j=j, fmt_norms_i_j=fmt(norms[i, j]), fmt_cosine_i_j=fmt(cosine[i, j]), k=k, m=m,
                    fmt_norms_k_m=fmt(norms[k, m]), fmt_cosine_k_m=fmt(cosine[k, m])),
    )
