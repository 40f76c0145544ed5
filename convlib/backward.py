"""The backward pass of a layer, and the transposed convolution.

Taught in ``notebooks/06_backward_pass.ipynb``. Training needs the gradients of a
loss L through a layer ``y = conv2d(x, w) + b``, given ``g = dL/dy``. Two
readings of the same numbers:

- **through the weight matrix** (:func:`matrix_backward`): for ``y = M x + b``,
  ``dL/dx = M^T g``, ``dL/dM = outer(g, x)``, and a tied weight's gradient is
  the sum of ``dL/dM`` over every entry that holds it;
- **through im2col** (:func:`conv2d_backward`): the forward product
  ``out = W_row @ X_col`` read backwards, ``grad_W_row = grad_out @ X_col^T``
  and ``grad_X_col = W_row^T @ grad_out``, folded back into an image by
  col2im.

Multiplying by ``M^T`` is the transposed convolution
(:func:`conv_transpose2d`), the layer that upsamples; its output size is
:func:`transposed_output_size`. :func:`finite_difference_gradient` checks any
of them numerically.
"""

import time

import numpy as np

from .internal import check_columns_fit, check_layer, fold, small_matrix_hint, unfold
from .layer_weights import layer_matrix
from .modes import LayerGeometry, layer_geometry, layer_sizes
from .validation import (as_array, as_int, as_int_pair, as_positive_number, check_arrays, check_memory, check_time,
                         describe)
from .i18n import _

__all__ = ["conv2d_backward", "conv_transpose2d", "finite_difference_gradient", "matrix_backward",
           "transposed_output_size"]


# --- Gradients -------------------------------------------------------------------------------

def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1, groups=1):
    """Gradients of a loss through :func:`convlib.conv2d`: ``(grad_x, grad_weight, grad_bias)``.

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
    batch, weight, _bias, groups = check_layer(x, weight, None, groups)
    g = layer_geometry(batch.shape[2:], weight.shape[2:], stride, padding, dilation)
    check_columns_fit(batch, weight, g)
    n, c_out, (oh, ow) = batch.shape[0], weight.shape[0], g.output_size
    grad = as_array(grad_out, "grad_out", ndim=(3, 4))
    expected = (n, c_out, oh, ow) if np.ndim(x) == 4 else (c_out, oh, ow)
    if grad.shape != expected:
        raise ValueError(_("`grad_out` must have the shape of conv2d's output {expected}; "
                           "got shape {grad_shape}").format(
                             expected=expected, grad_shape=grad.shape))
    grad = grad.reshape(n, groups, c_out // groups, oh * ow).astype(batch.dtype, copy=False)
    x_col = unfold(batch, g).reshape(n, groups, -1, oh * ow)
    w_row = weight.reshape(groups, c_out // groups, -1)
    grad_weight = np.einsum("ngol,ngkl->gok", grad, x_col).reshape(weight.shape)      # grad_out @ X_col^T
    grad_cols = (w_row.transpose(0, 2, 1) @ grad).reshape(n, -1, oh * ow)            # W_row^T @ grad_out
    grad_x = fold(grad_cols, batch.shape[2:], g)
    grad_bias = grad.sum(axis=(0, 3)).reshape(c_out)
    return (grad_x if np.ndim(x) == 4 else grad_x[0]), grad_weight, grad_bias


def matrix_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """Gradients of a layer read off its matrix: ``(grad_x, grad_weight, grad_bias)``.

    For ``y = M x + b`` (the layer of :func:`convlib.layer_matrix`, `x` of shape
    (C_in, H, W)) and ``g = grad_out = dL/dy``:

    - ``dL/dx = M^T g``;
    - ``dL/dM = outer(g, x)``: what every entry of a dense matrix would get;
      a tied weight gets the sum of ``dL/dM`` over every entry that holds it,
      and the structural zeros are no parameters, so they stay zero;
    - ``dL/db`` = the sum of g over each output channel.

    The same numbers as :func:`conv2d_backward`, computed the slow
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
    M = layer_matrix(x.shape, weight, stride, padding, dilation)         # checks `weight` against `x`
    weight = as_array(weight, "weight", ndim=4)
    grad = as_array(grad_out, "grad_out", ndim=3)
    expected = (weight.shape[0],) + layer_sizes(x.shape[1:], weight.shape[2:], stride, padding, dilation).output_shape
    if grad.shape != expected:
        raise ValueError(_("`grad_out` must have the shape of the layer's output {expected}; "
                           "got shape {grad_shape}").format(
                             expected=expected, grad_shape=grad.shape))
    check_memory((grad.size, x.size), np.float64, _("the weight matrix M"), small_matrix_hint())
    numbers = np.arange(1, weight.size + 1).reshape(weight.shape)     # weights numbered 1, 2, ...: the matrix
    held = layer_matrix(x.shape, numbers, stride, padding, dilation).astype(int) - 1   # of numbers says who holds what
    g = grad.ravel().astype(np.float64)
    grad_M = np.outer(g, x.ravel())                                     # dL/dM of a dense matrix
    grad_x = (M.T @ g).reshape(x.shape)
    grad_weight = np.bincount(held[held >= 0], weights=grad_M[held >= 0], minlength=weight.size)
    return grad_x, grad_weight.reshape(weight.shape), grad.sum(axis=(1, 2)).astype(np.float64)


# --- Checking them, and the transposed convolution ----------------------------------------------

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
        raise TypeError(_("`f` must be a function of one array that returns a number; got {f}").format(f=describe(f)))
    x = as_array(x, "x")
    check_arrays([(x.shape, np.float64)] * 3, _("finite differences (x, its gradient, a copy per call)"),
                 _("use a smaller x"))
    x = x.astype(np.float64)                                             # a copy: x itself is left alone
    eps = as_positive_number(eps, "eps")
    start = time.perf_counter()
    _number(f(x.copy()))
    seconds = max(time.perf_counter() - start, 1e-5)                     # one call, and the loop's own step
    check_time(2 * x.size, 1 / seconds, _("finite differences ({calls} calls of `f`)").format(
                                            calls=2 * x.size), _("use a smaller x"))
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
        raise TypeError(_("`f` must return a number (the loss); got {value}").format(value=describe(value)))
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


def _transposed_size(n, k, s, p, op, d, what=None):
    if op >= max(s, d):
        raise ValueError(_("`output_padding` must be smaller than the stride or the dilation (as in PyTorch); got "
                           "output_padding={op} with stride={s} and dilation={d}").format(op=op, s=s, d=d))
    size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if size < 1:
        raise ValueError(_("the padding removes the whole output: the transposed convolution's {what} (n-1)*stride - "
                           "2*padding + dilation*(kernel_size-1) + output_padding + 1 is {size}").format(
                             what=what or _("size"), size=size))
    return size


def _transposed_geometry(input_size, kernel_size, stride, padding, output_padding, dilation):
    """The geometry of the conv2d whose transpose this is, and the output (H, W)."""
    kernel_size = as_int_pair(kernel_size, "kernel_size", minimum=1)
    stride, dilation = as_int_pair(stride, "stride", minimum=1), as_int_pair(dilation, "dilation", minimum=1)
    padding = as_int_pair(padding, "padding", minimum=0)
    output_padding = as_int_pair(output_padding, "output_padding", minimum=0)
    size = tuple(_transposed_size(*values, what=what) for *values, what in
                 zip(input_size, kernel_size, stride, padding, output_padding, dilation, (_("height"), _("width"))))
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
    batch, weight, bias, groups = check_layer(x, weight, bias, groups, transposed=True)
    n, c_in, h, w = batch.shape
    g, size = _transposed_geometry((h, w), weight.shape[2:], stride, padding, output_padding, dilation)
    c_out, kernel_area = weight.shape[1] * groups, weight.shape[2] * weight.shape[3]
    check_memory((n, c_out * kernel_area, h * w), batch.dtype, _("the columns W_row^T @ x"),
                 _("use a smaller input, batch or kernel"))
    check_memory((n, c_out, size[0] + 2 * g.pad_before[0], size[1] + 2 * g.pad_before[1]), batch.dtype,
                 _("the output"), _("use a smaller input or stride"))
    w_row = weight.reshape(groups, c_in // groups, -1)                      # the conv2d's W_row, per group
    cols = w_row.transpose(0, 2, 1) @ batch.reshape(n, groups, c_in // groups, h * w)   # W_row^T @ x
    out = fold(cols.reshape(n, c_out * kernel_area, h * w), size, g).astype(batch.dtype, copy=False)
    if bias is not None:
        out += bias[:, None, None]
    return out if np.ndim(x) == 4 else out[0]
