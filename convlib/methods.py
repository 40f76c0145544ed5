"""The registry of methods: every way convlib computes the same correlation.

Each entry maps a name to a function ``f(x, kernel, mode="full")`` that returns
``scipy.signal.correlate(x, kernel, mode)`` for real 1-D or 2-D input. Comparing
them is the lesson, so there is no automatic chooser.
"""

import numpy as np

from .modes import check_kernel_fits
from .validation import as_array, check_mode, float_dtype


def prepare(x, kernel, mode):
    """Validate the arguments every method takes; return float arrays.

    Integers become float64, float32 stays float32 (see
    :func:`convlib.validation.float_dtype`).

    Examples
    --------
    >>> x, k = prepare([1, 2, 3], [1, 1], "valid")
    >>> x.dtype, k.dtype
    (dtype('float64'), dtype('float64'))
    >>> prepare([1, 2, 3], [[1, 1]], "valid")
    Traceback (most recent call last):
    ...
    ValueError: `x` and `kernel` must have the same number of dimensions; got x.ndim = 1 and kernel.ndim = 2
    """
    x = as_array(x, "x", ndim=(1, 2))
    kernel = as_array(kernel, "kernel", ndim=(1, 2))
    if x.ndim != kernel.ndim:
        raise ValueError(
            "`x` and `kernel` must have the same number of dimensions; "
            f"got x.ndim = {x.ndim} and kernel.ndim = {kernel.ndim}"
        )
    check_mode(mode)
    check_kernel_fits(x.shape, kernel.shape, mode)
    dtype = float_dtype(x, kernel)
    return x.astype(dtype, copy=False), kernel.astype(dtype, copy=False)


def _registry():
    # Imported here because each method lives in the module of the notebook
    # that teaches it, and those modules import `prepare` from this one.
    from .dot_product import correlate_dot
    from .fft import correlate_fft
    from .im2col import correlate_im2col
    from .sliding_window import correlate_loop, correlate_windows
    from .weight_matrix import correlate_matrix

    return {
        "loop": correlate_loop,
        "dot": correlate_dot,
        "im2col": correlate_im2col,
        "windows": correlate_windows,
        "matrix": correlate_matrix,
        "fft": correlate_fft,
    }


METHODS = _registry()
