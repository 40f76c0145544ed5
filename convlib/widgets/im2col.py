"""Live widgets of notebook 03."""

from .. import viz
from ..modes import output_size
from .explorer import Explorer, slider

__all__ = ["explore_receptive_field"]


def explore_receptive_field(n=7, kernel_size=3):
    """Stride, padding and dilation sliders: which inputs one output reads, and the output size.

    The output row and column sliders always span the current output size.
    """
    controls = {
        "stride": slider("stride", 1, 3),
        "padding": slider("padding", 0, 3),
        "dilation": slider("dilation", 1, 3),
        "row": slider("output row", 0, n - kernel_size),
        "col": slider("output column", 0, n - kernel_size),
    }

    def render(stride, padding, dilation, row, col):
        try:
            last = output_size(n, kernel_size, stride, padding, dilation) - 1
        except ValueError:  # no window fits: the picture says why
            last = 0
        for name in ("row", "col"):  # setting max clamps the value, which calls render again
            controls[name].max = last
        return viz.receptive_field(n, kernel_size, stride, padding, dilation,
                                   (min(row, last), min(col, last)))

    return Explorer(render, controls, vertical=True)
