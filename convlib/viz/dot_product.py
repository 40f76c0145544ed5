"""Pictures of notebook 02: a window and a kernel flattened into two rows of numbers."""

import numpy as np
from PIL import Image, ImageDraw

from .kit import STYLE, fmt, grid_panel, side_by_side, stacked, write

__all__ = ["bar_row", "dot_product"]


def bar_row(values, title, height=None, color=(70, 110, 200)):
    """Values as bars up (positive) or down (negative), each labelled."""
    values = np.asarray(values, float).ravel()
    cell, height = STYLE["cell"], height or 3 * STYLE["cell"]
    top = STYLE["font"] + 8
    image = Image.new("RGB", (len(values) * cell + 1, height + top), "white")
    draw = ImageDraw.Draw(image)
    write(draw, (0, 0), title)
    middle, reach = top + height // 2, height // 2 - STYLE["font"] - 2
    biggest = np.abs(values).max() or 1.0
    draw.line((0, middle, image.width, middle), fill=(150, 150, 150))
    for k, value in enumerate(values):
        end = middle - value / biggest * reach
        draw.rectangle((k * cell + 4, min(middle, end), (k + 1) * cell - 4, max(middle, end)), fill=color)
        label_y = end - 2 if value >= 0 else end + 2
        write(draw, ((k + 0.5) * cell, label_y), fmt(value), size=STYLE["font"] - 2,
              anchor="md" if value >= 0 else "ma")
    return image


def dot_product(x, kernel, position):
    """The window at `position` (valid mode) and the kernel, flattened into two
    rows of numbers, their products, and the dot product they sum to."""
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    (i, j), (kh, kw) = position, kernel.shape
    window = x[i:i + kh, j:j + kw]
    products = window.ravel() * kernel.ravel()
    rows = stacked(bar_row(window, "vec(window)"), bar_row(kernel, "vec(kernel)", color=(200, 110, 40)),
                   bar_row(products, "products", color=(40, 150, 60)))
    return side_by_side(
        grid_panel(x, "input", window=(i, j, kh, kw)), rows,
        caption=f"vec(window) . vec(kernel) = {fmt(window.ravel() @ kernel.ravel())} = output[{i}, {j}]",
    )
