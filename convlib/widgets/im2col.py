"""Live widgets of notebook 03."""

import numpy as np

from .. import viz
from ..modes import output_size
from .explorer import Explorer, slider
from ..i18n import _

__all__ = ["explore_receptive_field", "explore_windows_to_columns"]


def explore_windows_to_columns(x, kernel, max_stride=2):
    """Pick a window and a stride: its window, its column of X_col and its output light up.

    The window slider always spans the L window positions of the current stride.
    """
    (n_rows, n_cols), (kh, kw) = np.shape(x), np.shape(kernel)

    def count(stride):
        return output_size(n_rows, kh, stride) * output_size(n_cols, kw, stride)

    controls = {
        "stride": slider(_("stride"), 1, max_stride),
        "window": slider(_("window l"), 0, count(1) - 1),
    }

    def render(stride, window):
        return viz.windows_to_columns(x, kernel, window, stride)

    return Explorer(render, controls, ranges=lambda stride, window: {"window": count(stride) - 1})


def explore_receptive_field(n=7, kernel_size=3):
    """Stride, padding and dilation sliders: which inputs one output reads, and the output size.

    The output row and column sliders always span the current output size.
    """
    controls = {
        "stride": slider(_("stride"), 1, 3),
        "padding": slider(_("padding"), 0, 3),
        "dilation": slider(_("dilation"), 1, 3),
        "row": slider(_("output row"), 0, n - kernel_size),
        "col": slider(_("output column"), 0, n - kernel_size),
    }

    def ranges(stride, padding, dilation, row, col):
        try:
            last = output_size(n, kernel_size, stride, padding, dilation) - 1
        except ValueError:  # no window fits: the picture says why
            last = 0
        return {"row": last, "col": last}

    def render(stride, padding, dilation, row, col):
        return viz.receptive_field(n, kernel_size, stride, padding, dilation, (row, col))

    return Explorer(render, controls, vertical=True, ranges=ranges, tallest={"padding": controls["padding"].max})
