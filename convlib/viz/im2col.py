"""Pictures of notebook 03: which inputs one output of a layer reads."""

import numpy as np
from PIL import Image, ImageDraw

from ..modes import output_size
from .kit import PAD, STYLE, WINDOW, grid_panel, side_by_side, write

__all__ = ["receptive_field"]


def receptive_field(n, kernel_size, stride=1, padding=0, dilation=1, output_index=(0, 0)):
    """Which input cells output `output_index` reads, for a square n x n input.

    The input is drawn with its padding ring (grey), the cells read by the
    chosen output in orange (dilation leaves gaps), and the output grid beside
    it, with the output-size formula filled in. An index past the output's
    last row or column is drawn at the last one.
    """
    formula = f"floor(({n} + 2*{padding} - {dilation}*({kernel_size}-1) - 1) / {stride}) + 1"
    try:
        size = output_size(n, kernel_size, stride, padding, dilation)
    except ValueError as error:
        return side_by_side(grid_panel(np.zeros((n, n)), "input"), caption=f"{formula}: {error}")
    i, j = (min(max(int(v), 0), size - 1) for v in output_index)
    side = n + 2 * padding
    read = np.zeros((side, side), bool)
    taps = np.arange(kernel_size) * dilation
    read[np.ix_(i * stride + taps, j * stride + taps)] = True
    cell, top = STYLE["cell"] // 2 + 6, STYLE["font"] + 8
    canvas = Image.new("RGB", (side * cell + 1, side * cell + top + 1), "white")
    draw = ImageDraw.Draw(canvas)
    write(draw, (0, 0), f"input {n}x{n}, padding {padding}")
    ring = np.pad(np.zeros((n, n), bool), padding, constant_values=True)
    for (r, c), is_read in np.ndenumerate(read):
        fill = WINDOW if is_read else PAD if ring[r, c] else "white"
        draw.rectangle((c * cell, top + r * cell, (c + 1) * cell, top + (r + 1) * cell), fill=fill,
                       outline=(150, 150, 150))
    outputs = grid_panel(np.zeros((size, size)), f"output {size}x{size}", filled=np.zeros((size, size), bool),
                         current=(i, j))
    return side_by_side(canvas, outputs, caption=f"{formula} = {size};  output ({i}, {j}) reads the orange cells")
