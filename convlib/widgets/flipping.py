"""Live widgets of notebook 07: a kernel sliding along a signal with a flip toggle, and the
portrait filtered by convolution and by correlation."""

import functools

import ipywidgets as widgets
import numpy as np

from .. import viz
from ..i18n import N_
from ..kernels import KERNELS
from ..methods import convolve, correlate
from ..validation import check_time
from .explorer import Explorer, menu, slider
from ..i18n import _

__all__ = ["FLIP_CHOICES", "SIGNALS", "explore_flip_portrait", "explore_flip_slide"]

FLIP_CHOICES = ("no: correlate", "yes: convolve")


def _flip_options():
    """The flip choices as (label in the learner's language, value) pairs."""
    return list(zip((_("no: correlate"), _("yes: convolve")), FLIP_CHOICES))
"""The flip toggle's two choices, in this order: the kernel as it is, the kernel flipped."""

SIGNALS = {
    N_("impulse"): np.eye(1, 10, 3)[0],
    N_("two impulses"): 2 * np.eye(1, 10, 2)[0] - np.eye(1, 10, 6)[0],
    N_("step"): (np.arange(10) >= 5).astype(float),
    N_("random"): np.array([3.0, 1.0, 0.0, 2.0, 4.0, 1.0, 3.0, 0.0, 2.0, 1.0]),
}
"""The 1-D widget's inputs, ten samples each: an impulse draws the kernel or its flip,
two impulses draw two scaled copies (superposition)."""


def explore_flip_slide(kernel=(1.0, 2.0, 3.0), signals=None):
    """Slide a 1-D `kernel` along a signal chosen from a menu, as it is or flipped.

    The position slider spans every output of mode 'full' (the window reaches
    past both ends); its range follows the chosen signal's length.
    """
    check_time(3 * np.size(kernel), 2000, _("drawing a kernel of {size_kernel} taps").format(
                                              size_kernel=np.size(kernel)), _("use a shorter kernel"))
    kernel = np.asarray(kernel, float)
    signals = dict(SIGNALS) if signals is None else signals
    first = list(signals)[0]
    controls = {
        "signal": menu(signals, _("signal")),
        "flip": widgets.ToggleButtons(options=_flip_options(), value=FLIP_CHOICES[0],
                                      description=_("flip the kernel?")),
        "position": slider(_("output position"), 0, len(signals[first]) + len(kernel) - 2, 0),
    }

    def render(signal, flip, position):
        return viz.flip_slide(signals[signal], kernel, position, flip == FLIP_CHOICES[1])

    def ranges(signal, flip, position):
        return {"position": len(signals[signal]) + len(kernel) - 2}

    return Explorer(render, controls, vertical=True, ranges=ranges)


def _stretched(kernel, factor):
    """Each weight of `kernel` repeated into a factor x factor block: the same shape, larger."""
    return np.kron(kernel, np.ones((factor, factor)))


def explore_flip_portrait(image, kernels=None):
    """An image filtered by correlation and by convolution, and their difference.

    Choose a kernel from a menu (the asymmetric L of notebook 01 first) and
    stretch it (each weight repeated into a block): symmetric kernels give a
    difference of zero, asymmetric ones do not. Both filterings of each
    (kernel, stretch) are computed once.
    """
    names = ("asymmetric", "emboss", "sobel x", "box blur", "gaussian")
    kernels = {name: KERNELS[name] for name in names} if kernels is None else kernels

    @functools.cache
    def filtered(name, stretch):
        kernel = _stretched(kernels[name], stretch)
        return kernel, (correlate(image, kernel, "same"), convolve(image, kernel, "same"))

    controls = {
        "name": menu(kernels, _("kernel")),
        "stretch": slider(_("stretch the kernel"), 1, 5, 1),
    }

    def render(name, stretch):
        kernel, results = filtered(name, stretch)
        return viz.flip_portrait(image, kernel, results)

    return Explorer(render, controls, photo=True)
