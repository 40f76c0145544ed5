"""Live widgets of notebook 00."""

import functools

import ipywidgets as widgets

from .. import viz
from .explorer import Explorer
from ..i18n import _

__all__ = ["explore_blur"]


def explore_blur(image):
    """A sigma slider: the image beside its Gaussian blur."""
    blur = functools.lru_cache(maxsize=32)(lambda sigma: viz.blurred(image, sigma))
    sigma = widgets.FloatSlider(value=2.0, min=0.5, max=8.0, step=0.5, description=_("sigma"))
    return Explorer(lambda sigma: viz.blur(image, sigma, blur(sigma)), {"sigma": sigma}, photo=True)
