"""The multiply-and-sum of a window is a dot product of two flattened arrays.

Taught in ``notebooks/02_dot_product.ipynb``. For a window and a kernel w of
the same shape,

    sum(window * w) = vec(window) . vec(w)   (the Frobenius inner product)

so "elementwise multiply then sum" and "dot product" are one operation.

`mode` gives the output length per axis: 'full' N+K-1, 'same' N, 'valid' N-K+1.
"""

import numpy as np

from .internal import check_loop_time, pad_to_mode, split_nonfinite
from .modes import prepare
from .sliding_window import windows

__all__ = ["correlate_dot"]


def correlate_dot(x, kernel, mode="full"):
    """Correlation as one dot product per output position.

    Each window is flattened to a vector and dotted with the flattened kernel.
    `mode` is 'full' (N+K-1), 'same' (N) or 'valid' (N-K+1).

    Examples
    --------
    >>> correlate_dot([[1, 2], [3, 4]], [[1, 0], [0, 1]], mode="valid")
    array([[5.]])
    """
    x, kernel = prepare(x, kernel, mode)
    check_loop_time(x, kernel, mode)
    kernel, nonfinite_terms = split_nonfinite(x, kernel, mode)  # a tap over the padding adds no term
    all_windows = windows(pad_to_mode(x, kernel.shape, mode), kernel.shape)
    out_shape = all_windows.shape[: x.ndim]
    flat_kernel = kernel.ravel()
    out = np.empty(out_shape, dtype=x.dtype)
    for position in np.ndindex(*out_shape):
        out[position] = all_windows[position].ravel() @ flat_kernel  # vec(window) . vec(w)
    return out + nonfinite_terms
