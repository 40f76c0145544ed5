"""Output modes: how much of the input the kernel may hang over.

Taught in ``notebooks/05_weight_matrix.ipynb`` (full / same / valid). Every method in convlib
computes a *valid* correlation of an input padded for the mode, so the three
modes are defined once, here:

=======  ==========================  =========================================
mode     output length per axis      zeros added to the input (left, right)
=======  ==========================  =========================================
full     N + M - 1                   (M - 1, M - 1)
same     N                           (M // 2, (M - 1) // 2)  (SciPy's centring)
valid    N - M + 1 (needs N >= M)    (0, 0)
=======  ==========================  =========================================

For an even kernel ``same`` cannot be centred exactly; like SciPy we put the
extra zero on the left (top).
"""

import numpy as np

from .validation import check_mode


def pad_widths(kernel_shape, mode):
    """Zeros to add before and after each axis of the input for `mode`.

    Examples
    --------
    >>> pad_widths((3,), "full")
    ((2, 2),)
    >>> pad_widths((4, 3), "same")
    ((2, 1), (1, 1))
    >>> pad_widths((4, 3), "valid")
    ((0, 0), (0, 0))
    """
    check_mode(mode)
    if mode == "full":
        return tuple((m - 1, m - 1) for m in kernel_shape)
    if mode == "same":
        return tuple((m // 2, (m - 1) // 2) for m in kernel_shape)
    return tuple((0, 0) for _ in kernel_shape)


def output_shape(input_shape, kernel_shape, mode):
    """Shape of ``correlate(x, kernel, mode)`` for the given shapes.

    Examples
    --------
    >>> output_shape((4,), (3,), "full"), output_shape((4,), (3,), "valid")
    ((6,), (2,))
    >>> output_shape((5, 5), (2, 3), "same")
    (5, 5)
    """
    widths = pad_widths(kernel_shape, mode)
    return tuple(n + before + after - m + 1
                 for n, m, (before, after) in zip(input_shape, kernel_shape, widths))


def check_kernel_fits(input_shape, kernel_shape, mode):
    """In 'valid' mode the kernel must fit inside the input along every axis.

    SciPy silently swaps the two arrays instead; a convolutional layer never
    does, so convlib refuses.

    Examples
    --------
    >>> check_kernel_fits((2, 5), (3, 3), "valid")
    Traceback (most recent call last):
    ...
    ValueError: in 'valid' mode `kernel` must fit inside `x` along every axis; got kernel shape (3, 3) for x shape (2, 5). Use mode='full' or 'same', or a smaller kernel
    """
    if mode == "valid" and any(m > n for n, m in zip(input_shape, kernel_shape)):
        raise ValueError(
            f"in 'valid' mode `kernel` must fit inside `x` along every axis; got kernel "
            f"shape {tuple(kernel_shape)} for x shape {tuple(input_shape)}. "
            f"Use mode='full' or 'same', or a smaller kernel"
        )


def pad_for_mode(x, kernel_shape, mode):
    """Zero-pad `x` so that a valid correlation of the result gives `mode`.

    Examples
    --------
    >>> pad_for_mode(np.array([1, 2, 3, 4]), (3,), "full")
    array([0, 0, 1, 2, 3, 4, 0, 0])
    """
    check_kernel_fits(x.shape, kernel_shape, mode)
    return np.pad(x, pad_widths(kernel_shape, mode))
