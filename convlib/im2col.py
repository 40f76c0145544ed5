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


def _tap_slices(n, offset, stride, pad_before, out_len):
    """Along one axis, for the kernel tap `offset` pixels into the window: the
    outputs whose tap lands inside the input, and the inputs they read.

    Output i reads input ``i*stride + offset - pad_before``; the outputs left
    out read the zero padding. Both are slices, so no padded copy is needed.
    """
    first = max(0, -((offset - pad_before) // stride))                 # ceil((pad - offset) / stride)
    stop = min(out_len, (n - 1 + pad_before - offset) // stride + 1)
    if stop <= first:  # this tap only ever sees padding
        return slice(0, 0), slice(0, 0)
    start = first * stride + offset - pad_before
    return slice(first, stop), slice(start, start + (stop - first - 1) * stride + 1, stride)


def _taps(image_size, kernel_size, stride, pad_before, dilation, out_size):
    """For each kernel tap (a, b): the outputs (rows, columns) that see the
    image, and the image's (rows, columns) they see."""
    (h, w), (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = (
        image_size, kernel_size, stride, pad_before, dilation, out_size)
    for a in range(kh):
        out_rows, in_rows = _tap_slices(h, a * dh, sh, ph, oh)
        for b in range(kw):
            out_cols, in_cols = _tap_slices(w, b * dw, sw, pw, ow)
            yield (a, b), (out_rows, out_cols), (in_rows, in_cols)


def _zero_outside(tap, rows, columns):
    """Zero the part of one tap's plane that reads padding: outside rows x columns."""
    tap[..., :rows.start, :] = 0
    tap[..., rows.stop:, :] = 0
    tap[..., rows, :columns.start] = 0
    tap[..., rows, columns.stop:] = 0


def _unfold(batch, kernel_size, stride, pad_before, dilation, out_size, out):
    """im2col of a checked (N, C, H, W) batch into `out`, (N, C*kH*kW, L).

    `pad_before` is the zeros (top, left); those at the bottom and right only
    shorten `out_size`, so a layer's uneven 'same' padding needs nothing more.
    """
    n, c = batch.shape[:2]
    cols = out.reshape(n, c, *kernel_size, *out_size)  # a view: writing it fills `out`
    taps = _taps(batch.shape[2:], kernel_size, stride, pad_before, dilation, out_size)
    for (a, b), (out_rows, out_cols), (in_rows, in_cols) in taps:
        tap = cols[:, :, a, b]                        # what kernel tap (a, b) sees at every position
        tap[:, :, out_rows, out_cols] = batch[:, :, in_rows, in_cols]
        _zero_outside(tap, out_rows, out_cols)
    return out


def _fold(batch, image_size, kernel_size, stride, pad_before, dilation, out_size):
    """col2im of checked (N, C*kH*kW, L) columns: the adjoint of :func:`_unfold`."""
    n, c = batch.shape[0], batch.shape[1] // (kernel_size[0] * kernel_size[1])
    cols = batch.reshape(n, c, *kernel_size, *out_size)
    image = np.zeros((n, c, *image_size), dtype=np.result_type(batch, np.float32))
    for (a, b), (out_rows, out_cols), (in_rows, in_cols) in _taps(
            image_size, kernel_size, stride, pad_before, dilation, out_size):
        image[:, :, in_rows, in_cols] += cols[:, :, a, b, out_rows, out_cols]
    return image


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
    n, c = batch.shape[:2]
    shape = (n, c * kh * kw, oh * ow) if x.ndim == 4 else (c * kh * kw, oh * ow)
    result = _check_out(out, shape, batch.dtype)
    _unfold(batch, (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow), out=result)
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
    image = _fold(batch, (height, width), (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow))
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
