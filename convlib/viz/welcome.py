"""Pictures of notebook 00: a first blur."""

import numpy as np

from .. import kernels
from ..methods import correlate
from .kit import gray_panel, side_by_side

__all__ = ["blur", "blurred"]


def blurred(image, sigma):
    """`image` correlated with a Gaussian of width `sigma` (FFT: the kernel is large)."""
    size = 2 * int(np.ceil(3 * sigma)) + 1
    return correlate(image, kernels.gaussian(size, sigma), mode="same", method="fft")


def blur(image, sigma, result=None):
    """The image and its Gaussian blur side by side."""
    result = blurred(image, sigma) if result is None else result
    return side_by_side(gray_panel(image, "input", 0, 1), gray_panel(result, f"Gaussian blur, sigma = {sigma:g}", 0, 1))
