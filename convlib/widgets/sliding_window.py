"""Live widgets of notebook 01: slide a kernel over numbers, and over an image."""

import functools

import numpy as np

from .. import viz
from ..viz.kit import STYLE
from ..viz.sliding_window import filter_steps
from ..kernels import KERNELS
from ..methods import correlate
from ..modes import output_shape
from .explorer import Explorer, menu, slider
from ..i18n import _

__all__ = ["explore_filter", "explore_sliding_grid"]


def explore_sliding_grid(x, kernel, mode="valid"):
    """Slide `kernel` over a small grid of numbers, one output position at a time."""
    rows, cols = output_shape(np.shape(x), np.shape(kernel), mode)
    controls = {"row": slider(_("row"), 0, rows - 1), "col": slider(_("column"), 0, cols - 1)}
    return Explorer(lambda row, col: viz.sliding_grid(x, kernel, (row, col), mode), controls)


def explore_filter(image, kernels=None):
    """Slide a kernel chosen from a menu over an image ('same' mode)."""
    kernels = dict(KERNELS) if kernels is None else kernels
    # Per kernel, the image is filtered and its panels drawn once; lecture mode redraws them.
    steps = functools.lru_cache(maxsize=None)(
        lambda name, style: filter_steps(image, kernels[name], correlate(image, kernels[name], "same")))
    rows, cols = np.shape(image)
    controls = {
        "name": menu(kernels, _("kernel")),
        "row": slider(_("row"), 0, rows - 1, rows // 2),
        "col": slider(_("column"), 0, cols - 1, cols // 2),
    }
    return Explorer(lambda name, row, col: steps(name, tuple(STYLE.values()))((row, col)), controls, photo=True)
