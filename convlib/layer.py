"""A convolutional layer: channels, groups, stride, padding, dilation, and its gradients.

Taught in ``notebooks/03_flattening_im2col.ipynb`` (the layer as im2col + one
matrix multiply), ``notebooks/04_depth.ipynb`` (channels, groups, 1x1
convolutions) and ``notebooks/06_backward_pass.ipynb`` (the backward pass).
Semantics are those of ``torch.nn.functional.conv2d``: a CROSS-CORRELATION
(the kernel is not flipped).

Shapes: `x` is (N, C_in, H, W) or unbatched (C_in, H, W); `weight` is
(C_out, C_in // groups, kH, kW); the output is (N, C_out, H_out, W_out) with
H_out from :func:`convlib.modes.output_size`.

Two layers with one signature, as in cs231n: :func:`conv2d_loop` is the
definition (four loops), :func:`conv2d` is im2col + one matrix multiply,
``out = W_row @ X_col``. The backward pass reads the same product backwards:
``grad_W_row = grad_out @ X_col^T`` and ``grad_X_col = W_row^T @ grad_out``,
folded back into an image by col2im. :func:`convlib.fast.conv2d` is the same
layer written for speed.
"""

import numpy as np

from .im2col import _col2im, _im2col, _pad
from .modes import layer_geometry
from .validation import as_array, as_bias, as_int, check_memory, float_dtype

__all__ = ["conv2d", "conv2d_backward", "conv2d_loop"]


def _check_layer(x, weight, bias, groups):
    """Validate a layer's arrays; return a float (N, C, H, W) batch, weight, bias and groups."""
    x = as_array(x, "x", ndim=(3, 4))
    weight = as_array(weight, "weight", ndim=4)
    groups = as_int(groups, "groups", minimum=1)
    batch = x if x.ndim == 4 else x[None]
    c_in, c_out = batch.shape[1], weight.shape[0]
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"`groups` must divide both the input channels and the output channels; "
            f"got groups={groups} with C_in={c_in} and C_out={c_out}"
        )
    if weight.shape[1] * groups != c_in:
        raise ValueError(
            f"`weight` must have shape (C_out, C_in // groups, kH, kW) = (.., {c_in // groups}, .., ..) "
            f"for x with C_in={c_in} channels and groups={groups}; got weight shape {weight.shape}"
        )
    dtype = float_dtype(x, weight)
    return batch.astype(dtype, copy=False), weight.astype(dtype, copy=False), as_bias(bias, c_out, dtype), groups


def _check_geometry(batch, weight, stride, padding, dilation):
    """The layer's geometry, after checking that its columns fit in memory."""
    g = layer_geometry(batch.shape[2:], weight.shape[2:], stride, padding, dilation)
    padded = np.add(batch.shape[2:], np.add(g.pad_before, g.pad_after))
    check_memory((*batch.shape[:2], *padded), batch.dtype, "the padded input", "use less padding")
    columns = (batch.shape[0], weight[0].size * (batch.shape[1] // weight.shape[1]), np.prod(g.output_size))
    check_memory(columns, batch.dtype, "the im2col matrix X_col", "use a smaller input, batch or kernel")
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
    batch, weight, bias, groups = _check_layer(x, weight, bias, groups)
    g = _check_geometry(batch, weight, stride, padding, dilation)
    padded, (oh, ow), (sh, sw), (dh, dw) = _pad(batch, g), g.output_size, g.stride, g.dilation
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
    batch, weight, bias, groups = _check_layer(x, weight, bias, groups)
    g = _check_geometry(batch, weight, stride, padding, dilation)
    n, c_out, (oh, ow) = batch.shape[0], weight.shape[0], g.output_size
    x_col = _im2col(batch, g).reshape(n, groups, -1, oh * ow)       # X_col of each group
    w_row = weight.reshape(groups, c_out // groups, -1)              # W_row of each group
    out = (w_row @ x_col).reshape(n, c_out, oh, ow)                  # one matrix multiply per group
    if bias is not None:
        out += bias[:, None, None]
    return out if np.ndim(x) == 4 else out[0]


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1, groups=1):
    """Gradients of a loss through :func:`conv2d`: ``(grad_x, grad_weight, grad_bias)``.

    `grad_out` is the gradient with respect to the layer's output. The forward
    product ``out = W_row @ X_col`` gives both gradients at once:
    ``grad_W_row = grad_out @ X_col^T`` (a correlation of the input with
    grad_out) and ``grad_X_col = W_row^T @ grad_out``, summed back into the
    image by col2im (the transposed convolution; for stride 1 a full
    correlation of grad_out with the flipped kernel).

    Examples
    --------
    >>> x, w = np.ones((1, 3, 3)), np.ones((1, 1, 2, 2))
    >>> grad_x, grad_w, grad_b = conv2d_backward(np.ones((1, 2, 2)), x, w)
    >>> grad_x[0]                  # how many windows read each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> grad_w[0, 0], grad_b
    (array([[4., 4.],
           [4., 4.]]), array([4.]))
    """
    batch, weight, _, groups = _check_layer(x, weight, None, groups)
    g = _check_geometry(batch, weight, stride, padding, dilation)
    n, c_out, (oh, ow) = batch.shape[0], weight.shape[0], g.output_size
    grad = as_array(grad_out, "grad_out", ndim=(3, 4))
    expected = (n, c_out, oh, ow) if np.ndim(x) == 4 else (c_out, oh, ow)
    if grad.shape != expected:
        raise ValueError(f"`grad_out` must have the shape of conv2d's output {expected}; got shape {grad.shape}")
    grad = grad.reshape(n, groups, c_out // groups, oh * ow).astype(batch.dtype, copy=False)
    x_col = _im2col(batch, g).reshape(n, groups, -1, oh * ow)
    w_row = weight.reshape(groups, c_out // groups, -1)
    grad_weight = np.einsum("ngol,ngkl->gok", grad, x_col).reshape(weight.shape)      # grad_out @ X_col^T
    grad_cols = (w_row.transpose(0, 2, 1) @ grad).reshape(n, -1, oh * ow)            # W_row^T @ grad_out
    grad_x = _col2im(grad_cols, batch.shape[2:], g)
    grad_bias = grad.sum(axis=(0, 3)).reshape(c_out)
    return (grad_x if np.ndim(x) == 4 else grad_x[0]), grad_weight, grad_bias
