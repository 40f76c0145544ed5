"""The front door: every way convlib computes the same correlation, and
``correlate`` / ``convolve`` that pick one by name.

Each entry of :data:`METHODS` maps a name to a function ``f(x, kernel,
mode="full")`` that returns ``scipy.signal.correlate(x, kernel, mode)`` for
real 1-D or 2-D input. Comparing them is the lesson, so there is no automatic
chooser: the default, ``"windows"``, copies nothing and makes one call.

`mode` is 'full' (N + M - 1), 'same' (N) or 'valid' (N - M + 1) per axis
(:mod:`convlib.modes`).
"""

from .dot_product import correlate_dot
from .fft import correlate_fft
from .flipping import flip
from .im2col import correlate_im2col
from .sliding_window import correlate_loop, correlate_windows
from .validation import check_choice
from .weight_matrix import correlate_matrix

__all__ = ["METHODS", "convolve", "correlate"]

METHODS = {
    "loop": correlate_loop,        # notebook 01: the definition
    "dot": correlate_dot,          # notebook 02: one dot product per window
    "im2col": correlate_im2col,    # notebook 03: one matrix product
    "windows": correlate_windows,  # notebook 01: a view of every window, one contraction
    "matrix": correlate_matrix,    # notebook 05: the weight-tied matrix
    "fft": correlate_fft,          # notebook 08: the convolution theorem
}


def correlate(x, kernel, mode="full", method="windows"):
    """Cross-correlation of `x` with `kernel`: what a conv layer computes.

    Same results as ``scipy.signal.correlate(x, kernel, mode)`` for real 1-D
    or 2-D input, except that a kernel larger than `x` is an error in 'valid'
    mode. `method` is any key of :data:`convlib.METHODS`.

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
