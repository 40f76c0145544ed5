"""Live widgets of notebook 02."""

import numpy as np

from .. import viz
from ..modes import output_shape
from .explorer import Explorer, slider
from ..i18n import _

__all__ = ["explore_dot_product"]


def explore_dot_product(x, kernel):
    """Slide the window and watch its flattened values meet the flattened kernel."""
    rows, cols = output_shape(np.shape(x), np.shape(kernel), "valid")
    controls = {"row": slider(_("row"), 0, rows - 1), "col": slider(_("column"), 0, cols - 1)}
    return Explorer(lambda row, col: viz.dot_product(x, kernel, (row, col)), controls)
