"""Live widgets of notebook 08: the convolution theorem with and without padding, and the race map."""

import functools

import ipywidgets as widgets
import numpy as np

from .. import viz
from ..fft_race import RECORDED_RACE
from ..kernels import box_blur
from ..validation import check_arrays
from .explorer import Explorer, slider
from ..i18n import _

__all__ = ["PADDING_CHOICES", "explore_race", "explore_theorem"]

PADDING_CHOICES = ("no padding: circular", "padded to N + K - 1")


def _padding_options():
    """The padding choices as (label in the learner's language, value) pairs."""
    return list(zip((_("no padding: circular"), _("padded to N + K - 1")), PADDING_CHOICES))
"""The two positions of the zero-pad toggle of :func:`explore_theorem`."""


def explore_theorem(image, largest=41, size=15, draw_ahead=256):
    """A box blur of size K (odd, 1 to `largest`) by multiplying spectra, with a zero-pad toggle.

    Without padding the inverse is a circular convolution: the right-hand panel
    of the top row shows what wrapped around. For an image of up to
    `draw_ahead` pixels a side (the notebook's), every picture is drawn when the
    widget is made; for a larger one, as the controls move, keeping the image's
    spectra at the last few padded sizes.
    """
    image = np.asarray(image, float)
    full = max(np.shape(image)) + int(largest) - 1
    check_arrays([((full, full), np.complex128)] * 8, _("the theorem's spectra and products"), _("use a smaller image"))
    spectrum = functools.lru_cache(maxsize=4)(lambda p: np.fft.fft2(image, (p, p)))  # 4 of the 8 arrays checked
    controls = {"size": slider(_("kernel size K"), 1, largest, size),
                "padding": widgets.ToggleButtons(options=_padding_options(), value=PADDING_CHOICES[0],
                                                 description=_("padding"),
                                                 style={"button_width": "180px", "description_width": "initial"})}
    controls["size"].step = 2

    def render(size, padding):
        padded = padding == PADDING_CHOICES[1]
        p = image.shape[0] + size - 1 if padded else image.shape[0]
        return viz.theorem_steps(image, box_blur(size), padded, image_spectrum=spectrum(p))

    return Explorer(render, controls, vertical=True, photo=True, draw_ahead=max(image.shape) <= draw_ahead,
                    tallest={"size": controls["size"].max, "padding": PADDING_CHOICES[1]})


def explore_race(record=None, image_size=256, kernel_size=7):
    """The race map with a cursor: pick an image size N and a kernel size K to see
    every method's recorded time there (:data:`convlib.RECORDED_RACE` by default)."""
    record = RECORDED_RACE if record is None else record

    def choice(description, options, value):
        return widgets.SelectionSlider(options=list(options), value=value if value in options else options[0],
                                       description=description, continuous_update=True,
                                       style={"description_width": "initial"})

    controls = {"image_size": choice(_("image size N"), record["image_sizes"], image_size),
                "kernel_size": choice(_("kernel size K"), record["kernel_sizes"], kernel_size)}
    return Explorer(lambda image_size, kernel_size: viz.race_map(record, (image_size, kernel_size)), controls,
                    draw_ahead=True)
