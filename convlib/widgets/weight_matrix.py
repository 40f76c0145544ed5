"""Live widgets of notebooks 05 and 06: a row and a column of the weight matrix; stride, padding and dilation."""

import numpy as np

from .. import viz
from ..modes import output_shape
from .explorer import Explorer, slider
from ..i18n import _

__all__ = ["explore_row_and_column", "explore_strided_matrix"]


def explore_row_and_column(x, kernel, mode="valid", grad_out=None):
    """Pick an output and an input: the output's row of M and its window light up;
    the input's column of M, the outputs it feeds and the gradient it gets back
    (a sum over that column) light up too.

    The sliders span every output and every input (flattened for a 2-D `x`),
    the borders included. `grad_out` is dL/dy (ones if not given).
    """
    rows = int(np.prod(output_shape(np.shape(x), np.shape(kernel), mode)))
    controls = {"output": slider(_("output (row of M)"), 0, rows - 1),
                "column": slider(_("input (column of M)"), 0, int(np.size(x)) - 1)}

    def render(output, column):
        return viz.row_and_column(x, kernel, mode, output, column, grad_out)

    return Explorer(render, controls, vertical=True)


def explore_strided_matrix(n=7, kernel=(1.0, 2.0, 3.0)):
    """Stride, padding and dilation sliders redraw the matrix of a small 1-D layer.

    A setting where the kernel does not fit draws a sentence that says why.
    """
    controls = {"stride": slider(_("stride"), 1, 3), "padding": slider(_("padding"), 0, 2),
                "dilation": slider(_("dilation"), 1, 3)}

    def render(stride, padding, dilation):
        return viz.strided_matrix(n, kernel, stride, padding, dilation)

    return Explorer(render, controls, vertical=True, tallest={"padding": controls["padding"].max})
