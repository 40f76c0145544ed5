"""Static pictures of what each notebook computes.

Every picture of a sliding step is a pure ``render_*`` function that returns a
PIL image drawn from NumPy arrays: no matplotlib figure per step, so the live
widgets in :mod:`convlib.widgets` can redraw it many times a second. The
matching ``show_*`` function displays the same picture once, as a checked,
static output that also reads on GitHub, in slides and on paper.

``lecture_mode()`` enlarges everything for a projector.
"""

import functools
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import kernels as _kernels
from .flipping import correlate
from .im2col import output_size
from .modes import pad_for_mode, pad_widths

# Sizes in pixels; lecture_mode() scales them.
STYLE = {"cell": 34, "font": 13, "pixel": 1, "gap": 16}
_NORMAL = dict(STYLE)
_LECTURE_FACTOR = 1.6

WINDOW = (230, 120, 20)    # orange: the window the kernel covers now
OUTPUT = (40, 150, 60)     # green: the output being written
PAD = (215, 215, 215)      # grey: zeros added around the input
INK = (20, 20, 20)


def lecture_mode(on=True):
    """Bigger fonts, cells and figures for a lecture-hall projector; ``False`` restores.

    Examples
    --------
    >>> lecture_mode(); STYLE["font"] > 13
    True
    >>> lecture_mode(False); STYLE["font"]
    13
    """
    import matplotlib as mpl

    if on:
        STYLE.update({k: round(v * _LECTURE_FACTOR) for k, v in _NORMAL.items()})
        STYLE["pixel"] = 2
        mpl.rcParams.update({"font.size": 16, "figure.figsize": (10, 5), "figure.dpi": 110})
    else:
        STYLE.update(_NORMAL)
        mpl.rcParams.update({k: mpl.rcParamsDefault[k] for k in ("font.size", "figure.figsize", "figure.dpi")})
    _font.cache_clear()


@functools.lru_cache(maxsize=8)
def _font(size):
    return ImageFont.load_default(size=size)


def _fmt(value):
    """Numbers short enough for a grid cell: 3, -0.5, 0.33."""
    value = float(value)
    return str(int(round(value))) if abs(value - round(value)) < 5e-3 else f"{value:.2f}".rstrip("0")


def _width(text, size=None):
    """Width in pixels of `text` in the current font."""
    return int(np.ceil(_font(size or STYLE["font"]).getlength(text)))


def _text(draw, xy, text, size=None, fill=INK, anchor="la"):
    draw.text(xy, text, font=_font(size or STYLE["font"]), fill=fill, anchor=anchor)


def grid_panel(values, title="", window=None, filled=None, current=None, padded=None):
    """A grid of numbers; `window` = (row, col, height, width) is outlined in orange,
    cells where `filled` is False are left blank, `current` (row, col) is green,
    and cells where `padded` is True are shaded as zeros added around the input."""
    values = np.atleast_2d(values)
    rows, cols = values.shape
    cell, top = STYLE["cell"], STYLE["font"] + 8
    image = Image.new("RGB", (max(cols * cell + 1, _width(title)), rows * cell + top + 1), "white")
    draw = ImageDraw.Draw(image)
    _text(draw, (0, 0), title)
    for (i, j), value in np.ndenumerate(values):
        box = (j * cell, top + i * cell, (j + 1) * cell, top + (i + 1) * cell)
        fill = OUTPUT if current == (i, j) else PAD if padded is not None and padded[i, j] else "white"
        draw.rectangle(box, fill=fill, outline=(150, 150, 150))
        if filled is None or filled[i, j]:
            _text(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), _fmt(value),
                  fill="white" if current == (i, j) else INK, anchor="mm")
    if window is not None:
        r, c, h, w = window
        draw.rectangle((c * cell, top + r * cell, (c + w) * cell, top + (r + h) * cell), outline=WINDOW, width=3)
    return image


def padding_mask(shape, kernel_shape, mode):
    """True where `pad_for_mode` adds a zero around an input of `shape`."""
    return np.pad(np.zeros(shape, bool), pad_widths(kernel_shape, mode), constant_values=True)


def side_by_side(*panels, caption=""):
    """Panels in a row on a white background, with an optional caption below."""
    gap = STYLE["gap"]
    width = max(sum(p.width for p in panels) + gap * (len(panels) + 1), _width(caption) + 2 * gap)
    height = max(p.height for p in panels) + 2 * gap + (STYLE["font"] + 8 if caption else 0)
    canvas = Image.new("RGB", (width, height), "white")
    x = gap
    for panel in panels:
        canvas.paste(panel, (x, gap))
        x += panel.width + gap
    if caption:
        _text(ImageDraw.Draw(canvas), (gap, height - gap - STYLE["font"]), caption)
    return canvas


def gray_panel(image, title="", low=None, high=None, box=None, scale=None):
    """A grayscale picture of `image` (scaled from [low, high] to black..white),
    enlarged by whole pixels, with an optional orange `box` = (row, col, h, w).
    NaN pixels (not computed yet) are drawn light grey."""
    image = np.asarray(image, dtype=np.float64)
    low = np.nanmin(image) if low is None else low
    high = np.nanmax(image) if high is None else high
    gray = np.uint8(np.clip((np.nan_to_num(image, nan=low) - low) / ((high - low) or 1.0), 0, 1) * 255)
    rgb = np.stack([gray] * 3, axis=-1)
    rgb[np.isnan(image)] = PAD
    scale = scale or STYLE["pixel"]
    rgb = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)
    top = STYLE["font"] + 8
    canvas = Image.new("RGB", (max(rgb.shape[1], _width(title)), rgb.shape[0] + top), "white")
    canvas.paste(Image.fromarray(rgb), (0, top))
    draw = ImageDraw.Draw(canvas)
    _text(draw, (0, 0), title)
    if box is not None:
        r, c, h, w = box
        draw.rectangle((c * scale, top + r * scale, (c + w) * scale - 1, top + (r + h) * scale - 1), outline=WINDOW, width=2)
    return canvas


def png(picture, compress_level=1):
    """PNG bytes of a PIL image (fast compression: widgets redraw often)."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def show(picture):
    """Display a PIL image as a static PNG output."""
    from IPython.display import Image as DisplayImage, display

    display(DisplayImage(data=png(picture, compress_level=6)))


# --- 00: blur -----------------------------------------------------------------

def blurred(image, sigma):
    """`image` correlated with a Gaussian of width `sigma` (FFT: the kernel is large)."""
    size = 2 * int(np.ceil(3 * sigma)) + 1
    return correlate(image, _kernels.gaussian(size, sigma), mode="same", method="fft")


def render_blur(image, sigma, result=None):
    """The image and its Gaussian blur side by side."""
    result = blurred(image, sigma) if result is None else result
    return side_by_side(gray_panel(image, "input", 0, 1), gray_panel(result, f"Gaussian blur, sigma = {sigma:g}", 0, 1))


def show_blur(image, sigma):
    """Static twin of :func:`convlib.widgets.explore_blur`."""
    show(render_blur(image, sigma))


# --- 01: sliding a window --------------------------------------------------------

def render_sliding_grid(x, kernel, position, mode="valid"):
    """One step of the sliding window on a small grid of numbers.

    Shows the input (padded for `mode`) with the window at `position` =
    (row, col) of the output, the kernel, the elementwise products and their
    sum, and the output filled in up to that position.
    """
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    padded = pad_for_mode(x, kernel.shape, mode)
    out = correlate(x, kernel, mode, method="loop")
    (i, j), (kh, kw) = position, kernel.shape
    products = padded[i:i + kh, j:j + kw] * kernel
    filled = np.arange(out.size).reshape(out.shape) <= i * out.shape[1] + j
    return side_by_side(
        grid_panel(padded, "input", window=(i, j, kh, kw), padded=padding_mask(x.shape, kernel.shape, mode)),
        grid_panel(kernel, "kernel"),
        grid_panel(products, "window * kernel"),
        grid_panel(out, "output", filled=filled, current=(i, j)),
        caption=f"output[{i}, {j}] = sum of the products = {_fmt(products.sum())}",
    )


def show_sliding_grid(x, kernel, position, mode="valid"):
    """Static twin of :func:`convlib.widgets.explore_sliding_grid`."""
    show(render_sliding_grid(x, kernel, position, mode))


def render_filter_step(image, kernel, position, result=None):
    """The kernel at `position` on a real image: the window, its zoom, and the
    output revealed in reading order up to that position ('same' mode)."""
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    result = correlate(image, kernel, "same") if result is None else result
    (i, j), (kh, kw) = position, kernel.shape
    padded = pad_for_mode(image, kernel.shape, "same")
    revealed = np.where(np.arange(result.size).reshape(result.shape) <= i * result.shape[1] + j, result, np.nan)
    zoom = max(4, 64 // max(kh, kw)) * STYLE["pixel"]
    return side_by_side(
        gray_panel(image, "input", 0, 1, box=(i - kh // 2, j - kw // 2, kh, kw)),
        grid_panel(kernel, "kernel"),
        gray_panel(padded[i:i + kh, j:j + kw], "window", 0, 1, scale=zoom),
        gray_panel(revealed, "output so far", result.min(), result.max(), box=(i, j, 1, 1)),
        caption=f"output[{i}, {j}] = {_fmt(result[i, j])}",
    )


def show_filter_step(image, kernel, position):
    """Static twin of :func:`convlib.widgets.explore_filter`."""
    show(render_filter_step(image, kernel, position))


# --- 02: dot product ---------------------------------------------------------------

def bar_row(values, title, height=None, color=(70, 110, 200)):
    """Values as bars up (positive) or down (negative), each labelled."""
    values = np.asarray(values, float).ravel()
    cell, height = STYLE["cell"], height or 3 * STYLE["cell"]
    top = STYLE["font"] + 8
    image = Image.new("RGB", (len(values) * cell + 1, height + top), "white")
    draw = ImageDraw.Draw(image)
    _text(draw, (0, 0), title)
    middle, reach = top + height // 2, height // 2 - STYLE["font"] - 2
    biggest = np.abs(values).max() or 1.0
    draw.line((0, middle, image.width, middle), fill=(150, 150, 150))
    for k, value in enumerate(values):
        end = middle - value / biggest * reach
        draw.rectangle((k * cell + 4, min(middle, end), (k + 1) * cell - 4, max(middle, end)), fill=color)
        label_y = end - 2 if value >= 0 else end + 2
        _text(draw, ((k + 0.5) * cell, label_y), _fmt(value), size=STYLE["font"] - 2,
              anchor="md" if value >= 0 else "ma")
    return image


def render_dot_product(x, kernel, position):
    """The window at `position` (valid mode) and the kernel, flattened into two
    rows of numbers, their products, and the dot product they sum to."""
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    (i, j), (kh, kw) = position, kernel.shape
    window = x[i:i + kh, j:j + kw]
    products = window.ravel() * kernel.ravel()
    rows = [bar_row(window, "vec(window)"), bar_row(kernel, "vec(kernel)", color=(200, 110, 40)),
            bar_row(products, "products", color=(40, 150, 60))]
    stack = Image.new("RGB", (rows[0].width, sum(r.height for r in rows)), "white")
    for k, row in enumerate(rows):
        stack.paste(row, (0, sum(r.height for r in rows[:k])))
    return side_by_side(
        grid_panel(x, "input", window=(i, j, kh, kw)), stack,
        caption=f"vec(window) . vec(kernel) = {_fmt(window.ravel() @ kernel.ravel())} = output[{i}, {j}]",
    )


def show_dot_product(x, kernel, position):
    """Static twin of :func:`convlib.widgets.explore_dot_product`."""
    show(render_dot_product(x, kernel, position))


# --- 03: stride, padding, dilation ------------------------------------------------------

def render_receptive_field(n, kernel_size, stride=1, padding=0, dilation=1, output_index=(0, 0)):
    """Which input cells output `output_index` reads, for a square n x n input.

    The input is drawn with its padding ring (grey), the cells read by the
    chosen output in orange (dilation leaves gaps), and the output grid beside
    it, with the output-size formula filled in.
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
    _text(draw, (0, 0), f"input {n}x{n}, padding {padding}")
    ring = np.pad(np.zeros((n, n), bool), padding, constant_values=True)
    for (r, c), is_read in np.ndenumerate(read):
        fill = WINDOW if is_read else PAD if ring[r, c] else "white"
        draw.rectangle((c * cell, top + r * cell, (c + 1) * cell, top + (r + 1) * cell), fill=fill, outline=(150, 150, 150))
    outputs = grid_panel(np.zeros((size, size)), f"output {size}x{size}", filled=np.zeros((size, size), bool), current=(i, j))
    return side_by_side(canvas, outputs, caption=f"{formula} = {size};  output ({i}, {j}) reads the orange cells")


def show_receptive_field(n, kernel_size, stride=1, padding=0, dilation=1, output_index=(0, 0)):
    """Static twin of :func:`convlib.widgets.explore_receptive_field`."""
    show(render_receptive_field(n, kernel_size, stride, padding, dilation, output_index))


# --- ordinary figures -------------------------------------------------------------------

def show_images(images, cmap="gray", size=3.0):
    """Several 2-D arrays side by side with their titles (a dict title -> array)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(images), figsize=(size * len(images), size), squeeze=False)
    for ax, (title, image) in zip(axes[0], images.items()):
        ax.imshow(image, cmap=cmap)
        ax.set_title(title)
        ax.axis("off")
    fig.tight_layout()
    plt.show()


def show_kernel(kernel, title=""):
    """A kernel as a grid of its numbers."""
    show(grid_panel(kernel, title))
