"""A layer's matrix: stride, padding, dilation and channels in the weight-tied matrix.

Taught in ``notebooks/05_weight_matrix.ipynb``. A single-channel layer is the
correlation matrix of :mod:`convlib.weight_matrix` with the layer's sizes
(:func:`convlib.modes.layer_sizes`): stride keeps every s-th row, dilation
spreads each row's weights, padding adds columns that only ever meet zeros
(:func:`layer_weight_index`). With channels, the matrix is one such block per
(output channel, input channel) (:func:`layer_matrix`). Its size grows as
(outputs) x (inputs): :func:`matrix_counts` counts it without building it.
"""

from typing import NamedTuple

import numpy as np

from .internal import small_matrix_hint, tap_entries
from .modes import layer_sizes
from .validation import as_array, as_shape, check_memory, float_dtype
from .i18n import _

__all__ = ["MatrixCounts", "layer_matrix", "layer_weight_index", "matrix_counts"]

def _layer_index(layer, padded=False):
    """The tap each entry of the layer's matrix holds, or -1; columns over the padded input if `padded`."""
    shape = layer.padded_shape if padded else layer.input_shape
    before = (0,) * len(shape) if padded else layer.before
    index = np.full((np.prod(layer.output_shape), np.prod(shape)), -1)
    for tap, (rows, columns) in enumerate(tap_entries(shape, layer.kernel_shape, layer.output_shape,
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
    layer = layer_sizes(input_shape, kernel_shape, stride, padding, dilation)
    columns = layer.padded_shape if padded else layer.input_shape
    check_memory((np.prod(layer.output_shape), np.prod(columns)), np.intp, _("the weight matrix M"),
                 small_matrix_hint())
    return _layer_index(layer, padded)


def _check_weight(input_shape, weight):
    input_shape = as_shape(input_shape, "input_shape", ndim=3)
    weight = as_array(weight, "weight", ndim=4)
    if weight.shape[1] != input_shape[0]:
        raise ValueError(_("`weight` must have shape (C_out, C_in, kH, kW) with C_in = {input_shape_0}, the input's "
                           "channels; got weight shape {weight_shape}").format(
                             input_shape_0=input_shape[0], weight_shape=weight.shape))
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
    layer = layer_sizes(input_shape[1:], weight.shape[2:], stride, padding, dilation)
    rows, columns = weight.shape[0] * np.prod(layer.output_shape), np.prod(input_shape)
    check_memory((rows, columns), np.float64, _("the weight matrix M"), small_matrix_hint())
    return _layer_matrix(layer, weight)


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
    layer = layer_sizes(input_shape, kernel_shape, stride, padding, dilation)
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
