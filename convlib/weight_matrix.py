"""The layer as one sparse matrix whose weights are tied, and its backward pass.

Taught in ``notebooks/05_weight_matrix.ipynb``. A correlation is linear in its
input, so it is a matrix ``M`` with ``M @ x.ravel() == correlate(x, w).ravel()``.
Each row of ``M`` is one output position: it holds the kernel's weights where
the window lies and zeros elsewhere. The same few weights repeat on every row
(tied weights); in 2-D the matrix is doubly block Toeplitz. A convolution's
matrix is the correlation matrix of the flipped kernel.

`mode` is 'full' (N + M - 1), 'same' (N) or 'valid' (N - M + 1) outputs per axis,
for N inputs and M kernel taps; :mod:`convlib.modes` defines them. A layer's
stride, padding and dilation (:func:`convlib.modes.layer_geometry`) change the
matrix too: stride keeps every s-th row, dilation spreads each row's weights,
padding adds columns that only ever meet zeros (:func:`layer_weight_index`).
With wrap-around boundaries the matrix is circulant (:func:`circulant_matrix`).

The backward pass reads the matrix backwards. For ``y = M x + b`` and a loss L
with ``g = dL/dy``: ``dL/dx = M^T g``, ``dL/dM = outer(g, x)``, and a tied
weight's gradient is the sum of ``dL/dM`` over every entry that holds it
(:func:`matrix_backward`). Multiplying by ``M^T`` is the transposed
convolution (:func:`conv_transpose2d`).

Build such matrices only for small inputs: ``M`` has (output size) x (input
size) entries, almost all of them zero (:func:`matrix_counts` counts them
without building it), and convlib refuses one larger than its memory limit
(:mod:`convlib.validation`).
"""

from typing import NamedTuple

import numpy as np

from .flipping import _flip
from .im2col import _col2im
from .modes import LayerGeometry, _check_shapes, _output_shape, _pad_widths, layer_geometry, prepare
from .validation import (as_array, as_bias, as_int, as_int_pair, as_positive_number, as_shape, check_memory, describe,
                         float_dtype)

__all__ = ["MatrixCounts", "circulant_matrix", "conv_transpose2d", "convolution_matrix", "correlate_matrix",
           "correlation_matrix", "finite_difference_gradient", "layer_matrix", "layer_weight_index",
           "matrix_backward", "matrix_counts", "transposed_output_size", "weight_index"]

_INSTEAD = "build M for a small input (such as 8x8) and use method='windows' for images"


def _check_matrix_size(input_shape, kernel_shape, mode, dtype):
    rows, columns = np.prod(_output_shape(input_shape, kernel_shape, mode)), np.prod(input_shape)
    check_memory((rows, columns), dtype, "the weight matrix M", _INSTEAD)


def _layer_taps(input_shape, kernel_shape, out_shape, stride, dilation, before):
    """For each kernel tap (in ``w.ravel()`` order): the rows of M it appears in
    and the input columns it multiplies there. Output o, tap t reads input
    ``o * stride + t * dilation - before`` along each axis; taps that land in
    the padding read a zero and get no entry."""
    outputs = np.indices(out_shape).reshape(len(out_shape), -1)       # one column per output
    rows = np.arange(outputs.shape[1])
    stride, dilation, before = (np.array(v)[:, None] for v in (stride, dilation, before))
    for offset in np.ndindex(*kernel_shape):
        source = outputs * stride + np.array(offset)[:, None] * dilation - before   # the input read by this tap
        inside = np.all((source >= 0) & (source < np.array(input_shape)[:, None]), axis=0)
        yield rows[inside], np.ravel_multi_index(source[:, inside], input_shape)


def _taps(input_shape, kernel_shape, mode):
    """The taps of a correlation in `mode`: stride 1, dilation 1, the mode's zeros before."""
    ones = (1,) * len(input_shape)
    before = [b for b, _ in _pad_widths(kernel_shape, mode)]
    return _layer_taps(input_shape, kernel_shape, _output_shape(input_shape, kernel_shape, mode), ones, ones, before)


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


# --- A layer's matrix: stride, padding, dilation, channels --------------------------------

class _Layer(NamedTuple):
    """Per-axis sizes of a 1-D or 2-D single-channel layer."""

    input_shape: tuple
    kernel_shape: tuple
    output_shape: tuple
    stride: tuple
    dilation: tuple
    before: tuple   # zeros before the input along each axis
    after: tuple

    @property
    def padded_shape(self):
        return tuple(n + b + a for n, b, a in zip(self.input_shape, self.before, self.after))


def _layer(input_shape, kernel_shape, stride, padding, dilation):
    """Check a 1-D (ints) or 2-D layer's sizes; a 1-D layer is a 2-D one on a 1 x N image."""
    input_shape = as_shape(input_shape, "input_shape")
    kernel_shape = as_shape(kernel_shape, "kernel_shape", ndim=len(input_shape))
    if len(input_shape) == 2:
        g = layer_geometry(input_shape, kernel_shape, stride, padding, dilation)
        return _Layer(input_shape, kernel_shape, g.output_size, g.stride, g.dilation, g.pad_before, g.pad_after)
    stride, dilation = as_int(stride, "stride", minimum=1), as_int(dilation, "dilation", minimum=1)
    padding = padding if isinstance(padding, str) else (0, as_int(padding, "padding", minimum=0))
    g = layer_geometry((1,) + input_shape, (1,) + kernel_shape, (1, stride), padding, (1, dilation))
    return _Layer(input_shape, kernel_shape, g.output_size[1:], g.stride[1:], g.dilation[1:], g.pad_before[1:],
                  g.pad_after[1:])


def _layer_index(layer, padded=False):
    """The tap each entry of the layer's matrix holds, or -1; columns over the padded input if `padded`."""
    shape = layer.padded_shape if padded else layer.input_shape
    before = (0,) * len(shape) if padded else layer.before
    index = np.full((np.prod(layer.output_shape), np.prod(shape)), -1)
    for tap, (rows, columns) in enumerate(_layer_taps(shape, layer.kernel_shape, layer.output_shape,
                                                      layer.stride, layer.dilation, before)):
        index[rows, columns] = tap
    return index


def layer_weight_index(input_shape, kernel_shape, stride=1, padding=0, dilation=1, padded=False):
    """Which kernel tap each entry of a layer's matrix holds, or -1 for a zero.

    The layer is single-channel, 1-D (`input_shape` and `kernel_shape` are
    ints) or 2-D (pairs), with the `stride`, `padding` (zeros per side, or
    'valid' / 'same') and `dilation` of ``torch.nn.functional.conv2d``. Rows
    are the outputs, in reading order; columns the inputs, or with
    ``padded=True`` every cell of the padded input, so that the columns of the
    padding show: they meet only zeros.

    Examples
    --------
    Stride 2 keeps every other row; dilation 2 puts a zero between the taps:

    >>> layer_weight_index(5, 3)
    array([[ 0,  1,  2, -1, -1],
           [-1,  0,  1,  2, -1],
           [-1, -1,  0,  1,  2]])
    >>> layer_weight_index(5, 3, stride=2)
    array([[ 0,  1,  2, -1, -1],
           [-1, -1,  0,  1,  2]])
    >>> layer_weight_index(5, 3, dilation=2)
    array([[ 0, -1,  1, -1,  2]])

    With padding 1 the first output's window starts on a zero: over the
    padded input the first and last columns hold weights that multiply zeros.

    >>> layer_weight_index(3, 3, padding=1, padded=True)
    array([[ 0,  1,  2, -1, -1],
           [-1,  0,  1,  2, -1],
           [-1, -1,  0,  1,  2]])
    >>> layer_weight_index(3, 3, padding=1)
    array([[ 1,  2, -1],
           [ 0,  1,  2],
           [-1,  0,  1]])
    """
    layer = _layer(input_shape, kernel_shape, stride, padding, dilation)
    columns = layer.padded_shape if padded else layer.input_shape
    check_memory((np.prod(layer.output_shape), np.prod(columns)), np.intp, "the weight matrix M", _INSTEAD)
    return _layer_index(layer, padded)


def _check_weight(input_shape, weight):
    input_shape = as_shape(input_shape, "input_shape", ndim=3)
    weight = as_array(weight, "weight", ndim=4)
    if weight.shape[1] != input_shape[0]:
        raise ValueError(f"`weight` must have shape (C_out, C_in, kH, kW) with C_in = {input_shape[0]}, the "
                         f"input's channels; got weight shape {weight.shape}")
    return input_shape, weight.astype(float_dtype(weight), copy=False)


def _holders(layer, weight_shape):
    """For the matrix of a layer with `weight_shape`: the flat index into
    ``weight.ravel()`` of the weight each entry holds, or -1."""
    index = _layer_index(layer)                                        # (L, H*W): taps
    c_out, c_in = weight_shape[:2]
    first = (np.arange(c_out * c_in) * np.prod(weight_shape[2:])).reshape(c_out, c_in, 1, 1)
    held = np.where(index >= 0, first + index, -1)                      # (C_out, C_in, L, H*W)
    return held.transpose(0, 2, 1, 3).reshape(c_out * index.shape[0], c_in * index.shape[1])


def _layer_matrix(layer, weight):
    held = _holders(layer, weight.shape)
    return np.where(held >= 0, weight.ravel()[held], 0).astype(weight.dtype, copy=False)


def layer_matrix(input_shape, weight, stride=1, padding=0, dilation=1):
    """The matrix ``M`` of a whole layer: ``M @ x.ravel() == conv2d(x, weight, ...).ravel()``.

    `input_shape` is (C_in, H, W), `weight` is (C_out, C_in, kH, kW), and
    `stride`, `padding`, `dilation` are those of :func:`convlib.conv2d`
    (groups 1, no bias). M has one row per output (channel, row, column) and
    one column per input (channel, row, column): it is the filters' matrices
    stacked, one block per (output channel, input channel).

    Examples
    --------
    Two filters on x = [1, 2, 3, 4] (one channel, one row): two 2x4 matrices
    stacked.

    >>> M = layer_matrix((1, 1, 4), [[[[5, 6, 7]]], [[[1, 0, -1]]]])
    >>> M
    array([[ 5.,  6.,  7.,  0.],
           [ 0.,  5.,  6.,  7.],
           [ 1.,  0., -1.,  0.],
           [ 0.,  1.,  0., -1.]])
    >>> M @ [1, 2, 3, 4]
    array([38., 56., -2., -2.])
    """
    input_shape, weight = _check_weight(input_shape, weight)
    layer = _layer(input_shape[1:], weight.shape[2:], stride, padding, dilation)
    rows, columns = weight.shape[0] * np.prod(layer.output_shape), np.prod(input_shape)
    check_memory((rows, columns), np.float64, "the weight matrix M", _INSTEAD)
    return _layer_matrix(layer, weight)


def matrix_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """Gradients of a layer read off its matrix: ``(grad_x, grad_weight, grad_bias)``.

    For ``y = M x + b`` (the layer of :func:`layer_matrix`, `x` of shape
    (C_in, H, W)) and ``g = grad_out = dL/dy``:

    - ``dL/dx = M^T g``;
    - ``dL/dM = outer(g, x)``: what every entry of a dense matrix would get;
      a tied weight gets the sum of ``dL/dM`` over every entry that holds it,
      and the structural zeros are no parameters, so they stay zero;
    - ``dL/db`` = the sum of g over each output channel.

    The same numbers as :func:`convlib.conv2d_backward`, computed the slow
    way, to show where they come from.

    Examples
    --------
    x = [1, 2, 3, 4], w = [5, 6, 7], g = [-2, 6]: the input gradient is
    ``M^T g``, the weight gradient the tied sums.

    >>> gx, gw, gb = matrix_backward([[[-2, 6]]], [[[1, 2, 3, 4]]], [[[[5, 6, 7]]]])
    >>> gx.ravel(), gw.ravel(), gb
    (array([-10.,  18.,  22.,  42.]), array([10., 14., 18.]), array([4.]))
    """
    x = as_array(x, "x", ndim=3)
    input_shape, weight = _check_weight(x.shape, weight)
    layer = _layer(input_shape[1:], weight.shape[2:], stride, padding, dilation)
    grad = as_array(grad_out, "grad_out", ndim=3)
    expected = (weight.shape[0],) + layer.output_shape
    if grad.shape != expected:
        raise ValueError(f"`grad_out` must have the shape of the layer's output {expected}; got shape {grad.shape}")
    check_memory((grad.size, x.size), np.float64, "the weight matrix M", _INSTEAD)
    held, g = _holders(layer, weight.shape), grad.ravel().astype(np.float64)
    grad_M = np.outer(g, x.ravel())                                     # dL/dM of a dense matrix
    grad_x = (_layer_matrix(layer, weight).T @ g).reshape(x.shape)
    grad_weight = np.bincount(held[held >= 0], weights=grad_M[held >= 0], minlength=weight.size)
    return grad_x, grad_weight.reshape(weight.shape), grad.sum(axis=(1, 2)).astype(np.float64)


def matrix_counts(input_shape, kernel_shape, stride=1, padding=0, dilation=1):
    """The size of a single-channel layer's matrix, counted without building it.

    Arguments as for :func:`layer_weight_index`. Returns a
    :class:`MatrixCounts`: its shape, its number of entries, how many hold a
    weight (the multiplications a direct sum does), the fraction of zeros, and
    the bytes it would need in float64.

    Examples
    --------
    The 256x256 portrait and a 3x3 kernel: 254*254 rows, 256*256 columns, nine
    weights per row.

    >>> counts = matrix_counts((256, 256), (3, 3))
    >>> counts.shape, counts.nonzero, round(counts.zero_fraction, 5)
    ((64516, 65536), 580644, 0.99986)
    >>> f"{counts.nbytes / 1e9:.1f} GB"
    '33.8 GB'
    """
    layer = _layer(input_shape, kernel_shape, stride, padding, dilation)
    nonzero = 1
    for n, k, out, s, d, b in zip(layer.input_shape, layer.kernel_shape, layer.output_shape, layer.stride,
                                  layer.dilation, layer.before):
        read = np.arange(out)[:, None] * s + np.arange(k)[None, :] * d - b    # every (output, tap) of this axis
        nonzero *= int(np.count_nonzero((read >= 0) & (read < n)))
    shape = (int(np.prod(layer.output_shape)), int(np.prod(layer.input_shape)))
    entries = shape[0] * shape[1]
    return MatrixCounts(shape, entries, nonzero, 1 - nonzero / entries, 8 * entries)


class MatrixCounts(NamedTuple):
    """What :func:`matrix_counts` returns."""

    shape: tuple           # (outputs, inputs)
    entries: int           # outputs * inputs
    nonzero: int           # entries that hold a weight
    zero_fraction: float   # 1 - nonzero / entries
    nbytes: int            # float64 bytes of the dense matrix


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
        raise ValueError(f"`kernel` must not be larger than the input for a circulant matrix; got kernel shape "
                         f"{kernel.shape} for input_shape {input_shape}")
    size = int(np.prod(input_shape))
    check_memory((size, size), float_dtype(kernel), "the circulant matrix", _INSTEAD)
    outputs = np.indices(input_shape).reshape(len(input_shape), -1)
    M = np.zeros((size, size), float_dtype(kernel))
    for offset, weight in zip(np.ndindex(*kernel.shape), kernel.ravel()):
        source = (outputs + np.array(offset)[:, None]) % np.array(input_shape)[:, None]   # wraps around
        M[np.arange(size), np.ravel_multi_index(source, input_shape)] = weight
    return M


# --- Backward: finite differences, and the transposed convolution ------------------------------

def finite_difference_gradient(f, x, eps=1e-6):
    """Centred finite differences: ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry i.

    `f` maps an array shaped like `x` to a number. The error is of order
    ``eps**2`` times the third derivative, plus rounding of order
    ``1e-16 / eps``; for a function linear in `x`, such as a layer's loss
    ``sum(g * y)``, only the rounding is left. Costs two calls of `f` per
    entry: a check for small arrays, not a way to train.

    Examples
    --------
    >>> finite_difference_gradient(lambda v: np.sum(v ** 2), [1.0, -2.0, 3.0]).round(6)
    array([ 2., -4.,  6.])
    """
    if not callable(f):
        raise TypeError(f"`f` must be a function of one array that returns a number; got {describe(f)}")
    x = as_array(x, "x").astype(np.float64)                              # a copy: x itself is left alone
    eps = as_positive_number(eps, "eps")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        up = _number(f(x.copy()))
        x[index] = saved - eps
        down = _number(f(x.copy()))
        x[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


def _number(value):
    if np.ndim(value) != 0:
        raise TypeError(f"`f` must return a number (the loss); got {describe(value)}")
    return float(value)


def transposed_output_size(n, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Output length of a transposed convolution along one axis (PyTorch's formula).

    ``(n - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1``:
    the input length of the convolution whose transpose it is. With stride > 1
    several input lengths give the same convolution output, and
    `output_padding` (less than the stride or the dilation) says which one.

    Examples
    --------
    A 3x3 kernel at stride 2 maps 7 and 8 inputs to 3 outputs; going back:

    >>> transposed_output_size(3, 3, stride=2), transposed_output_size(3, 3, stride=2, output_padding=1)
    (7, 8)
    """
    n, k = as_int(n, "n", minimum=1), as_int(kernel_size, "kernel_size", minimum=1)
    s, d = as_int(stride, "stride", minimum=1), as_int(dilation, "dilation", minimum=1)
    p, op = as_int(padding, "padding", minimum=0), as_int(output_padding, "output_padding", minimum=0)
    return _transposed_size(n, k, s, p, op, d)


def _transposed_size(n, k, s, p, op, d, what="size"):
    if op >= max(s, d):
        raise ValueError(f"`output_padding` must be smaller than the stride or the dilation (as in PyTorch); "
                         f"got output_padding={op} with stride={s} and dilation={d}")
    size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if size < 1:
        raise ValueError(f"the padding removes the whole output: the transposed convolution's {what} "
                         f"(n-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1 is {size}")
    return size


def _check_transposed(x, weight, bias, groups):
    """Validate a transposed layer's arrays; return a float batch, weight, bias and groups."""
    x = as_array(x, "x", ndim=(3, 4))
    weight = as_array(weight, "weight", ndim=4)
    groups = as_int(groups, "groups", minimum=1)
    batch = x if x.ndim == 4 else x[None]
    c_in = batch.shape[1]
    if c_in % groups:
        raise ValueError(f"`groups` must divide the input channels; got groups={groups} with C_in={c_in}")
    if weight.shape[0] != c_in:
        raise ValueError(f"`weight` must have shape (C_in, C_out // groups, kH, kW) with C_in = {c_in} (the "
                         f"transpose of a conv2d weight); got weight shape {weight.shape}")
    dtype, c_out = float_dtype(batch, weight), weight.shape[1] * groups
    return batch.astype(dtype, copy=False), weight.astype(dtype, copy=False), as_bias(bias, c_out, dtype), groups


def _transposed_geometry(input_size, kernel_size, stride, padding, output_padding, dilation):
    """The geometry of the conv2d whose transpose this is, and the output (H, W)."""
    kernel_size = as_int_pair(kernel_size, "kernel_size", minimum=1)
    stride, dilation = as_int_pair(stride, "stride", minimum=1), as_int_pair(dilation, "dilation", minimum=1)
    padding = as_int_pair(padding, "padding", minimum=0)
    output_padding = as_int_pair(output_padding, "output_padding", minimum=0)
    size = tuple(_transposed_size(*values, what=what) for *values, what in
                 zip(input_size, kernel_size, stride, padding, output_padding, dilation, ("height", "width")))
    return LayerGeometry(kernel_size, stride, dilation, padding, padding, tuple(input_size)), size


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The transposed convolution: multiplication by the layer matrix's transpose ``M^T``.

    Equals ``torch.nn.functional.conv_transpose2d`` with the same arguments
    (in the same order). `x` is (N, C_in, H, W) or (C_in, H, W); `weight` is
    (C_in, C_out // groups, kH, kW), the weight of the conv2d that maps C_out
    channels to C_in, whose input gradient this is. Each input value scatters
    a copy of the kernel, scaled by it, `stride` pixels from the last; the
    copies are summed (col2im). `padding` crops that many pixels from each
    side, `output_padding` adds rows and columns at the bottom and right. The
    output size per axis is :func:`transposed_output_size`.

    Examples
    --------
    Stride 2 and a 3-tap kernel of ones: the copies overlap on every other
    pixel, which gets two of them (the seed of the checkerboard pattern).

    >>> conv_transpose2d(np.ones((1, 1, 3)), np.ones((1, 1, 1, 3)), stride=2)
    array([[[1., 1., 2., 1., 2., 1., 1.]]])
    """
    batch, weight, bias, groups = _check_transposed(x, weight, bias, groups)
    n, c_in, h, w = batch.shape
    g, size = _transposed_geometry((h, w), weight.shape[2:], stride, padding, output_padding, dilation)
    c_out, kernel_area = weight.shape[1] * groups, weight.shape[2] * weight.shape[3]
    check_memory((n, c_out * kernel_area, h * w), batch.dtype, "the columns W_row^T @ x",
                 "use a smaller input, batch or kernel")
    check_memory((n, c_out, size[0] + 2 * g.pad_before[0], size[1] + 2 * g.pad_before[1]), batch.dtype,
                 "the output", "use a smaller input or stride")
    w_row = weight.reshape(groups, c_in // groups, -1)                      # the conv2d's W_row, per group
    cols = w_row.transpose(0, 2, 1) @ batch.reshape(n, groups, c_in // groups, h * w)   # W_row^T @ x
    out = _col2im(cols.reshape(n, c_out * kernel_area, h * w), size, g).astype(batch.dtype, copy=False)
    if bias is not None:
        out += bias[:, None, None]
    return out if np.ndim(x) == 4 else out[0]
