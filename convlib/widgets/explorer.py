"""The live-widget kit: controls above a picture that a render function redraws.

Each ``explore_*`` function of the lesson modules wraps a :mod:`convlib.viz`
picture function: the controls call it and put the PNG into one
``ipywidgets.Image``. No matplotlib figure is drawn per step, and anything
expensive (filtering the whole image) is computed once, so a step costs
milliseconds, not the ~200 ms of a redrawn figure.
"""

import ipywidgets as widgets

from ..viz.kit import png


class Explorer(widgets.VBox):
    """Controls above a picture; `render(**values)` draws it for the controls' values.

    ``controls`` maps each argument of `render` to its widget, so a test or a
    benchmark can move a slider with ``explorer.controls["row"].value = 3``.
    Controls are stacked vertically when `vertical` is true, so that many of
    them stay usable in a narrow notebook.
    """

    def __init__(self, render, controls, vertical=False):
        self.render, self.controls = render, controls
        self.image = widgets.Image(format="png")
        box = widgets.VBox if vertical else widgets.HBox
        super().__init__([box(list(controls.values())), self.image])
        for control in controls.values():
            control.observe(self.update, names="value")
        self.update()

    def __repr__(self):  # what a notebook shows where no widget can run (GitHub, nbviewer)
        return f"<live widget: run the notebook in Jupyter to use its {', '.join(self.controls)} controls>"

    def update(self, change=None):
        """Redraw the picture for the current values of the controls."""
        picture = self.render(**{name: c.value for name, c in self.controls.items()})
        self.image.width = str(picture.image.width)  # natural size: no blurry rescaling in the browser
        self.image.value = png(picture)


def slider(description, low, high, value=None):
    """An integer slider that updates while it is dragged."""
    return widgets.IntSlider(value=low if value is None else value, min=low, max=high, description=description,
                             continuous_update=True, style={"description_width": "initial"})
