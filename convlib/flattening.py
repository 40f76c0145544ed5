"""Every window as a column: the whole layer becomes one matrix multiply.

Taught in ``notebooks/03_flattening_im2col.ipynb``. ``im2col`` copies each
window of a (C, H, W) input into one column of a matrix X_col; with every
kernel flattened into a row of W_row, the product ``W_row @ X_col`` is every
output of every filter at once. The price is memory: each input value is
copied into up to kH*kW columns.

This is the plainest correct version (:func:`convlib.internal.unfold`, shared
with the layer): pad with ``np.pad``, take every window with
``sliding_window_view``, keep every stride-th one, and copy them into columns.
:mod:`convlib.fast` has a version written for speed instead.
Stride, padding and dilation follow :func:`convlib.modes.layer_geometry`.
"""

import numpy as np

from .internal import fold, mode_output_shape, pad_to_mode, split_nonfinite, unfold
from .modes import LayerGeometry, layer_geometry, prepare
from .validation import as_array, as_int_pair, check_arrays, check_memory
from .i18n import _

__all__ = ["col2im", "correlate_im2col", "im2col"]


def _batched(x, name, ndim):
    """`x` as a batch with one more dimension, unless it already has it."""
    x = as_array(x, name, ndim=(ndim, ndim + 1))
    return (x if x.ndim == ndim + 1 else x[None]), x.ndim == ndim + 1


def _padded_shape(shape, g):
    return (*shape[:2], *np.add(shape[2:], np.add(g.pad_before, g.pad_after)))


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """All windows of `x` as the columns of one matrix (``torch.nn.functional.unfold``).

    `x` is (C, H, W) or a batch (N, C, H, W); the result is (C*kH*kW, L) or
    (N, C*kH*kW, L) where L is the number of window positions, in row-major
    order. Each column lists one window channel by channel, row by row.
    `kernel_size`, `stride`, `padding` (zeros per side) and `dilation` are an
    int or a pair (height, width).

    Examples
    --------
    >>> i, j = np.ogrid[:3, :3]
    >>> x = (10 * i + j)[None]           # one channel; values encode (row, col)
    >>> im2col(x, 2)
    array([[ 0,  1, 10, 11],
           [ 1,  2, 11, 12],
           [10, 11, 20, 21],
           [11, 12, 21, 22]])

    AlexNet's first layer: 227x227x3 input, 11x11 kernels at stride 4, so
    363 = 11*11*3 numbers per window and 3025 = 55*55 windows:

    >>> im2col(np.zeros((3, 227, 227), np.float32), 11, stride=4).shape
    (363, 3025)
    """
    batch, batched = _batched(x, "x", ndim=3)
    g = layer_geometry(batch.shape[2:], kernel_size, stride, padding, dilation)
    shape = (batch.shape[0], batch.shape[1] * np.prod(g.kernel_size), np.prod(g.output_size))
    check_arrays([(_padded_shape(batch.shape, g), batch.dtype), (shape, batch.dtype)],
                 _("the padded input and the im2col matrix X_col"), _("use a smaller input or kernel, or less padding"))
    cols = unfold(batch, g)
    return cols if batched else cols[0]


def col2im(cols, output_size, kernel_size, stride=1, padding=0, dilation=1):
    """Put columns back into an image, summing overlaps (``torch.nn.functional.fold``).

    The adjoint of :func:`im2col`: ``<im2col(x), y> == <x, col2im(y)>``. `cols`
    is (C*kH*kW, L) or (N, C*kH*kW, L); `output_size` is the image's (H, W).

    Examples
    --------
    How often each pixel of a 3x3 image is read by 2x2 windows:

    >>> cols = im2col(np.ones((1, 3, 3)), 2)
    >>> col2im(cols, (3, 3), 2)
    array([[[1., 2., 1.],
            [2., 4., 2.],
            [1., 2., 1.]]])
    """
    batch, batched = _batched(cols, "cols", ndim=2)
    image_size = as_int_pair(output_size, "output_size", minimum=1)
    g = layer_geometry(image_size, kernel_size, stride, padding, dilation)
    (kh, kw), (oh, ow) = g.kernel_size, g.output_size
    if batch.shape[1] % (kh * kw) or batch.shape[2] != oh * ow:
        raise ValueError(
            _("`cols` must have shape (C*{kh}*{kw}, {oh_ow}) for these sizes (kernel {kh}x{kw}, {oh}x{ow} window "
              "positions); got shape {shape_cols}").format(
                kh=kh, kw=kw, oh_ow=oh * ow, oh=oh, ow=ow, shape_cols=np.shape(cols))
        )
    check_memory(_padded_shape(batch.shape[:1] + (batch.shape[1] // (kh * kw),) + image_size, g),
                 np.result_type(batch, np.float32), _("the padded image"), _("use less padding"))
    image = fold(batch, image_size, g)
    return image if batched else image[0]


def correlate_im2col(x, kernel, mode="full"):
    """Single-channel correlation as one matrix product: kernel row @ window columns.

    `mode` is 'full' (N+K-1), 'same' (N) or 'valid' (N-K+1).

    Examples
    --------
    >>> correlate_im2col([1, 2, 3, 4], [5, 6, 7], mode="valid")
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    kernel, nonfinite_terms = split_nonfinite(x, kernel, mode)  # a tap over the padding adds no term
    padded = pad_to_mode(x, kernel.shape, mode)
    as_2d = (1,) * (2 - x.ndim)                        # a 1-D signal is an image of one row
    image = padded.reshape((1, 1) + as_2d + padded.shape)
    out_size = tuple(n - m + 1 for n, m in zip(image.shape[2:], as_2d + kernel.shape))
    g = LayerGeometry(as_2d + kernel.shape, (1, 1), (1, 1), (0, 0), (0, 0), out_size)
    check_memory((kernel.size, np.prod(g.output_size)), x.dtype, _("the im2col matrix X_col"),
                 _("use method='windows', which copies nothing"))
    cols = unfold(image, g)[0]
    return (kernel.ravel() @ cols).reshape(mode_output_shape(x.shape, kernel.shape, mode)) + nonfinite_terms
