"""Pictures of notebook 03: windows becoming the columns of X_col, and which inputs one output reads."""

import numpy as np
from PIL import Image, ImageDraw

from ..flattening import im2col
from ..modes import output_size
from ..validation import as_array, as_int, check_time
from .kit import (CATEGORICAL, GRID, PAD, STYLE, WINDOW, fmt, grid_panel, paste, side_by_side,
                  tint, write)
from ..i18n import _

__all__ = ["receptive_field", "window_colours", "windows_to_columns"]


def window_colours(count, strength=0.4):
    """One colour per window position, from the kit's colour-blind-safe palette
    (:data:`~convlib.viz.kit.CATEGORICAL`; after 9, each round is paler): (count, 3) uint8.

    `strength` 0 is white, 1 the palette's colour; light tints keep numbers readable.

    Examples
    --------
    >>> window_colours(4).shape
    (4, 3)
    >>> len({tuple(c) for c in window_colours(9)})
    9
    """
    count = as_int(count, "count", minimum=0)
    check_time(count, 1e6, _("{count} colours").format(count=count), _("colour fewer windows"))
    rounds = len(CATEGORICAL)
    return np.array([tint(CATEGORICAL[k % rounds], strength * 0.75 ** (k // rounds)) for k in range(count)],
                    np.uint8).reshape(-1, 3)


def _windows(x, kernel_shape, stride):
    """Rows, columns and X_col of the windows of a 2-D `x` at `stride`."""
    (kh, kw), s = kernel_shape, stride
    rows, cols = output_size(x.shape[0], kh, s), output_size(x.shape[1], kw, s)
    return rows, cols, im2col(x[None], (kh, kw), s)


def windows_to_columns(x, kernel, window=0, stride=1):
    """im2col on a small 2-D input: window `window` becomes column `window` of X_col.

    Every window position has a colour (reading order). Column l of X_col,
    entry l of the product ``W_row @ X_col`` and output y[r, c] share window
    l's colour; the chosen window, its column and its output are strong and
    outlined in orange. Where windows do not overlap (stride at least the
    kernel's size) every window is coloured on the input too. The kernel
    becomes the row W_row, laid out to the left of the product it makes.
    A `window` past the last one is drawn at the last.
    """
    x = as_array(x, "x", ndim=2).astype(float)
    kernel = as_array(kernel, "kernel", ndim=2).astype(float)
    s = as_int(stride, "stride", minimum=1)
    if kernel.shape[0] > x.shape[0] or kernel.shape[1] > x.shape[1]:
        raise ValueError(_("`kernel` must fit inside `x`; got kernel shape {kernel_shape} "
                           "for x shape {x_shape}").format(
                             kernel_shape=kernel.shape, x_shape=x.shape))
    kh, kw = kernel.shape
    rows, cols, x_col = _windows(x, kernel.shape, s)
    count = rows * cols
    window = min(max(int(window), 0), count - 1)
    r, c = divmod(window, cols)
    w_row = kernel.reshape(1, -1)
    y_row = w_row @ x_col
    pale, strong = window_colours(count), window_colours(count, 1.0)
    tints = pale.copy()
    tints[window] = strong[window]
    x_tints = np.full(x.shape + (3,), 255, np.uint8)
    if s >= kh and s >= kw:                               # windows do not overlap: colour them all
        for position in range(count):
            i, j = divmod(position, cols)
            x_tints[i * s:i * s + kh, j * s:j * s + kw] = pale[position]
    x_tints[r * s:r * s + kh, c * s:c * s + kw] = strong[window]
    panels = {
        "x": grid_panel(x, _("input x, stride {s}").format(s=s), window=(r * s, c * s, kh, kw), colors=x_tints),
        "w": grid_panel(kernel, _("kernel w")),
        "x_col": grid_panel(x_col, _("X_col: {x_col_shape_0} x L, L = {count} windows").format(
                                       x_col_shape_0=x_col.shape[0], count=count),
                            window=(0, window, x_col.shape[0], 1),
                            colors=np.broadcast_to(tints, x_col.shape + (3,))),
        "w_row": grid_panel(w_row, _("W_row: w as a row")),
        "y_row": grid_panel(y_row, _("W_row @ X_col"), window=(0, window, 1, 1), colors=tints[None]),
        "y": grid_panel(y_row.reshape(rows, cols), _("y: reshaped to {rows}x{cols}").format(
                                                       rows=rows, cols=cols), window=(r, c, 1, 1),
                        colors=tints.reshape(rows, cols, 3)),
    }
    terms = " + ".join(f"{_factor(a)}·{_factor(b)}" for a, b in zip(w_row[0], x_col[:, window]))
    caption = (_("window {window} (row {r}, column {c}) is column {window} of X_col;\nW_row · column {window} = "
                 "{terms} = {fmt_y_row_0_window} = y[{r}, {c}]").format(
                   window=window, r=r, c=c, terms=terms, fmt_y_row_0_window=fmt(y_row[0, window])))
    alt = (_("im2col laid out as a matrix product: the {x_shape_0}x{x_shape_1} input x with window {window} "
             "outlined, the {kh}x{kw} kernel w, the {x_col_shape_0}x{count} matrix X_col whose column {window} is "
             "that window, the kernel as the row W_row, their product and the {rows}x{cols} output y; each window "
             "has its own colour").format(
               x_shape_0=x.shape[0], x_shape_1=x.shape[1], window=window, kh=kh, kw=kw,
               x_col_shape_0=x_col.shape[0], count=count, rows=rows, cols=cols))
    return side_by_side(_falk(panels), caption=caption, alt=alt)


def _factor(value):
    """A number in a product: negative ones in parentheses."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def _falk(p):
    """Lay out a matrix product as on paper: X_col above the product, W_row to its left."""
    gap = STYLE["gap"]
    left = max(p["x"].width + gap + p["w"].width, p["w_row"].width)
    middle = max(p["x_col"].width, p["y_row"].width)
    product_top = max(p["x"].height, p["w"].height, p["x_col"].height) + gap
    canvas = Image.new("RGB", (left + gap + middle + gap + p["y"].width,
                               product_top + max(p["y_row"].height, p["y"].height)), "white")
    x_col_left = left + gap
    paste(canvas, p["x"], (0, 0))
    paste(canvas, p["w"], (p["x"].width + gap, 0))
    paste(canvas, p["x_col"], (x_col_left, 0))
    paste(canvas, p["w_row"], (x_col_left - gap - p["w_row"].width, product_top))
    paste(canvas, p["y_row"], (x_col_left, product_top))
    paste(canvas, p["y"], (x_col_left + middle + gap, product_top))
    return canvas


def receptive_field(n, kernel_size, stride=1, padding=0, dilation=1, output_index=(0, 0)):
    """Which input cells output `output_index` reads, for a square n x n input.

    The input is drawn with its padding ring (grey), the cells read by the
    chosen output in orange (dilation leaves gaps), and the output grid beside
    it, with the output-size formula filled in. An index past the output's
    last row or column is drawn at the last one.
    """
    n, padding = as_int(n, "n", minimum=1), as_int(padding, "padding", minimum=0)
    check_time((n + 2 * padding) ** 2, 2000, _("drawing {n_2_padding} x {n_2_padding} cells").format(
                                                 n_2_padding=n + 2 * padding), _("use a smaller n"))
    formula = f"floor(({n} + 2*{padding} - {dilation}*({kernel_size}-1) - 1) / {stride}) + 1"
    try:
        size = output_size(n, kernel_size, stride, padding, dilation)
    except ValueError as error:
        return side_by_side(grid_panel(np.zeros((n, n)), _("input")), caption=f"{formula}: {error}",
                            alt=_("A {n}x{n} input and no output: the kernel does not fit").format(n=n))
    i, j = (min(max(int(v), 0), size - 1) for v in output_index)
    side = n + 2 * padding
    read = np.zeros((side, side), bool)
    taps = np.arange(kernel_size) * dilation
    read[np.ix_(i * stride + taps, j * stride + taps)] = True
    cell, top = STYLE["cell"] // 2 + 6, STYLE["font"] + 8
    canvas = Image.new("RGB", (side * cell + 1, side * cell + top + 1), "white")
    draw = ImageDraw.Draw(canvas)
    write(draw, (0, 0), _("input {n}x{n}, padding {padding}").format(n=n, padding=padding))
    ring = np.pad(np.zeros((n, n), bool), padding, constant_values=True)
    for (r, c), is_read in np.ndenumerate(read):
        fill = WINDOW if is_read else PAD if ring[r, c] else "white"
        draw.rectangle((c * cell, top + r * cell, (c + 1) * cell, top + (r + 1) * cell), fill=fill,
                       outline=GRID)
    outputs = grid_panel(np.zeros((size, size)), _("output {size}x{size}").format(
                                                     size=size), filled=np.zeros((size, size), bool),
                         current=(i, j))
    cells = ", ".join(f"({r - padding}, {c - padding})" for r, c in np.argwhere(read))
    caption = _("{formula} = {size};  output ({i}, {j}) reads the orange cells").format(
        formula=formula, size=size, i=i, j=j)
    return side_by_side(canvas, outputs, caption=caption,
                        alt=_("A {n}x{n} input with a padding ring of {padding}, and the {size}x{size} output; "
                              "output ({i}, {j}) reads the {read_sum} input cells at {cells} (counted from the "
                              "input's corner, negative = padding), shown in orange").format(
                                n=n, padding=padding, size=size, i=i, j=j, read_sum=int(read.sum()), cells=cells))
