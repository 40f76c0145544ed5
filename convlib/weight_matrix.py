"""The layer as one sparse matrix whose weights are tied.

Taught in ``notebooks/05_weight_matrix.ipynb``. A correlation is linear in its
input, so it is a matrix ``M`` with ``M @ x.ravel() == correlate(x, kernel).ravel()``.
Each row of ``M`` is one output position: it holds the kernel's weights where
the window lies and zeros elsewhere. The same few weights repeat on every row
(tied weights); in 2-D the matrix is doubly block Toeplitz.

`mode` is 'full' (N + M - 1), 'same' (N) or 'valid' (N - M + 1) outputs per axis, for
N inputs and M kernel taps; :mod:`convlib.modes` defines them.

Build such matrices only for small inputs: ``M`` has (output size) x (input
size) entries, almost all of them zero.
"""

import numpy as np

from .methods import prepare
from .modes import check_kernel_fits, output_shape, pad_widths
from .validation import as_array, as_shape, check_mode, float_dtype


def conv_matrix_taps(input_shape, kernel_shape, mode="valid"):
    """Which kernel weight each entry of the correlation matrix holds.

    Returns an int array shaped like the matrix ``M`` of :func:`conv_matrix`:
    the flat index (into ``kernel.ravel()``) of the weight at each entry, or -1
    where the entry is a structural zero (the window does not cover that input).
    `mode` is 'full' (N+M-1), 'same' (N) or 'valid' (N-M+1).

    Examples
    --------
    >>> conv_matrix_taps(4, 3, mode="valid")
    array([[ 0,  1,  2, -1],
           [-1,  0,  1,  2]])
    """
    input_shape = as_shape(input_shape, "input_shape")
    kernel_shape = as_shape(kernel_shape, "kernel_shape", ndim=len(input_shape))
    check_mode(mode)
    check_kernel_fits(input_shape, kernel_shape, mode)
    out_shape = output_shape(input_shape, kernel_shape, mode)
    before = np.array([b for b, _ in pad_widths(kernel_shape, mode)])
    outputs = np.indices(out_shape).reshape(len(out_shape), -1)  # one column per output
    rows = np.arange(outputs.shape[1])
    taps = np.full((outputs.shape[1], int(np.prod(input_shape))), -1, dtype=np.intp)
    for tap, offset in enumerate(np.ndindex(*kernel_shape)):
        source = outputs + (np.array(offset) - before)[:, None]  # input read by this tap
        inside = np.all((source >= 0) & (source < np.array(input_shape)[:, None]), axis=0)
        columns = np.ravel_multi_index(source[:, inside], input_shape)
        taps[rows[inside], columns] = tap
    return taps


def conv_matrix(input_shape, kernel, mode="valid"):
    """The matrix ``M`` with ``M @ x.ravel() == correlate(x, kernel, mode).ravel()``.

    For 1-D or 2-D inputs of shape `input_shape`. To get a *convolution*
    matrix, pass the flipped kernel. `mode` is 'full' (N+M-1), 'same' (N) or
    'valid' (N-M+1).

    Examples
    --------
    x = [1, 2, 3, 4] and w = [5, 6, 7]: the valid correlation is [38, 56],

    >>> x, w = np.array([1, 2, 3, 4]), np.array([5, 6, 7])
    >>> M = conv_matrix(4, w, mode="valid")
    >>> M
    array([[5., 6., 7., 0.],
           [0., 5., 6., 7.]])
    >>> M @ x
    array([38., 56.])

    and the full convolution (the flipped kernel) is [5, 16, 34, 52, 45, 28]:

    >>> conv_matrix(4, w[::-1], mode="full") @ x
    array([ 5., 16., 34., 52., 45., 28.])
    """
    kernel = as_array(kernel, "kernel", ndim=(1, 2))
    taps = conv_matrix_taps(input_shape, kernel.shape, mode)
    weights = kernel.ravel().astype(float_dtype(kernel))
    return np.where(taps >= 0, weights[taps], 0).astype(weights.dtype)


def correlate_matrix(x, kernel, mode="full"):
    """Correlation as one matrix-vector product with the weight-tied matrix.

    `mode` is 'full' (N+M-1), 'same' (N) or 'valid' (N-M+1).

    Examples
    --------
    >>> correlate_matrix([1, 2, 3, 4], [5, 6, 7], mode="valid")
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    M = conv_matrix(x.shape, kernel, mode)
    return (M @ x.ravel()).reshape(output_shape(x.shape, kernel.shape, mode))
