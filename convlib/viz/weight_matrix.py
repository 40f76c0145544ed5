"""Pictures of notebooks 05 and 06: the weight-tied matrix, a row and a column of it, and the backward pass.

Every weight of the kernel has its own colour, and each entry of ``M`` that
holds it is filled with that colour and shows its value: the tied weights are
visible at a glance. Structural zeros are left blank.
"""

import numpy as np
from PIL import Image, ImageDraw

from ..layer_weights import layer_weight_index
from ..modes import layer_sizes, output_shape
from ..weight_matrix import circulant_matrix, weight_index
from .kit import (CATEGORICAL, FADED, GRID, INK, OUTPUT, PAD, QUIET_INK, STYLE, WINDOW, fmt, grid_panel, sentences,
                  side_by_side, stacked, text_width, tint, write)
from ..i18n import _

__all__ = ["TAP_COLOURS", "circulant_vs_toeplitz", "row_and_column", "strided_matrix", "tied_weights"]

TAP_COLOURS = CATEGORICAL
"""Fills, one per kernel weight (tap), in ``w.ravel()`` order; they repeat after 9."""

_PALE_WINDOW = tint(WINDOW, 0.4)   # inputs and outputs of the chosen row
_PALE_OUTPUT = tint(OUTPUT, 0.4)   # outputs and gradients of the chosen column
_GRID = GRID


def _tap_colour(tap):
    return TAP_COLOURS[tap % len(TAP_COLOURS)]


def _text_panel(lines, size=None):
    """Lines of text, one under the other: one panel."""
    size = size or STYLE["font"]
    height = (size + 6) * len(lines) + 4
    image = Image.new("RGB", (max(text_width(line, size) for line in lines) + 4, height), "white")
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        write(draw, (2, 2 + k * (size + 6)), line, size=size)
    return image


def _term(value):
    """A factor of a written-out sum: negative numbers in brackets."""
    return fmt(value) if value >= 0 else f"({fmt(value)})"


def _name(shape, flat):
    """x[5] for a 1-D array, x[1, 2] for a 2-D one."""
    return ", ".join(str(int(i)) for i in np.unravel_index(flat, shape))


def _cells(draw, left, top, values, fills, shown=None, outline=None):
    """A row (1-D `values`) or a grid of cells at (left, top); `fills` per cell,
    numbers where `shown`, and an outline colour per cell (or None)."""
    cell = STYLE["cell"]
    values = np.atleast_2d(values)
    for (i, j), value in np.ndenumerate(values):
        box = (left + j * cell, top + i * cell, left + (j + 1) * cell, top + (i + 1) * cell)
        draw.rectangle(box, fill=fills[i][j], outline=_GRID)
        if shown is None or shown[i][j]:
            write(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), fmt(value), anchor="mm")
    for (i, j) in np.ndindex(values.shape if outline is not None else (0, 0)):
        colour = outline[i][j]
        if colour is not None:
            draw.rectangle((left + j * cell, top + i * cell, left + (j + 1) * cell, top + (i + 1) * cell),
                           outline=colour, width=3)


def _matrix_fills(index, faded_rows=None, padding_columns=None):
    fills = [[_tap_colour(t) if t >= 0 else "white" for t in row] for row in index]
    for (i, j), tap in np.ndenumerate(index):
        if padding_columns is not None and padding_columns[j] and tap < 0:
            fills[i][j] = PAD
        if faded_rows is not None and faded_rows[i]:
            fills[i][j] = FADED
    return fills


def _outline(draw, left, top, rows, cols, colour):
    """A thick outline around cells rows x cols (ranges) of a grid at (left, top)."""
    cell = STYLE["cell"]
    draw.rectangle((left + cols[0] * cell, top + rows[0] * cell, left + cols[1] * cell, top + rows[1] * cell),
                   outline=colour, width=3)


def _equation(index, taps, x=None, y=None, grad_out=None, grad_x=None, output=None, column=None):
    """M, with x as a row above it, y (and dL/dy) as columns right of it, dL/dx as a row below it.

    Column j of M stands under x[j] and above dL/dx[j]; row i of M points at
    y[i]. Without `x` only M is drawn.
    """
    cell, gap, label = STYLE["cell"], STYLE["gap"], STYLE["font"] + 8
    rows, cols = index.shape
    left = max(text_width(t) for t in ("x", "M", "dL/dx")) + gap
    top = label + (cell + gap // 2 if x is not None else 0)            # M starts under the x row
    vectors = [(name, v) for name, v in (("y", y), ("dL/dy", grad_out)) if v is not None]
    width = left + cols * cell + len(vectors) * (gap + max(cell, text_width("dL/dy"))) + 2
    height = top + rows * cell + (gap // 2 + cell if grad_x is not None else 0) + 2
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    fed = index[:, column] >= 0 if column is not None else np.zeros(rows, bool)
    window = index[output] >= 0 if output is not None else np.zeros(cols, bool)
    if x is not None:
        x_fills = [[_PALE_WINDOW if window[j] else "white" for j in range(cols)]]
        write(draw, (0, label + cell / 2), "x", anchor="lm")
        _cells(draw, left, label, x, x_fills, outline=[[OUTPUT if j == column else None for j in range(cols)]])
    write(draw, (0, top + rows * cell / 2), "M", anchor="lm")
    _cells(draw, left, top, index, _matrix_fills(index), shown=[[False] * cols] * rows)
    for i, j in np.argwhere(index >= 0):
        write(draw, (left + (j + 0.5) * cell, top + (i + 0.5) * cell), fmt(taps[index[i, j]]), anchor="mm")
    if output is not None:
        _outline(draw, left, top, (output, output + 1), (0, cols), WINDOW)
    if column is not None:
        _outline(draw, left, top, (0, rows), (column, column + 1), OUTPUT)
    right = left + cols * cell + gap
    for name, vector in vectors:
        fills = [[_PALE_OUTPUT if fed[i] else _PALE_WINDOW if i == output else "white"] for i in range(rows)]
        lines = [[WINDOW if i == output and name == "y" else None] for i in range(rows)]
        write(draw, (right, top - 4), name, anchor="ld")
        _cells(draw, right, top, np.asarray(vector)[:, None], fills, outline=lines)
        right += max(cell, text_width("dL/dy")) + gap
    if grad_x is not None:
        below = top + rows * cell + gap // 2
        write(draw, (0, below + cell / 2), _("dL/dx"), anchor="lm")
        fills = [[_PALE_OUTPUT if j == column else "white" for j in range(cols)]]
        _cells(draw, left, below, grad_x, fills, outline=[[OUTPUT if j == column else None for j in range(cols)]])
    return image


def _legend(kernel, title="w"):
    """The kernel with each weight in its colour: the key to the matrix's colours."""
    kernel = np.atleast_2d(kernel)
    colours = np.array([_tap_colour(t) for t in range(kernel.size)]).reshape(kernel.shape + (3,))
    return grid_panel(kernel, title, colors=colours)


def _index_of(input_shape, kernel, mode, convolution):
    """Tap of `kernel` (in ``kernel.ravel()`` order) at each entry of the correlation or convolution matrix."""
    index = weight_index(input_shape, kernel.shape, mode)
    if convolution:   # the convolution matrix holds the flipped kernel: its tap t is weight size-1-t
        index = np.where(index >= 0, kernel.size - 1 - index, -1)
    return index


def tied_weights(input_shape, kernel, mode="valid", convolution=False, x=None):
    """The matrix M of a correlation (or, with `convolution`, a convolution) in `mode`.

    Each weight of `kernel` has its own colour, and every entry of M that
    holds it shows it in that colour (tied weights); zeros are blank. With
    `x`, the input stands above M (column j under x[j]) and y = M x to its
    right (row i beside y[i]).
    """
    kernel = np.asarray(kernel, float)
    shape = tuple(np.atleast_1d(input_shape))
    index = _index_of(shape, kernel, mode, convolution)
    if x is None:
        panel = _equation(index, kernel.ravel())
    else:
        flat = np.asarray(x, float).ravel()
        panel = _equation(index, kernel.ravel(), flat, np.where(index >= 0, kernel.ravel()[index], 0) @ flat)
    what = _("convolution") if convolution else _("correlation")
    weights = int(np.count_nonzero(index >= 0))
    beside = "" if x is None else _("; the input x above it as a row, y = M x beside it as a column")
    return side_by_side(panel, _legend(kernel), caption=(
        _("M of the {mode} {what}: {index_shape_0}x{index_shape_1}, {weights} entries hold one of the {kernel_size} "
          "weights (one colour each), {index_size_weights} are zeros (blank)").format(
            mode=mode, what=what, index_shape_0=index.shape[0], index_shape_1=index.shape[1], weights=weights,
            kernel_size=kernel.size, index_size_weights=index.size - weights)),
        alt=_("The weight matrix M as a grid of cells{beside}; each weight of the kernel {kernel_numbers} "
              "has its own colour, and the key beside M shows the kernel in those colours").format(
                beside=beside, kernel_numbers=', '.join(map(fmt, kernel.ravel()))))


def row_and_column(x, kernel, mode="valid", output=0, column=0, grad_out=None):
    """One row and one column of M, and what each computes.

    Row `output` of M (orange) multiplies the window of x it covers: the
    output y[output]. Column `column` of M (green) lists the outputs that
    input x[column] feeds, each with the weight that links them; in the
    backward pass its entries weight dL/dy, and their sum is
    dL/dx[column] = (M^T dL/dy)[column]. `x` is 1-D or 2-D (drawn flattened,
    and beside M as an image); `grad_out` is dL/dy (ones if not given).
    Indices past the end are drawn at the last one.
    """
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    index = weight_index(x.shape, kernel.shape, mode)
    M = np.where(index >= 0, kernel.ravel()[index], 0)
    out_shape = output_shape(x.shape, kernel.shape, mode)
    grad = np.ones(index.shape[0]) if grad_out is None else np.asarray(grad_out, float).ravel()
    i, j = min(max(int(output), 0), index.shape[0] - 1), min(max(int(column), 0), index.shape[1] - 1)
    y, grad_x, flat = M @ x.ravel(), M.T @ grad, x.ravel()
    row_terms = " + ".join(f"{fmt(M[i, c])}·{_term(flat[c])}" for c in np.flatnonzero(index[i] >= 0))
    col_terms = " + ".join(f"{fmt(M[r, j])}·{_term(grad[r])}" for r in np.flatnonzero(index[:, j] >= 0))
    fed = ", ".join(f"y[{_name(out_shape, r)}]" for r in np.flatnonzero(index[:, j] >= 0)) or _("no output")
    lines = [_("y[{name_out_shape_i}] = row {i} of M times x = {row_terms} = {fmt_y_i}").format(
                 name_out_shape_i=_name(out_shape, i), i=i, row_terms=row_terms, fmt_y_i=fmt(y[i])),
             _("x[{name_x_shape_j}] feeds {fed}: column {j} of M").format(
                 name_x_shape_j=_name(x.shape, j), fed=fed, j=j),
             _("dL/dx[{name_x_shape_j}] = column {j} of M times dL/dy = {col_terms_or_0} = {fmt_grad_x_j}").format(
                 name_x_shape_j=_name(x.shape, j), j=j, col_terms_or_0=col_terms or '0',
                 fmt_grad_x_j=fmt(grad_x[j]))]
    panels = [_equation(index, kernel.ravel(), flat, y, grad, grad_x, i, j), _legend(kernel)]
    if x.ndim == 2:
        window = (index[i] >= 0).reshape(x.shape)
        fills = np.where(window[..., None], _PALE_WINDOW, 255)
        image = grid_panel(x, _("x as an image"), colors=fills)
        draw, r, c = ImageDraw.Draw(image), *np.unravel_index(j, x.shape)
        cell, top = STYLE["cell"], STYLE["font"] + 8
        draw.rectangle((c * cell, top + r * cell, (c + 1) * cell, top + (r + 1) * cell), outline=OUTPUT, width=3)
        panels.append(image)
    return side_by_side(stacked(panels[0], _text_panel(lines)), stacked(*panels[1:]), alt=sentences(
        _("The {index_shape_0}x{index_shape_1} matrix M with x above it, y and dL/dy beside it and dL/dx below it; "
          "row {i} of M is outlined in orange, column {j} in green").format(
            index_shape_0=index.shape[0], index_shape_1=index.shape[1], i=i, j=j), *lines))


def strided_matrix(n, kernel, stride=1, padding=0, dilation=1):
    """The matrix of a 1-D layer with `stride`, `padding` and `dilation`, over the padded input.

    Rows are the stride-1 matrix's rows; stride keeps every stride-th one
    (the others are faded and crossed out). Dilation spreads each row's weights dilation
    apart. Padding adds columns (grey) whose weights multiply only zeros:
    dropping them gives the layer's matrix over the input itself. A layer
    whose kernel does not fit is explained, not raised.
    """
    kernel = np.asarray(kernel, float).ravel()
    k = kernel.size
    formula = f"floor(({n} + 2*{padding} - {dilation}*({k}-1) - 1) / {stride}) + 1"
    try:
        layer = layer_sizes(n, k, stride, padding, dilation)
    except ValueError as error:
        lines = [_("input {n}, kernel {k}, stride {stride}, padding {padding}, dilation {dilation}").format(
                     n=n, k=k, stride=stride, padding=padding, dilation=dilation),
                 f"{formula}: {error}"]
        return side_by_side(_text_panel(lines), alt=sentences(_("No matrix: the kernel does not fit"), *lines))
    every = layer_weight_index(n, k, 1, padding, dilation, padded=True)     # stride 1: every row
    kept = np.zeros(every.shape[0], bool)
    kept[::stride] = True
    kept[layer.output_shape[0] * stride:] = False
    pad = np.ones(layer.padded_shape[0], bool)
    pad[layer.before[0]:layer.before[0] + n] = False
    cell, gap, top = STYLE["cell"], STYLE["gap"], STYLE["font"] + 8
    left = text_width("y10 ") + 4
    image = Image.new("RGB", (left + pad.size * cell + 2, top + (every.shape[0] + 1) * cell + gap + 2), "white")
    draw = ImageDraw.Draw(image)
    write(draw, (left, 0), _("padded input: grey = zeros added"))
    header = [[PAD if p else "white" for p in pad]]
    labels = ["0" if p else f"x{c - layer.before[0]}" for c, p in enumerate(pad)]
    _cells(draw, left, top, np.zeros(pad.size), header, shown=[[False] * pad.size])
    for c, text in enumerate(labels):
        write(draw, (left + (c + 0.5) * cell, top + cell / 2), text, anchor="mm")
    below = top + cell + gap
    _cells(draw, left, below, every, _matrix_fills(every, ~kept, pad), shown=np.zeros(every.shape, bool))
    for i in np.flatnonzero(~kept):   # crossed out as well as faded: not told by colour alone
        middle = below + (i + 0.5) * cell
        draw.line((left, middle, left + pad.size * cell, middle), fill=QUIET_INK, width=2)
    for i, j in np.argwhere((every >= 0) & kept[:, None]):
        write(draw, (left + (j + 0.5) * cell, below + (i + 0.5) * cell), fmt(kernel[every[i, j]]), anchor="mm")
        if pad[j]:  # a weight that meets a zero of the padding
            box = (left + j * cell + 3, below + i * cell + 3, left + (j + 1) * cell - 3, below + (i + 1) * cell - 3)
            draw.rectangle(box, outline=(110, 110, 110), width=1)
    for i in range(every.shape[0]):
        write(draw, (2, below + (i + 0.5) * cell), f"y{i // stride}" if kept[i] else "-", anchor="lm")
    out = layer.output_shape[0]
    kept = (_("stride {stride}: keeps every row") if stride == 1 else
            _("stride {stride}: keeps every {ordinal} row of the stride-1 matrix (faded, crossed out: dropped)"))
    zeros = (_("dilation {dilation}: {zeros} zero between a row's weights") if dilation == 2 else
             _("dilation {dilation}: {zeros} zeros between a row's weights"))
    lines = [_("{formula} = {out} outputs: M over the input is {out}x{n}, over the padded input {out}x{pad_size}")
             .format(formula=formula, out=out, n=n, pad_size=pad.size),
             kept.format(stride=stride, ordinal=_ordinal(stride)),
             zeros.format(dilation=dilation, zeros=dilation - 1),
             _("padding {padding}: {columns} grey columns that meet only zeros").format(
                 padding=padding, columns=2 * padding)]
    return side_by_side(stacked(image, _text_panel(lines)), _legend(kernel), alt=sentences(
        _("The matrix of a 1-D layer over the padded input of {pad_size} cells, one row per stride-1 output; the "
          "kept rows show the weights {kernel_numbers}").format(
            pad_size=pad.size, kernel_numbers=', '.join(map(fmt, kernel))), *lines))


def _ordinal(n):
    """'2nd', '3rd', '4th' (stride 2 and up), in the learner's language."""
    return {2: _("2nd"), 3: _("3rd")}.get(n) or _("{n}th").format(n=n)


def circulant_vs_toeplitz(n, kernel):
    """The 'valid' correlation matrix (Toeplitz) beside the wrap-around one (circulant).

    The circulant's first N - K + 1 rows are the Toeplitz matrix; its last
    K - 1 rows wrap around: the entries that came back at the start are
    outlined.
    """
    kernel = np.asarray(kernel, float).ravel()
    toeplitz = weight_index(n, kernel.size, "valid")
    taps = np.arange(1.0, kernel.size + 1)
    circulant = np.rint(circulant_matrix(n, taps)).astype(int) - 1                # tap numbers, -1 for zeros
    panels = []
    for index, title in ((toeplitz, _("valid (Toeplitz): {rows}x{n}").format(rows=toeplitz.shape[0], n=n)),
                         (circulant, _("wrap-around (circulant): {n}x{n}").format(n=n))):
        cell, top = STYLE["cell"], STYLE["font"] + 8
        image = Image.new("RGB", (max(n * cell + 2, text_width(title)), top + index.shape[0] * cell + 2), "white")
        draw = ImageDraw.Draw(image)
        write(draw, (0, 0), title)
        _cells(draw, 0, top, index, _matrix_fills(index), shown=[[False] * n] * index.shape[0])
        for i, j in np.argwhere(index >= 0):
            write(draw, ((j + 0.5) * cell, top + (i + 0.5) * cell), fmt(kernel[index[i, j]]), anchor="mm")
            if j < i:   # wrapped around
                draw.rectangle((j * cell, top + i * cell, (j + 1) * cell, top + (i + 1) * cell), outline=INK,
                               width=2)
        panels.append(image)
    return side_by_side(*panels, _legend(kernel), alt=(
        _("Two matrices of the kernel {kernel_numbers} side by side: the {toeplitz_shape_0}x{n} valid "
          "correlation matrix (Toeplitz) and the {n}x{n} wrap-around matrix (circulant)").format(
            kernel_numbers=', '.join(map(fmt, kernel)), toeplitz_shape_0=toeplitz.shape[0], n=n)), caption=(
        _("the circulant's first {n_kernel_size_1} rows are the Toeplitz matrix; its last {kernel_size_1} rows wrap "
          "around (outlined entries multiply the first inputs)").format(
            n_kernel_size_1=n - kernel.size + 1, kernel_size_1=kernel.size - 1)))
