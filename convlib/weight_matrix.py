"""A correlation as one sparse matrix whose weights are tied.

Taught in ``notebooks/05_weight_matrix.ipynb``. A correlation is linear in its
input, so it is a matrix ``M`` with ``M @ x.ravel() == correlate(x, w).ravel()``.
Each row of ``M`` is one output position: it holds the kernel's weights where
the window lies and zeros elsewhere. The same few weights repeat on every row
(tied weights); in 2-D the matrix is doubly block Toeplitz. A convolution's
matrix is the correlation matrix of the flipped kernel.

`mode` is 'full' (N + K - 1), 'same' (N) or 'valid' (N - K + 1) outputs per axis,
for N inputs and K kernel taps; :mod:`convlib.modes` defines them. A layer's
stride, padding, dilation and channels change the matrix too
(:mod:`convlib.layer_weights`). With wrap-around boundaries the matrix is
circulant (:func:`circulant_matrix`).

The backward pass reads the matrix backwards (:mod:`convlib.backward`).

Build such matrices only for small inputs: ``M`` has (output size) x (input
size) entries, almost all of them zero (:func:`convlib.matrix_counts` counts
them without building it), and convlib refuses one larger than its memory limit
(:mod:`convlib.validation`).
"""

import numpy as np

from .internal import flipped, mode_output_shape, mode_pad_widths, small_matrix_hint, tap_entries
from .modes import output_shape, prepare
from .validation import as_array, as_shape, check_memory, float_dtype
from .i18n import _

__all__ = ["circulant_matrix", "convolution_matrix", "correlate_matrix", "correlation_matrix", "weight_index"]

def _check_matrix_size(input_shape, kernel_shape, mode, dtype):
    rows, columns = np.prod(mode_output_shape(input_shape, kernel_shape, mode)), np.prod(input_shape)
    check_memory((rows, columns), dtype, _("the weight matrix M"), small_matrix_hint())


def _taps(input_shape, kernel_shape, mode):
    """The taps of a correlation in `mode`: stride 1, dilation 1, the mode's zeros before."""
    ones = (1,) * len(input_shape)
    before = [b for b, _ in mode_pad_widths(kernel_shape, mode)]
    out_shape = mode_output_shape(input_shape, kernel_shape, mode)
    return tap_entries(input_shape, kernel_shape, out_shape, ones, ones, before)


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
    input_shape = as_shape(input_shape, "input_shape")
    kernel_shape = as_shape(kernel_shape, "kernel_shape", ndim=len(input_shape))
    output_shape(input_shape, kernel_shape, mode)                       # checks the mode, and that the kernel fits
    _check_matrix_size(input_shape, kernel_shape, mode, np.intp)
    index = np.full((np.prod(mode_output_shape(input_shape, kernel_shape, mode)), np.prod(input_shape)), -1)
    for tap, (rows, columns) in enumerate(_taps(input_shape, kernel_shape, mode)):
        index[rows, columns] = tap
    return index


def _correlation_matrix(input_shape, kernel, mode):
    M = np.zeros((np.prod(mode_output_shape(input_shape, kernel.shape, mode)), np.prod(input_shape)), kernel.dtype)
    for weight, (rows, columns) in zip(kernel.ravel(), _taps(input_shape, kernel.shape, mode)):
        M[rows, columns] = weight                                       # one tied weight, many entries
    return M


def _check_kernel(input_shape, kernel, mode):
    input_shape = as_shape(input_shape, "input_shape")
    kernel = as_array(kernel, "kernel", ndim=len(input_shape))  # named as the caller passed it
    output_shape(input_shape, kernel.shape, mode)                       # checks the mode, and that the kernel fits
    _check_matrix_size(input_shape, kernel.shape, mode, float_dtype(kernel))
    return input_shape, kernel.astype(float_dtype(kernel), copy=False)


def correlation_matrix(input_shape, kernel, mode="valid"):
    """The matrix ``M`` with ``M @ x.ravel() == correlate(x, kernel, mode).ravel()``.

    For 1-D or 2-D inputs of shape `input_shape`. `mode` is 'full' (N+K-1),
    'same' (N) or 'valid' (N-K+1).

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
    return _correlation_matrix(input_shape, flipped(kernel), mode)


def correlate_matrix(x, kernel, mode="full"):
    """Correlation as one matrix-vector product with the weight-tied matrix.

    `mode` is 'full' (N+K-1), 'same' (N) or 'valid' (N-K+1). Where `x` holds
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
    return y.reshape(mode_output_shape(x.shape, kernel.shape, mode))


# --- Wrap-around boundaries: a circulant matrix ---------------------------------------------

def circulant_matrix(input_shape, kernel):
    """The matrix of a correlation that wraps around: ``y[i] = sum_k w[k] x[(i + k) % N]``.

    Every row is the row above shifted one place to the right, the entry that
    falls off the end coming back at the start: a circulant matrix (in 2-D,
    block circulant with circulant blocks). Its first N - K + 1 rows are the
    'valid' correlation matrix; the last K - 1 rows wrap. It is
    ``scipy.linalg.circulant(c).T`` for the kernel zero-padded to N, and
    ``torch`` computes it with ``padding_mode='circular'``. Notebook 08
    diagonalises it with the DFT.

    Examples
    --------
    >>> circulant_matrix(5, [5, 6, 7])
    array([[5., 6., 7., 0., 0.],
           [0., 5., 6., 7., 0.],
           [0., 0., 5., 6., 7.],
           [7., 0., 0., 5., 6.],
           [6., 7., 0., 0., 5.]])
    """
    input_shape = as_shape(input_shape, "input_shape")
    kernel = as_array(kernel, "kernel", ndim=len(input_shape))
    if any(k > n for n, k in zip(input_shape, kernel.shape)):
        raise ValueError(_("`kernel` must not be larger than the input for a circulant matrix; got kernel shape "
                           "{kernel_shape} for input_shape {input_shape}").format(
                             kernel_shape=kernel.shape, input_shape=input_shape))
    size = int(np.prod(input_shape))
    check_memory((size, size), float_dtype(kernel), _("the circulant matrix"), small_matrix_hint())
    outputs = np.indices(input_shape).reshape(len(input_shape), -1)
    M = np.zeros((size, size), float_dtype(kernel))
    for offset, weight in zip(np.ndindex(*kernel.shape), kernel.ravel()):
        source = (outputs + np.array(offset)[:, None]) % np.array(input_shape)[:, None]   # wraps around
        M[np.arange(size), np.ravel_multi_index(source, input_shape)] = weight
    return M
