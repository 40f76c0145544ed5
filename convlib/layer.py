"""A convolutional layer: channels, groups, stride, padding, dilation, and its gradients.

Taught in ``notebooks/04_depth.ipynb`` (channels, groups, 1x1 convolutions) and
``notebooks/05_weight_matrix.ipynb`` (the backward pass). Semantics are those of
``torch.nn.functional.conv2d``: a CROSS-CORRELATION (the kernel is not flipped).

Shapes: `x` is (N, C_in, H, W) or unbatched (C_in, H, W); `weight` is
(C_out, C_in // groups, kH, kW); the output is (N, C_out, H_out, W_out) with

    H_out = floor((H + 2p - d(kH-1) - 1) / s) + 1     (see :func:`convlib.output_size`)

The forward pass is im2col + one matrix multiply per group:
``out = W_row @ X_col``. The backward pass reads the same product backwards:
``grad_W = grad_out @ X_col^T`` and ``grad_X_col = W_row^T @ grad_out``, folded
back into an image by :func:`convlib.col2im`.
"""

import numpy as np

from .im2col import _fold, _unfold, output_size  # im2col and col2im, minus their checks
from .validation import as_array, as_int, as_int_pair, float_dtype

PADDING_STRINGS = ("valid", "same")


def _pad_per_side(padding, kernel_size, stride, dilation):
    """Zeros (top, bottom, left, right) for an int, a pair, 'valid' or 'same'.

    For 'same' with an even dilated kernel, PyTorch puts the extra zero at the
    bottom/right.
    """
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ValueError(f"`padding` must be an int, a pair of ints, 'valid' or 'same'; got {padding!r}")
        if padding == "valid":
            return (0, 0, 0, 0)
        if stride != (1, 1):
            raise ValueError(f"`padding='same'` needs stride 1 (the output could not keep the input's size); got stride={stride}")
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return (totals[0] // 2, totals[0] - totals[0] // 2, totals[1] // 2, totals[1] - totals[1] // 2)
    ph, pw = as_int_pair(padding, "padding", minimum=0)
    return (ph, ph, pw, pw)


def _check_layer(x, weight, groups):
    """Validate input and weight shapes; return batched float arrays and groups."""
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
    return batch.astype(dtype, copy=False), weight.astype(dtype, copy=False), groups


def _geometry(batch, weight, stride, padding, dilation):
    """Check that the kernel fits the padded input. Returns the zeros added
    before the input (top, left) and the output's (H_out, W_out)."""
    kernel_size = weight.shape[2:]
    top, bottom, left, right = _pad_per_side(padding, kernel_size, stride, dilation)
    padded_size = (batch.shape[2] + top + bottom, batch.shape[3] + left + right)
    for name, n, k, d in zip(("height", "width"), padded_size, kernel_size, dilation):
        if n < d * (k - 1) + 1:
            raise ValueError(
                f"the kernel does not fit: its dilated {name} is {d * (k - 1) + 1} but the padded "
                f"input's {name} is {n} (x shape {batch.shape[1:]}, weight shape {weight.shape})"
            )
    out_size = tuple(output_size(n, k, s, 0, d) for n, k, s, d in zip(padded_size, kernel_size, stride, dilation))
    return (top, left), out_size


def _pairs(stride, dilation):
    return as_int_pair(stride, "stride", minimum=1), as_int_pair(dilation, "dilation", minimum=1)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The cross-correlation computed by a 2-D convolutional layer.

    Equals ``torch.nn.functional.conv2d`` with the same arguments. `stride`
    and `dilation` are an int or a pair; `padding` is an int or a pair (zeros
    per side), 'valid' (none) or 'same' (output as large as the input; stride
    1 only). Computed as im2col + one matrix multiply per group, one image
    at a time so that its columns stay in the CPU cache.

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
    batch, weight, groups = _check_layer(x, weight, groups)
    stride, dilation = _pairs(stride, dilation)
    pad_before, (oh, ow) = _geometry(batch, weight, stride, padding, dilation)
    n, c_out = batch.shape[0], weight.shape[0]
    w_rows = weight.reshape(groups, c_out // groups, -1)                        # W_row per group
    out = np.empty((n, groups, c_out // groups, oh * ow), dtype=batch.dtype)
    cols = np.empty((1, w_rows.shape[2] * groups, oh * ow), dtype=batch.dtype)
    for image in range(n):  # one image at a time, into one buffer that stays in the CPU cache
        _unfold(batch[image:image + 1], weight.shape[2:], stride, pad_before, dilation, (oh, ow), out=cols)  # X_col
        np.matmul(w_rows, cols.reshape(groups, -1, oh * ow), out=out[image])    # W_row @ X_col
    out = out.reshape(n, c_out, oh, ow)
    if bias is not None:
        out = out + _check_bias(bias, c_out).astype(out.dtype)[:, None, None]
    return out if np.ndim(x) == 4 else out[0]


def _check_bias(bias, c_out):
    bias = as_array(bias, "bias", ndim=1)
    if bias.shape != (c_out,):
        raise ValueError(f"`bias` must have shape ({c_out},), one value per output channel; got shape {bias.shape}")
    return bias


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
    batch, weight, groups = _check_layer(x, weight, groups)
    stride, dilation = _pairs(stride, dilation)
    pad_before, (oh, ow) = _geometry(batch, weight, stride, padding, dilation)
    n, c_out, kernel_size = batch.shape[0], weight.shape[0], weight.shape[2:]
    grad = _check_grad_out(grad_out, (n, c_out, oh, ow), batched=np.ndim(x) == 4)
    grad = grad.reshape(n, groups, c_out // groups, oh * ow).astype(batch.dtype, copy=False)
    cols = np.empty((n, weight[0].size * groups, oh * ow), dtype=batch.dtype)
    cols = _unfold(batch, kernel_size, stride, pad_before, dilation, (oh, ow), out=cols).reshape(n, groups, -1, oh * ow)
    w_rows = weight.reshape(groups, c_out // groups, -1)
    grad_weight = np.einsum("ngol,ngkl->gok", grad, cols).reshape(weight.shape)         # grad_out @ X_col^T
    grad_cols = np.matmul(w_rows.transpose(0, 2, 1), grad).reshape(n, -1, oh * ow)    # W_row^T @ grad_out
    grad_x = _fold(grad_cols, batch.shape[2:], kernel_size, stride, pad_before, dilation, (oh, ow))
    grad_bias = grad.sum(axis=(0, 3)).reshape(c_out)
    return (grad_x if np.ndim(x) == 4 else grad_x[0]), grad_weight, grad_bias


def _check_grad_out(grad_out, out_shape, batched):
    grad = as_array(grad_out, "grad_out", ndim=(3, 4))
    expected = out_shape if batched else out_shape[1:]
    if grad.shape != expected:
        raise ValueError(f"`grad_out` must have the shape of conv2d's output {expected}; got shape {grad.shape}")
    return grad
