"""Slide a window over the input, multiply elementwise by the kernel, sum.

Taught in ``notebooks/01_sliding_window.ipynb``. This is the definition of the
(cross-)correlation that a convolutional layer computes:

    y[i, j] = sum over (a, b) of x[i + a, j + b] * w[a, b]

The window is multiplied *elementwise* by the kernel (a Hadamard product) and
the products are summed. Nothing is flipped.

Both methods take `mode`: 'full' (N + K - 1), 'same' (N) or 'valid' (N - K + 1)
outputs per axis, for N inputs and K kernel taps; :mod:`convlib.modes`
defines them.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .internal import check_loop_time, pad_to_mode, split_nonfinite
from .modes import prepare

__all__ = ["correlate_loop", "correlate_windows", "windows"]


def correlate_loop(x, kernel, mode="full"):
    """Correlation by its definition: a Python loop over output positions.

    Slow on purpose: every step is visible. For 1-D or 2-D `x` and `kernel` of
    the same number of dimensions; `mode` is 'full' (N+K-1), 'same' (N) or
    'valid' (N-K+1).

    Examples
    --------
    >>> x = np.arange(25).reshape(5, 5)
    >>> w = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    >>> correlate_loop(x, w, mode="valid")
    array([[0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    >>> correlate_loop([1, 2, 3, 4], [5, 6, 7], mode="valid")
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    check_loop_time(x, kernel, mode)
    kernel, nonfinite_terms = split_nonfinite(x, kernel, mode)  # a tap over the padding adds no term
    padded = pad_to_mode(x, kernel.shape, mode)
    out_shape = tuple(n - m + 1 for n, m in zip(padded.shape, kernel.shape))
    out = np.zeros(out_shape, dtype=x.dtype)
    for position in np.ndindex(*out_shape):
        window = padded[tuple(slice(p, p + m) for p, m in zip(position, kernel.shape))]
        out[position] = np.sum(window * kernel)  # Hadamard product, then sum
    return out + nonfinite_terms


def windows(x, kernel_shape):
    """Every window of `x` the size of the kernel, as a read-only view.

    The result has shape ``output_shape + kernel_shape``: ``windows(x, k)[i, j]``
    is the window whose top-left corner is ``x[i, j]``. No data is copied.

    Examples
    --------
    >>> i, j = np.ogrid[:3, :4]
    >>> x = 10 * i + j            # each value encodes its (row, column)
    >>> w = windows(x, (2, 2))
    >>> w.shape
    (2, 3, 2, 2)
    >>> w[1, 2]
    array([[12, 13],
           [22, 23]])
    """
    return sliding_window_view(x, tuple(kernel_shape))


def correlate_windows(x, kernel, mode="full"):
    """Correlation with every window at once: a view of windows, one contraction.

    ``windows(x)`` costs no copy, and ``np.einsum`` multiplies and sums over the
    kernel axes for all positions in one call (it adds every product, so a
    NaN or inf in a window reaches its output as in the loop). `mode` is
    'full' (N+K-1), 'same' (N) or 'valid' (N-K+1).

    Examples
    --------
    >>> correlate_windows([1, 2, 3, 4], [5, 6, 7], mode="full")
    array([ 7., 20., 38., 56., 39., 20.])
    """
    x, kernel = prepare(x, kernel, mode)
    kernel, nonfinite_terms = split_nonfinite(x, kernel, mode)  # a tap over the padding adds no term
    all_windows = windows(pad_to_mode(x, kernel.shape, mode), kernel.shape)
    taps = "ab"[: x.ndim]  # the kernel's axes: "a" in 1-D, "ab" in 2-D
    return np.einsum(f"...{taps},{taps}->...", all_windows, kernel) + nonfinite_terms
