"""convlib's internal API: the helpers one module needs from another.

Not part of the course's public API (``convlib`` does not re-export it), but
the one place where modules share code: every name here is safe to import
from another convlib module, and an underscore anywhere else means "private
to its module, safe to change". ``tests/test_structure.py`` checks that no
module imports another's underscore name.

The helpers do NOT validate their arguments: a public function checks its
input once (with :mod:`convlib.validation`, :func:`convlib.modes.prepare` or
:func:`check_layer` below) and then calls these. Modes are 'full', 'same' or
'valid' (:mod:`convlib.modes`); a layer's sizes ``g`` are a checked
:class:`convlib.modes.LayerGeometry`.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .validation import as_array, as_bias, as_int, check_arrays, check_memory, check_time, float_dtype
from .i18n import _

__all__ = ["check_columns_fit", "check_layer", "check_loop_time", "flipped", "fold", "mode_output_shape",
           "mode_pad_widths", "pad_batch", "pad_to_mode", "small_matrix_hint", "split_nonfinite", "tap_entries",
           "unfold"]


def small_matrix_hint():
    """What to do instead of building a weight matrix too large for memory."""
    return _("build M for a small input (such as 8x8) and use method='windows' for images")


# --- SciPy's modes, unchecked --------------------------------------------------------------------

def mode_pad_widths(kernel_shape, mode):
    """Zeros (before, after) per axis that turn a valid correlation into `mode`."""
    if mode == "full":
        return tuple((k - 1, k - 1) for k in kernel_shape)
    if mode == "same":
        return tuple((k // 2, (k - 1) // 2) for k in kernel_shape)
    return tuple((0, 0) for _ in kernel_shape)


def mode_output_shape(input_shape, kernel_shape, mode):
    """Shape of the `mode` correlation: padded length - K + 1 per axis."""
    return tuple(n + b + a - k + 1 for n, k, (b, a) in zip(input_shape, kernel_shape,
                                                           mode_pad_widths(kernel_shape, mode)))


def check_loop_time(x, kernel, mode):
    """Refuse a Python loop over output positions that would outlast the time limit.

    A step costs about what 500 multiply-adds cost, plus one per kernel entry, at about
    1e8 multiply-adds a second (measured on a 2-core machine: 3-5 microseconds a step)."""
    outputs = float(np.prod(mode_output_shape(x.shape, kernel.shape, mode), dtype=float))
    check_time(outputs * (kernel.size + 500), 1e8, _("a Python loop over {outputs:.0f} output positions").format(
                                                       outputs=outputs),
               _("use method='im2col' or method='fft' for a large input"))


def pad_to_mode(x, kernel_shape, mode):
    """`x` zero-padded so that its valid correlation with a kernel of `kernel_shape` is the `mode` one."""
    return np.pad(x, mode_pad_widths(kernel_shape, mode))


def split_nonfinite(x, kernel, mode):
    """The non-finite rule of every direct method, stated once: a term ``x[i + k] * w[k]``
    exists only where tap k lies over the input, never over the zeros that pad it.

    So a NaN or inf tap hanging over the border adds nothing to that output (as
    in SciPy's 1-D result, and by the definition), while inside the input the
    usual arithmetic holds (``0 * inf`` is NaN). Returns the kernel with its
    non-finite taps set to 0, safe to slide over the padding, and the terms of
    those taps computed only where they lie over `x` (-0.0 when there are none):
    a method computes with the first and adds the second.
    """
    nonfinite = ~np.isfinite(kernel)
    if not nonfinite.any():
        return kernel, -0.0                      # adding -0.0 changes nothing, not even the sign of a zero
    terms = np.zeros(mode_output_shape(x.shape, kernel.shape, mode), dtype=x.dtype)
    before = [b for b, _ in mode_pad_widths(kernel.shape, mode)]
    for tap in zip(*np.nonzero(nonfinite)):
        out, read = [], []                       # output o reads x[o + tap - before]
        for size, n, t, b in zip(terms.shape, x.shape, tap, before):
            shift = t - b
            start, stop = max(0, -shift), max(0, -shift, min(size, n - shift))
            out.append(slice(start, stop))
            read.append(slice(start + shift, stop + shift))
        terms[tuple(out)] += kernel[tap] * x[tuple(read)]
    return np.where(nonfinite, 0, kernel).astype(kernel.dtype), terms


def flipped(kernel):
    """`kernel` reversed along every axis, as a read-only view."""
    view = np.flip(kernel)
    view.flags.writeable = False
    return view


# --- The weight matrix: where each tap lies ---------------------------------------------------

def tap_entries(input_shape, kernel_shape, out_shape, stride, dilation, before):
    """For each kernel tap (in ``w.ravel()`` order): the rows of a weight matrix M it
    appears in and the input columns it multiplies there. Output o, tap t reads input
    ``o * stride + t * dilation - before`` along each axis; taps that land in
    the padding read a zero and get no entry."""
    outputs = np.indices(out_shape).reshape(len(out_shape), -1)       # one column per output
    rows = np.arange(outputs.shape[1])
    stride, dilation, before = (np.array(v)[:, None] for v in (stride, dilation, before))
    for offset in np.ndindex(*kernel_shape):
        source = outputs * stride + np.array(offset)[:, None] * dilation - before   # the input read by this tap
        inside = np.all((source >= 0) & (source < np.array(input_shape)[:, None]), axis=0)
        yield rows[inside], np.ravel_multi_index(source[:, inside], input_shape)


# --- A layer's arrays -------------------------------------------------------------------------

def check_layer(x, weight, bias, groups, transposed=False):
    """Validate a layer's arrays; return a float (N, C, H, W) batch, weight, bias and groups.

    `weight` is conv2d's (C_out, C_in // groups, kH, kW), or with `transposed`
    conv_transpose2d's (C_in, C_out // groups, kH, kW).
    """
    x = as_array(x, "x", ndim=(3, 4))
    weight = as_array(weight, "weight", ndim=4)
    groups = as_int(groups, "groups", minimum=1)
    batch = x if x.ndim == 4 else x[None]
    c_in = batch.shape[1]
    c_out = weight.shape[1] * groups if transposed else weight.shape[0]
    if c_in % groups or c_out % groups:
        raise ValueError(_("`groups` must divide both the input channels and the output channels; got "
                           "groups={groups} with C_in={c_in} and C_out={c_out}").format(
                             groups=groups, c_in=c_in, c_out=c_out))
    if transposed and weight.shape[0] != c_in:
        raise ValueError(_("`weight` must have shape (C_in, C_out // groups, kH, kW) with C_in = {c_in} (the "
                           "transpose of a conv2d weight); got weight shape {weight_shape}").format(
                             c_in=c_in, weight_shape=weight.shape))
    if not transposed and weight.shape[1] * groups != c_in:
        raise ValueError(_("`weight` must have shape (C_out, C_in // groups, kH, kW) = (.., {c_in_groups}, .., ..) "
                           "for x with C_in={c_in} channels and groups={groups}; "
                           "got weight shape {weight_shape}").format(
                             c_in_groups=c_in // groups, c_in=c_in, groups=groups, weight_shape=weight.shape))
    dtype = float_dtype(x, weight)
    casts = [(a.shape, dtype) for a in (batch, weight) if a.dtype != dtype]
    check_arrays(casts, _("the float copies of `x` and `weight`"), _("use a smaller input or fewer channels"))
    return batch.astype(dtype, copy=False), weight.astype(dtype, copy=False), as_bias(bias, c_out, dtype), groups


def check_columns_fit(batch, weight, g):
    """Raise unless the padded input, the im2col matrix X_col and the output of a layer fit in memory."""
    padded = (*batch.shape[:2], *np.add(batch.shape[2:], np.add(g.pad_before, g.pad_after)))
    check_memory(padded, batch.dtype, _("the padded input"), _("use less padding"))
    columns = (batch.shape[0], weight[0].size * (batch.shape[1] // weight.shape[1]), np.prod(g.output_size))
    check_memory(columns, batch.dtype, _("the im2col matrix X_col"), _("use a smaller input, batch or kernel"))
    output = (batch.shape[0], weight.shape[0], *g.output_size)
    check_arrays([(padded, batch.dtype), (columns, batch.dtype), (output, batch.dtype)],
                 _("the layer's padded input, im2col matrix X_col and output"),
                 _("use a smaller input or fewer filters"))


# --- im2col and col2im of checked batches --------------------------------------------------------

def pad_batch(batch, g):
    """Zeros around the height and width of an (N, C, H, W) batch."""
    (top, left), (bottom, right) = g.pad_before, g.pad_after
    return np.pad(batch, ((0, 0), (0, 0), (top, bottom), (left, right)))


def unfold(batch, g):
    """im2col of an (N, C, H, W) batch: (N, C*kH*kW, L), every window a column."""
    (kh, kw), (sh, sw), (dh, dw) = g.kernel_size, g.stride, g.dilation
    (oh, ow), (n, c) = g.output_size, batch.shape[:2]
    spans = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)            # a dilated window's height and width
    views = sliding_window_view(pad_batch(batch, g), spans, axis=(2, 3))
    views = views[:, :, ::sh, ::sw, ::dh, ::dw][:, :, :oh, :ow]  # every stride-th window, every dilation-th tap
    return views.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)  # the copy: windows to columns


def fold(cols, image_size, g):
    """col2im of (N, C*kH*kW, L) columns: each tap's values added back where it read."""
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = g.kernel_size, g.stride, g.dilation, g.output_size
    (top, left), (bottom, right) = g.pad_before, g.pad_after
    n, c = cols.shape[0], cols.shape[1] // (kh * kw)
    taps = cols.reshape(n, c, kh, kw, oh, ow)
    padded = np.zeros((n, c, image_size[0] + top + bottom, image_size[1] + left + right),
                      dtype=np.result_type(cols, np.float32))
    for a in range(kh):
        for b in range(kw):
            padded[:, :, a * dh:a * dh + sh * (oh - 1) + 1:sh, b * dw:b * dw + sw * (ow - 1) + 1:sw] += taps[:, :, a, b]
    return padded[:, :, top:top + image_size[0], left:left + image_size[1]]
