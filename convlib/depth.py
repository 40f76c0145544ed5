"""Depth: a dot product over channels, and the 1x1 convolution.

Taught in ``notebooks/04_depth.ipynb``. A kernel is as deep as its input, so
one output of a layer is a sum over channels of single-channel correlations:
one dot product of C_in*kH*kW numbers (75 for a 5x5x3 filter). At one pixel
and over depth alone it is a plain dot product of two vectors of C_in numbers:
that is a 1x1 convolution, a dense layer applied at every pixel
(:func:`conv1x1`). A kH x kW convolution is the sum of kH*kW such 1x1
convolutions of shifted inputs (:func:`conv2d_as_1x1_sum`).

Groups cut the dot product short: with ``groups=g`` each filter sees C_in/g
channels; ``groups=C_in`` is a depthwise convolution, and depthwise + 1x1 is
MobileNet's depthwise-separable layer (:func:`depthwise_separable`).
:func:`layer_cost` counts a layer's parameters, C_out*(C_in/g*kH*kW + 1),
and multiplies, C_out*C_in/g*kH*kW*H_out*W_out.

Everything here is built on :func:`convlib.conv2d` and checked against it.
"""

from typing import NamedTuple

import numpy as np

from .internal import check_columns_fit, check_layer, pad_batch
from .layer import conv2d
from .modes import layer_geometry
from .validation import as_array, as_int, as_int_pair, check_memory, describe
from .i18n import _

__all__ = ["GRAY_WEIGHTS", "LayerCost", "channel_sums", "conv1x1", "conv2d_as_1x1_sum", "cost_table",
           "depthwise_separable", "layer_cost", "rgb_to_gray", "separable_kernel"]

GRAY_WEIGHTS = (0.299, 0.587, 0.114)
"""Red, green and blue weights of luma (ITU-R BT.601), as in Pillow's ``convert("L")``."""


# --- Counting ---------------------------------------------------------------------------------

class LayerCost(NamedTuple):
    """What a layer costs: its parameters (weights and biases) and the multiplies of one forward pass."""

    parameters: int
    multiplies: int


def layer_cost(c_in, c_out, kernel_size, output_size, groups=1, bias=True):
    """Parameters and multiplies of a convolutional layer, for one input image.

    ``parameters = C_out * (C_in/groups * kH * kW + 1)`` (without the 1 when
    `bias` is false) and ``multiplies = C_out * C_in/groups * kH * kW * H_out * W_out``:
    each of the C_out * H_out * W_out outputs is one dot product of
    C_in/groups * kH * kW numbers. `kernel_size` and `output_size` are an int
    or a pair (height, width).

    Examples
    --------
    AlexNet's first layer: 96 filters of 11x11x3, 55x55 outputs:

    >>> layer_cost(3, 96, 11, 55)
    LayerCost(parameters=34944, multiplies=105415200)

    A depthwise 3x3 layer on 32 channels (one 3x3 kernel per channel):

    >>> layer_cost(32, 32, 3, (10, 10), groups=32, bias=False)
    LayerCost(parameters=288, multiplies=28800)
    """
    c_in, c_out = as_int(c_in, "c_in", minimum=1), as_int(c_out, "c_out", minimum=1)
    (kh, kw), (oh, ow) = as_int_pair(kernel_size, "kernel_size", 1), as_int_pair(output_size, "output_size", 1)
    groups = as_int(groups, "groups", minimum=1)
    if c_in % groups or c_out % groups:
        raise ValueError(_("`groups` must divide both c_in and c_out; got groups={groups} with c_in={c_in} and "
                           "c_out={c_out}").format(groups=groups, c_in=c_in, c_out=c_out))
    taps = c_in // groups * kh * kw                     # the length of one output's dot product
    return LayerCost(c_out * (taps + bool(bias)), c_out * taps * oh * ow)


def cost_table(layers):
    """A text table of parameters and multiplies, one row per layer.

    `layers` maps a name to a :class:`LayerCost`, or to a list of them (a
    block of layers, counted as their sum).

    Examples
    --------
    >>> print(cost_table({"3x3, 8 -> 8": layer_cost(8, 8, 3, 4),
    ...                   "two 1x1": [layer_cost(8, 2, 1, 4), layer_cost(2, 8, 1, 4)]}))
    layer          parameters    multiplies
    3x3, 8 -> 8           584         9,216
    two 1x1                42           512
    """
    if not isinstance(layers, dict):
        raise TypeError(_("`layers` must be a dict of name -> LayerCost (or a list of them); got {layers}").format(
                            layers=describe(layers)))
    rows = {}
    for name, cost in layers.items():
        costs = cost if isinstance(cost, list) else [cost]
        if not costs or not all(isinstance(c, LayerCost) for c in costs):
            raise TypeError(_("`layers[{name!r}]` must be a LayerCost or a list of them; got {cost}").format(
                                name=name, cost=describe(cost)))
        rows[str(name)] = LayerCost(*np.sum(costs, axis=0).tolist())
    width = max(len("layer"), *map(len, rows))
    lines = [f"{'layer':{width}s} {'parameters':>13s} {'multiplies':>13s}"]
    lines += [f"{name:{width}s} {p:>13,} {m:>13,}" for name, (p, m) in rows.items()]
    return "\n".join(lines)


# --- The depth dot product --------------------------------------------------------------------

def channel_sums(x, weight, out_channel, position, padding=0):
    """Each input channel's share of one output of a layer (stride 1, groups 1).

    For output channel `out_channel` at `position` = (row, col): the window of
    every input channel, multiplied elementwise by the matching kernel slice
    ``weight[out_channel, c]`` and summed over height and width. Their sum over
    the channels (plus the bias) is the output: a dot product over depth.

    Examples
    --------
    >>> x = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))])      # 2 channels
    >>> w = np.ones((1, 2, 2, 2))
    >>> channel_sums(x, w, 0, (0, 0))
    array([4., 8.])
    >>> float(conv2d(x, w)[0, 0, 0])
    12.0
    """
    batch, weight, _bias, _groups = check_layer(x, weight, None, 1)
    if batch.shape[0] != 1:
        raise ValueError(_("`x` must be one image (C_in, H, W); got shape {shape_x}").format(shape_x=np.shape(x)))
    g = layer_geometry(batch.shape[2:], weight.shape[2:], 1, padding, 1)
    out_channel = as_int(out_channel, "out_channel", minimum=0)
    if out_channel >= weight.shape[0]:
        raise ValueError(_("`out_channel` must be below the number of filters, {filters}; got {out_channel}").format(
                             filters=weight.shape[0], out_channel=out_channel))
    i, j = as_int_pair(position, "position", minimum=0)
    if i >= g.output_size[0] or j >= g.output_size[1]:
        raise ValueError(_("`position` must lie inside the output, of size {g_output_size}; got {i_j}").format(
                             g_output_size=g.output_size, i_j=(i, j)))
    (top, left), (bottom, right) = g.pad_before, g.pad_after
    check_memory((batch.shape[1], batch.shape[2] + top + bottom, batch.shape[3] + left + right), batch.dtype,
                 _("the padded input"), _("use less padding"))
    padded = np.pad(batch[0], ((0, 0), (top, bottom), (left, right)))
    window = padded[:, i:i + weight.shape[2], j:j + weight.shape[3]]
    return np.sum(window * weight[out_channel], axis=(1, 2))


def _as_matrix(weight, c_in):
    """A 1x1 kernel, (C_out, C_in) or (C_out, C_in, 1, 1), as a (C_out, C_in) matrix."""
    weight = as_array(weight, "weight", ndim=(2, 4))
    if weight.shape[1] != c_in or weight.shape[2:] not in ((), (1, 1)):
        raise ValueError(_("`weight` must have shape (C_out, C_in) or (C_out, C_in, 1, 1) with C_in={c_in}, the "
                           "input's channels; got shape {weight_shape}").format(c_in=c_in, weight_shape=weight.shape))
    return weight.reshape(weight.shape[:2])


def conv1x1(x, weight, bias=None):
    """A 1x1 convolution as one matrix multiply: a dense layer applied at every pixel.

    `x` is (C_in, H, W) or (N, C_in, H, W); `weight` is (C_out, C_in) or
    (C_out, C_in, 1, 1). Reshape the image to (C_in, H*W) (each column is one
    pixel's channels), multiply by the (C_out, C_in) matrix, reshape back:
    equal to ``conv2d(x, weight.reshape(C_out, C_in, 1, 1), bias)``.

    Examples
    --------
    Two channels mixed into their sum and their difference:

    >>> x = np.stack([np.full((2, 2), 3.0), np.full((2, 2), 1.0)])
    >>> conv1x1(x, [[1, 1], [1, -1]])
    array([[[4., 4.],
            [4., 4.]],
    <BLANKLINE>
           [[2., 2.],
            [2., 2.]]])
    """
    x = as_array(x, "x", ndim=(3, 4))
    batch = x if x.ndim == 4 else x[None]
    matrix = _as_matrix(weight, batch.shape[1])
    batch, weight, bias, _groups = check_layer(batch, matrix[:, :, None, None], bias, 1)
    out = _conv1x1(batch, weight[:, :, 0, 0])
    out = out if bias is None else out + bias[:, None, None]
    return out if x.ndim == 4 else out[0]


def _conv1x1(batch, matrix):
    """The 1x1 convolution of a checked (N, C_in, H, W) batch with a (C_out, C_in) matrix."""
    n, c_in, h, w = batch.shape
    check_memory((n, matrix.shape[0], h, w), batch.dtype, _("the output"), _("use a smaller input or fewer filters"))
    return (matrix @ batch.reshape(n, c_in, h * w)).reshape(n, -1, h, w)    # (C_out, C_in) @ (C_in, H*W)


def conv2d_as_1x1_sum(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """A kH x kW convolution as the sum of kH*kW 1x1 convolutions of shifted inputs.

    Kernel tap (a, b) multiplies every output's input pixel a rows down and b
    columns right of its window's corner: one 1x1 convolution, with the
    (C_out, C_in) matrix ``weight[:, :, a, b]``, of the input shifted by
    (a, b). Same arguments and result as :func:`convlib.conv2d` (groups 1).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, w = rng.standard_normal((3, 6, 5)), rng.standard_normal((4, 3, 3, 2))
    >>> np.allclose(conv2d_as_1x1_sum(x, w, padding=1), conv2d(x, w, padding=1))
    True
    """
    batch, weight, bias, _groups = check_layer(x, weight, bias, 1)
    g = layer_geometry(batch.shape[2:], weight.shape[2:], stride, padding, dilation)
    check_columns_fit(batch, weight, g)
    padded = pad_batch(batch, g)
    (sh, sw), (dh, dw), (oh, ow) = g.stride, g.dilation, g.output_size
    out = np.zeros((batch.shape[0], weight.shape[0], oh, ow), dtype=batch.dtype)
    for a, b in np.ndindex(*weight.shape[2:]):
        shifted = padded[:, :, a * dh:a * dh + sh * (oh - 1) + 1:sh, b * dw:b * dw + sw * (ow - 1) + 1:sw]
        out += _conv1x1(shifted, weight[:, :, a, b])   # tap (a, b): a 1x1 convolution
    out = out if bias is None else out + bias[:, None, None]
    return out if np.ndim(x) == 4 else out[0]


# --- Groups: depthwise and depthwise-separable ----------------------------------------------------

def _check_separable(depthwise, pointwise):
    depthwise = as_array(depthwise, "depthwise", ndim=4)
    if depthwise.shape[1] != 1:
        raise ValueError(_("`depthwise` must have shape (C_in, 1, kH, kW), one kernel per input channel; got shape "
                           "{depthwise_shape}").format(depthwise_shape=depthwise.shape))
    return depthwise, _as_matrix(pointwise, depthwise.shape[0])


def depthwise_separable(x, depthwise, pointwise, stride=1, padding=0, dilation=1):
    """MobileNet's layer: a depthwise convolution, then a 1x1 convolution.

    `depthwise` is (C_in, 1, kH, kW): ``conv2d(..., groups=C_in)`` filters each
    channel with its own kernel. `pointwise` is (C_out, C_in) or
    (C_out, C_in, 1, 1): :func:`conv1x1` then mixes the channels. It costs
    C_in*kH*kW + C_in*C_out weights instead of C_out*C_in*kH*kW, and equals
    ``conv2d`` with the full kernel :func:`separable_kernel` builds.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.standard_normal((3, 5, 5))
    >>> d, p = rng.standard_normal((3, 1, 3, 3)), rng.standard_normal((4, 3))
    >>> depthwise_separable(x, d, p).shape
    (4, 3, 3)
    >>> np.allclose(depthwise_separable(x, d, p), conv2d(x, separable_kernel(d, p)))
    True
    """
    depthwise, pointwise = _check_separable(depthwise, pointwise)
    x = as_array(x, "x", ndim=(3, 4))
    if x.shape[-3] != depthwise.shape[0]:
        raise ValueError(_("`depthwise` must have one kernel per channel of `x` (C_in={x_shape_3}); got "
                           "{depthwise_shape_0} kernels (shape {depthwise_shape})").format(
                             x_shape_3=x.shape[-3], depthwise_shape_0=depthwise.shape[0],
                             depthwise_shape=depthwise.shape))
    batch, depthwise, _bias, groups = check_layer(x, depthwise, None, depthwise.shape[0])
    filtered = conv2d(batch, depthwise, stride=stride, padding=padding, dilation=dilation, groups=groups)
    out = _conv1x1(filtered, pointwise.astype(filtered.dtype, copy=False))      # then mix the channels
    return out if np.ndim(x) == 4 else out[0]


def separable_kernel(depthwise, pointwise):
    """The full (C_out, C_in, kH, kW) kernel of a depthwise-separable layer.

    ``kernel[o, c] = pointwise[o, c] * depthwise[c, 0]``: every filter's slice
    for channel c is the same depthwise kernel, only scaled. A full layer has
    C_out*C_in*kH*kW free weights; this one only C_in*kH*kW + C_out*C_in.

    Examples
    --------
    >>> separable_kernel(np.ones((2, 1, 1, 2)), [[1, 10], [2, 20], [3, 30]])[:, :, 0, 0]
    array([[ 1., 10.],
           [ 2., 20.],
           [ 3., 30.]])
    """
    depthwise, pointwise = _check_separable(depthwise, pointwise)
    full = (pointwise.shape[0], depthwise.shape[0], *depthwise.shape[2:])
    check_memory(full, np.float64, _("the full kernel"), _("use fewer channels"))
    return pointwise[:, :, None, None] * depthwise[None, :, 0]


# --- Colour ---------------------------------------------------------------------------------------

def rgb_to_gray(image, weights=GRAY_WEIGHTS):
    """A (3, H, W) colour image mixed into one (H, W) gray image: a 1x1 convolution, 3 channels -> 1.

    Examples
    --------
    >>> rgb_to_gray(np.ones((3, 2, 2)))
    array([[1., 1.],
           [1., 1.]])
    """
    image = as_array(image, "image", ndim=3)
    weights = as_array(weights, "weights", ndim=1)
    if image.shape[0] != weights.size:
        raise ValueError(_("`image` must be channels-first, with one channel per weight ({weights_size}); got shape "
                           "{image_shape}").format(weights_size=weights.size, image_shape=image.shape))
    return conv1x1(image, weights[None])[0]
