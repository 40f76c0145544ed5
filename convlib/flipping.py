"""Convolution versus cross-correlation: the kernel flip.

Taught in ``notebooks/06_flipping.ipynb``.

A deep-learning "conv2d" (PyTorch, TensorFlow, cs231n) is a CROSS-CORRELATION:
it slides the kernel as it is. A convolution in the mathematical sense flips
the kernel along every axis first. For learned kernels the difference does
not matter (the network simply learns the flipped weights), which is why the
libraries compute correlation and call it convolution.

In convlib, ``correlate*`` never flips and ``convolve*`` always does:
:func:`convlib.convolve` is written as exactly that, a correlation with
``flip(kernel)``.
"""

import numpy as np

from .validation import as_array

__all__ = ["flip"]


def flip(kernel):
    """Reverse `kernel` along every axis (a 180 degree rotation in 2-D).

    Returns a read-only view, as ``sliding_window_view`` does: no copy is
    made, and writing to it cannot change `kernel` by accident.

    Examples
    --------
    >>> flip([[1, 2], [3, 4]])
    array([[4, 3],
           [2, 1]])
    """
    return _flip(as_array(kernel, "kernel", ndim=(1, 2)))


def _flip(kernel):
    flipped = np.flip(kernel)
    flipped.flags.writeable = False
    return flipped
