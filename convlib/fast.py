"""The same layer as :func:`convlib.conv2d`, written for speed instead of clarity.

Not a lesson of its own: notebook 03 times it against the plain layer. Same
signature and results as :func:`convlib.layer.conv2d` (and
``torch.nn.functional.conv2d``).

What makes it faster than the plain im2col + one matrix multiply:

- im2col reads around the padding: each kernel tap copies only the part of the
  image it overlaps and zeroes the rest of its plane, so no padded copy of the
  input is made;
- the columns are built one image at a time into one buffer that stays in the
  CPU cache, and multiplied straight away.
"""

import numpy as np

from .layer import _check_geometry, _check_layer


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


def _taps(image_size, g):
    """For each kernel tap (a, b): the outputs (rows, columns) that see the
    image, and the image's (rows, columns) they see."""
    (h, w), (kh, kw), (sh, sw) = image_size, g.kernel_size, g.stride
    (ph, pw), (dh, dw), (oh, ow) = g.pad_before, g.dilation, g.output_size
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


def _unfold_into(out, image, g):
    """im2col of one checked (C, H, W) image into `out`, (C*kH*kW, L), without padding it."""
    cols = out.reshape(image.shape[0], *g.kernel_size, *g.output_size)  # a view: writing it fills `out`
    for (a, b), (out_rows, out_cols), (in_rows, in_cols) in _taps(image.shape[1:], g):
        tap = cols[:, a, b]                                   # what kernel tap (a, b) sees at every position
        tap[:, out_rows, out_cols] = image[:, in_rows, in_cols]
        _zero_outside(tap, out_rows, out_cols)
    return out


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """:func:`convlib.conv2d`, computed for speed: same arguments, same results.

    Examples
    --------
    >>> import convlib
    >>> x, w = np.random.default_rng(0).standard_normal((2, 3, 8, 8)), np.ones((4, 3, 3, 3))
    >>> bool(np.allclose(conv2d(x, w, padding=1), convlib.conv2d(x, w, padding=1)))
    True
    """
    batch, weight, bias, groups = _check_layer(x, weight, bias, groups)
    g = _check_geometry(batch, weight, stride, padding, dilation)
    n, c_out, (oh, ow) = batch.shape[0], weight.shape[0], g.output_size
    w_rows = weight.reshape(groups, c_out // groups, -1)
    out = np.empty((n, groups, c_out // groups, oh * ow), dtype=batch.dtype)
    cols = np.empty((w_rows.shape[2] * groups, oh * ow), dtype=batch.dtype)
    for image in range(n):  # one image at a time, into one buffer that stays in the CPU cache
        _unfold_into(cols, batch[image], g)
        np.matmul(w_rows, cols.reshape(groups, -1, oh * ow), out=out[image])
    out = out.reshape(n, c_out, oh, ow)
    if bias is not None:
        out += bias[:, None, None]
    return out if np.ndim(x) == 4 else out[0]
