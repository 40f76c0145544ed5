"""Every window as a column: the whole layer becomes one matrix multiply.

Taught in ``notebooks/03_flattening_im2col.ipynb``. ``im2col`` copies each
window of a (C, H, W) input into one column of a matrix X_col; with every
kernel flattened into a row of W_row, the product ``W_row @ X_col`` is every
output of every filter at once. The price is memory: each input value is
copied into up to kH*kW columns.

The output size of a layer along one axis (n input, k kernel, p padding per
side, s stride, d dilation counted from 1 as in PyTorch) is

    floor((n + 2p - d(k-1) - 1) / s) + 1
"""

import numpy as np

from .methods import prepare
from .modes import output_shape, pad_for_mode
from .validation import as_array, as_int, as_int_pair


def output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """Number of window positions along one axis of a layer.

    ``floor((n + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``.

    Examples
    --------
    AlexNet's first layer: 227 pixels, 11x11 kernels, stride 4.

    >>> output_size(227, 11, stride=4)
    55

    With 224 pixels the formula gives (224 - 11)/4 + 1 = 54.25 windows: the
    stride does not tile the input, a famous slip in the AlexNet paper. The
    floor drops the incomplete last window:

    >>> output_size(224, 11, stride=4)
    54
    >>> output_size(4, 3, dilation=2)
    Traceback (most recent call last):
    ...
    ValueError: no window fits: the dilated kernel spans dilation*(kernel_size-1)+1 = 5 pixels but the padded input n + 2*padding has 4
    """
    n = as_int(n, "n", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    span = dilation * (kernel_size - 1) + 1
    if n + 2 * padding < span:
        raise ValueError(
            f"no window fits: the dilated kernel spans dilation*(kernel_size-1)+1 = {span} "
            f"pixels but the padded input n + 2*padding has {n + 2 * padding}"
        )
    return (n + 2 * padding - span) // stride + 1


def _layer_geometry(image_shape, kernel_size, stride, padding, dilation):
    """Pairs (height, width) of every size argument, and the output size."""
    kernel_size = as_int_pair(kernel_size, "kernel_size", minimum=1)
    stride = as_int_pair(stride, "stride", minimum=1)
    padding = as_int_pair(padding, "padding", minimum=0)
    dilation = as_int_pair(dilation, "dilation", minimum=1)
    out = tuple(output_size(*args) for args in zip(image_shape, kernel_size, stride, padding, dilation))
    return kernel_size, stride, padding, dilation, out


def _kernel_offsets(kernel_size, stride, dilation, out_size):
    """For each kernel tap (a, b): the rows and columns of the padded image it
    meets at every output position, as two strided slices."""
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel_size, stride, dilation, out_size
    for a in range(kh):
        for b in range(kw):
            yield (a, b), slice(a * dh, a * dh + sh * (oh - 1) + 1, sh), slice(b * dw, b * dw + sw * (ow - 1) + 1, sw)


def _check_out(out, shape, dtype):
    """A new array, or `out` if it can hold the result in place."""
    if out is None:
        return np.empty(shape, dtype=dtype)
    if not (isinstance(out, np.ndarray) and out.shape == shape and out.dtype == dtype and out.flags.c_contiguous):
        raise ValueError(f"`out` must be a C-contiguous array of shape {shape} and dtype {dtype}; got {out!r:.60}")
    return out


def im2col(x, kernel_size, stride=1, padding=0, dilation=1, out=None):
    """All windows of `x` as the columns of one matrix (``torch.nn.functional.unfold``).

    `x` is (C, H, W) or a batch (N, C, H, W); the result is (C*kH*kW, L) or
    (N, C*kH*kW, L) where L is the number of window positions, in row-major
    order. Each column lists one window channel by channel, row by row.
    `kernel_size`, `stride`, `padding` (zeros per side) and `dilation` are an
    int or a pair (height, width). `out`, a C-contiguous array of the result's
    shape and dtype, receives the columns instead of a new array (a layer
    that works image by image reuses one buffer).

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
    x = as_array(x, "x", ndim=(3, 4))
    batch = x if x.ndim == 4 else x[None]
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _layer_geometry(
        batch.shape[2:], kernel_size, stride, padding, dilation)
    padded = np.pad(batch, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else batch
    n, c = batch.shape[:2]
    shape = (n, c * kh * kw, oh * ow) if x.ndim == 4 else (c * kh * kw, oh * ow)
    result = _check_out(out, shape, batch.dtype)
    cols = result.reshape(n, c, kh, kw, oh, ow)  # a view: writing it fills `result`
    for (a, b), rows, columns in _kernel_offsets((kh, kw), (sh, sw), (dh, dw), (oh, ow)):
        cols[:, :, a, b] = padded[:, :, rows, columns]  # what kernel tap (a, b) sees at every position
    return result


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
    cols = as_array(cols, "cols", ndim=(2, 3))
    batch = cols if cols.ndim == 3 else cols[None]
    height, width = as_int_pair(output_size, "output_size", minimum=1)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _layer_geometry(
        (height, width), kernel_size, stride, padding, dilation)
    if batch.shape[1] % (kh * kw) or batch.shape[2] != oh * ow:
        raise ValueError(
            f"`cols` must have shape (C*{kh}*{kw}, {oh * ow}) for these sizes "
            f"(kernel {kh}x{kw}, {oh}x{ow} window positions); got shape {cols.shape}"
        )
    n, c = batch.shape[0], batch.shape[1] // (kh * kw)
    cols6 = batch.reshape(n, c, kh, kw, oh, ow)
    image = np.zeros((n, c, height + 2 * ph, width + 2 * pw), dtype=np.result_type(cols, np.float32))
    for (a, b), rows, columns in _kernel_offsets((kh, kw), (sh, sw), (dh, dw), (oh, ow)):
        image[:, :, rows, columns] += cols6[:, :, a, b]
    image = image[:, :, ph:ph + height, pw:pw + width]
    return image if cols.ndim == 3 else image[0]


def correlate_im2col(x, kernel, mode="full"):
    """Single-channel correlation as one matrix product: kernel row @ window columns.

    `mode` is 'full' (N+M-1), 'same' (N) or 'valid' (N-M+1).

    Examples
    --------
    >>> correlate_im2col([1, 2, 3, 4], [5, 6, 7], mode="valid")
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    padded = pad_for_mode(x, kernel.shape, mode)
    image = padded.reshape((1, 1) + (1,) * (2 - x.ndim) + padded.shape)  # (C=1, H, W)
    cols = im2col(image[0], (1,) * (2 - x.ndim) + kernel.shape)
    return (kernel.ravel() @ cols).reshape(output_shape(x.shape, kernel.shape, mode))
