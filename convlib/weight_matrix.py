"""The layer as one sparse matrix whose weights are tied.

Taught in ``notebooks/05_weight_matrix.ipynb``. A correlation is linear in its
input, so it is a matrix ``M`` with ``M @ x.ravel() == correlate(x, w).ravel()``.
Each row of ``M`` is one output position: it holds the kernel's weights where
the window lies and zeros elsewhere. The same few weights repeat on every row
(tied weights); in 2-D the matrix is doubly block Toeplitz. A convolution's
matrix is the correlation matrix of the flipped kernel.

`mode` is 'full' (N + M - 1), 'same' (N) or 'valid' (N - M + 1) outputs per axis,
for N inputs and M kernel taps; :mod:`convlib.modes` defines them.

Build such matrices only for small inputs: ``M`` has (output size) x (input
size) entries, almost all of them zero, and convlib refuses one larger than
its memory limit (:mod:`convlib.validation`).
"""

import numpy as np

from .flipping import _flip
from .modes import _check_shapes, _output_shape, _pad_widths, prepare
from .validation import as_array, as_shape, check_memory, float_dtype

__all__ = ["convolution_matrix", "correlate_matrix", "correlation_matrix", "weight_index"]


def _check_matrix_size(input_shape, kernel_shape, mode, dtype):
    rows, columns = np.prod(_output_shape(input_shape, kernel_shape, mode)), np.prod(input_shape)
    check_memory((rows, columns), dtype, "the weight matrix M",
                 "build M for a small input (such as 8x8) and use method='windows' for images")


def _taps(input_shape, kernel_shape, mode):
    """For each kernel tap (in ``w.ravel()`` order): the rows of M it appears in
    and the input columns it multiplies there."""
    out_shape = _output_shape(input_shape, kernel_shape, mode)
    before = np.array([b for b, _ in _pad_widths(kernel_shape, mode)])[:, None]
    outputs = np.indices(out_shape).reshape(len(out_shape), -1)       # one column per output
    rows = np.arange(outputs.shape[1])
    for offset in np.ndindex(*kernel_shape):
        source = outputs + np.array(offset)[:, None] - before            # the input read by this tap
        inside = np.all((source >= 0) & (source < np.array(input_shape)[:, None]), axis=0)
        yield rows[inside], np.ravel_multi_index(source[:, inside], input_shape)


def weight_index(input_shape, kernel_shape, mode="valid"):
    """Which kernel weight each entry of the correlation matrix holds.

    Returns an int array shaped like ``correlation_matrix(input_shape, w, mode)``:
    the flat index (into ``w.ravel()``) of the weight at each entry, or -1
    where the entry is a structural zero (the window does not cover that input).

    Examples
    --------
    >>> weight_index(4, 3, mode="valid")
    array([[ 0,  1,  2, -1],
           [-1,  0,  1,  2]])
    """
    input_shape, kernel_shape = _check_shapes(input_shape, kernel_shape, mode)
    _check_matrix_size(input_shape, kernel_shape, mode, np.intp)
    index = np.full((np.prod(_output_shape(input_shape, kernel_shape, mode)), np.prod(input_shape)), -1)
    for tap, (rows, columns) in enumerate(_taps(input_shape, kernel_shape, mode)):
        index[rows, columns] = tap
    return index


def _correlation_matrix(input_shape, kernel, mode):
    M = np.zeros((np.prod(_output_shape(input_shape, kernel.shape, mode)), np.prod(input_shape)), kernel.dtype)
    for weight, (rows, columns) in zip(kernel.ravel(), _taps(input_shape, kernel.shape, mode)):
        M[rows, columns] = weight                                       # one tied weight, many entries
    return M


def _check_kernel(input_shape, kernel, mode):
    input_shape = as_shape(input_shape, "input_shape")
    kernel = as_array(kernel, "kernel", ndim=len(input_shape))  # named as the caller passed it
    _check_shapes(input_shape, kernel.shape, mode)
    _check_matrix_size(input_shape, kernel.shape, mode, float_dtype(kernel))
    return input_shape, kernel.astype(float_dtype(kernel), copy=False)


def correlation_matrix(input_shape, kernel, mode="valid"):
    """The matrix ``M`` with ``M @ x.ravel() == correlate(x, kernel, mode).ravel()``.

    For 1-D or 2-D inputs of shape `input_shape`. `mode` is 'full' (N+M-1),
    'same' (N) or 'valid' (N-M+1).

    Examples
    --------
    x = [1, 2, 3, 4] and w = [5, 6, 7]: the valid correlation is [38, 56].

    >>> x, w = np.array([1, 2, 3, 4]), np.array([5, 6, 7])
    >>> M = correlation_matrix(4, w, mode="valid")
    >>> M
    array([[5., 6., 7., 0.],
           [0., 5., 6., 7.]])
    >>> M @ x
    array([38., 56.])
    """
    input_shape, kernel = _check_kernel(input_shape, kernel, mode)
    return _correlation_matrix(input_shape, kernel, mode)


def convolution_matrix(input_shape, kernel, mode="full"):
    """The matrix ``M`` with ``M @ x.ravel() == convolve(x, kernel, mode).ravel()``.

    The correlation matrix of the flipped kernel; in 1-D and 'full' mode it is
    ``scipy.linalg.convolution_matrix(kernel, n)``.

    Examples
    --------
    The full convolution of x = [1, 2, 3, 4] with w = [5, 6, 7]:

    >>> M = convolution_matrix(4, [5, 6, 7])
    >>> M.shape, M @ [1, 2, 3, 4]
    ((6, 4), array([ 5., 16., 34., 52., 45., 28.]))
    """
    input_shape, kernel = _check_kernel(input_shape, kernel, mode)
    return _correlation_matrix(input_shape, _flip(kernel), mode)


def correlate_matrix(x, kernel, mode="full"):
    """Correlation as one matrix-vector product with the weight-tied matrix.

    `mode` is 'full' (N+M-1), 'same' (N) or 'valid' (N-M+1). Where `x` holds
    NaN or inf, ``M @ x`` would multiply them by the structural zeros of every
    row (0 * NaN is NaN); only the entries a window covers are summed then,
    as a direct sum would.

    Examples
    --------
    >>> correlate_matrix([1, 2, 3, 4], [5, 6, 7], mode="valid")
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    _check_matrix_size(x.shape, kernel.shape, mode, x.dtype)
    M = _correlation_matrix(x.shape, kernel, mode)
    if np.all(np.isfinite(x)):
        y = M @ x.ravel()
    else:
        covered = weight_index(x.shape, kernel.shape, mode) >= 0
        y = np.where(covered, M * x.ravel(), 0).sum(axis=1)
    return y.reshape(_output_shape(x.shape, kernel.shape, mode))
