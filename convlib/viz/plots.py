"""A plain plot of one sequence against its index, as a Picture with a text alternative:
06's loss falling under gradient descent, 07's autocorrelation peaks.

Written with matplotlib, its text at the drawing kit's size, so that a plot reads on a slide
like every other picture of the course.
"""

import io

import numpy as np
from PIL import Image

from ..validation import as_array
from .kit import STYLE, Picture, sentences

__all__ = ["sequence_plot"]


def sequence_plot(values, *, title, xlabel, ylabel="", log=False, stem=False):
    """`values` against their index: a line, or stems with `stem=True`; `log` for a log y axis.

    Examples
    --------
    >>> sequence_plot([4.0, 2.0, 1.0], title="halving", xlabel="step", log=True).alt
    'A line plot of 3 values against step, on a log scale: halving. From 4 at step 0 to 1 at step 2; the largest 4 at step 0, the smallest 1 at step 2.'
    """  # noqa: E501 (a doctest: the sentence is one line)
    values = as_array(values, "values", ndim=1).astype(float)
    figure = _figure(values, title, xlabel, ylabel, log, stem)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", dpi=figure.dpi)
    import matplotlib.pyplot as plt

    plt.close(figure)
    return Picture(Image.open(buffer).convert("RGB"), _alt(values, title, xlabel, log, stem), font_px=STYLE["font"])


def _figure(values, title, xlabel, ylabel, log, stem):
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 2.8))
    points = STYLE["font"] * 72 / figure.dpi          # the kit's pixels, in matplotlib's points
    (axes.stem if stem else axes.plot)(np.arange(len(values)), values)
    if log:
        axes.set_yscale("log")
    axes.set_title(title, fontsize=points)
    axes.set_xlabel(xlabel, fontsize=points)
    axes.set_ylabel(ylabel, fontsize=points)
    axes.tick_params(labelsize=points)
    figure.tight_layout()
    return figure


def _alt(values, title, xlabel, log, stem):
    def fmt(value):  # three significant digits: a loss of 3.4e-09 must not read as 0
        return f"{value:.3g}"

    top, low = int(np.argmax(values)), int(np.argmin(values))
    scale = ", on a log scale" if log else ""
    return sentences(
        f"A {'stem' if stem else 'line'} plot of {len(values)} values against {xlabel}{scale}: {title}",
        f"From {fmt(values[0])} at {xlabel} 0 to {fmt(values[-1])} at {xlabel} {len(values) - 1}; the largest "
        f"{fmt(values[top])} at {xlabel} {top}, the smallest {fmt(values[low])} at {xlabel} {low}")
