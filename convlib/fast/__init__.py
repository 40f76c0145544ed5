"""The same layer as :func:`convlib.conv2d`, written for speed instead of clarity.

Not a lesson of its own: notebook 03 times it against the plain layer. Same
signature and results as :func:`convlib.layer.conv2d` (and
``torch.nn.functional.conv2d``). Pure NumPy; with ``threadpoolctl`` installed
it uses every core that NumPy's BLAS may use. Measured in
``benchmarks/README.md``; what makes it fast:

- **Tiles that stay in the cache.** The output is cut into tiles of whole rows
  (or of parts of one row) whose columns X_col take about one core's L2 cache
  (``TUNING.cache_bytes``): they are written, and read by the matrix multiply,
  while still in it. The plain layer builds all the columns first (115 MB for
  a 64-channel 224x224 image) and reads them back from memory.
- **Every core busy.** The tiles go to as many threads as BLAS may use, this
  one included. NumPy lets go of the GIL while it copies and multiplies, so the
  threads run at once; BLAS is held to one thread meanwhile, so that no core
  runs two threads. In the plain layer only the matrix multiply uses more than
  one core. With few tiles per thread a thread that waits for the GIL costs too
  much, so one thread fills the tiles and BLAS's own threads multiply.
- **A few NumPy calls per tile, none per kernel tap.** A tile's part of the
  image is copied, zero-padded, into a small "slab"; the windows of many taps
  at once are one strided view of the slab (made once per thread), so one
  ``np.copyto`` fills their rows of X_col.
- **Space-to-depth for strides.** With stride s a window reads every s-th
  column: a slow, strided copy. The slab's columns are first sorted into s
  phase planes (the columns with the same remainder modulo s); within a plane
  a tap reads neighbouring columns, so the copies into X_col run over
  contiguous memory. For AlexNet's 11x11 stride-4 layer that halves the copies.
- **Fewer multiplies for 3x3 kernels, on one thread** (stride 1, even output
  sizes, at least ``TUNING.min_winograd_channels`` channels in and out per group):
  Winograd's F(2x2, 3x3) computes each 2x2 block of outputs from a 4x4 block of
  inputs with 16 multiplies per channel pair instead of 36. The blocks are
  transformed with additions only, and the 16 products are 16 matrix multiplies
  (2.25 times fewer flops than X_col's): ResNet's 3x3 layer 23.8 -> 19.4 ms. Its
  transforms are twenty small NumPy calls per tile, and with several threads
  each waits for the GIL between them: with more threads, im2col's tiles.
- **Bounded memory.** Each thread owns one slab and one tile of columns, sized
  so that all of them together take at most ``TUNING.memory_factor`` times the
  output, whatever the size of the input (:func:`plan.buffer_elements` counts
  them, and conv2d refuses before allocating more than convlib's memory limit).
- **Safe to share.** Calls from several threads take turns for the helper
  threads and the BLAS limit; a child made by fork starts its own threads.

The package, one module per part (only :func:`conv2d` is meant for users):

==========  ====================================================================
tiling      the Plan: tiles of whole rows or parts of a row, slabs, phase planes
plan        which tiles and threads for a layer (:data:`plan.TUNING`), cached
columns     one thread's work on im2col tiles: fill the columns, multiply
winograd    Winograd's F(2x2, 3x3) for 3x3 stride-1 layers
threads     the helper threads and the BLAS limit, one object (``POOL``)
==========  ====================================================================
"""

import numpy as np

from ..internal import check_layer
from ..modes import layer_geometry
from ..validation import check_memory
from . import columns, plan, threads, winograd
from ..i18n import _

__all__ = ["conv2d"]


def _output_geometry(batch, weight, stride, padding, dilation):
    """The layer's geometry, after checking that its output fits in memory. Unlike the plain
    layer, this one never holds all of X_col, so X_col need not fit."""
    g = layer_geometry(batch.shape[2:], weight.shape[2:], stride, padding, dilation)
    check_memory((batch.shape[0], weight.shape[0], *g.output_size), batch.dtype, _("the output"),
                 _("use a smaller input or batch"))
    return g


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """:func:`convlib.conv2d`, computed for speed: same arguments, same results.

    Uses as many threads as NumPy's BLAS (see the module's notes); its extra
    memory is at most ``TUNING.memory_factor`` times the output's, or the
    buffers of one tile where that is more (a stride wider than the image),
    and it refuses a layer whose output and buffers exceed convlib's memory
    limit before allocating them.

    Examples
    --------
    >>> import convlib
    >>> x, w = np.random.default_rng(0).standard_normal((2, 3, 8, 8)), np.ones((4, 3, 3, 3))
    >>> bool(np.allclose(conv2d(x, w, padding=1), convlib.conv2d(x, w, padding=1)))
    True
    """
    batch, weight, bias, groups = check_layer(x, weight, bias, groups)
    g = _output_geometry(batch, weight, stride, padding, dilation)
    tiles = plan.plan_tiles(batch.shape, weight.shape, batch.itemsize, g, threads.POOL.workers(), plan.TUNING)
    outputs = batch.shape[0] * weight.shape[0] * g.output_size[0] * g.output_size[1]
    check_memory((outputs + plan.buffer_elements(tiles, weight.shape),), batch.dtype,
                 _("the output and the tiles' buffers"), _("use a smaller input, batch or stride"))
    out = np.empty((batch.shape[0], weight.shape[0], *g.output_size), dtype=batch.dtype)
    if tiles.winograd:
        work = winograd.worker(batch, winograd.transformed_weights(weight, groups),
                               None if bias is None else bias.reshape(-1, 1, 1), out, g, tiles)
    else:
        per_group_bias = None if bias is None else bias.reshape(groups, -1, 1)
        w_rows = weight.reshape(groups, weight.shape[0] // groups, -1)     # W_row of each group
        work = columns.worker(batch, w_rows, per_group_bias, out, g, tiles)
    threads.POOL.run(work, tiles.images * len(tiles.rows) * len(tiles.cols), tiles)
    return out if np.ndim(x) == 4 else out[0]
