"""How far the kernel may hang over the input: SciPy's modes and a layer's padding.

Every conventions question of the course has its one home here. Taught first in
``notebooks/01_sliding_window.ipynb`` (the three modes), then in
``notebooks/03_flattening_im2col.ipynb`` (stride, padding, dilation) and
``notebooks/05_weight_matrix.ipynb`` (full / same / valid as matrices).

**SciPy's modes** (``scipy.signal.correlate(x, kernel, mode)``), for N inputs and
K kernel taps per axis. Every method in convlib computes a *valid* correlation
of an input padded for the mode:

=======  ==========================  =========================================
mode     output length per axis      zeros added to the input (before, after)
=======  ==========================  =========================================
full     N + K - 1                   (K - 1, K - 1)
same     N                           (K // 2, (K - 1) // 2)
valid    N - K + 1 (needs N >= K)    (0, 0)
=======  ==========================  =========================================

**A layer's padding** (``torch.nn.functional.conv2d``): an int or a pair is the
number of zeros on *each* side; ``"valid"`` is none; ``"same"`` (stride 1 only)
pads the dilated kernel's span minus one in total. For an even kernel the two
"same" conventions put the odd zero on opposite sides: SciPy *before* the input
(top, left), PyTorch *after* it (bottom, right). With stride s and dilation d
(counted from 1, as in PyTorch) a layer has per axis

    floor((n + p_before + p_after - d(k-1) - 1) / s) + 1    outputs.
"""

from typing import NamedTuple

import numpy as np

from .internal import mode_output_shape, mode_pad_widths, pad_to_mode
from .validation import (as_array, as_int, as_int_pair, as_shape, check_choice, check_memory,
                         describe, float_dtype)
from .i18n import _

__all__ = ["MODES", "LAYER_PADDINGS", "LayerGeometry", "LayerSizes", "layer_geometry", "layer_padding", "layer_sizes",
           "output_shape", "output_size", "pad_for_mode", "pad_widths", "prepare"]

MODES = ("full", "same", "valid")
LAYER_PADDINGS = ("valid", "same")


# --- SciPy's modes ---------------------------------------------------------------

def _check_mode(mode):
    """Raise unless `mode` is 'full', 'same' or 'valid'; return it."""
    return check_choice(mode, "mode", MODES)


def prepare(x, kernel, mode):
    """Validate the arguments every method takes; return float arrays.

    Integers become float64, float32 stays float32 (see
    :func:`convlib.validation.float_dtype`). Each public method calls this once
    and then only unchecked helpers.

    Examples
    --------
    >>> x, k = prepare([1, 2, 3], [1, 1], "valid")
    >>> x.dtype, k.dtype
    (dtype('float64'), dtype('float64'))
    >>> prepare([1, 2, 3], [[1, 1]], "valid")
    Traceback (most recent call last):
    ...
    ValueError: `x` and `kernel` must have the same number of dimensions; got x.ndim = 1 and kernel.ndim = 2
    """
    x = as_array(x, "x", ndim=(1, 2))
    kernel = as_array(kernel, "kernel", ndim=(1, 2))
    if x.ndim != kernel.ndim:
        raise ValueError(_("`x` and `kernel` must have the same number of dimensions; got x.ndim = {x_ndim} and "
                           "kernel.ndim = {kernel_ndim}").format(x_ndim=x.ndim, kernel_ndim=kernel.ndim))
    _check_mode(mode)
    _check_kernel_fits(x.shape, kernel.shape, mode)
    padded = tuple(n + b + a for n, (b, a) in zip(x.shape, mode_pad_widths(kernel.shape, mode)))
    check_memory(padded, np.float64, _("the input padded for mode={mode!r}").format(
                                         mode=mode), _("use a smaller kernel or mode='valid'"))
    dtype = float_dtype(x, kernel)
    return x.astype(dtype, copy=False), kernel.astype(dtype, copy=False)


def _check_kernel_fits(input_shape, kernel_shape, mode):
    """In 'valid' mode the kernel must fit inside the input along every axis.

    SciPy silently swaps the two arrays instead; a convolutional layer never
    does, so convlib refuses.
    """
    if mode == "valid" and any(k > n for n, k in zip(input_shape, kernel_shape)):
        raise ValueError(_("in 'valid' mode `kernel` must fit inside `x` along every axis; got kernel shape "
                           "{kernel_shape} for x shape {input_shape}. Use mode='full' or 'same', "
                           "or a smaller kernel").format(
                             kernel_shape=tuple(kernel_shape), input_shape=tuple(input_shape)))


def _check_shapes(input_shape, kernel_shape, mode):
    input_shape = as_shape(input_shape, "input_shape")
    kernel_shape = as_shape(kernel_shape, "kernel_shape", ndim=len(input_shape))
    _check_mode(mode)
    _check_kernel_fits(input_shape, kernel_shape, mode)
    return input_shape, kernel_shape


def pad_widths(kernel_shape, mode):
    """Zeros to add before and after each axis of the input for `mode`.

    Examples
    --------
    >>> pad_widths((3,), "full")
    ((2, 2),)
    >>> pad_widths((4, 3), "same")
    ((2, 1), (1, 1))
    """
    kernel_shape = as_shape(kernel_shape, "kernel_shape")
    return mode_pad_widths(kernel_shape, _check_mode(mode))


def output_shape(input_shape, kernel_shape, mode):
    """Shape of ``correlate(x, kernel, mode)`` for the given shapes.

    Examples
    --------
    >>> output_shape((4,), (3,), "full"), output_shape((4,), (3,), "valid")
    ((6,), (2,))
    >>> output_shape((5, 5), (2, 3), "same")
    (5, 5)
    >>> output_shape((2,), (5,), "valid")
    Traceback (most recent call last):
    ...
    ValueError: in 'valid' mode `kernel` must fit inside `x` along every axis; got kernel shape (5,) for x shape (2,). Use mode='full' or 'same', or a smaller kernel
    """  # noqa: E501 (a doctest: the message is one line)
    return mode_output_shape(*_check_shapes(input_shape, kernel_shape, mode), mode)


def pad_for_mode(x, kernel_shape, mode):
    """Zero-pad `x` so that a valid correlation of the result gives `mode`.

    Examples
    --------
    >>> pad_for_mode(np.array([1, 2, 3, 4]), 3, "full")
    array([0, 0, 1, 2, 3, 4, 0, 0])
    """
    x = as_array(x, "x", ndim=(1, 2))
    _x_shape, kernel_shape = _check_shapes(x.shape, kernel_shape, mode)
    padded = tuple(n + b + a for n, (b, a) in zip(x.shape, mode_pad_widths(kernel_shape, mode)))
    check_memory(padded, x.dtype, _("the input padded for mode={mode!r}").format(
                                      mode=mode), _("use a smaller kernel or mode='valid'"))
    return pad_to_mode(x, kernel_shape, mode)


# --- A layer's stride, padding and dilation ------------------------------------------

class LayerGeometry(NamedTuple):
    """Every size of a 2-D layer, as (height, width) pairs."""

    kernel_size: tuple
    stride: tuple
    dilation: tuple
    pad_before: tuple   # zeros at the top and the left
    pad_after: tuple    # zeros at the bottom and the right
    output_size: tuple


def output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """Number of window positions along one axis of a layer.

    ``floor((n + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``,
    with `padding` zeros on *each* side and `dilation` counted from 1.

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
    ValueError: the kernel does not fit: its dilated size dilation*(kernel_size-1)+1 is 5 but the padded input has 4
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(kernel_size, "kernel_size", minimum=1)
    p = as_int(padding, "padding", minimum=0)
    return _output_size(n + 2 * p, k, as_int(stride, "stride", minimum=1), as_int(dilation, "dilation", minimum=1))


def _output_size(padded, kernel_size, stride, dilation, what=None):
    span = dilation * (kernel_size - 1) + 1
    if padded < span:
        raise ValueError(
            _("the kernel does not fit: its dilated {what} dilation*(kernel_size-1)+1 is {span} but the padded input "
              "has {padded}").format(what=what or _("size"), span=span, padded=padded)
        )
    return (padded - span) // stride + 1


def layer_padding(padding, kernel_size, stride=1, dilation=1):
    """Zeros ((top, left), (bottom, right)) for a layer's `padding` argument.

    `padding` is an int or a pair (zeros on each side), 'valid' or 'same'.
    PyTorch's 'same' puts the odd zero of an even kernel after the input:

    Examples
    --------
    >>> layer_padding(1, (3, 3))
    ((1, 1), (1, 1))
    >>> layer_padding("same", (2, 3))
    ((0, 1), (1, 1))
    """
    kernel_size = as_int_pair(kernel_size, "kernel_size", minimum=1)
    stride, dilation = as_int_pair(stride, "stride", minimum=1), as_int_pair(dilation, "dilation", minimum=1)
    return _layer_padding(padding, kernel_size, stride, dilation)


def _layer_padding(padding, kernel_size, stride, dilation):
    if isinstance(padding, str):
        if padding not in LAYER_PADDINGS:
            raise ValueError(_("`padding` must be an int, a pair of ints, 'valid' or 'same'; got {padding!r}").format(
                                 padding=padding))
        if padding == "valid":
            return (0, 0), (0, 0)
        if stride != (1, 1):
            raise ValueError(_("`padding='same'` needs stride 1 (the output could not keep the input's size); got "
                               "stride={stride}").format(stride=stride))
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return tuple(t // 2 for t in totals), tuple(t - t // 2 for t in totals)
    if not isinstance(padding, (int, np.integer, tuple, list)) or isinstance(padding, bool):
        raise TypeError(_("`padding` must be an int, a pair of ints, 'valid' or 'same'; got {padding}").format(
                            padding=describe(padding)))
    pair = as_int_pair(padding, "padding", minimum=0)
    return pair, pair


def layer_geometry(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Check a layer's size arguments and return its :class:`LayerGeometry`.

    `input_size` is the image's (H, W); the others are an int or a pair, and
    `padding` may also be 'valid' or 'same'.

    Examples
    --------
    >>> g = layer_geometry((227, 227), 11, stride=4)
    >>> g.output_size, g.pad_before
    ((55, 55), (0, 0))
    >>> layer_geometry((6, 6), (7, 3)).output_size
    Traceback (most recent call last):
    ...
    ValueError: the kernel does not fit: its dilated height dilation*(kernel_size-1)+1 is 7 but the padded input has 6
    """
    input_size = as_shape(input_size, "input_size", ndim=2)
    kernel_size = as_int_pair(kernel_size, "kernel_size", minimum=1)
    stride = as_int_pair(stride, "stride", minimum=1)
    dilation = as_int_pair(dilation, "dilation", minimum=1)
    before, after = _layer_padding(padding, kernel_size, stride, dilation)
    out = tuple(_output_size(n + b + a, k, s, d, what)
                for n, b, a, k, s, d, what in zip(input_size, before, after, kernel_size, stride, dilation,
                                                  (_("height"), _("width"))))
    return LayerGeometry(kernel_size, stride, dilation, before, after, out)


class LayerSizes(NamedTuple):
    """Per-axis sizes of a 1-D or 2-D single-channel layer (what :func:`layer_sizes` returns)."""

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


def layer_sizes(input_shape, kernel_shape, stride=1, padding=0, dilation=1):
    """Check a 1-D (ints) or 2-D (pairs) single-channel layer's sizes: its :class:`LayerSizes`.

    A 1-D layer is a 2-D one on a 1 x N image, so it follows
    :func:`layer_geometry`; `padding` is zeros per side, 'valid' or 'same'.

    Examples
    --------
    >>> layer = layer_sizes(5, 3, stride=2, padding=1)
    >>> layer.output_shape, layer.before, layer.padded_shape
    ((3,), (1,), (7,))
    """
    input_shape = as_shape(input_shape, "input_shape")
    kernel_shape = as_shape(kernel_shape, "kernel_shape", ndim=len(input_shape))
    if len(input_shape) == 2:
        g = layer_geometry(input_shape, kernel_shape, stride, padding, dilation)
        return LayerSizes(input_shape, kernel_shape, g.output_size, g.stride, g.dilation, g.pad_before, g.pad_after)
    stride, dilation = as_int(stride, "stride", minimum=1), as_int(dilation, "dilation", minimum=1)
    padding = padding if isinstance(padding, str) else (0, as_int(padding, "padding", minimum=0))
    g = layer_geometry((1,) + input_shape, (1,) + kernel_shape, (1, stride), padding, (1, dilation))
    return LayerSizes(input_shape, kernel_shape, g.output_size[1:], g.stride[1:], g.dilation[1:], g.pad_before[1:],
                      g.pad_after[1:])
