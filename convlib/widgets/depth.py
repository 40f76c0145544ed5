"""Live widgets of notebook 04: the dot product over depth, and a 1x1 convolution recolouring a portrait."""

import ipywidgets as widgets
import numpy as np

from .. import viz
from ..depth import GRAY_WEIGHTS
from ..layer import conv2d
from .explorer import Explorer, menu, slider
from ..i18n import _

__all__ = ["explore_depth_dot", "explore_recolour"]


def explore_depth_dot(x, weight, bias=None, padding="same", names=None):
    """Pick an output channel and a position: each input channel's window, its
    kernel slice, its sum, and the total (the dot product over depth).

    The layer's output is computed once; the row and column sliders span every
    output position, borders included (with 'same' padding, the whole image).
    """
    result = conv2d(x, weight, bias, padding=padding)
    c_out, rows, cols = result.shape
    controls = {
        "out_channel": slider(_("output channel"), 0, c_out - 1),
        "row": slider(_("row"), 0, rows - 1, rows // 2),
        "col": slider(_("column"), 0, cols - 1, cols // 2),
    }

    def render(out_channel, row, col):
        return viz.depth_dot(x, weight, out_channel, (row, col), bias, padding, names, result)

    return Explorer(render, controls)


def _weight_slider(description, value):
    return widgets.FloatSlider(value=value, min=-1.0, max=1.5, step=0.01, description=description,
                               continuous_update=True, readout_format=".2f", style={"description_width": "initial"})


def explore_recolour(image, weights=GRAY_WEIGHTS, tints=None):
    """One slider per input-channel weight of a 1x1 convolution that mixes a
    (3, H, W) colour image into one channel, and a menu of tints that colour it.

    Gray is (0.299, 0.587, 0.114) with the gray tint; a single channel is one
    weight 1 and the others 0; sepia-like is gray with the sepia tint.
    """
    tints = dict(viz.TINTS) if tints is None else tints
    red, green, blue = (float(v) for v in np.asarray(weights, float))
    controls = {
        "red": _weight_slider(_("weight of red"), red),
        "green": _weight_slider(_("weight of green"), green),
        "blue": _weight_slider(_("weight of blue"), blue),
        "tint": menu(tints, _("tint")),
    }

    def render(red, green, blue, tint):
        return viz.recolour(image, (red, green, blue), tints[tint])

    return Explorer(render, controls, vertical=True, photo=True)
