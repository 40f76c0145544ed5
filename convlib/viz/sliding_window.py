"""Pictures of notebook 01: one step of the sliding window, on numbers and on an image."""

import numpy as np

from ..methods import correlate
from ..modes import _pad_widths, pad_for_mode
from .kit import STYLE, fmt, gray_panel, grid_panel, side_by_side

__all__ = ["filter_step", "padding_mask", "sliding_grid"]


def padding_mask(shape, kernel_shape, mode):
    """True where `pad_for_mode` adds a zero around an input of `shape`."""
    return np.pad(np.zeros(shape, bool), _pad_widths(kernel_shape, mode), constant_values=True)


def sliding_grid(x, kernel, position, mode="valid"):
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
        caption=f"output[{i}, {j}] = sum of the products = {fmt(products.sum())}",
    )


def filter_step(image, kernel, position, result=None):
    """The kernel at `position` on a real image: the window, its zoom, and the
    output revealed in reading order up to that position ('same' mode)."""
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    result = correlate(image, kernel, "same") if result is None else result
    (i, j), (kh, kw) = position, kernel.shape
    padded = pad_for_mode(image, kernel.shape, "same")
    revealed = np.where(np.arange(result.size).reshape(result.shape) <= i * result.shape[1] + j, result, np.nan)
    zoom = max(4, 64 // max(kh, kw)) * STYLE["pixel"]
    top, left = i - kh // 2, j - kw // 2
    return side_by_side(
        gray_panel(image, "input", 0, 1, box=(top, left, kh, kw)),
        grid_panel(kernel, "kernel"),
        gray_panel(padded[i:i + kh, j:j + kw], "window", 0, 1, scale=zoom),
        gray_panel(revealed, "output so far", result.min(), result.max(), box=(i, j, 1, 1)),
        caption=f"output[{i}, {j}] = {fmt(result[i, j])}",
    )
