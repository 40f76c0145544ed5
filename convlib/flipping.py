"""Convolution versus cross-correlation: the kernel flip.

Taught in ``notebooks/06_flipping.ipynb``.

A deep-learning "conv2d" (PyTorch, TensorFlow, cs231n) is a CROSS-CORRELATION:
it slides the kernel as it is. A convolution in the mathematical sense flips
the kernel along every axis first. For learned kernels the difference does
not matter (the network simply learns the flipped weights), which is why the
libraries compute correlation and call it convolution.

In convlib, ``correlate*`` never flips and ``convolve*`` always does, and
:func:`convolve` is written as exactly that: correlation with a flipped kernel.
"""

import numpy as np

from .methods import METHODS
from .validation import as_array, check_choice


def flip(kernel):
    """Reverse `kernel` along every axis (a 180 degree rotation in 2-D).

    Examples
    --------
    >>> flip([[1, 2], [3, 4]])
    array([[4, 3],
           [2, 1]])
    """
    return np.flip(as_array(kernel, "kernel", ndim=(1, 2)))


def correlate(x, kernel, mode="full", method="windows"):
    """Cross-correlation of `x` with `kernel`: what a conv layer computes.

    Same results as ``scipy.signal.correlate(x, kernel, mode)`` for real 1-D
    or 2-D input, except that a kernel larger than `x` is an error in 'valid'
    mode. `method` is any key of :data:`convlib.METHODS`.

    `mode` is 'full' (N + M - 1), 'same' (N) or 'valid' (N - M + 1) per axis.

    Examples
    --------
    >>> correlate([1, 2, 3, 4], [5, 6, 7], mode="valid")
    array([38., 56.])
    >>> correlate([1, 2, 3, 4], [5, 6, 7], mode="valid", method="loop")
    array([38., 56.])
    """
    check_choice(method, "method", tuple(METHODS))
    return METHODS[method](x, kernel, mode)


def convolve(x, kernel, mode="full", method="windows"):
    """Convolution: correlation with the kernel flipped along every axis.

    Same results as ``scipy.signal.convolve(x, kernel, mode)`` for real 1-D or
    2-D input. `mode` is 'full' (N+M-1), 'same' (N) or 'valid' (N-M+1).

    Examples
    --------
    >>> convolve([1, 2, 3, 4], [5, 6, 7])
    array([ 5., 16., 34., 52., 45., 28.])
    """
    return correlate(x, flip(kernel), mode, method)
