"""One thread's work on im2col tiles: copy each tile's windows into columns, multiply.

Internal to :mod:`convlib.fast`: the columns X_col of one tile at a time, in
buffers each thread owns, filled with a few NumPy copies per tile (none per
kernel tap).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .tiling import fill_slab, take_tiles


def phase_planes(slab, stride):
    """The slab as (C, sW, height, width/sW): plane q holds the columns that are q modulo the
    stride. A view."""
    c, height, width = slab.shape
    return slab.reshape(c, height, width // stride, stride).transpose(0, 3, 1, 2)


def window_copies(planes, cols, g, plan, rows, width):
    """For a tile of rows x width outputs: pairs (rows of X_col, the windows they copy) of
    shape (C, kH, kernel columns, rows, width), one per phase plane. Views."""
    (kh, kw), (sh, _), (dh, _) = g.kernel_size, g.stride, g.dilation
    by_tap = cols[:, :rows * width].reshape(-1, kh, kw, rows, width)   # X_col as (C, kH, kW, rows, width)
    span = (dh * (kh - 1) + 1, max(p.cols[0] + p.cols[1] * (p.cols[2] - 1) + 1 for p in plan.phases))
    windows = sliding_window_view(planes, span, axis=(2, 3))[:, :, ::sh][:, :, :rows, :width, ::dh]
    pairs = []
    for phase in plan.phases:
        first, step, count = phase.cols
        source = windows[:, phase.plane, ..., first::step][..., :count]  # (C, rows, width, kH, count)
        pairs.append((by_tap[:, :, phase.taps], source.transpose(0, 3, 4, 1, 2)))
    return pairs


class Buffers:
    """One thread's slab, phase planes and columns X_col, and the views that copy one into the other."""

    def __init__(self, plan, g, dtype, rows):
        self.plan, self.g = plan, g
        self.slab = np.empty(plan.slab, dtype)
        self.planes = phase_planes(self.slab, g.stride[1])               # a view of the slab
        self.split = np.empty(self.planes.shape, dtype) if plan.split else self.planes
        self.cols = np.empty((rows, plan.most[0] * plan.most[1]), dtype)
        self.views = {}                                                   # per tile shape: copies and X_col

    def unfold(self, rows, width):
        """X_col, (C*kH*kW, rows*width), of the tile of rows x width outputs in the slab."""
        if (rows, width) not in self.views:
            self.views[rows, width] = (window_copies(self.split, self.cols, self.g, self.plan, rows, width),
                                       self.cols[:, :rows * width])
        pairs, x_col = self.views[rows, width]
        if self.plan.split:
            np.copyto(self.split, self.planes)    # space-to-depth: one strided copy, then contiguous ones
        for target, source in pairs:
            np.copyto(target, source)
        return x_col


def worker(batch, w_rows, bias, out, g, plan):
    """The work of one thread on a queue of tiles: fill each tile's columns, multiply."""
    groups, ow = w_rows.shape[0], g.output_size[1]
    out = out.reshape(out.shape[0], groups, w_rows.shape[1], -1)   # (N, groups, C_out/groups, H_out*W_out)

    def work(queue):
        buffers = Buffers(plan, g, batch.dtype, groups * w_rows.shape[2])   # this thread's own
        for image, rows, cols in take_tiles(queue, plan):
            fill_slab(buffers.slab, batch[image], rows, cols)
            x_col = buffers.unfold(rows.stop - rows.start, cols.stop - cols.start)
            y = out[image, :, :, rows.start * ow + cols.start:(rows.stop - 1) * ow + cols.stop]
            np.matmul(w_rows, x_col.reshape(groups, -1, x_col.shape[1]), out=y)   # y: contiguous positions
            if bias is not None:
                y += bias                         # while the tile is in the cache
    return work
