"""Live widgets: sliders that redraw a picture from :mod:`convlib.viz`.

Each ``explore_*`` function wraps the matching ``viz.render_*`` function: the
sliders call it and put the PNG into one ``ipywidgets.Image``. No matplotlib
figure is drawn per step and anything expensive (filtering the whole image) is
computed once per kernel, so a step costs milliseconds, not the ~200 ms of a
redrawn figure. Call the ``viz.show_*`` twin first for a static picture.
"""

import functools

import ipywidgets as widgets
import numpy as np

from . import viz
from .flipping import correlate
from .kernels import KERNELS
from .modes import output_shape


class Explorer(widgets.VBox):
    """Controls above a picture; `render(**values)` draws it for the controls' values.

    ``controls`` maps each argument of `render` to its widget, so a test or a
    benchmark can move a slider with ``explorer.controls["row"].value = 3``.
    """

    def __init__(self, render, controls):
        self.render, self.controls = render, controls
        self.image = widgets.Image(format="png")
        super().__init__([widgets.HBox(list(controls.values())), self.image])
        for control in controls.values():
            control.observe(self.update, names="value")
        self.update()

    def __repr__(self):  # what a notebook shows where no widget can run (GitHub, nbviewer)
        return f"<live widget: run the notebook in Jupyter to use its {', '.join(self.controls)} controls>"

    def update(self, change=None):
        """Redraw the picture for the current values of the controls."""
        picture = self.render(**{name: c.value for name, c in self.controls.items()})
        self.image.width = str(picture.width)  # natural size: no blurry rescaling in the browser
        self.image.value = viz.png(picture)


def _slider(description, low, high, value=None):
    return widgets.IntSlider(value=low if value is None else value, min=low, max=high, description=description,
                             continuous_update=True, style={"description_width": "initial"})


def explore_blur(image):
    """A sigma slider: the image beside its Gaussian blur."""
    blur = functools.lru_cache(maxsize=32)(lambda sigma: viz.blurred(image, sigma))
    sigma = widgets.FloatSlider(value=2.0, min=0.5, max=8.0, step=0.5, description="sigma")
    return Explorer(lambda sigma: viz.render_blur(image, sigma, blur(sigma)), {"sigma": sigma})


def explore_sliding_grid(x, kernel, mode="valid"):
    """Slide `kernel` over a small grid of numbers, one output position at a time."""
    rows, cols = output_shape(np.shape(x), np.shape(kernel), mode)
    controls = {"row": _slider("row", 0, rows - 1), "col": _slider("column", 0, cols - 1)}
    return Explorer(lambda row, col: viz.render_sliding_grid(x, kernel, (row, col), mode), controls)


def explore_filter(image, kernels=None):
    """Slide a kernel chosen from a menu over an image ('same' mode)."""
    kernels = KERNELS if kernels is None else kernels
    filtered = functools.lru_cache(maxsize=None)(lambda name: correlate(image, kernels[name], "same"))
    rows, cols = np.shape(image)
    controls = {
        "name": widgets.Dropdown(options=list(kernels), value=list(kernels)[0], description="kernel"),
        "row": _slider("row", 0, rows - 1, rows // 2),
        "col": _slider("column", 0, cols - 1, cols // 2),
    }
    return Explorer(lambda name, row, col: viz.render_filter_step(image, kernels[name], (row, col), filtered(name)),
                    controls)


def explore_dot_product(x, kernel):
    """Slide the window and watch its flattened values meet the flattened kernel."""
    rows, cols = output_shape(np.shape(x), np.shape(kernel), "valid")
    controls = {"row": _slider("row", 0, rows - 1), "col": _slider("column", 0, cols - 1)}
    return Explorer(lambda row, col: viz.render_dot_product(x, kernel, (row, col)), controls)


def explore_receptive_field(n=7, kernel_size=3):
    """Stride, padding and dilation sliders: which inputs one output reads, and the output size."""
    controls = {
        "stride": _slider("stride", 1, 3),
        "padding": _slider("padding", 0, 3),
        "dilation": _slider("dilation", 1, 3),
        "row": _slider("output row", 0, n + 5),
        "col": _slider("output column", 0, n + 5),
    }

    def render(stride, padding, dilation, row, col):
        return viz.render_receptive_field(n, kernel_size, stride, padding, dilation, (row, col))

    return Explorer(render, controls)
