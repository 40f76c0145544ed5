"""Winograd's F(2x2, 3x3): fewer multiplies for 3x3 kernels at stride 1.

Internal to :mod:`convlib.fast`. Lavin and Gray, "Fast Algorithms for
Convolutional Neural Networks" (2016): the 2x2 outputs of a 4x4 input block d
and a 3x3 kernel w are A^T [(G w G^T) * (B^T d B)] A, with * elementwise.
Summed over the input channels, the 16 elementwise products become 16 matrix
multiplies (2.25 times fewer flops than im2col's).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .tiling import Plan, cut_evenly, fill_slab, slab_pieces, slab_shape, take_tiles

_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])


def applies(batch_shape, weight_shape, g, min_channels):
    """3x3 kernel, stride and dilation 1, even output sizes, enough channels per group in and out."""
    c_in_group, c_out_group = weight_shape[1], weight_shape[0] * weight_shape[1] // batch_shape[1]
    return ((g.kernel_size, g.stride, g.dilation) == ((3, 3), (1, 1), (1, 1))
            and g.output_size[0] % 2 == 0 and g.output_size[1] % 2 == 0
            and min(c_in_group, c_out_group) >= min_channels)


def tiles(batch_shape, weight_shape, g, itemsize, budget, workers):
    """The Plan of Winograd tiles, an even number of whole rows each, that fit in `budget`
    bytes each, for `workers` threads; None where two rows do not fit."""
    (n, c_in, h, w), c_out, (oh, ow) = batch_shape, weight_shape[0], g.output_size
    # bytes per output row: 4x4 blocks before and after the transform (2 x 4 numbers per
    # output and input channel), products and half-transformed outputs (6 per output channel),
    # and the slab's row; the slab's two extra rows on top
    per_row = itemsize * ((8 * c_in + 6 * c_out) * ow + c_in * (ow + 2))
    pairs = min(oh // 2, (budget - 2 * itemsize * c_in * (ow + 2)) // (2 * per_row))
    if pairs < 1:
        return None
    rows = [(2 * start, 2 * stop) for start, stop in cut_evenly(oh // 2, pairs, n, workers)]
    most = (max(r1 - r0 for r0, r1 in rows), ow)
    slab = slab_shape(*most, g)
    return Plan(n, slab_pieces(rows, 1, g.pad_before[0], h, slab[0]),
                slab_pieces([(0, ow)], 1, g.pad_before[1], w, slab[1]),
                most, (c_in, *slab), [], False, min(workers, n * len(rows)), 1, winograd=True)


def transformed_weights(weight, groups):
    """G w G^T of every 3x3 kernel: 16 matrices per group, (16, groups, C_out/groups, C_in/groups)."""
    u = np.einsum("ka,ocab,lb->kloc", _G, weight, _G).astype(weight.dtype)
    return u.reshape(16, groups, weight.shape[0] // groups, weight.shape[1])


def _input_transform(d, t, v):
    """v = B^T d B for 4x4 blocks d (the first two axes), t for the halfway step; B^T's rows
    are (1, 0, -1, 0), (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, 0, -1). v may be d."""
    for rows, out in ((d, t), (t.swapaxes(0, 1), v.swapaxes(0, 1))):   # rows, then columns
        np.subtract(rows[0], rows[2], out=out[0])
        np.add(rows[1], rows[2], out=out[1])
        np.subtract(rows[2], rows[1], out=out[2])
        np.subtract(rows[1], rows[3], out=out[3])


def _output_transform(m, s, y):
    """y = A^T m A for 4x4 products m, s (2x4) for the halfway step; A^T's rows are
    (1, 1, 1, 0) and (0, 1, -1, -1)."""
    for rows, out in ((m, s), (s.swapaxes(0, 1), y.swapaxes(0, 1))):   # rows, then columns
        np.add(rows[0], rows[1], out=out[0])
        out[0] += rows[2]
        np.subtract(rows[1], rows[2], out=out[1])
        out[1] -= rows[3]


class _Buffers:
    """One thread's slab, its 4x4 blocks before and after the transform, products and
    half-transformed outputs."""

    def __init__(self, plan, dtype, c_out):
        c_in, blocks = plan.slab[0], plan.most[0] * plan.most[1] // 4
        self.slab = np.empty(plan.slab, dtype)
        self.d, self.t = np.empty((2, 16 * c_in * blocks), dtype)
        self.m = np.empty(16 * c_out * blocks, dtype)
        self.s = np.empty(8 * c_out * blocks, dtype)
        # block (i, j) of the slab is rows 2i to 2i+3, columns 2j to 2j+3: (4, 4, C, row blocks, column blocks)
        self.blocks = sliding_window_view(self.slab, (4, 4), axis=(1, 2))[:, ::2, ::2].transpose(3, 4, 0, 1, 2)

    def correlate_into(self, u, y):
        """y, (2, 2, C_out, row blocks, column blocks): the tile's outputs, from the slab."""
        (c_in, blocks), (groups, c_out) = (self.slab.shape[0], y.shape[3] * y.shape[4]), (u.shape[1], y.shape[2])
        d, t = (buffer[:16 * c_in * blocks].reshape(4, 4, c_in, *y.shape[3:]) for buffer in (self.d, self.t))
        np.copyto(d, self.blocks[:, :, :, :y.shape[3]])
        _input_transform(d, t, d)
        m = self.m[:16 * c_out * blocks].reshape(16, groups, c_out // groups, blocks)
        np.matmul(u, d.reshape(16, groups, c_in // groups, blocks), out=m)
        s = self.s[:8 * c_out * blocks].reshape(2, 4, *y.shape[2:])
        _output_transform(m.reshape(4, 4, *y.shape[2:]), s, y)


def worker(batch, u, bias, out, g, plan):
    """The work of one thread on a queue of tiles, Winograd's way: fill each tile's slab,
    transform its blocks, multiply, transform back into the output."""
    (images, c_out), (oh, ow) = out.shape[:2], g.output_size
    blocks = out.reshape(images, c_out, oh // 2, 2, ow // 2, 2)   # output block (i, j): rows 2i, 2i+1, columns 2j, 2j+1

    def work(queue):
        buffers = _Buffers(plan, batch.dtype, c_out)   # this thread's own
        for image, rows, cols in take_tiles(queue, plan):
            fill_slab(buffers.slab, batch[image], rows, cols)
            y = blocks[image, :, rows.start // 2:rows.stop // 2].transpose(2, 4, 0, 1, 3)
            buffers.correlate_into(u, y)
            if bias is not None:
                out[image, :, rows.start:rows.stop] += bias        # while the tile is in the cache
    return work
