"""A convolutional layer: channels, groups, stride, padding, dilation.

Taught in ``notebooks/03_flattening_im2col.ipynb`` (the layer as im2col + one
matrix multiply) and ``notebooks/04_depth.ipynb`` (channels, groups, 1x1
convolutions).
Semantics are those of ``torch.nn.functional.conv2d``: a CROSS-CORRELATION
(the kernel is not flipped).

Shapes: `x` is (N, C_in, H, W) or unbatched (C_in, H, W); `weight` is
(C_out, C_in // groups, kH, kW); the output is (N, C_out, H_out, W_out) with
H_out from :func:`convlib.modes.output_size`.

Two layers with one signature, as in cs231n: :func:`conv2d_loop` is the
definition (four loops), :func:`conv2d` is im2col + one matrix multiply,
``out = W_row @ X_col``; :mod:`convlib.backward` reads the same product
backwards. :func:`convlib.fast.conv2d` is the same layer written for speed.
"""

import numpy as np

from .internal import check_columns_fit, check_layer, pad_batch, unfold
from .modes import layer_geometry

__all__ = ["conv2d", "conv2d_loop"]


def _geometry(batch, weight, stride, padding, dilation):
    """The layer's geometry, after checking that its padded input and columns fit in memory."""
    g = layer_geometry(batch.shape[2:], weight.shape[2:], stride, padding, dilation)
    check_columns_fit(batch, weight, g)
    return g


def conv2d_loop(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The layer by its definition: four loops, one output value at a time.

    Same arguments and results as :func:`conv2d`; slow on purpose.

    Examples
    --------
    >>> conv2d_loop(np.ones((1, 4, 4)), np.ones((1, 1, 3, 3)), bias=[1.0])
    array([[[10., 10.],
            [10., 10.]]])
    """
    batch, weight, bias, groups = check_layer(x, weight, bias, groups)
    g = _geometry(batch, weight, stride, padding, dilation)
    padded, (oh, ow), (sh, sw), (dh, dw) = pad_batch(batch, g), g.output_size, g.stride, g.dilation
    c_out, c_group, kh, kw = weight.shape
    out = np.zeros((batch.shape[0], c_out, oh, ow), dtype=batch.dtype)
    for n, o, i, j in np.ndindex(out.shape):
        first = o // (c_out // groups) * c_group                 # this filter's group of input channels
        window = padded[n, first:first + c_group, i * sh:i * sh + dh * (kh - 1) + 1:dh,
                        j * sw:j * sw + dw * (kw - 1) + 1:dw]
        out[n, o, i, j] = np.sum(window * weight[o]) + (0 if bias is None else bias[o])
    return out if np.ndim(x) == 4 else out[0]


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The cross-correlation computed by a 2-D convolutional layer.

    Equals ``torch.nn.functional.conv2d`` with the same arguments. `stride`
    and `dilation` are an int or a pair; `padding` is an int or a pair (zeros
    per side), 'valid' (none) or 'same' (output as large as the input; stride
    1 only). Computed as im2col + one matrix multiply per group.

    Examples
    --------
    A 1x1 convolution mixes channels at every pixel, like a dense layer:

    >>> x = np.arange(8.0).reshape(2, 2, 2)         # 2 channels, 2x2 pixels
    >>> w = np.array([[1.0, 10.0]]).reshape(1, 2, 1, 1)
    >>> conv2d(x, w)
    array([[[40., 51.],
            [62., 73.]]])
    >>> conv2d(np.ones((3, 227, 227)), np.ones((96, 3, 11, 11)), stride=4).shape
    (96, 55, 55)
    """
    batch, weight, bias, groups = check_layer(x, weight, bias, groups)
    g = _geometry(batch, weight, stride, padding, dilation)
    n, c_out, (oh, ow) = batch.shape[0], weight.shape[0], g.output_size
    x_col = unfold(batch, g).reshape(n, groups, -1, oh * ow)       # X_col of each group
    w_row = weight.reshape(groups, c_out // groups, -1)              # W_row of each group
    out = (w_row @ x_col).reshape(n, c_out, oh, ow)                  # one matrix multiply per group
    if bias is not None:
        out += bias[:, None, None]
    return out if np.ndim(x) == 4 else out[0]
