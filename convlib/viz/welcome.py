"""Pictures of notebook 00: the course's notation on a small example, and a first blur."""

import numpy as np
from PIL import Image

from .. import kernels
from ..methods import correlate
from ..validation import as_array, as_int
from .kit import STYLE, fmt, gray_panel, grid_panel, paste, sentences, shape_text, side_by_side
from ..i18n import _

__all__ = ["blur", "blurred", "notation"]


def blurred(image, sigma):
    """`image` correlated with a Gaussian of width `sigma` (FFT: the kernel is large)."""
    size = 2 * int(np.ceil(3 * sigma)) + 1
    return correlate(image, kernels.gaussian(size, sigma), mode="same", method="fft")


def blur(image, sigma, result=None):
    """The image and its Gaussian blur side by side."""
    result = blurred(image, sigma) if result is None else result
    blur_title = _("Gaussian blur, sigma = {sigma:g}").format(sigma=sigma)
    return side_by_side(gray_panel(image, _("input"), 0, 1), gray_panel(result, blur_title, 0, 1),
                        alt=_("A {shape_text_image} gray image and its Gaussian blur with sigma = {sigma:g} side by "
                              "side: the blurred copy shows the same shapes with softer edges").format(
                                shape_text_image=shape_text(image), sigma=sigma))


def notation(x, w, i=0):
    """The letters of the course on a 1-D example: the input `x` (N numbers), the
    kernel `w` (K weights) under the window that starts at `x[i]`, and the output
    `y` of the valid correlation (N - K + 1 numbers), y[i] being written.

    Examples
    --------
    >>> notation([1, 2, 3, 4], [5, 6, 7], 1).image.size[0] > 0
    True
    >>> notation([1, 2, 3, 4], [5, 6, 7], 2)
    Traceback (most recent call last):
    ...
    ValueError: `i` must be at most 1 (the last of the N - K + 1 = 2 outputs); got 2
    """
    x, w = as_array(x, "x", ndim=(1,)), as_array(w, "w", ndim=(1,))
    y = correlate(x, w, "valid")
    i = as_int(i, "i", minimum=0)
    if i >= y.size:
        raise ValueError(_("`i` must be at most {last} (the last of the N - K + 1 = {y_size} outputs); "
                           "got {i}").format(last=y.size - 1, y_size=y.size, i=i))
    n, k, cell = x.size, w.size, STYLE["cell"]
    rows = [
        (grid_panel(x, _("x: the input, N = {n}").format(n=n), window=(0, i, 1, k)), 0),
        (grid_panel(w, _("w: the kernel (weights), K = {k}").format(k=k)), i * cell),
        (grid_panel(y, _("y: the output, N - K + 1 = {y_size}").format(
                           y_size=y.size), filled=(np.arange(y.size) <= i)[None],
                    current=(0, i)), 0),
    ]
    width = max(panel.width + offset for panel, offset in rows)
    canvas = Image.new("RGB", (width, sum(panel.height for panel, _ in rows) + STYLE["gap"] * 2), "white")
    top = 0
    for panel, offset in rows:
        paste(canvas, panel, (offset, top))
        top += panel.height + STYLE["gap"]
    terms = " + ".join(f"{fmt(a)}*{fmt(b)}" for a, b in zip(x[i:i + k], w))
    return side_by_side(canvas, caption=f"y[{i}] = {terms} = {fmt(y[i])}", alt=sentences(
        _("Three rows of numbered cells: the input x = {x_numbers} (N = {n}) with a window over x[{i}] to "
          "x[{i_k_1}]").format(
            x_numbers=', '.join(map(fmt, x)),
            n=n, i=i, i_k_1=i + k - 1), _("under the window the kernel w = {w_numbers} (K = {k})").format(
                                         w_numbers=', '.join(map(fmt, w)), k=k),
        _("the output y, {y_size} = N - K + 1 cells, filled in up to y[{i}], which is being written").format(
            y_size=y.size, i=i)))
